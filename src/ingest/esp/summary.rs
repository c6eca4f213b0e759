//! Campaign summary exports: one row per campaign with its sent (and delivered or
//! bounced) totals and no recipients. They carry no events, only the denominators
//! the rates need. Mailchimp's "campaign reports" CSV (`Title`, `Total Recipients`,
//! `Successful Deliveries`, `Total Bounces`, `Unique Id`; columns unconfirmed) is
//! keyed like Mailchimp's member exports (`mailchimp:<id>`), so its counts land on
//! the campaigns those exports name; any other such CSV is keyed by its campaign column.

use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::ingest::text::Header;
use crate::ingest::{Detection, Family};
use crate::model::CampaignRef;

const ID: &[&str] = &["unique id", "campaign id", "campaign_id", "campaignid", "id"];
const NAME: &[&str] = &["title", "campaign name", "campaign_name", "campaign", "name", "subject"];
const SENT: &[&str] = &[
    "total recipients",
    "emails sent",
    "emails_sent",
    "total sent",
    "sent",
    "recipients",
    "sends",
    "em_sends",
];
const DELIVERED: &[&str] = &["successful deliveries", "delivered", "deliveries", "total delivered"];
const BOUNCED: &[&str] = &["total bounces", "bounces", "bounced", "em_bounces"];
/// A column like these means rows are recipients, not campaigns.
const RECIPIENT: &[&str] = &["email", "email address", "e-mail", "address", "phone", "to", "recipient"];

fn first<'a>(names: &[String], wanted: &[&'a str]) -> Option<&'a str> {
    wanted.iter().copied().find(|w| names.iter().any(|n| n == w))
}

/// A CSV header with a campaign column, a sent column and no recipient column.
pub fn detect(lower: &[String]) -> Option<Detection> {
    if lower.iter().any(|n| RECIPIENT.contains(&n.as_str())) {
        return None;
    }
    let sent = first(lower, SENT)?;
    let campaign = first(lower, ID).or_else(|| first(lower, NAME))?;
    let mailchimp = is_mailchimp(lower);
    let delivered = first(lower, DELIVERED).or_else(|| first(lower, BOUNCED));
    Some(Detection {
        format: "campaign-summary".into(),
        family: Family::Report,
        provider: mailchimp.then(|| "mailchimp".to_string()),
        confidence: if mailchimp { 80 } else { 55 },
        why: format!(
            "{}: one row per campaign (campaign={campaign}, sent={sent}{}), sent counts only, no recipients",
            if mailchimp { "a Mailchimp campaign reports export (columns unconfirmed)" } else { "a campaign summary" },
            delivered.map(|d| format!(", {d}")).unwrap_or_default()
        ),
    })
}

fn is_mailchimp(lower: &[String]) -> bool {
    let has = |n: &str| lower.iter().any(|x| x == n);
    has("unique id") && has("successful deliveries")
}

#[derive(Default)]
pub struct Summary {
    prefix: &'static str,
}

impl Reader for Summary {
    fn header(&mut self, h: &Header) -> std::result::Result<(), String> {
        let lower: Vec<String> = h.names.iter().map(|n| n.to_lowercase()).collect();
        if first(&lower, SENT).is_none() {
            return Err("no sent column (Total Recipients, Emails Sent, Sent…): not a campaign summary".into());
        }
        self.prefix = if is_mailchimp(&lower) { "mailchimp" } else { "generic" };
        Ok(())
    }

    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        let id = f.any(ID).or_else(|| f.any(NAME)).map(|s| s.into_owned());
        let name = f.any(NAME).map(|s| s.into_owned());
        let Some(id) = id.filter(|i| !is_total_line(i)) else {
            ctx.skip();
            return Ok(());
        };
        let Some(sent) = f.any(SENT).and_then(|s| count(&s)) else {
            return ctx.problem(row, "no readable sent count");
        };
        let delivered = f.any(DELIVERED).and_then(|s| count(&s)).or_else(|| {
            let bounced = f.any(BOUNCED).and_then(|s| count(&s))?;
            Some((sent - bounced).max(0))
        });
        let c = CampaignRef {
            key: format!("{}:{}", self.prefix, id.trim()),
            name: name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
        };
        ctx.sink.campaign_counts(&c, Some(sent), delivered)?;
        ctx.skip();
        Ok(())
    }
}

/// The "Total" line some exports end with.
fn is_total_line(id: &str) -> bool {
    matches!(id.trim().to_lowercase().as_str(), "total" | "totals" | "sum")
}

/// `5000`, `5,000`, `5.000`, `5 000`: a whole count; decimals and negatives are not counts.
fn count(s: &str) -> Option<i64> {
    let digits: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 15 {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_as_spreadsheets_write_them() {
        assert_eq!(count("5000"), Some(5000));
        assert_eq!(count("5,000"), Some(5000));
        assert_eq!(count("5.000"), Some(5000));
        assert_eq!(count("5\u{a0}000"), Some(5000));
        assert_eq!(count("-3"), None);
        assert_eq!(count("n/a"), None);
        assert_eq!(count(""), None);
        assert_eq!(count("9999999999999999999999"), None);
    }

    #[test]
    fn detects_only_campaign_rows() {
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let d = detect(&l(&["title", "send date", "total recipients", "successful deliveries", "unique id"])).unwrap();
        assert_eq!(d.provider.as_deref(), Some("mailchimp"));
        assert!(detect(&l(&["campaign", "sent", "delivered"])).is_some());
        assert!(detect(&l(&["email", "campaign", "sent"])).is_none(), "a recipient column: not a summary");
        assert!(detect(&l(&["campaign", "opens"])).is_none(), "no sent count");
    }
}
