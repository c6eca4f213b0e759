//! The bounce explorer's commands (issue 9): count, page, facets and the "why?"
//! detail over rebound::explore. All text goes to the window as data; the window
//! inserts it as text. The first call after new data builds the explorer's index
//! and in-memory snapshot (about a second at 1,000,000 events), later calls take
//! milliseconds; after an import the app builds it in the background (`warm`), on
//! the explorer's own connection, so the first "Bounces" open is fast too.

use crate::error::CmdResult;
use crate::state::AppState;
use rebound::explore::{self, EventDetail, EventRow, Facets, Filter, PageAt, Sort};
use tauri::State;

#[tauri::command]
pub async fn explore_count(state: State<'_, AppState>, filter: Filter) -> CmdResult<i64> {
    state.with_explore_store(|s| explore::count(s, &filter))
}

/// One page of rows; `at` is `{mode:"offset",offset}` or `{mode:"after",cursor:{at,id}}`.
#[tauri::command]
pub async fn explore_page(
    state: State<'_, AppState>,
    filter: Filter,
    sort: Sort,
    at: PageAt,
    limit: u32,
) -> CmdResult<Vec<EventRow>> {
    state.with_explore_store(|s| explore::page(s, &filter, sort, at, limit))
}

#[tauri::command]
pub async fn explore_facets(state: State<'_, AppState>, filter: Filter) -> CmdResult<Facets> {
    state.with_explore_store(|s| explore::facets(s, &filter))
}

#[tauri::command]
pub async fn explore_detail(state: State<'_, AppState>, id: i64) -> CmdResult<EventDetail> {
    state.with_explore_store(|s| explore::detail(s, id))
}

/// Builds the explorer's snapshot for the data as it is now, on the explorer's
/// connection, after an import committed (the import's write lock is released by then).
/// It only reads, except on a file whose explorer indexes were never built: then the
/// explorer's lazy `CREATE INDEX IF NOT EXISTS` runs here instead of on the first
/// "Bounces" open (imports rebuild existing indexes themselves). An error only means
/// the first explorer call does the work itself.
pub fn warm(state: &AppState) -> CmdResult<()> {
    state.with_explore_store(|s| explore::count(s, &Filter::default()).map(|_| ()))
}

#[cfg(test)]
#[path = "explore_tests.rs"]
mod tests;
