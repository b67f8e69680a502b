//! Small file helpers shared by the file-backed identify queue and session store.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Counter that makes temporary file names unique within the process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `contents` to `path` so that a reader sees either the old file or the new one, never a
/// torn write: the bytes go to a temporary file in the same directory, which is synced and then
/// renamed over `path`.
pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let directory = parent_directory(path);
    fs::create_dir_all(directory)?;

    let temporary = temporary_path(path);
    let result = write_and_rename(&temporary, path, contents);
    if result.is_err() {
        // The temporary file is garbage once the rename failed.
        let _ = fs::remove_file(&temporary);
    }
    result?;

    sync_directory(directory);

    Ok(())
}

fn write_and_rename(temporary: &Path, path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    restrict_permissions(&mut options);

    let mut file = options.open(temporary)?;
    file.write_all(contents)?;
    file.sync_all()?;
    drop(file);

    fs::rename(temporary, path)
}

fn temporary_path(path: &Path) -> PathBuf {
    let counter = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}-{counter}", std::process::id()));

    path.with_file_name(name)
}

fn parent_directory(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Makes the rename durable. Failure only weakens durability after a power loss, so it is ignored.
fn sync_directory(directory: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = File::open(directory) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = directory;
}

/// Session files name a resumable session, so only the owner may read them.
fn restrict_permissions(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = options;
}

/// An exclusive lock held as a lock file beside the locked file; released on drop.
///
/// Processes on one host coordinate through it. A lock file older than `stale_after` is taken to
/// belong to a process that died while holding it and is removed.
#[derive(Debug)]
pub(crate) struct LockFile {
    path: PathBuf,
}

impl LockFile {
    /// Blocks the calling thread until the lock is held. Run it on a blocking thread.
    pub(crate) fn acquire(path: PathBuf, stale_after: Duration) -> io::Result<Self> {
        fs::create_dir_all(parent_directory(&path))?;

        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    let _ = writeln!(file, "{}", std::process::id());
                    return Ok(Self { path });
                }
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                    if is_stale(&path, stale_after) {
                        tracing::warn!(path = %path.display(), "removing a stale lock file");
                        let _ = fs::remove_file(&path);
                        continue;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(error) => return Err(error),
            }
        }
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn is_stale(path: &Path, stale_after: Duration) -> bool {
    let Ok(modified) = fs::metadata(path).and_then(|metadata| metadata.modified()) else {
        return false;
    };

    SystemTime::now()
        .duration_since(modified)
        .is_ok_and(|age| age >= stale_after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch_directory(name: &str) -> PathBuf {
        let directory = std::env::temp_dir().join(format!(
            "qie-gateway-fs-{name}-{}-{}",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&directory);
        directory
    }

    #[test]
    fn write_atomic_replaces_whole_file() {
        let directory = scratch_directory("atomic");
        let path = directory.join("state.json");

        write_atomic(&path, b"first version, longer than the second").unwrap();
        write_atomic(&path, b"second").unwrap();

        assert_eq!(fs::read(&path).unwrap(), b"second");
        let leftovers: Vec<_> = fs::read_dir(&directory).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "temporary files must not remain");
        fs::remove_dir_all(directory).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn write_atomic_makes_owner_only_file() {
        use std::os::unix::fs::PermissionsExt;

        let directory = scratch_directory("mode");
        let path = directory.join("state.json");
        write_atomic(&path, b"{}").unwrap();

        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        fs::remove_dir_all(directory).unwrap();
    }

    #[test]
    fn lock_file_is_exclusive_and_released_on_drop() {
        let directory = scratch_directory("lock");
        let path = directory.join("queue.lock");

        let lock = LockFile::acquire(path.clone(), Duration::from_secs(60)).unwrap();
        assert!(path.exists());
        drop(lock);
        assert!(!path.exists());
        fs::remove_dir_all(directory).unwrap();
    }

    #[test]
    fn lock_file_breaks_stale_lock() {
        let directory = scratch_directory("stale");
        let path = directory.join("queue.lock");
        fs::create_dir_all(&directory).unwrap();
        fs::write(&path, b"12345").unwrap();

        // Every existing lock counts as stale with a zero age limit.
        let lock = LockFile::acquire(path.clone(), Duration::ZERO).unwrap();
        drop(lock);
        fs::remove_dir_all(directory).unwrap();
    }
}
