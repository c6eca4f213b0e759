//! The window's commands: each one a few lines over a library function.
//!
//! How to add one (report, chart, clean …):
//! 1. write `#[tauri::command] pub async fn NAME(state: State<'_, AppState>, ARGS) -> CmdResult<T>`
//!    whose body is `state.with_store(|s| rebound::MODULE::FUNCTION(s, ARGS))` (T: Serialize);
//!    `async` keeps the work off the window's main thread; library errors become `{code, message}`
//!    through `From<rebound::Error>`;
//! 2. list it in `generate_handler!` in lib.rs (`builder`);
//! 3. add its typed wrapper to ui/src/api.ts (the only file that calls `invoke`) and, for a new
//!    error code, a line `error.<code>` in ui/src/i18n/{en,es,vi}/core.json; strings of a new screen go
//!    in their own ui/src/i18n/{en,es,vi}/<area>.json;
//! 4. long work (more than ~100 ms on big data) runs in a thread with its own `Store::open`
//!    connection and reports with events, like `import_files` in import_job.rs;
//! 5. a new area of commands gets its own file here (`pub mod <area>;` below).
//!
//! Files chosen in a save dialog reach Rust as a path argument; Rust writes them.

use crate::error::{CmdError, CmdResult};
use crate::state::AppState;
use rebound::store::{ImportRecord, Overview, ProblemRow};
use tauri::State;

pub mod clean;
pub mod demo;
pub mod explore;
pub mod mapping;
pub mod report;
pub mod settings;

#[tauri::command]
pub async fn overview(state: State<'_, AppState>) -> CmdResult<Overview> {
    state.with_store(|s| s.overview())
}

#[tauri::command]
pub async fn list_imports(state: State<'_, AppState>) -> CmdResult<Vec<ImportRecord>> {
    state.with_store(|s| s.imports())
}

#[tauri::command]
pub async fn import_problems(state: State<'_, AppState>, import_id: i64) -> CmdResult<Vec<ProblemRow>> {
    state.with_store(|s| s.import_problems(import_id))
}

/// Removes one import and its events. Refused while an import runs: both need the write lock.
#[tauri::command]
pub async fn remove_import(state: State<'_, AppState>, import_id: i64) -> CmdResult<bool> {
    if state.import.is_running() {
        return Err(busy());
    }
    state.with_store(|s| s.remove_import(import_id))
}

fn busy() -> CmdError {
    CmdError::from(rebound::Error::Locked)
}

#[cfg(test)]
mod settings_tests;
