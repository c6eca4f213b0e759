//! Vonage (Nexmo) delivery receipts: JSON lines, a JSON array, or CSV with the
//! DLR keys (IMPORT-FORMATS.md §16). The recipient is `msisdn` (digits with
//! country code, no `+`); `to` is the sender.

use super::phone_event;
use crate::error::Result;
use crate::ingest::esp::{Ctx, Fields, Reader};
use crate::model::{Kind, Reason};
use serde_json::{Map, Value};

pub struct Vonage;

/// Vonage `err-code` → kind and reason (IMPORT-FORMATS.md §16 table).
pub fn err_code(code: u32) -> (Kind, Option<Reason>) {
    match code {
        0 => (Kind::Delivered, None),
        3 | 9 | 11 => (Kind::Bounce, Some(Reason::SmsInvalidNumber)),
        4 | 53 => (Kind::Unsubscribe, Some(Reason::SmsOptedOut)),
        2 | 5 | 7 | 8 | 12 | 15 => (Kind::Bounce, Some(Reason::SmsUnreachable)),
        6 | 13 | 14 | 50 | 51 | 52 | 54 => (Kind::Bounce, Some(Reason::SmsCarrierFiltered)),
        10 => (Kind::Bounce, Some(Reason::MailerError)),
        16 => (Kind::Bounce, Some(Reason::RateLimited)),
        _ => (Kind::Bounce, None),
    }
}

impl Reader for Vonage {
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        let status = f.s("status").map(|s| s.to_lowercase()).unwrap_or_default();
        let code = f
            .any(&["err-code", "err_code", "error-code"])
            .and_then(|c| c.trim().parse::<u32>().ok());
        let (kind, hint) = match status.as_str() {
            "delivered" => (Kind::Delivered, None),
            "accepted" | "buffered" | "submitted" => (Kind::Sent, None),
            "failed" | "rejected" | "expired" | "unknown" | "undeliverable" => match code {
                Some(c) if c != 0 => err_code(c),
                _ if status == "expired" => (Kind::Bounce, Some(Reason::SmsUnreachable)),
                _ => (Kind::Bounce, None),
            },
            other => {
                return ctx.problem(
                    row,
                    &format!(
                        "unknown Vonage status '{}'",
                        crate::ingest::esp::shorten_pub(other)
                    ),
                )
            }
        };
        let to = f.any(&["msisdn", "MSISDN"]).map(|s| s.into_owned());
        let Some(mut ev) = phone_event(ctx, kind, to.as_deref(), row, None, true)? else {
            return Ok(());
        };
        ev.occurred_at = match f.s("message-timestamp") {
            Some(t) => ctx.time(Some(&t), row)?,
            None => f
                .s("scts")
                .and_then(|s| super::smpp::yymmdd(&s))
                .and_then(|n| ctx.dates.zone().to_utc(n)),
        };
        ev.reply_code = code.filter(|c| *c != 0);
        ev.provider_label = Some(match code {
            Some(c) => format!("{status}/err-code {c}"),
            None => status.clone(),
        });
        ev.reason_hint = hint;
        ev.diagnostic = code
            .filter(|c| *c != 0)
            .map(|c| format!("Vonage err-code {c}: {}", err_text(c)));
        ev.provider_event_id = f
            .any(&["messageId", "message-id"])
            .map(|m| format!("{m}:{status}"));
        if let Some(r) = f.s("client-ref") {
            ev.campaign = Some(ctx.campaign(&r, Some(&r)));
        }
        ctx.emit(ev)
    }
}

fn err_text(c: u32) -> &'static str {
    match c {
        1 => "Unknown",
        2 => "Absent Subscriber - Temporary",
        3 => "Absent Subscriber - Permanent",
        4 => "Call Barred by User",
        5 => "Portability Error",
        6 => "Anti-Spam Rejection",
        7 => "Handset Busy",
        8 => "Network Error",
        9 => "Illegal Number",
        10 => "Illegal Message",
        11 => "Unroutable",
        12 => "Destination Unreachable",
        13 => "Subscriber Age Restriction",
        14 => "Number Blocked by Carrier",
        15 => "Prepaid Insufficient Funds",
        16 => "Gateway Quota Exceeded",
        50 => "Entity Filter",
        51 => "Header Filter",
        52 => "Content Filter",
        53 => "Consent Filter",
        54 => "Regulation Error",
        99 => "General Error",
        _ => "see Vonage's DLR error codes",
    }
}

/// Receipts saved as the webhook's query strings or form bodies, one per line
/// (`msisdn=…&err-code=…&messageId=…`), alone or in a logged request line.
pub fn looks_like_query(t: &str) -> bool {
    t.lines().find(|l| !l.trim().is_empty()).is_some_and(|l| {
        l.contains("err-code=") && (l.contains("messageId=") || l.contains("msisdn="))
    })
}

/// One receipt from a query string; `GET /dlr?…  HTTP/1.1` keeps only the query.
pub fn parse_query(line: &str) -> Option<Map<String, Value>> {
    let m = super::form_fields(line)?;
    let keyed = m.contains_key("msisdn") || m.contains_key("messageId");
    (keyed && (m.contains_key("err-code") || m.contains_key("status"))).then_some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_string_receipts() {
        let m = parse_query("GET /webhooks/dlr?msisdn=12025550143&err-code=3&messageId=0A1&message-timestamp=2024-03-02+16%3A15%3A07&client-ref=a%26b HTTP/1.1").unwrap();
        assert_eq!(m["msisdn"], "12025550143");
        assert_eq!(m["err-code"], "3");
        assert_eq!(m["message-timestamp"], "2024-03-02 16:15:07");
        assert_eq!(m["client-ref"], "a&b");
        assert!(parse_query("msisdn=1&status=failed").is_some());
        assert!(parse_query("hello world").is_none());
        assert!(parse_query("a=%ZZ&b=%4").is_none());
        assert!(looks_like_query("\nmsisdn=1&err-code=0&messageId=x\n"));
    }
}
