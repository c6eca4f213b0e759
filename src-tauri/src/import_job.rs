//! Imports run in their own thread with their own database connection, so the
//! window never waits: it hears `import-progress` (throttled) and one
//! `import-finished` with every file's outcome.

use crate::error::{CmdError, CmdResult};
use crate::state::AppState;
use rebound::import::{import_paths, FileOutcome, Progress};
use rebound::ingest::ReadOptions;
use rebound::store::Store;
use serde::Serialize;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

pub const PROGRESS_EVENT: &str = "import-progress";
pub const FINISHED_EVENT: &str = "import-finished";

/// The window redraws at most this often; more events would only queue up.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

#[derive(Debug, Clone, Serialize)]
pub struct ImportFinished {
    pub outcomes: Vec<FileOutcome>,
    pub cancelled: bool,
    pub elapsed_ms: u64,
    /// Set when the database could not be opened at all (no file was read).
    pub error: Option<CmdError>,
    /// Per outcome: the window offers "Map columns" (see commands::mapping::mappable).
    pub mappable: Vec<bool>,
}

/// Starts importing `paths` (files or folders) and returns at once.
#[tauri::command]
pub async fn import_files<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, paths: Vec<String>) -> CmdResult<()> {
    if paths.is_empty() {
        return Err(CmdError::new("invalid", "choose at least one file or folder to import"));
    }
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    start(app, &state, Job { paths, opts: ReadOptions::default(), replace: None })
}

/// Imports one file again with the columns the user chose on the mapping screen:
/// remembers the mapping for the file's column layout, removes the earlier import of
/// the same file (its events came from a wrong guess), then imports, with the usual events.
#[tauri::command]
pub async fn import_mapped<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: String,
    mapping: Vec<(String, String)>,
    replace_import: Option<i64>,
) -> CmdResult<()> {
    let file = PathBuf::from(&path);
    let head = crate::commands::mapping::read_head(&file)?;
    let proposal = crate::commands::mapping::proposal_for(&file, &head, &[])?;
    crate::commands::mapping::check_mapping(&proposal, &mapping)?;
    if let Some(id) = replace_import {
        let same = state.with_store(|s| Ok(s.imports()?.into_iter().any(|r| r.id == id && r.file_path == path)))?;
        if !same {
            return Err(CmdError::new("invalid", "the import to replace is not an import of this file"));
        }
    }
    if state.import.is_running() {
        return Err(CmdError::from(rebound::Error::Locked));
    }
    state.with_store(|s| s.save_mapping(&proposal.signature, &mapping))?;
    let opts = ReadOptions { format: Some(proposal.format().to_string()), column_map: mapping, default_tz: None };
    start(app, &state, Job { paths: vec![file], opts, replace: replace_import })
}

struct Job {
    paths: Vec<PathBuf>,
    opts: ReadOptions,
    /// An earlier import to remove just before this one starts.
    replace: Option<i64>,
}

fn start<R: Runtime>(app: AppHandle<R>, state: &State<'_, AppState>, job: Job) -> CmdResult<()> {
    let Some(cancel) = state.import.start() else {
        return Err(CmdError::from(rebound::Error::Locked));
    };
    let db_path = state.db_path();
    let spawned = std::thread::Builder::new().name("import".into()).spawn(move || {
        let finished = run(&app, &db_path, &job, &cancel);
        let added = finished.outcomes.iter().any(|o| o.events_added > 0);
        // Free the slot first: the window may start the next import as soon as it hears this.
        app.state::<AppState>().import.finish();
        let _ = app.emit(FINISHED_EVENT, finished);
        // New events make the explorer's snapshot stale: rebuild it now, off the window's
        // path and after the commit, so the first "Bounces" open does not wait 1-2 s.
        if added {
            let _ = crate::commands::explore::warm(&app.state::<AppState>());
        }
    });
    if let Err(e) = spawned {
        state.import.finish();
        return Err(CmdError::new("internal", format!("could not start the import: {e}")));
    }
    Ok(())
}

/// Asks the running import to stop; the file being read is rolled back, earlier files stay.
#[tauri::command]
pub async fn cancel_import(state: State<'_, AppState>) -> CmdResult<bool> {
    Ok(state.import.cancel())
}

fn run<R: Runtime>(app: &AppHandle<R>, db: &std::path::Path, job: &Job, cancel: &rebound::import::CancelFlag) -> ImportFinished {
    let started = Instant::now();
    let failed = |e: rebound::Error| ImportFinished { outcomes: Vec::new(), cancelled: false, elapsed_ms: 0, error: Some(e.into()), mappable: Vec::new() };
    let mut store = match Store::open(db) {
        Ok(s) => s,
        Err(e) => return failed(e),
    };
    if let Some(id) = job.replace {
        if let Err(e) = rebound::import::remove_import(&mut store, id) {
            return failed(e);
        }
    }
    let mut last: Option<(Instant, usize)> = None;
    let mut on_progress = |p: &Progress| {
        // Always tell about a new file; otherwise throttle.
        let due = match last {
            None => true,
            Some((t, idx)) => idx != p.file_index || t.elapsed() >= PROGRESS_EVERY,
        };
        if due {
            last = Some((Instant::now(), p.file_index));
            let _ = app.emit(PROGRESS_EVENT, p);
        }
    };
    let outcomes = import_paths(&mut store, &job.paths, &job.opts, cancel, &mut on_progress);
    ImportFinished {
        // Only when a file was really rolled back: a cancel that came after the last commit
        // must not tell the user that data they now have was thrown away.
        cancelled: outcomes.iter().any(|o| o.error_code.as_deref() == Some("cancelled")),
        mappable: outcomes.iter().map(crate::commands::mapping::mappable).collect(),
        outcomes,
        elapsed_ms: started.elapsed().as_millis() as u64,
        error: None,
    }
}
