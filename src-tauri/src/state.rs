//! What the app keeps between commands: the database path, one connection for
//! the read commands (opened lazily so a broken database still shows a window
//! with the error), and the running import's cancel flag.

use crate::error::{CmdError, CmdResult};
use rebound::store::Store;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

pub struct AppState {
    pub db_path: PathBuf,
    store: Mutex<Option<Store>>,
    pub import: ImportSlot,
}

impl AppState {
    pub fn new(db_path: PathBuf) -> Self {
        AppState { db_path, store: Mutex::new(None), import: ImportSlot::default() }
    }

    /// Runs `f` on the shared read connection, opening it on first use.
    /// Every read/settings command goes through here.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> rebound::Result<T>) -> CmdResult<T> {
        let mut guard = self.store.lock().map_err(|_| CmdError::new("internal", "the database connection was poisoned by an earlier failure; restart Rebound"))?;
        if guard.is_none() {
            *guard = Some(Store::open(&self.db_path)?);
        }
        match guard.as_mut() {
            Some(store) => Ok(f(store)?),
            None => Err(CmdError::new("internal", "the database is not open")),
        }
    }
}

/// At most one import runs at a time; its cancel flag is shared with the worker thread.
#[derive(Default)]
pub struct ImportSlot {
    running: AtomicBool,
    cancel: Mutex<Option<Arc<rebound::import::CancelFlag>>>,
}

impl ImportSlot {
    /// Claims the slot; `None` when an import is already running.
    pub fn start(&self) -> Option<Arc<rebound::import::CancelFlag>> {
        if self.running.swap(true, Ordering::SeqCst) {
            return None;
        }
        let flag = Arc::new(rebound::import::CancelFlag::default());
        if let Ok(mut c) = self.cancel.lock() {
            *c = Some(flag.clone());
        }
        Some(flag)
    }

    pub fn finish(&self) {
        if let Ok(mut c) = self.cancel.lock() {
            *c = None;
        }
        self.running.store(false, Ordering::SeqCst);
    }

    /// True when there was an import to cancel.
    pub fn cancel(&self) -> bool {
        match self.cancel.lock() {
            Ok(c) => c.as_ref().map(|f| f.cancel()).is_some(),
            Err(_) => false,
        }
    }

    pub fn is_running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }
}
