//! What the store knows about each address: loaded once, in two queries, into a
//! map keyed the way contact cells are matched (whole address lowercased; phones
//! in E.164). Only failures are loaded, plus the last delivery of addresses that
//! soft-bounced, so the map stays small even when the store holds millions of
//! deliveries.

use crate::error::Result;
use crate::model::{Channel, Class, Kind, Reason};
use crate::store::Store;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// One event cited as the reason for a decision. Texts that repeat across
/// thousands of events (campaigns, files, diagnostics) are shared, not copied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cite {
    /// Unix seconds, UTC.
    pub at: Option<i64>,
    #[serde(serialize_with = "shared")]
    pub reason: Arc<str>,
    #[serde(serialize_with = "shared_opt")]
    pub campaign_key: Option<Arc<str>>,
    #[serde(serialize_with = "shared_opt")]
    pub campaign_name: Option<Arc<str>>,
    #[serde(serialize_with = "shared_opt")]
    pub diagnostic: Option<Arc<str>>,
    #[serde(serialize_with = "shared")]
    pub source_file: Arc<str>,
    pub source_locator: String,
}

fn shared<S: serde::Serializer>(t: &Arc<str>, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(t)
}

fn shared_opt<S: serde::Serializer>(
    t: &Option<Arc<str>>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(t),
        None => s.serialize_none(),
    }
}

/// Hands out one shared copy of each distinct text.
#[derive(Default)]
struct Interner(HashMap<String, Arc<str>>);

impl Interner {
    fn get(&mut self, t: String) -> Arc<str> {
        if let Some(a) = self.0.get(&t) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(t.as_str());
        // Bounded: unique texts (a hostile file) are kept once each, not cached.
        if self.0.len() < 100_000 {
            self.0.insert(t, a.clone());
        }
        a
    }
}

impl Cite {
    /// `2024-03-02 | campaign: Spring sale (spring) | user_unknown: 550 5.1.1 … | source: bounces.mbox#3`
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(t) = self.at.and_then(|t| chrono::DateTime::from_timestamp(t, 0)) {
            parts.push(t.format("%Y-%m-%d").to_string());
        }
        match (&self.campaign_name, &self.campaign_key) {
            (Some(n), Some(k)) if n != k => parts.push(format!("campaign: {n} ({k})")),
            (_, Some(k)) => parts.push(format!("campaign: {k}")),
            (Some(n), None) => parts.push(format!("campaign: {n}")),
            _ => {}
        }
        let diag: String = self
            .diagnostic
            .as_deref()
            .unwrap_or("")
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(300)
            .collect();
        parts.push(if diag.trim().is_empty() {
            self.reason.to_string()
        } else {
            format!("{}: {}", self.reason, diag.trim())
        });
        parts.push(format!(
            "source: {}{}",
            self.source_file, self.source_locator
        ));
        parts.join(" | ")
    }
}

/// The failures known for one address, the latest of each kind.
#[derive(Debug, Clone, Default)]
pub struct AddressEvidence {
    // Boxed: most addresses have one kind of failure, and an empty slot should cost 8 bytes.
    pub hard: Option<Box<Cite>>,
    pub complaint: Option<Box<Cite>>,
    pub unsubscribe: Option<Box<Cite>>,
    pub block: Option<Box<Cite>>,
    pub sms_invalid: Option<Box<Cite>>,
    pub sms_opted_out: Option<Box<Cite>>,
    pub soft_last: Option<Box<Cite>>,
    /// Times of every dated soft bounce.
    pub soft_times: Vec<i64>,
    pub last_delivered: Option<i64>,
}

/// Soft bounces that add up to a removal: how many days, from when to when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatedSoft {
    pub days: usize,
    pub first: i64,
    pub last: i64,
}

impl AddressEvidence {
    /// Soft bounces on at least `min_days` different UTC days inside some
    /// `window_days` span, all after the last delivery (so "no delivery since").
    pub fn repeated_soft(&self, min_days: u32, window_days: u32) -> Option<RepeatedSoft> {
        let since = self.last_delivered.unwrap_or(i64::MIN);
        let mut times: Vec<i64> = self
            .soft_times
            .iter()
            .copied()
            .filter(|t| *t > since)
            .collect();
        times.sort_unstable();
        let mut days: Vec<(i64, i64, i64)> = Vec::new(); // (day, first time, last time)
        for t in times {
            let d = t.div_euclid(86_400);
            match days.last_mut() {
                Some(last) if last.0 == d => last.2 = t,
                _ => days.push((d, t, t)),
            }
        }
        let mut found = None;
        let mut i = 0;
        for j in 0..days.len() {
            while days[j].0 - days[i].0 >= i64::from(window_days) {
                i += 1;
            }
            if j + 1 - i >= min_days as usize {
                found = Some(RepeatedSoft {
                    days: j + 1 - i,
                    first: days[i].1,
                    last: days[j].2,
                });
            }
        }
        found
    }
}

/// Every address the store has failures for.
#[derive(Debug, Default)]
pub struct Evidence {
    map: HashMap<String, AddressEvidence>,
}

impl Evidence {
    pub fn get(&self, key: &str) -> Option<&AddressEvidence> {
        self.map.get(key)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn load(store: &Store) -> Result<Evidence> {
        let conn = store.conn();
        let mut st = conn.prepare(
            "SELECT r.address, e.channel, e.kind, e.class, e.reason, e.occurred_at, c.key, c.name, e.diagnostic_id, t.text,
                    e.source_file, e.source_locator, (SELECT diagnostic < 0 FROM event_rows WHERE id = e.id)
             FROM events e JOIN recipients r ON r.id = e.recipient_id
             LEFT JOIN campaigns c ON c.id = e.campaign_id
             LEFT JOIN texts t ON t.id = e.diagnostic_id
             WHERE e.class IN ('hard', 'soft', 'block', 'complaint', 'unsubscribe') OR e.kind IN ('complaint', 'unsubscribe')",
        )?;
        let mut map: HashMap<String, AddressEvidence> = HashMap::new();
        let mut texts: HashMap<i64, Arc<str>> = HashMap::new();
        let mut names = Interner::default();
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let address: String = r.get(0)?;
            let channel: Channel = r.get::<_, String>(1)?.parse().unwrap_or(Channel::Email);
            let kind: Option<Kind> = r.get::<_, String>(2)?.parse().ok();
            let class: Option<Class> = r.get::<_, String>(3)?.parse().ok();
            let reason_s: String = r.get(4)?;
            let reason: Option<Reason> = reason_s.parse().ok();
            // A template (migration 6) names the recipient: filled in per row, not shared.
            let template: bool = r.get::<_, Option<bool>>(12)?.unwrap_or(false);
            let diagnostic = match r.get::<_, Option<i64>>(8)? {
                Some(_) if template => r
                    .get::<_, Option<String>>(9)?
                    .map(|t| Arc::from(t.replace(crate::store::ADDRESS_MARK, &address))),
                Some(id) => match texts.get(&id) {
                    Some(t) => Some(t.clone()),
                    None => {
                        let t: Option<Arc<str>> = r.get::<_, Option<String>>(9)?.map(Arc::from);
                        if let (Some(t), true) = (&t, texts.len() < 100_000) {
                            texts.insert(id, t.clone());
                        }
                        t
                    }
                },
                None => None,
            };
            let cite = Cite {
                at: r.get(5)?,
                reason: names.get(reason_s),
                campaign_key: r.get::<_, Option<String>>(6)?.map(|t| names.get(t)),
                campaign_name: r.get::<_, Option<String>>(7)?.map(|t| names.get(t)),
                diagnostic,
                source_file: names.get(r.get(10)?),
                source_locator: r.get(11)?,
            };
            let ev = map.entry(address.to_lowercase()).or_default();
            file_event(ev, channel, kind, class, reason, cite);
        }
        drop(rows);
        load_deliveries(store, &mut map)?;
        Ok(Evidence { map })
    }
}

fn file_event(
    ev: &mut AddressEvidence,
    channel: Channel,
    kind: Option<Kind>,
    class: Option<Class>,
    reason: Option<Reason>,
    cite: Cite,
) {
    let cite = Box::new(cite);
    let slot = if channel == Channel::Sms
        && (reason == Some(Reason::SmsOptedOut) || kind == Some(Kind::Unsubscribe))
    {
        &mut ev.sms_opted_out
    } else if channel == Channel::Sms
        && (reason == Some(Reason::SmsInvalidNumber) || class == Some(Class::Hard))
    {
        &mut ev.sms_invalid
    } else if class == Some(Class::Hard) {
        &mut ev.hard
    } else if class == Some(Class::Complaint) || kind == Some(Kind::Complaint) {
        &mut ev.complaint
    } else if class == Some(Class::Unsubscribe) || kind == Some(Kind::Unsubscribe) {
        &mut ev.unsubscribe
    } else if class == Some(Class::Soft) {
        if let Some(t) = cite.at {
            ev.soft_times.push(t);
        }
        &mut ev.soft_last
    } else if class == Some(Class::Block) {
        &mut ev.block
    } else {
        return;
    };
    // Keep the latest; an undated event only when nothing dated is known.
    if slot.as_ref().is_none_or(|old| cite.at > old.at) {
        *slot = Some(cite);
    }
}

fn load_deliveries(store: &Store, map: &mut HashMap<String, AddressEvidence>) -> Result<()> {
    let mut st = store.conn().prepare(
        "SELECT r.address, MAX(e.occurred_at) FROM events e JOIN recipients r ON r.id = e.recipient_id
         WHERE e.kind = 'delivered' AND e.recipient_id IN (SELECT recipient_id FROM events WHERE class = 'soft')
         GROUP BY e.recipient_id",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let address: String = r.get(0)?;
        let at: Option<i64> = r.get(1)?;
        if let Some(ev) = map.get_mut(&address.to_lowercase()) {
            ev.last_delivered = ev.last_delivered.max(at);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn soft(times: &[i64], delivered: Option<i64>) -> AddressEvidence {
        AddressEvidence {
            soft_times: times.to_vec(),
            last_delivered: delivered,
            ..Default::default()
        }
    }

    const DAY: i64 = 86_400;

    #[test]
    fn repeated_soft_needs_distinct_days_inside_the_window_and_no_delivery_since() {
        let base = 1_700_000_000 - 1_700_000_000 % DAY;
        // Three bounces on one day are one day.
        assert_eq!(
            soft(&[base, base + 60, base + 120], None).repeated_soft(3, 30),
            None
        );
        let three = soft(&[base, base + 5 * DAY, base + 10 * DAY], None);
        assert_eq!(three.repeated_soft(3, 30).map(|r| r.days), Some(3));
        // Spread over more than the window: no.
        assert_eq!(
            soft(&[base, base + 20 * DAY, base + 40 * DAY], None).repeated_soft(3, 30),
            None
        );
        // Delivered after the second bounce: only one bounce counts since.
        assert_eq!(
            soft(
                &[base, base + 5 * DAY, base + 10 * DAY],
                Some(base + 6 * DAY)
            )
            .repeated_soft(3, 30),
            None
        );
        // Delivered before all of them: still removed.
        assert!(
            soft(&[base, base + 5 * DAY, base + 10 * DAY], Some(base - DAY))
                .repeated_soft(3, 30)
                .is_some()
        );
    }

    #[test]
    fn cites_read_as_one_line_without_control_characters() {
        let c = Cite {
            at: Some(1_709_367_300),
            reason: Arc::from("user_unknown"),
            campaign_key: Some(Arc::from("spring")),
            campaign_name: Some(Arc::from("Spring sale")),
            diagnostic: Some(Arc::from("550 5.1.1\r\nno such user")),
            source_file: Arc::from("b.mbox"),
            source_locator: "#3".into(),
        };
        assert_eq!(c.describe(), "2024-03-02 | campaign: Spring sale (spring) | user_unknown: 550 5.1.1  no such user | source: b.mbox#3");
    }
}
