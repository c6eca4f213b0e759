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
        let json = serde_json::to_string(self).map_err(|e| crate::error::Error::Invalid(e.to_string()))?;
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
        Health { level: Level::Unknown, checks: Vec::new() }
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

fn check(metric: &str, level: Level, value: Option<f64>, params: &[(&str, String)], text: String, action: &str) -> Check {
    let suffix = match level {
        Level::Unknown => "unknown",
        Level::Ok => "ok",
        Level::Amber => "amber",
        Level::Red => "red",
    };
    Check {
        metric: metric.to_string(),
        level,
        value,
        key: format!("health.{metric}.{suffix}"),
        action_key: format!("health.{metric}.{suffix}.action"),
        params: params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        text,
        action: action.to_string(),
    }
}

fn rate_check(metric: &str, what: &str, value: Option<f64>, red: f64, amber: f64, actions: [&str; 3]) -> Check {
    let Some(v) = value else {
        return check(
            metric,
            Level::Unknown,
            None,
            &[],
            format!("The {what} rate is unknown: Rebound does not know how many messages were sent."),
            "Import the campaign's sent report or type in how many were sent.",
        );
    };
    let (level, limit, action) = if v > red {
        (Level::Red, red, actions[0])
    } else if v > amber {
        (Level::Amber, amber, actions[1])
    } else {
        (Level::Ok, amber, actions[2])
    };
    let params = [("value", pct(v)), ("threshold", pct(limit))];
    let text = match level {
        Level::Red => format!("The {what} rate is {}, above the {} danger line.", pct(v), pct(limit)),
        Level::Amber => format!("The {what} rate is {}, above the {} warning line.", pct(v), pct(limit)),
        _ => format!("The {what} rate is {}, under the {} warning line.", pct(v), pct(limit)),
    };
    check(metric, level, Some(v), &params, text, action)
}

/// Judges one summary; `previous` is the campaign before it on the same channel, for the block trend.
pub fn health_of(s: &Summary, previous: Option<&Summary>, th: &Thresholds) -> Health {
    let hard = rate_check(
        "hard_rate",
        "hard bounce",
        s.rates.hard,
        th.hard_red,
        th.hard_amber,
        [
            "Stop sending to this list until the hard-bounced addresses are removed; check where the addresses came from.",
            "Remove the hard-bounced addresses before the next send; confirm new sign-ups with double opt-in.",
            "Keep removing hard bounces after every campaign.",
        ],
    );
    let complaint = rate_check(
        "complaint_rate",
        "complaint",
        s.rates.complaint,
        th.complaint_red,
        th.complaint_amber,
        [
            "Gmail and Yahoo may refuse your mail: remove complainers, mail only people who asked, make unsubscribing one click.",
            "Remove complainers and check that people expect your mail and can unsubscribe easily.",
            "Keep honouring unsubscribes and complaints quickly.",
        ],
    );
    let block = block_check(s, previous, th);
    let checks = vec![hard, complaint, block];
    let level = checks.iter().map(|c| c.level).max().unwrap_or(Level::Unknown);
    Health { level, checks }
}

fn block_check(s: &Summary, previous: Option<&Summary>, th: &Thresholds) -> Check {
    let now = s.block_share;
    let before = previous.and_then(|p| p.block_share);
    match (now, before) {
        (Some(v), Some(p)) if v - p > th.block_share_rise && s.counts.block >= th.block_min => check(
            "block_share",
            Level::Amber,
            Some(v),
            &[("value", pct(v)), ("previous", pct(p))],
            format!(
                "Blocks rose from {} to {} of bounces: receiving servers refuse your sending, this is not a list problem.",
                pct(p),
                pct(v)
            ),
            "Check SPF, DKIM and DMARC, your sending IP and domain reputation, and the content; do not remove these addresses.",
        ),
        (Some(v), _) => check(
            "block_share",
            Level::Ok,
            Some(v),
            &[("value", pct(v))],
            format!("Blocks are {} of bounces, not rising.", pct(v)),
            "Nothing to do.",
        ),
        (None, _) => check("block_share", Level::Unknown, None, &[], "No bounces to judge blocks by.".into(), "Nothing to do."),
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
        .filter(|r| r.channel == cur.channel && r.campaign_id.is_some() && r.sent.is_some_and(|s| s > 0))
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
    Some(Comparison { campaign_id: id, previous: prev.iter().filter_map(|r| r.campaign_id).collect(), deltas })
}
