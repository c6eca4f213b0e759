//! "Explore demo data": the window switches to a demo database of its own
//! (`demo.sqlite` beside the user's, rebuilt from the bundled assets/demo when
//! missing) and back. The user's own database is never written by the demo.

use crate::error::{CmdError, CmdResult};
use crate::state::AppState;
use rebound::import::CancelFlag;
use serde::Serialize;
use std::path::PathBuf;
use tauri::{AppHandle, Manager, Runtime, State};

#[derive(Debug, Serialize)]
pub struct AppStatus {
    /// True while the window shows the demo database.
    pub demo: bool,
    /// Whether the shown database holds any event (the welcome shows when not).
    pub has_data: bool,
    pub db_path: String,
}

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    status(&state)
}

fn status(state: &AppState) -> CmdResult<AppStatus> {
    // EXISTS stops at the first row: instant even with millions of events.
    let has_data = state.with_store(|s| Ok(s.conn().query_row("SELECT EXISTS(SELECT 1 FROM events)", [], |r| r.get::<_, bool>(0))?))?;
    Ok(AppStatus { demo: state.is_demo(), has_data, db_path: state.db_path().display().to_string() })
}

/// Builds the demo database if needed and shows it.
#[tauri::command]
pub async fn open_demo<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> CmdResult<AppStatus> {
    if state.import.is_running() {
        return Err(CmdError::from(rebound::Error::Locked));
    }
    let dir = demo_dir(&app)?;
    let db = rebound::demo::demo_db_path(state.user_db_path());
    rebound::demo::ensure_demo_db(&db, &dir, &CancelFlag::default(), &mut |_| {})?;
    state.switch_to(db, true)?;
    status(&state)
}

/// Back to the user's own database.
#[tauri::command]
pub async fn close_demo(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    state.switch_to(state.user_db_path().to_path_buf(), false)?;
    status(&state)
}

/// The demo files: bundled as resources (`demo/` in tauri.conf.json, copied beside
/// the binary in dev builds and installed with the .deb), else the source tree's
/// assets/demo for `cargo run` and the tests.
fn demo_dir<R: Runtime>(app: &AppHandle<R>) -> CmdResult<PathBuf> {
    let bundled = app.path().resolve("demo", tauri::path::BaseDirectory::Resource).ok();
    let source = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/demo"));
    let candidates: Vec<PathBuf> = std::env::var_os("REBOUND_DEMO_DIR").map(PathBuf::from).into_iter().chain(bundled).chain([source]).collect();
    match candidates.iter().find(|d| d.join("expected.json").is_file()) {
        Some(d) => Ok(d.clone()),
        None => Err(CmdError::new(
            "demo_missing",
            format!(
                "the demo data is not installed (looked in {}). Reinstall Rebound, or import your own files instead.",
                candidates.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}
