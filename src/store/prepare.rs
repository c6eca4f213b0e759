//! The part of storing an event that needs no database: codes, the fingerprint as stored,
//! the recipient's key, the diagnostic template, the original's JSON. The importer runs it
//! on the parser thread (`prepare`), so the single SQLite writer only does SQL and lookups.

use super::compact;
use crate::error::{Error, Result};
use crate::model::{Event, OriginalMessage};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What `ImportTx::add_prepared` stores besides the event's own fields.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    pub(super) fingerprint: i64,
    /// `compact::address_key` of the recipient, and 32 more bits of the same SHA-256 that
    /// tell two addresses with the same key apart in the id cache.
    pub(super) key: i64,
    pub(super) check: u32,
    /// channel, kind, class, reason as stored (compact.rs).
    pub(super) codes: [i64; 4],
    /// The diagnostic as stored when it differs from the event's: the template with the
    /// recipient's address factored out.
    pub(super) template: Option<String>,
    pub(super) original_json: Option<String>,
    /// `#N` as the integer N.
    pub(super) locator: Option<i64>,
    /// Set by `ImportTx::add_prepared` when the event was stored (not a duplicate).
    pub(super) stored: Option<Stored>,
}

/// Ids the writer gave a stored event.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stored {
    pub(super) recipient_id: i64,
    /// 0: none.
    pub(super) campaign_id: i64,
    /// Written by this import, so its stored domain is `recipient_domain(address)`.
    pub(super) new_recipient: bool,
}

impl Prepared {
    /// The diagnostic text to intern and whether it is a template (`None`: no diagnostic).
    pub(super) fn diagnostic<'a>(&'a self, ev: &'a Event) -> Option<(&'a str, bool)> {
        match &self.template {
            Some(t) => Some((t.as_str(), true)),
            None => ev.diagnostic.as_deref().filter(|t| !t.is_empty()).map(|t| (t, false)),
        }
    }
}

impl Prepared {
    /// The event as the report tables count it, if `add_prepared` stored it.
    pub fn counted<'a>(&self, ev: &'a Event) -> Option<crate::report::Counted<'a>> {
        let s = self.stored?;
        Some(crate::report::Counted {
            campaign_id: s.campaign_id,
            channel: ev.channel.as_str(),
            kind: ev.kind.as_str(),
            class: ev.verdict.class.as_str(),
            occurred: ev.occurred_at.map(|t| t.timestamp()),
            sent: ev.sent_at.map(|t| t.timestamp()),
            reason: ev.verdict.reason.as_str(),
            provider: ev.provider.as_deref().unwrap_or(""),
            recipient_id: s.recipient_id,
            domain: s.new_recipient.then(|| crate::model::recipient_domain(&ev.recipient)),
            // The stored text (an empty one is not stored: no MTA).
            mta: ev.remote_mta.as_deref().unwrap_or(""),
        })
    }
}

/// The code of an enum text; a variant without one is a programming error (see compact.rs).
fn coded(list: &[&str], value: &str) -> Result<i64> {
    compact::code(list, value).ok_or_else(|| Error::Invalid(format!("no storage code for '{value}'")))
}

/// The recipient's key and check bits (see [`Prepared::key`]).
pub(super) fn address_hash(address: &str) -> (i64, u32) {
    let d = Sha256::digest(address.as_bytes());
    let mut k = [0u8; 8];
    let mut c = [0u8; 4];
    k.copy_from_slice(&d[..8]);
    c.copy_from_slice(&d[8..12]);
    (u64::from_be_bytes(k) as i64, u32::from_be_bytes(c))
}

/// Everything about `ev` the writer needs that SQLite does not decide.
pub fn prepare(ev: &Event, fingerprint: &str) -> Result<Prepared> {
    let mut p = Prepared::default();
    prepare_into(ev, fingerprint, &mut p)?;
    Ok(p)
}

/// [`prepare`] into an existing value (its buffers are reused).
pub fn prepare_into(ev: &Event, fingerprint: &str, p: &mut Prepared) -> Result<()> {
    p.fingerprint = compact::fp64_str(fingerprint);
    (p.key, p.check) = address_hash(&ev.recipient);
    p.codes = [
        coded(compact::CHANNELS, ev.channel.as_str())?,
        coded(compact::KINDS, ev.kind.as_str())?,
        coded(compact::CLASSES, ev.verdict.class.as_str())?,
        coded(compact::REASONS, ev.verdict.reason.as_str())?,
    ];
    p.template = match ev.diagnostic.as_deref().filter(|t| !t.is_empty()) {
        Some(text) => match compact::diagnostic_template(text, &ev.recipient) {
            (std::borrow::Cow::Owned(t), true) => Some(t),
            _ => None,
        },
        None => None,
    };
    p.original_json = match &ev.original {
        Some(o) => Some(original_json(o)?),
        None => None,
    };
    p.locator = compact::locator_number(&ev.source.locator);
    p.stored = None;
    Ok(())
}

/// The original's headers as JSON without the null fields (readers get `None` back for them).
#[derive(Serialize)]
struct CompactOriginal<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    message_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    list_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    campaign_header: Option<&'a str>,
}

fn original_json(o: &OriginalMessage) -> Result<String> {
    let c = CompactOriginal {
        message_id: o.message_id.as_deref(),
        subject: o.subject.as_deref(),
        from: o.from.as_deref(),
        date: o.date,
        list_id: o.list_id.as_deref(),
        campaign_header: o.campaign_header.as_deref(),
    };
    serde_json::to_string(&c).map_err(|e| Error::Invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Channel, Kind, Source};

    #[test]
    fn the_key_is_the_stored_address_key() {
        for a in ["bob@example.com", "+84912345678", ""] {
            assert_eq!(address_hash(a).0, compact::address_key(a));
        }
        assert_ne!(address_hash("a@x").1, address_hash("b@x").1);
    }

    #[test]
    fn a_diagnostic_naming_the_recipient_becomes_a_template() {
        let mut e = Event::new(Channel::Email, Kind::Bounce, "bob@x.com", Source::default());
        e.diagnostic = Some("550 <bob@x.com>: no such user".into());
        let p = prepare(&e, "0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(p.diagnostic(&e), Some(("550 <\u{1}>: no such user", true)));
        assert_eq!(p.fingerprint, 0x0123_4567_89ab_cdef);
        e.diagnostic = Some("550 no such user".into());
        let p = prepare(&e, "x").unwrap();
        assert_eq!(p.diagnostic(&e), Some(("550 no such user", false)));
        e.diagnostic = Some(String::new());
        assert_eq!(prepare(&e, "x").unwrap().diagnostic(&e), None);
    }
}
