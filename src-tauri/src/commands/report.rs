//! The dashboard's and campaign view's commands: the report, its charts (in the window's
//! language), per-campaign sparklines, a campaign's bounced recipients page by page, and
//! the sent count a user types in when no report gives one.

use crate::error::{CmdError, CmdResult};
use crate::state::AppState;
use rebound::chart::Labels;
use rebound::explore::recipients::RecipientsPage;
use rebound::report::{Report, Sparkline};
use rebound::store::Store;
use tauri::State;

/// Longest recipients page the window may ask for.
const MAX_PAGE: usize = 500;
/// Most label entries a chart call may carry (the chart keys plus reason names are ~70).
const MAX_LABELS: usize = 400;

/// The report the dashboard shows: totals with health, the campaigns table, series,
/// breakdowns. The zone and thresholds come from settings, as for `rebound report`.
fn build_report(s: &Store, campaign: Option<i64>) -> rebound::Result<Report> {
    let q = rebound::report::Query {
        campaign,
        zone: rebound::report::Zone::load(s)?,
        thresholds: Some(rebound::report::Thresholds::load(s)?),
        ..Default::default()
    };
    rebound::report::report(s, &q)
}

#[tauri::command]
pub async fn report_summary(state: State<'_, AppState>, campaign: Option<i64>) -> CmdResult<Report> {
    state.with_store(|s| build_report(s, campaign))
}

/// One chart as an SVG document from our own renderer, with the window's translated text
/// (`labels`: chart text by key, see rebound::chart::LABELS; English where a key is missing).
/// The window parses it as SVG and copies only drawing elements (never innerHTML).
#[tauri::command]
pub async fn chart_svg(
    state: State<'_, AppState>,
    kind: String,
    campaign: Option<i64>,
    width: u32,
    height: u32,
    theme: String,
    labels: Option<Labels>,
) -> CmdResult<String> {
    use rebound::chart::{ChartKind, ChartOptions, Theme};
    let o = ChartOptions { kind: ChartKind::parse(&kind)?, theme: Theme::parse(&theme)?, width, height };
    let labels = labels.unwrap_or_default();
    if labels.len() > MAX_LABELS {
        return Err(CmdError::new("invalid", "too many chart labels"));
    }
    state.with_store(|s| rebound::chart::render_svg_labeled(&build_report(s, campaign)?, &o, &labels))
}

/// Bounces per local day of every campaign, for the sparklines of the campaigns table.
#[tauri::command]
pub async fn campaign_sparklines(state: State<'_, AppState>, points: Option<usize>) -> CmdResult<Vec<Sparkline>> {
    state.with_store(|s| {
        let zone = rebound::report::Zone::load(s)?;
        rebound::report::sparklines(s, &zone, points.unwrap_or(0).min(400))
    })
}

/// A page of the campaign's bounced recipients (latest failure per recipient, newest
/// first), grouped, ordered and paged in SQL (rebound::explore::recipients).
#[tauri::command]
pub async fn campaign_recipients(state: State<'_, AppState>, campaign: i64, offset: u64, limit: usize) -> CmdResult<RecipientsPage> {
    let limit = limit.clamp(1, MAX_PAGE) as u32;
    state.with_store(|s| rebound::explore::recipients::campaign_recipients_page(s, campaign, offset, limit))
}

/// Stores the number of messages a campaign sent, typed in by the user (None clears a
/// typed-in count). Refused while an import runs: both need the write lock.
#[tauri::command]
pub async fn set_campaign_sent(state: State<'_, AppState>, campaign: i64, sent: Option<i64>) -> CmdResult<()> {
    if state.import.is_running() {
        return Err(super::busy());
    }
    state.with_store(|s| rebound::report::set_sent_count(s, campaign, sent))
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
