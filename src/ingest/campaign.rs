//! Linking a bounce to its campaign: the returned original message's headers
//! (campaign headers, List-Id, Subject) and VERP return paths.

use crate::ingest::mailbox::message::unfold;
use crate::model::{normalize_email, CampaignRef, OriginalMessage};
use mail_parser::Message;

/// Header names ESPs and mailers use for a campaign id, lowercased; the first present wins.
pub(crate) const CAMPAIGN_HEADERS: &[&str] = &[
    "x-campaign",
    "x-campaign-id",
    "x-campaignid",
    "x-mailgun-campaign-id",
    "x-mc-campaign",
    "x-mc-user",
    "x-mailchimp-campaign",
    "x-sg-campaign",
    "x-ses-configuration-set",
    "x-mailjet-campaign",
    "x-sib-campaign",
    "x-campaign-name",
    "x-newsletter-id",
    "x-listmonk-campaign",
];

/// The meta data of the original message, from its parsed headers.
pub fn original_meta(m: &Message<'_>, headers: &[(&str, &str)]) -> OriginalMessage {
    let get = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| unfold(v))
    };
    let campaign_header = CAMPAIGN_HEADERS
        .iter()
        .find_map(|h| get(h))
        .filter(|v| !v.is_empty());
    let list_id = get("list-id").filter(|v| !v.is_empty());
    OriginalMessage {
        message_id: m.message_id().map(str::to_string),
        subject: m
            .subject()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        from: m
            .from()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .map(normalize_email),
        date: m
            .date()
            .and_then(|d| chrono::DateTime::from_timestamp(d.to_timestamp(), 0)),
        list_id,
        campaign_header,
    }
}

/// Campaign key: a campaign header, else List-Id, else `subject:<subject>`.
pub fn campaign_ref(o: &OriginalMessage) -> Option<CampaignRef> {
    if let Some(c) = &o.campaign_header {
        return Some(CampaignRef {
            key: c.clone(),
            name: o.subject.clone(),
        });
    }
    if let Some(l) = &o.list_id {
        let key = l
            .rsplit_once('<')
            .map(|(_, r)| r.trim_end_matches('>').trim())
            .unwrap_or(l)
            .to_string();
        let name = l
            .split('<')
            .next()
            .map(|n| n.trim().trim_matches('"').to_string())
            .filter(|n| !n.is_empty());
        return Some(CampaignRef {
            key: format!("list:{key}"),
            name: name.or_else(|| o.subject.clone()),
        });
    }
    o.subject.as_ref().map(|s| CampaignRef {
        key: format!("subject:{s}"),
        name: Some(s.clone()),
    })
}

/// Recovers the recipient from a VERP return path such as
/// `bounces+ana=example.com@mail.example.net` or `bounce-123-ana=example.com@…`:
/// the local part holds `user=domain` after a `+` or `-` separator.
pub fn verp_recipient(value: &str) -> Option<String> {
    let addr = crate::ingest::dsn::address_in(value)?;
    let (local, _) = addr.rsplit_once('@')?;
    let lower = local.to_ascii_lowercase();
    if !["bounce", "return", "verp", "bnc", "mailer", "rp"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return None;
    }
    let (user, domain) = local.rsplit_once('=')?;
    let user = user
        .rsplit(['+', '-'])
        .next()
        .filter(|u| !u.is_empty() && *u != user)?;
    let domain = domain.trim();
    let valid = domain.contains('.')
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    valid.then(|| normalize_email(&format!("{user}@{domain}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verp_recovers_the_recipient() {
        assert_eq!(
            verp_recipient("<bounces+ana=example.com@mail.example.net>").as_deref(),
            Some("ana@example.com")
        );
        assert_eq!(
            verp_recipient("bounce-42-bob.s=Example.ORG@esp.example").as_deref(),
            Some("bob.s@example.org")
        );
        assert_eq!(verp_recipient("ana@example.com"), None);
        assert_eq!(verp_recipient("bounces@example.com"), None);
    }

    #[test]
    fn campaign_prefers_header_then_list_then_subject() {
        let mut o = OriginalMessage {
            subject: Some("Spring sale".into()),
            ..Default::default()
        };
        assert_eq!(campaign_ref(&o).unwrap().key, "subject:Spring sale");
        o.list_id = Some("News <news.example.com>".into());
        assert_eq!(campaign_ref(&o).unwrap().key, "list:news.example.com");
        o.campaign_header = Some("cmp-7".into());
        assert_eq!(campaign_ref(&o).unwrap().key, "cmp-7");
    }
}
