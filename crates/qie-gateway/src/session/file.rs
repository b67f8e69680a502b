//! The file-backed session store.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::ShardId;
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};

use super::{SessionRecord, SessionStore, StoreError, StoreErrorKind};
use crate::fs::write_atomic;

/// Sessions kept as one JSON file per shard in a directory, so that a restarted process resumes
/// its sessions instead of identifying again.
///
/// Files are named `shard-{id}-of-{total}.json`, written atomically (a temporary file renamed
/// over the old one) and readable only by their owner on Unix. Only one process may run a given
/// shard with a given directory at a time.
///
/// # Examples
///
/// ```no_run
/// use qie_gateway::session::FileSessionStore;
///
/// let store = FileSessionStore::new("/var/lib/my-bot/sessions");
/// ```
#[derive(Clone, Debug)]
pub struct FileSessionStore {
    directory: Arc<Path>,
}

/// The file format.
#[derive(Serialize, Deserialize)]
struct SessionFile {
    version: u32,
    session: SessionRecord,
}

const FILE_VERSION: u32 = 1;

impl FileSessionStore {
    /// Creates a store in `directory`, which is created on the first save.
    pub fn new(directory: impl Into<PathBuf>) -> Self {
        Self {
            directory: Arc::from(directory.into()),
        }
    }

    /// Returns the directory.
    pub fn directory(&self) -> &Path {
        &self.directory
    }

    /// Returns the file of `shard`.
    pub fn path_of(&self, shard: ShardId) -> PathBuf {
        self.directory
            .join(format!("shard-{}-of-{}.json", shard.id, shard.total))
    }
}

async fn blocking<T: Send + 'static>(
    path: PathBuf,
    work: impl FnOnce(&Path) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let error_path = path.clone();
    tokio::task::spawn_blocking(move || work(&path))
        .await
        .map_err(|join_error| StoreError::io(error_path, io::Error::other(join_error)))?
}

fn read_record(path: &Path, shard: ShardId) -> Result<Option<SessionRecord>, StoreError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(StoreError::io(path.to_owned(), error)),
    };

    let corrupt = |source: Box<dyn std::error::Error + Send + Sync>| {
        StoreError::new(StoreErrorKind::Corrupt, Some(path.to_owned()), Some(source))
    };
    let file: SessionFile =
        serde_json::from_slice(&bytes).map_err(|error| corrupt(Box::new(error)))?;
    if file.version != FILE_VERSION {
        return Err(corrupt(
            format!(
                "unknown session file version {}, expected {FILE_VERSION}",
                file.version
            )
            .into(),
        ));
    }
    if file.session.shard != shard {
        return Err(corrupt(
            format!(
                "file holds shard [{}, {}], expected [{}, {}]",
                file.session.shard.id, file.session.shard.total, shard.id, shard.total
            )
            .into(),
        ));
    }

    Ok(Some(file.session))
}

impl SessionStore for FileSessionStore {
    fn load(&self, shard: ShardId) -> BoxFuture<'_, Result<Option<SessionRecord>, StoreError>> {
        let path = self.path_of(shard);

        Box::pin(blocking(path, move |path| read_record(path, shard)))
    }

    fn save(&self, record: SessionRecord) -> BoxFuture<'_, Result<(), StoreError>> {
        let path = self.path_of(record.shard);

        Box::pin(blocking(path, move |path| {
            let file = SessionFile {
                version: FILE_VERSION,
                session: record,
            };
            let bytes = serde_json::to_vec_pretty(&file)
                .map_err(|error| StoreError::io(path.to_owned(), io::Error::other(error)))?;

            write_atomic(path, &bytes).map_err(|error| StoreError::io(path.to_owned(), error))
        }))
    }

    fn remove(&self, shard: ShardId) -> BoxFuture<'_, Result<(), StoreError>> {
        let path = self.path_of(shard);

        Box::pin(blocking(path, |path| match std::fs::remove_file(path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(StoreError::io(path.to_owned(), error)),
        }))
    }
}
