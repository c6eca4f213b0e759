//! SMPP delivery receipt texts (`id:… sub:… dlvrd:… submit date:… done date:…
//! stat:… err:… text:…`), one per line, optionally after a phone number and a
//! tab/comma (IMPORT-FORMATS.md §17). Receipt texts carry no phone number; when
//! none precedes them the message id stands in as the recipient key.

use super::{phone, phone_event};
use crate::error::Result;
use crate::ingest::esp::{Ctx, Fields, Reader};
use crate::model::{Channel, Kind, Reason};
use chrono::NaiveDateTime;
use serde_json::{Map, Value};

#[derive(Default)]
pub struct Smpp {
    keyed_by_id: u64,
}

pub fn looks_like(text: &str) -> bool {
    text.lines().take(5).any(|l| parse_line(l).is_some())
}

/// Splits a receipt line into its fields (keys lowercased; `submit date` kept with its space).
pub fn parse_line(line: &str) -> Option<Map<String, Value>> {
    let lower = line.to_ascii_lowercase();
    let id_at = lower.find("id:")?;
    let stat_at = lower.find("stat:")?;
    if stat_at < id_at {
        return None;
    }
    let prefix = line[..id_at]
        .trim()
        .trim_end_matches([',', ';', '\t'])
        .trim();
    let keys = [
        "id:",
        "sub:",
        "dlvrd:",
        "submit date:",
        "done date:",
        "stat:",
        "err:",
        "text:",
    ];
    let mut found: Vec<(usize, &str)> = Vec::new();
    let mut from = id_at;
    for k in keys {
        if let Some(p) = lower[from..].find(k) {
            found.push((from + p, k));
            from += p + k.len();
        }
    }
    let mut m = Map::new();
    for (i, (at, k)) in found.iter().enumerate() {
        let start = at + k.len();
        let end = if *k == "text:" {
            line.len()
        } else {
            found.get(i + 1).map(|n| n.0).unwrap_or(line.len())
        };
        let v = line.get(start..end).unwrap_or("").trim();
        m.insert(
            k.trim_end_matches(':').to_string(),
            Value::String(v.to_string()),
        );
    }
    if !prefix.is_empty() {
        m.insert("phone".into(), Value::String(prefix.to_string()));
    }
    m.contains_key("stat").then_some(m)
}

/// `YYMMDDhhmm` or `YYMMDDhhmmss` (SMSC local time).
pub fn yymmdd(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    match s.len() {
        10 => NaiveDateTime::parse_from_str(&format!("{s}00"), "%y%m%d%H%M%S").ok(),
        12 => NaiveDateTime::parse_from_str(s, "%y%m%d%H%M%S").ok(),
        _ => None,
    }
}

/// SMPP `stat` values → kind and reason.
pub fn stat_kind(stat: &str) -> Option<(Kind, Option<Reason>)> {
    Some(match stat.to_ascii_uppercase().as_str() {
        "DELIVRD" | "DELIVERED" => (Kind::Delivered, None),
        "ACCEPTD" | "ACCEPTED" | "ENROUTE" => (Kind::Sent, None),
        "EXPIRED" => (Kind::Bounce, Some(Reason::SmsUnreachable)),
        "REJECTD" | "REJECTED" => (Kind::Bounce, Some(Reason::SmsCarrierFiltered)),
        // UNDELIV's err is network-specific: no sure reason without the gateway's table.
        "UNDELIV" | "UNDELIVERABLE" | "UNKNOWN" | "DELETED" | "SKIPPED" => (Kind::Bounce, None),
        _ => return None,
    })
}

impl Reader for Smpp {
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        let stat = f.s("stat").map(|s| s.into_owned()).unwrap_or_default();
        let Some((kind, hint)) = stat_kind(&stat) else {
            return ctx.problem(
                row,
                &format!(
                    "unknown SMPP stat '{}'",
                    crate::ingest::esp::shorten_pub(&stat)
                ),
            );
        };
        let id = f.s("id").map(|s| s.into_owned()).unwrap_or_default();
        let ev = match f.s("phone") {
            Some(p) => phone_event(ctx, kind, Some(&p), row, None::<&phone::Region>, true)?,
            None => {
                self.keyed_by_id += 1;
                if self.keyed_by_id == 1 {
                    let file = ctx.file.clone();
                    ctx.sink.note(&file, "note: the receipts carry no phone numbers; each event is keyed by its SMPP message id (smpp-id:…)")?;
                }
                Some(ctx.event_for(
                    Channel::Sms,
                    kind,
                    format!("smpp-id:{}", id.to_ascii_lowercase()),
                    row,
                ))
            }
        };
        let Some(mut ev) = ev else { return Ok(()) };
        let done = f.s("done date").and_then(|d| yymmdd(&d));
        ev.occurred_at = done.and_then(|n| {
            ctx.dates.assumed_zone += 1;
            ctx.dates.zone().to_utc(n)
        });
        let err = f.s("err").map(|s| s.into_owned());
        ev.reply_code = err
            .as_deref()
            .and_then(|e| u32::from_str_radix(e, 16).ok())
            .filter(|c| *c != 0);
        ev.provider_label = Some(match &err {
            Some(e) => format!("{stat} err:{e}"),
            None => stat.clone(),
        });
        ev.reason_hint = hint;
        ev.diagnostic = Some(format!("stat:{stat} err:{}", err.as_deref().unwrap_or("")));
        ev.provider_event_id = Some(format!("{id}:{stat}"));
        ctx.emit(ev)
    }
}
