//! What the app keeps between commands: which database the window shows (the
//! user's own, or the demo's beside it), one connection for the read commands
//! (opened lazily so a broken database still shows a window with the error), a
//! second one for the bounce explorer (its in-memory snapshot belongs to the
//! connection that built it, so it can be warmed in the background after an import
//! without making the other screens wait), and the running import's cancel flag.

use crate::error::{CmdError, CmdResult};
use rebound::store::Store;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

pub struct AppState {
    /// The user's own database; the demo never writes here.
    user_db: PathBuf,
    active: RwLock<Active>,
    store: Mutex<Option<Store>>,
    /// The explorer's own connection (see `with_explore_store`).
    explore: Mutex<Option<Store>>,
    pub import: ImportSlot,
    /// The running clean preview or save's stop flag.
    pub clean: crate::commands::clean::CleanSlot,
}

#[derive(Clone)]
struct Active {
    path: PathBuf,
    demo: bool,
}

impl AppState {
    pub fn new(db_path: PathBuf) -> Self {
        AppState {
            active: RwLock::new(Active { path: db_path.clone(), demo: false }),
            user_db: db_path,
            store: Mutex::new(None),
            explore: Mutex::new(None),
            import: ImportSlot::default(),
            clean: Default::default(),
        }
    }

    /// The database the window shows now.
    pub fn db_path(&self) -> PathBuf {
        self.active().path
    }

    pub fn user_db_path(&self) -> &Path {
        &self.user_db
    }

    pub fn is_demo(&self) -> bool {
        self.active().demo
    }

    fn active(&self) -> Active {
        match self.active.read() {
            Ok(a) => a.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Points the window at another database file (the demo, or back to the
    /// user's). Refused while an import writes to the current one.
    pub fn switch_to(&self, path: PathBuf, demo: bool) -> CmdResult<()> {
        if self.import.is_running() {
            return Err(CmdError::from(rebound::Error::Locked));
        }
        let mut guard = self.lock_store()?;
        *guard = None;
        *lock(&self.explore)? = None;
        match self.active.write() {
            Ok(mut a) => *a = Active { path, demo },
            Err(p) => *p.into_inner() = Active { path, demo },
        }
        Ok(())
    }

    /// Closes the shared connection; the next command opens the file afresh
    /// (after a restore replaced its contents underneath the cached ids).
    pub fn reopen(&self) -> CmdResult<()> {
        *self.lock_store()? = None;
        *lock(&self.explore)? = None;
        Ok(())
    }

    fn lock_store(&self) -> CmdResult<std::sync::MutexGuard<'_, Option<Store>>> {
        lock(&self.store)
    }

    /// Runs `f` on the shared read connection, opening it on first use.
    /// Every read/settings command goes through here. Busy and read-only errors
    /// name the file, so the window can say which one and what to do.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> rebound::Result<T>) -> CmdResult<T> {
        self.with_slot(&self.store, f)
    }

    /// Runs `f` on the bounce explorer's connection: the explorer's commands, and the
    /// snapshot warm-up after an import (which may take seconds at a million events
    /// while the dashboard keeps answering on the other connection).
    pub fn with_explore_store<T>(&self, f: impl FnOnce(&mut Store) -> rebound::Result<T>) -> CmdResult<T> {
        self.with_slot(&self.explore, f)
    }

    /// The explorer's connection is open (tests: the warm-up after an import ran on it).
    #[cfg(test)]
    pub(crate) fn explore_is_open(&self) -> bool {
        lock(&self.explore).map(|g| g.is_some()).unwrap_or(false)
    }

    fn with_slot<T>(&self, slot: &Mutex<Option<Store>>, f: impl FnOnce(&mut Store) -> rebound::Result<T>) -> CmdResult<T> {
        let mut guard = lock(slot)?;
        let path = self.db_path();
        if guard.is_none() {
            *guard = Some(Store::open(&path)?);
        }
        match guard.as_mut() {
            Some(store) => Ok(f(store).map_err(|e| e.at(&path))?),
            None => Err(CmdError::new("internal", "the database is not open")),
        }
    }

    /// Runs `f` on the user's own database even while the demo is shown: the
    /// window's preferences (language, theme, last screen) belong to the user.
    pub fn with_user_store<T>(&self, f: impl FnOnce(&mut Store) -> rebound::Result<T>) -> CmdResult<T> {
        if !self.is_demo() {
            return self.with_store(f);
        }
        let mut store = Store::open(&self.user_db)?;
        Ok(f(&mut store).map_err(|e| e.at(&self.user_db))?)
    }
}

fn lock(slot: &Mutex<Option<Store>>) -> CmdResult<std::sync::MutexGuard<'_, Option<Store>>> {
    slot.lock().map_err(|_| CmdError::new("internal", "the database connection was poisoned by an earlier failure; restart Rebound"))
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
