//! A report as text for the terminal, as CSV for spreadsheets, as JSON for tools.

use super::health::pct;
use super::{Breakdown, Report, Summary};
use crate::error::{Error, Result};
use std::fmt::Write as _;

/// Neutralizes a cell a spreadsheet could run as a formula (`=`, `+`, `-`, `@`, tab, CR first).
pub fn csv_cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

pub fn to_json(r: &Report) -> Result<String> {
    serde_json::to_string_pretty(r).map_err(|e| Error::Invalid(e.to_string()))
}

const CSV_HEADER: [&str; 25] = [
    "scope",
    "campaign_id",
    "campaign_key",
    "campaign_name",
    "channel",
    "sent",
    "sent_source",
    "delivered",
    "hard",
    "soft",
    "block",
    "complaint",
    "unsubscribe",
    "deferred",
    "suppressed",
    "hard_rate",
    "soft_rate",
    "block_rate",
    "bounce_rate",
    "complaint_rate",
    "unsubscribe_rate",
    "deferred_rate",
    "recipients_affected",
    "block_share",
    "health",
];

fn rate_cell(v: Option<f64>) -> String {
    v.map(|f| format!("{:.6}", f))
        .unwrap_or_else(|| "unknown".into())
}

fn csv_row(scope: &str, s: &Summary) -> Vec<String> {
    let c = &s.counts;
    let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_else(|| "unknown".into());
    vec![
        scope.to_string(),
        s.campaign_id.map(|i| i.to_string()).unwrap_or_default(),
        s.campaign_key.clone().unwrap_or_default(),
        s.campaign_name.clone().unwrap_or_default(),
        s.channel.clone().unwrap_or_default(),
        opt(s.sent),
        serde_json::to_value(s.sent_source)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        opt(s.delivered),
        c.hard.to_string(),
        c.soft.to_string(),
        c.block.to_string(),
        c.complaint.to_string(),
        c.unsubscribe.to_string(),
        c.deferred.to_string(),
        c.suppressed.to_string(),
        rate_cell(s.rates.hard),
        rate_cell(s.rates.soft),
        rate_cell(s.rates.block),
        rate_cell(s.rates.bounce),
        rate_cell(s.rates.complaint),
        rate_cell(s.rates.unsubscribe),
        rate_cell(s.rates.deferred),
        s.recipients_affected.to_string(),
        rate_cell(s.block_share),
        serde_json::to_value(s.health.level)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
    ]
}

/// One line per campaign and channel, then the scope's total. Rates are fractions; "unknown" when sent is unknown.
pub fn to_csv(r: &Report) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| Error::Invalid(e.to_string());
    w.write_record(CSV_HEADER).map_err(io)?;
    for s in &r.campaigns {
        w.write_record(csv_row("campaign", s).iter().map(|c| csv_cell(c)))
            .map_err(io)?;
    }
    w.write_record(csv_row("total", &r.total).iter().map(|c| csv_cell(c)))
        .map_err(io)?;
    let bytes = w.into_inner().map_err(|e| Error::Invalid(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::Invalid(e.to_string()))
}

fn rate_text(v: Option<f64>) -> String {
    v.map(pct).unwrap_or_else(|| "unknown".into())
}

/// Strips control characters and shortens hostile or long values for a terminal line.
fn clean(s: &str, max: usize) -> String {
    let t: String = s.chars().filter(|c| !c.is_control()).collect();
    if t.chars().count() > max {
        format!(
            "{}…",
            t.chars().take(max.saturating_sub(1)).collect::<String>()
        )
    } else if t.is_empty() {
        "(unknown)".into()
    } else {
        t
    }
}

fn campaign_label(s: &Summary) -> String {
    match (&s.campaign_name, &s.campaign_key) {
        (Some(n), _) => clean(n, 28),
        (None, Some(k)) => clean(k, 28),
        _ => "(no campaign)".into(),
    }
}

pub fn to_table(r: &Report) -> String {
    let mut o = String::new();
    let t = &r.total;
    let scope = if r.campaign.is_some() {
        format!("campaign {}", campaign_label(t))
    } else {
        "all campaigns".into()
    };
    let _ = writeln!(o, "Rebound report: {scope}, zone {}", r.zone.name());
    if r.from.is_some() || r.to.is_some() {
        let d =
            |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_else(|| "…".into());
        let _ = writeln!(o, "Dates: {} to {}", d(r.from), d(r.to));
    }
    let sent = match t.sent {
        Some(s) => format!("{s} ({})", source_text(t)),
        None => "unknown (no summary and no sent events: rates cannot be computed)".into(),
    };
    let _ = writeln!(o, "Sent: {sent}");
    let c = &t.counts;
    let _ = writeln!(
        o,
        "Hard {} ({})  Soft {} ({})  Block {} ({})  Complaints {} ({})  Unsubscribes {} ({})  Deferred {} ({})",
        c.hard, rate_text(t.rates.hard), c.soft, rate_text(t.rates.soft), c.block, rate_text(t.rates.block),
        c.complaint, rate_text(t.rates.complaint), c.unsubscribe, rate_text(t.rates.unsubscribe), c.deferred, rate_text(t.rates.deferred)
    );
    let _ = writeln!(o, "Recipients affected: {}", t.recipients_affected);
    if t.rows_with_sent < t.rows {
        let _ = writeln!(
            o,
            "Rates cover {} of {} campaign rows (the others have no sent count).",
            t.rows_with_sent, t.rows
        );
    }
    let _ = writeln!(o, "\nHealth: {:?}", t.health.level);
    for ch in &t.health.checks {
        let _ = writeln!(o, "  [{:?}] {} {}", ch.level, ch.text, ch.action);
    }
    let _ = writeln!(
        o,
        "\n{:<28} {:<5} {:>9} {:>7} {:>7} {:>7} {:>7} {:>8} {:>8} {:>7}",
        "Campaign", "Chan", "Sent", "Hard", "Soft", "Block", "Compl", "Hard%", "Soft%", "Health"
    );
    let shown = r
        .campaigns
        .iter()
        .filter(|s| r.campaign.is_none() || s.campaign_id == r.campaign);
    for s in shown {
        let _ = writeln!(
            o,
            "{:<28} {:<5} {:>9} {:>7} {:>7} {:>7} {:>7} {:>8} {:>8} {:>7}",
            campaign_label(s),
            s.channel.as_deref().unwrap_or(""),
            s.sent
                .map(|x| x.to_string())
                .unwrap_or_else(|| "unknown".into()),
            s.counts.hard,
            s.counts.soft,
            s.counts.block,
            s.counts.complaint,
            rate_text(s.rates.hard),
            rate_text(s.rates.soft),
            format!("{:?}", s.health.level).to_lowercase(),
        );
    }
    if let Some(cmp) = &r.comparison {
        let _ = writeln!(
            o,
            "\nCompared with the mean of {} previous campaign(s):",
            cmp.previous.len()
        );
        for d in &cmp.deltas {
            let delta = d
                .delta
                .map(|x| format!("{:+.2} points", x * 100.0))
                .unwrap_or_else(|| "unknown".into());
            let _ = writeln!(
                o,
                "  {:<12} now {:>8}  before {:>8}  change {delta}",
                d.metric,
                rate_text(d.current),
                rate_text(d.previous)
            );
        }
    }
    for b in [&r.reasons, &r.domains, &r.providers, &r.mtas] {
        breakdown_text(&mut o, b);
    }
    let _ = writeln!(o, "\nTime to bounce:");
    for b in &r.delay.buckets {
        let _ = writeln!(o, "  {:<16} {:>8}", b.label, b.count);
    }
    let _ = writeln!(o, "  {:<16} {:>8}", "unknown", r.delay.unknown);
    let _ = writeln!(o, "\nPer week ({}):", r.zone.name());
    for p in &r.series.weeks {
        let c = &p.counts;
        let _ = writeln!(
            o,
            "  {}  sent {:>8}  hard {:>6}  soft {:>6}  block {:>6}  complaints {:>5}",
            p.label, c.sent, c.hard, c.soft, c.block, c.complaint
        );
    }
    o
}

fn source_text(s: &Summary) -> &'static str {
    match s.sent_source {
        super::SentSource::Summary => "from the campaign summary",
        super::SentSource::SentEvents => "counted from sent, delivered and bounced events",
        super::SentSource::Mixed => "summaries and sent events",
        super::SentSource::Unknown => "unknown",
    }
}

fn breakdown_text(o: &mut String, b: &Breakdown) {
    if b.rows.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nBy {}:", b.dimension);
    for r in b.rows.iter().chain(b.other.iter()) {
        let _ = writeln!(
            o,
            "  {:<40} {:>8} {:>7}",
            clean(&r.value, 40),
            r.total,
            rate_text(r.share)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn formula_cells_are_neutralized() {
        for bad in ["=1+1", "+A1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_cell(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(csv_cell("gmail.com"), "gmail.com");
        assert_eq!(csv_cell("0.5"), "0.5");
    }
}
