//! Health levels with the user's thresholds, and a campaign compared with the ones before it.
//! Every level carries translation keys plus parameters for the window and English text for the CLI.

use super::counts::Rates;
use super::Summary;
use crate::error::Result;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Settings key holding the thresholds as JSON.
pub const THRESHOLDS_SETTING: &str = "report.thresholds";

/// Rates as fractions (0.02 = 2 %). Defaults: the usual hard bounce rule of thumb and the
/// Google/Yahoo bulk-sender complaint line (IMPORT-FORMATS.md section 19).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    pub hard_red: f64,
    pub hard_amber: f64,
    pub complaint_red: f64,
    pub complaint_amber: f64,
    /// Block share (blocks ÷ bounces) rising by more than this between consecutive campaigns is flagged.
    pub block_share_rise: f64,
    /// Fewer blocks than this are too few to call a trend.
    pub block_min: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            hard_red: 0.02,
            hard_amber: 0.01,
            complaint_red: 0.003,
            complaint_amber: 0.001,
            block_share_rise: 0.10,
            block_min: 5,
        }
    }
}

impl Thresholds {
    /// The stored thresholds, or the defaults when none (or unreadable ones) are stored.
    pub fn load(store: &Store) -> Result<Thresholds> {
        Ok(store
            .setting(THRESHOLDS_SETTING)?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    }

    pub fn save(&self, store: &Store) -> Result<()> {
        let json =
            serde_json::to_string(self).map_err(|e| crate::error::Error::Invalid(e.to_string()))?;
        store.set_setting(THRESHOLDS_SETTING, &json)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Not enough data to judge (sent unknown, nothing to compare with).
    Unknown,
    Ok,
    Amber,
    Red,
}

/// One judged metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// `hard_rate`, `complaint_rate` or `block_share`.
    pub metric: String,
    pub level: Level,
    pub value: Option<f64>,
    /// Translation key of the explanation, e.g. `health.hard_rate.red`.
    pub key: String,
    /// Translation key of what to do: `<key>.action`.
    pub action_key: String,
    /// Parameters for the translated text (`value`, `threshold`, `previous` as percentages).
    pub params: BTreeMap<String, String>,
    /// English explanation and what to do, for the CLI.
    pub text: String,
    pub action: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Health {
    /// The worst level of the checks.
    pub level: Level,
    pub checks: Vec<Check>,
}

impl Default for Health {
    fn default() -> Self {
        Health {
            level: Level::Unknown,
            checks: Vec::new(),
        }
    }
}

pub fn pct(f: f64) -> String {
    let p = f * 100.0;
    if p != 0.0 && p.abs() < 0.1 {
        format!("{p:.2}%")
    } else {
        format!("{p:.1}%")
    }
}

/// English text of every health key, with `{value}`, `{threshold}` and `{previous}`
/// placeholders: the CLI fills them in; the window translates the same keys (en/es/vi).
pub const HEALTH_TEXTS: &[(&str, &str)] = &[
    ("health.hard_rate.unknown", "The hard bounce rate is unknown: Rebound does not know how many messages were sent."),
    ("health.hard_rate.unknown.action", "Import the campaign's sent report or type in how many were sent."),
    ("health.hard_rate.ok", "The hard bounce rate is {value}, under the {threshold} warning line."),
    ("health.hard_rate.ok.action", "Keep removing hard bounces after every campaign."),
    ("health.hard_rate.amber", "The hard bounce rate is {value}, above the {threshold} warning line."),
    ("health.hard_rate.amber.action", "Remove the hard-bounced addresses before the next send; confirm new sign-ups with double opt-in."),
    ("health.hard_rate.red", "The hard bounce rate is {value}, above the {threshold} danger line."),
    (
        "health.hard_rate.red.action",
        "Stop sending to this list until the hard-bounced addresses are removed; check where the addresses came from.",
    ),
    ("health.complaint_rate.unknown", "The complaint rate is unknown: Rebound does not know how many messages were sent."),
    ("health.complaint_rate.unknown.action", "Import the campaign's sent report or type in how many were sent."),
    ("health.complaint_rate.ok", "The complaint rate is {value}, under the {threshold} warning line."),
    ("health.complaint_rate.ok.action", "Keep honouring unsubscribes and complaints quickly."),
    ("health.complaint_rate.amber", "The complaint rate is {value}, above the {threshold} warning line."),
    ("health.complaint_rate.amber.action", "Remove complainers and check that people expect your mail and can unsubscribe easily."),
    ("health.complaint_rate.red", "The complaint rate is {value}, above the {threshold} danger line."),
    (
        "health.complaint_rate.red.action",
        "Gmail and Yahoo may refuse your mail: remove complainers, mail only people who asked, make unsubscribing one click.",
    ),
    ("health.block_share.unknown", "No bounces to judge blocks by."),
    ("health.block_share.unknown.action", "Nothing to do."),
    ("health.block_share.ok", "Blocks are {value} of bounces, not rising."),
    ("health.block_share.ok.action", "Nothing to do."),
    (
        "health.block_share.amber",
        "Blocks rose from {previous} to {value} of bounces: receiving servers refuse your sending, this is not a list problem.",
    ),
    (
        "health.block_share.amber.action",
        "Check SPF, DKIM and DMARC, your sending IP and domain reputation, and the content; do not remove these addresses.",
    ),
];

/// The English text of `key` with its parameters filled in.
pub fn english(key: &str, params: &BTreeMap<String, String>) -> String {
    let mut t = HEALTH_TEXTS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.to_string())
        .unwrap_or_else(|| key.to_string());
    for (k, v) in params {
        t = t.replace(&format!("{{{k}}}"), v);
    }
    t
}

fn check(metric: &str, level: Level, value: Option<f64>, params: &[(&str, String)]) -> Check {
    let suffix = match level {
        Level::Unknown => "unknown",
        Level::Ok => "ok",
        Level::Amber => "amber",
        Level::Red => "red",
    };
    let key = format!("health.{metric}.{suffix}");
    let action_key = format!("{key}.action");
    let params: BTreeMap<String, String> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    Check {
        metric: metric.to_string(),
        level,
        value,
        text: english(&key, &params),
        action: english(&action_key, &params),
        key,
        action_key,
        params,
    }
}

fn rate_check(metric: &str, value: Option<f64>, red: f64, amber: f64) -> Check {
    let Some(v) = value else {
        return check(metric, Level::Unknown, None, &[]);
    };
    let (level, limit) = if v > red {
        (Level::Red, red)
    } else if v > amber {
        (Level::Amber, amber)
    } else {
        (Level::Ok, amber)
    };
    check(
        metric,
        level,
        Some(v),
        &[("value", pct(v)), ("threshold", pct(limit))],
    )
}

/// Judges one summary; `previous` is the campaign before it on the same channel, for the block trend.
pub fn health_of(s: &Summary, previous: Option<&Summary>, th: &Thresholds) -> Health {
    let checks = vec![
        rate_check("hard_rate", s.rates.hard, th.hard_red, th.hard_amber),
        rate_check(
            "complaint_rate",
            s.rates.complaint,
            th.complaint_red,
            th.complaint_amber,
        ),
        block_check(s, previous, th),
    ];
    let level = checks
        .iter()
        .map(|c| c.level)
        .max()
        .unwrap_or(Level::Unknown);
    Health { level, checks }
}

fn block_check(s: &Summary, previous: Option<&Summary>, th: &Thresholds) -> Check {
    let now = s.block_share;
    let before = previous.and_then(|p| p.block_share);
    match (now, before) {
        (Some(v), Some(p)) if v - p > th.block_share_rise && s.counts.block >= th.block_min => {
            check(
                "block_share",
                Level::Amber,
                Some(v),
                &[("value", pct(v)), ("previous", pct(p))],
            )
        }
        (Some(v), _) => check("block_share", Level::Ok, Some(v), &[("value", pct(v))]),
        (None, _) => check("block_share", Level::Unknown, None, &[]),
    }
}

/// One rate of a campaign against the mean of the ones before it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta {
    pub metric: String,
    pub current: Option<f64>,
    pub previous: Option<f64>,
    /// current − previous (fraction points); None when either is unknown.
    pub delta: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub campaign_id: i64,
    /// The campaigns compared with, most recent first (same channel, earlier first event).
    pub previous: Vec<i64>,
    pub deltas: Vec<Delta>,
}

/// Compares `rows[idx]` with up to `n` earlier rows of the same channel (rows oldest first).
pub fn compare(rows: &[Summary], idx: usize, n: usize) -> Option<Comparison> {
    let cur = rows.get(idx)?;
    let id = cur.campaign_id?;
    let prev: Vec<&Summary> = rows
        .get(..idx)?
        .iter()
        .rev()
        .filter(|r| {
            r.channel == cur.channel && r.campaign_id.is_some() && r.sent.is_some_and(|s| s > 0)
        })
        .take(n)
        .collect();
    let mean = |f: &dyn Fn(&Rates) -> Option<f64>| -> Option<f64> {
        let vals: Vec<f64> = prev.iter().filter_map(|r| f(&r.rates)).collect();
        (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
    };
    let deltas = cur
        .rates
        .named()
        .iter()
        .enumerate()
        .map(|(i, (name, value))| {
            let previous = mean(&|r: &Rates| r.named().get(i).and_then(|x| x.1));
            Delta {
                metric: name.to_string(),
                current: *value,
                previous,
                delta: value.zip(previous).map(|(c, p)| c - p),
            }
        })
        .collect();
    Some(Comparison {
        campaign_id: id,
        previous: prev.iter().filter_map(|r| r.campaign_id).collect(),
        deltas,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_a_check_can_carry_has_an_english_text() {
        for metric in ["hard_rate", "complaint_rate", "block_share"] {
            for level in ["unknown", "ok", "amber", "red"] {
                let key = format!("health.{metric}.{level}");
                if metric == "block_share" && level == "red" {
                    continue;
                }
                assert!(HEALTH_TEXTS.iter().any(|(k, _)| *k == key), "{key}");
                assert!(
                    HEALTH_TEXTS
                        .iter()
                        .any(|(k, _)| *k == format!("{key}.action")),
                    "{key}.action"
                );
            }
        }
        let p: BTreeMap<String, String> = [
            ("value".to_string(), "2.5%".to_string()),
            ("threshold".to_string(), "2.0%".to_string()),
        ]
        .into();
        assert_eq!(
            english("health.hard_rate.red", &p),
            "The hard bounce rate is 2.5%, above the 2.0% danger line."
        );
    }
}
