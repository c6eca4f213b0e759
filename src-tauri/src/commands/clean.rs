//! "Clean a list": column detection, the policy with its switches, a preview of
//! what would be kept / removed / flagged, then the files written where the
//! user chose in save dialogs. Over `rebound::clean`, the same functions as
//! `rebound clean`.
//!
//! A preview or a save reads the whole list and every failure in the store:
//! seconds on a million rows, so it runs on a blocking thread with its own
//! connection, never on the shared read connection other screens wait on. It tells
//! the window how far it got (`clean-progress`: rows, bytes) and stops at
//! `clean_cancel` (nothing written: the files are only moved into place at the end).

use crate::error::{CmdError, CmdResult};
use crate::state::AppState;
use rebound::clean::{self, ColumnChoice, ColumnDetection, Options, Outputs, Policy, PolicyLine, Summary, SuppressionFormat};
use rebound::store::Store;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Runtime, State};

pub const PROGRESS_EVENT: &str = "clean-progress";
/// The window redraws at most this often.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// The running clean's stop flag (one clean at a time: the window disables its
/// buttons while one runs; a new one replaces the flag).
#[derive(Default)]
pub struct CleanSlot(std::sync::Mutex<Option<Arc<AtomicBool>>>);

impl CleanSlot {
    fn start(&self) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        if let Ok(mut g) = self.0.lock() {
            *g = Some(flag.clone());
        }
        flag
    }

    /// True when there was a clean to stop.
    pub fn cancel(&self) -> bool {
        match self.0.lock() {
            Ok(g) => g.as_ref().map(|f| f.store(true, Ordering::SeqCst)).is_some(),
            Err(_) => false,
        }
    }

    fn finish(&self, flag: &Arc<AtomicBool>) {
        if let Ok(mut g) = self.0.lock() {
            if g.as_ref().is_some_and(|f| Arc::ptr_eq(f, flag)) {
                *g = None;
            }
        }
    }
}

/// What the user corrected on the detection card; everything `None` = detected.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListChoice {
    pub email_column: Option<String>,
    pub phone_column: Option<String>,
    pub has_header: Option<bool>,
    /// `,` `;` `|` or `\t`.
    pub delimiter: Option<String>,
}

/// One suppression file to write: a format of `rebound::clean::suppression::FORMATS` and where.
#[derive(Debug, Clone, Deserialize)]
pub struct SuppressionOut {
    pub format: String,
    pub path: String,
}

fn options(choice: &ListChoice, policy: Policy) -> CmdResult<Options> {
    let delimiter = match choice.delimiter.as_deref() {
        None | Some("") => None,
        Some("\\t") | Some("\t") | Some("tab") => Some(b'\t'),
        Some(d) if d.len() == 1 && matches!(d, "," | ";" | "|") => Some(d.as_bytes()[0]),
        Some(d) => return Err(CmdError::new("invalid", format!("'{d}' is not a delimiter Rebound reads; use , ; | or tab"))),
    };
    let col = |c: &Option<String>| c.as_deref().filter(|s| !s.trim().is_empty()).map(ColumnChoice::parse);
    Ok(Options {
        policy,
        email_column: col(&choice.email_column),
        phone_column: col(&choice.phone_column),
        has_header: choice.has_header,
        delimiter,
    })
}

/// Runs `f` with a connection of its own on a thread that may block.
async fn blocking<T: Send + 'static>(db: PathBuf, f: impl FnOnce(&Store) -> rebound::Result<T> + Send + 'static) -> CmdResult<T> {
    let joined = tauri::async_runtime::spawn_blocking(move || -> CmdResult<T> {
        let store = Store::open(&db)?;
        Ok(f(&store)?)
    })
    .await;
    joined.map_err(|e| CmdError::new("internal", format!("the clean stopped unexpectedly: {e}")))?
}

fn list_path(path: &str) -> CmdResult<PathBuf> {
    if path.trim().is_empty() {
        return Err(CmdError::new("invalid", "choose a contact list first"));
    }
    Ok(PathBuf::from(path))
}

/// Encoding, delimiter, header row, every column with samples, and the chosen email / phone columns.
#[tauri::command]
pub async fn clean_detect(path: String, choice: Option<ListChoice>) -> CmdResult<ColumnDetection> {
    let p = list_path(&path)?;
    let opts = options(&choice.unwrap_or_default(), Policy::default())?;
    let joined = tauri::async_runtime::spawn_blocking(move || clean::detect(&p, &opts)).await;
    Ok(joined.map_err(|e| CmdError::new("internal", format!("the detection stopped unexpectedly: {e}")))??)
}

/// The stored policy in plain words: one line per key, with its current value.
#[tauri::command]
pub async fn clean_policy(state: State<'_, AppState>) -> CmdResult<Vec<PolicyLine>> {
    state.with_store(|s| Ok(Policy::load(s)?.describe()))
}

/// Changes one policy switch (kept as the setting `policy.<key>`) and returns the whole policy again.
#[tauri::command]
pub async fn clean_set_policy(state: State<'_, AppState>, key: String, value: String) -> CmdResult<Vec<PolicyLine>> {
    state.with_store(|s| {
        let mut p = Policy::load(s)?;
        p.set(&key, &value)?;
        p.save(s)?;
        Ok(p.describe())
    })
}

/// What a clean would do with the stored policy; writes nothing.
#[tauri::command]
pub async fn clean_preview<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, path: String, choice: Option<ListChoice>) -> CmdResult<Summary> {
    let p = list_path(&path)?;
    let choice = choice.unwrap_or_default();
    with_progress(app, &state, move |s, on_progress| {
        let opts = options(&choice, Policy::load(s)?).map_err(invalid)?;
        clean::clean_with_progress(s, &p, &opts, None, on_progress)
    })
    .await
}

/// Writes the cleaned list, the removed rows and the suppression files to the paths chosen in save dialogs.
#[tauri::command]
pub async fn clean_save<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: String,
    choice: Option<ListChoice>,
    cleaned: String,
    removed: String,
    suppressions: Option<Vec<SuppressionOut>>,
) -> CmdResult<Summary> {
    let p = list_path(&path)?;
    if cleaned.trim().is_empty() || removed.trim().is_empty() {
        return Err(CmdError::new("invalid", "choose where to save the cleaned list and the removed rows"));
    }
    let supp = suppressions
        .unwrap_or_default()
        .into_iter()
        .map(|s| Ok((SuppressionFormat::parse(&s.format)?, PathBuf::from(s.path))))
        .collect::<rebound::Result<Vec<_>>>()?;
    let outputs = Outputs { cleaned: Some(PathBuf::from(cleaned)), removed: Some(PathBuf::from(removed)), suppressions: supp };
    let choice = choice.unwrap_or_default();
    with_progress(app, &state, move |s, on_progress| {
        let opts = options(&choice, Policy::load(s)?).map_err(invalid)?;
        clean::clean_with_progress(s, &p, &opts, Some(&outputs), on_progress)
    })
    .await
}

/// Stops the running preview or save; false when none runs.
#[tauri::command]
pub async fn clean_cancel(state: State<'_, AppState>) -> CmdResult<bool> {
    Ok(state.clean.cancel())
}

/// Runs a clean on a blocking thread with its own connection, emitting `clean-progress`
/// (throttled) and stopping when `clean_cancel` is called.
async fn with_progress<R: Runtime, T: Send + 'static>(
    app: AppHandle<R>,
    state: &State<'_, AppState>,
    f: impl FnOnce(&Store, clean::OnProgress<'_>) -> rebound::Result<T> + Send + 'static,
) -> CmdResult<T> {
    let stop = state.clean.start();
    let flag = stop.clone();
    let result = blocking(state.db_path(), move |s| {
        let mut last: Option<Instant> = None;
        let mut on_progress = |p: &clean::CleanProgress| {
            if last.is_none_or(|t| t.elapsed() >= PROGRESS_EVERY) || p.done_bytes == p.total_bytes {
                last = Some(Instant::now());
                let _ = app.emit(PROGRESS_EVENT, p);
            }
            !flag.load(Ordering::SeqCst)
        };
        f(s, &mut on_progress)
    })
    .await;
    state.clean.finish(&stop);
    result
}

fn invalid(e: CmdError) -> rebound::Error {
    rebound::Error::Invalid(e.message)
}

/// Names the save dialogs propose: `contacts.cleaned.csv`, `contacts.removed.csv` next to the list.
#[tauri::command]
pub async fn clean_default_paths(path: String) -> CmdResult<(String, String)> {
    let (c, r) = Outputs::defaults(Path::new(&list_path(&path)?));
    Ok((c.display().to_string(), r.display().to_string()))
}

#[cfg(test)]
#[path = "clean_tests.rs"]
pub(crate) mod tests;
