//! The bounce explorer's library side: a filtered, sorted, paginated view of the
//! events table for a virtual-scrolling window table, facet counts for its
//! dropdowns, the "why?" detail of one event and a campaign's bounced recipients.
//!
//! Indexes: the explorer needs a covering index ordered by its sort key
//! (`ifnull(occurred_at, 0), id`) holding every filtered column, so that counting
//! and skipping to row 500,000 read only a narrow index and never the wide event
//! rows, and the same per campaign. They are created lazily (`CREATE INDEX IF NOT
//! EXISTS`, on the first explorer call against a database that lacks them; about
//! 1-2 s at 1,000,000 events) instead of by a schema migration, because
//! the migration list is being extended in parallel; moving it into a migration
//! later is harmless (same name, IF NOT EXISTS). A database that cannot be written
//! (read-only, locked by a long import) still answers, only slower.
//!
//! Counting, facets and page selection run on an in-memory column snapshot of the
//! events (snapshot.rs: a few ms at 1,000,000 events instead of 60-330 ms of SQLite
//! scanning), rebuilt after the data changes; the SQL path answers when the
//! snapshot cannot be built (more than 5,000,000 events) and is the tests' yardstick.
//!
//! All text is returned as data, exactly as stored: bounce text is hostile and the
//! window must insert it as text, never as HTML.

mod explain;
mod facets;
mod filter;
mod query;
mod snapshot;
pub mod recipients;

pub use explain::{explain_en, explain_key};
pub use facets::facets;
pub use filter::{escape_like, Filter, FAILURE_KINDS};
pub use query::{count, detail, page, prepare, recipients_for_campaign};

use crate::model::{Channel, Class, Kind, OriginalMessage, Reason};
use serde::{Deserialize, Serialize};

/// Table order. Ties on time are broken by event id, so pages never overlap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    NewestFirst,
    OldestFirst,
}

/// Where a page starts: a row number (virtual scrolling jumps anywhere) or just
/// after a row already shown (keyset: constant cost however deep).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum PageAt {
    Offset { offset: u64 },
    After { cursor: Cursor },
}

/// The sort key of a row: `at` is occurred_at, 0 when unknown (such rows sort as oldest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub at: i64,
    pub id: i64,
}

/// Largest page one call returns.
pub const MAX_PAGE: u32 = 1000;
/// Characters of diagnostic text in a table row.
pub const PREVIEW_CHARS: usize = 160;

/// One line of the explorer table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: i64,
    pub occurred_at: Option<i64>,
    pub recipient: String,
    pub domain: String,
    pub channel: Channel,
    pub kind: Kind,
    pub campaign_id: Option<i64>,
    pub campaign_key: Option<String>,
    pub campaign_name: Option<String>,
    pub class: Class,
    pub reason: Reason,
    pub status: Option<String>,
    pub reply_code: Option<i64>,
    pub provider: Option<String>,
    /// First `PREVIEW_CHARS` characters, line breaks and control characters as spaces.
    pub diagnostic_preview: Option<String>,
}

impl EventRow {
    /// The cursor for the page after this row.
    pub fn cursor(&self) -> Cursor {
        Cursor {
            at: self.occurred_at.unwrap_or(0),
            id: self.id,
        }
    }
}

/// Everything the "why?" panel shows about one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDetail {
    pub id: i64,
    pub import_id: i64,
    pub import_file_name: Option<String>,
    pub channel: Channel,
    pub kind: Kind,
    pub recipient: String,
    pub domain: String,
    pub campaign_id: Option<i64>,
    pub campaign_key: Option<String>,
    pub campaign_name: Option<String>,
    pub occurred_at: Option<i64>,
    pub sent_at: Option<i64>,
    pub class: Class,
    pub reason: Reason,
    /// The classifier rule that decided, e.g. `status:5.1.1`.
    pub rule: String,
    /// What matched, quoted from the input.
    pub evidence: String,
    pub status: Option<String>,
    pub reply_code: Option<i64>,
    /// The full diagnostic text, verbatim. Hostile: show as text.
    pub diagnostic: Option<String>,
    pub remote_mta: Option<String>,
    pub provider: Option<String>,
    pub provider_label: Option<String>,
    /// Headers of the message that bounced, when the bounce carried them.
    pub original: Option<OriginalMessage>,
    pub source_file: String,
    pub source_locator: String,
    pub source_offset: Option<i64>,
    /// Translation key of the plain-language explanation, e.g. `reason.user_unknown.explain`.
    pub explain_key: String,
    /// The same explanation in English (for the CLI).
    pub explain_en: String,
}

/// One value of a dropdown with how many rows it would show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignFacet {
    /// `None`: events with no known campaign.
    pub id: Option<i64>,
    pub key: Option<String>,
    pub name: Option<String>,
    pub count: i64,
}

/// Counts for the filter dropdowns. Each dimension is counted under the filter
/// without its own restriction, so a dropdown keeps offering its other values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub campaigns: Vec<CampaignFacet>,
    pub classes: Vec<FacetCount>,
    pub reasons: Vec<FacetCount>,
    /// The 50 domains with most rows.
    pub domains: Vec<FacetCount>,
    pub providers: Vec<FacetCount>,
    pub channels: Vec<FacetCount>,
}

/// Most domains a facet lists.
pub const TOP_DOMAINS: i64 = 50;

/// A recipient of a campaign's bounced list: its latest failure in that campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignRecipient {
    pub recipient: String,
    pub class: Class,
    pub reason: Reason,
    pub last_at: Option<i64>,
    /// Failure events of this recipient in the campaign.
    pub events: i64,
}

/// Text for a table cell: at most `max` characters, control characters and runs of
/// whitespace folded to one space. Only changes layout, never content otherwise.
pub fn preview(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max * 4));
    let mut chars = 0;
    let mut space = false;
    for ch in text.trim().chars() {
        if ch.is_whitespace() || ch.is_control() {
            space = true;
            continue;
        }
        let gap = usize::from(space && !out.is_empty());
        if chars + gap + 1 > max {
            out.push('…');
            return out;
        }
        if gap == 1 {
            out.push(' ');
        }
        out.push(ch);
        chars += gap + 1;
        space = false;
    }
    out
}

#[cfg(test)]
mod tests;
