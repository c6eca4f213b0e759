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

pub mod explore;
pub mod clean;
pub mod mapping;

use crate::error::{CmdError, CmdResult};
use crate::state::AppState;
use rebound::store::{ImportRecord, Overview, ProblemRow};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use tauri::State;

pub mod report;

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

/// Reads the given settings; a key never set comes back as null.
#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>, keys: Vec<String>) -> CmdResult<BTreeMap<String, Option<String>>> {
    for k in &keys {
        check_key(k)?;
    }
    state.with_store(|s| keys.iter().map(|k| Ok((k.clone(), s.setting(k)?))).collect())
}

#[tauri::command]
pub async fn set_setting(state: State<'_, AppState>, key: String, value: String) -> CmdResult<()> {
    check_key(&key)?;
    if value.len() > 4096 {
        return Err(CmdError::new("invalid", "this setting value is too long"));
    }
    state.with_store(|s| s.set_setting(&key, &value))
}

#[derive(Debug, Serialize)]
pub struct DataLocation {
    /// The SQLite file shared with the `rebound` command-line tool.
    pub db_path: String,
    pub folder: String,
    pub size_bytes: Option<u64>,
    pub app_version: String,
}

#[tauri::command]
pub async fn data_location(state: State<'_, AppState>) -> CmdResult<DataLocation> {
    let p = &state.db_path;
    Ok(DataLocation {
        db_path: p.display().to_string(),
        folder: p.parent().map(|d| d.display().to_string()).unwrap_or_default(),
        size_bytes: std::fs::metadata(p).ok().map(|m| m.len()),
        app_version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

/// Writes a consistent copy of the database to the path the user chose in a save dialog.
#[tauri::command]
pub async fn backup_database(state: State<'_, AppState>, dest: String) -> CmdResult<()> {
    let dest = PathBuf::from(dest);
    if dest == state.db_path {
        return Err(CmdError::new("invalid", "choose another file than the database itself for the backup"));
    }
    state.with_store(|s| s.backup_to(&dest))
}

fn busy() -> CmdError {
    CmdError::from(rebound::Error::Locked)
}

/// Settings keys are short identifiers like `ui.language`; anything else is a bug or an attack.
fn check_key(key: &str) -> CmdResult<()> {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(CmdError::new("invalid", format!("'{}' is not a setting name", key.chars().take(64).collect::<String>())))
    }
}
