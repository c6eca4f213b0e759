//! Classified events built directly, without files or parsers, to measure the
//! store's write path alone: a mix shaped like a real database (most from
//! mailbox bounces with the original's headers, the rest from provider reports).

use super::rng::Rng;
use super::world::{self, SCENARIOS};
use crate::model::{CampaignRef, Channel, Event, Kind, OriginalMessage, Source, Verdict};
use chrono::{Duration, TimeZone, Utc};

/// An endless, reproducible stream of classified events; `recipients` bounds
/// how many distinct addresses appear.
pub struct SyntheticEvents {
    rng: Rng,
    n: u64,
    recipients: u64,
    file: String,
    mailbox_pct: u64,
}

pub fn synthetic_events(seed: u64, recipients: u64) -> SyntheticEvents {
    SyntheticEvents {
        rng: Rng::new(seed).fork("events"),
        n: 0,
        recipients: recipients.max(1),
        file: "/home/user/Mail/bounces.mbox".into(),
        mailbox_pct: 60,
    }
}

impl SyntheticEvents {
    /// Percent of events shaped like mailbox bounces (with the original's headers); the rest are provider rows.
    pub fn mailbox_pct(mut self, pct: u64) -> Self {
        self.mailbox_pct = pct.min(100);
        self
    }
}

impl Iterator for SyntheticEvents {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        self.n += 1;
        let r = &mut self.rng;
        let rcpt = world::recipient(r.below(self.recipients));
        let sc = *r.weighted(SCENARIOS);
        let campaign = r.below(60);
        let base = Utc
            .with_ymd_and_hms(2023, 1, 2, 8, 0, 0)
            .single()
            .unwrap_or_default();
        let sent = base + Duration::days(14 * campaign as i64);
        let at = sent + Duration::seconds(r.below(3 * 86_400) as i64);
        let mailbox = r.below(100) < self.mailbox_pct;
        let source = Source {
            file: self.file.clone(),
            locator: format!("#{}", self.n),
            offset: Some(self.n * 9_000),
        };
        let kind = if !mailbox && r.below(100) < 30 {
            Kind::Delivered
        } else {
            sc.kind
        };
        let mut ev = Event::new(Channel::Email, kind, rcpt.clone(), source);
        let key = format!("cmp-{campaign:03}");
        ev.campaign = Some(CampaignRef {
            key: key.clone(),
            name: Some(format!("Newsletter {campaign}")),
        });
        ev.occurred_at = Some(at);
        ev.sent_at = mailbox.then_some(sent);
        if kind != Kind::Delivered {
            ev.status = Some(sc.status.to_string());
            ev.reply_code = sc.reply;
            ev.diagnostic = Some(world::fill(sc.diagnostic, &rcpt, "198.51.100.20"));
            ev.remote_mta = Some(format!("mx.{}", crate::model::recipient_domain(&rcpt)));
        }
        ev.provider = Some(if mailbox { "postfix" } else { "sendgrid" }.to_string());
        if !mailbox {
            ev.provider_label = Some(
                if kind == Kind::Delivered {
                    "delivered"
                } else {
                    "bounce"
                }
                .to_string(),
            );
        }
        ev.verdict = Verdict {
            class: if kind == Kind::Delivered {
                crate::model::Class::None
            } else {
                sc.class
            },
            reason: sc.reason,
            rule: format!("status:{}", sc.status),
            evidence: sc.status.to_string(),
        };
        if mailbox {
            ev.original = Some(OriginalMessage {
                message_id: Some(format!("<{key}.{}.{}@news.shop.example>", self.n, r.hex(8))),
                subject: Some(format!("Newsletter {campaign}")),
                from: Some("\"Shop Example\" <news@shop.example>".into()),
                date: Some(sent),
                list_id: Some("newsletter.shop.example".into()),
                campaign_header: Some(key),
            });
        }
        Some(ev)
    }
}
