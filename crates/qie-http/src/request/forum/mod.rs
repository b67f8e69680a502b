//! Forum threads (private-domain bots).

pub(crate) mod create_thread;
pub(crate) mod delete_thread;
pub(crate) mod get_thread;
pub(crate) mod get_threads;

pub use self::create_thread::CreateThread;
pub use self::delete_thread::DeleteThread;
pub use self::get_thread::GetThread;
pub use self::get_threads::GetThreads;
