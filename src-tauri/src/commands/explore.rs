//! The bounce explorer's commands (issue 9): count, page, facets and the "why?"
//! detail over rebound::explore. All text goes to the window as data; the window
//! inserts it as text. The first call after new data builds the explorer's index
//! and in-memory snapshot (about a second at 1,000,000 events), later calls take
//! milliseconds.

use crate::error::CmdResult;
use crate::state::AppState;
use rebound::explore::{self, EventDetail, EventRow, Facets, Filter, PageAt, Sort};
use tauri::State;

#[tauri::command]
pub async fn explore_count(state: State<'_, AppState>, filter: Filter) -> CmdResult<i64> {
    state.with_store(|s| explore::count(s, &filter))
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
    state.with_store(|s| explore::page(s, &filter, sort, at, limit))
}

#[tauri::command]
pub async fn explore_facets(state: State<'_, AppState>, filter: Filter) -> CmdResult<Facets> {
    state.with_store(|s| explore::facets(s, &filter))
}

#[tauri::command]
pub async fn explore_detail(state: State<'_, AppState>, id: i64) -> CmdResult<EventDetail> {
    state.with_store(|s| explore::detail(s, id))
}

#[cfg(test)]
#[path = "explore_tests.rs"]
mod tests;
