//! SMS delivery logs: Twilio (Console CSV, API JSON), Vonage delivery receipts,
//! and generic SMPP DLR texts (IMPORT-FORMATS.md §15–17). Reading reuses the
//! provider-report machinery (streaming CSV/JSON, problems, dates).

pub mod phone;
mod smpp;
mod twilio;
mod vonage;

use super::esp::{self, Ctx};
use super::text;
use super::{Detection, Family, Input, ReadOptions, Sink};
use crate::error::Result;
use crate::model::{Channel, Event, Kind};

pub const FORMATS: &[(&str, &str)] = &[
    ("twilio", "a Twilio message log"),
    ("vonage", "Vonage delivery receipts"),
    ("smpp", "SMPP delivery receipts"),
];

pub fn is_format(format: &str) -> bool {
    FORMATS.iter().any(|(f, _)| *f == format)
}

fn det(format: &str, confidence: u8, why: &str) -> Option<Detection> {
    Some(Detection {
        format: format.into(),
        family: Family::Report,
        provider: Some(format.into()),
        confidence,
        why: why.into(),
    })
}

pub fn detect(_name: &str, head: &[u8]) -> Option<Detection> {
    let decoded = text::decode_head(head);
    let t = decoded.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        if t.contains("\"err-code\"") && t.contains("\"messageId\"") {
            return det(
                "vonage",
                93,
                "JSON with err-code and messageId: Vonage delivery receipts",
            );
        }
        if t.contains("\"sid\"")
            && t.contains("\"error_code\"")
            && ["num_segments", "messaging_service_sid", "account_sid", "date_sent"]
                .iter()
                .any(|k| t.contains(&format!("\"{k}\"")))
        {
            return det(
                "twilio",
                90,
                "JSON with sid and error_code (and num_segments, account_sid or date_sent): Twilio Message resources",
            );
        }
        return None;
    }
    if twilio::looks_like_callbacks(t) {
        return det(
            "twilio",
            90,
            "lines of MessageSid=…&MessageStatus=… form bodies: Twilio status callbacks",
        );
    }
    if vonage::looks_like_query(t) {
        return det(
            "vonage",
            90,
            "lines of msisdn=…&err-code=…&messageId=… query strings: Vonage delivery receipts (webhook GET or form body)",
        );
    }
    if smpp::looks_like(t) {
        return det(
            "smpp",
            92,
            "lines of 'id:… sub:… dlvrd:… submit date:… stat:…': SMPP delivery receipts",
        );
    }
    let (names, _) = text::head_header(t)?;
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let starts = ["from", "to", "body", "status", "sentdate"];
    if lower.len() >= 5 && lower[..5].iter().zip(starts).all(|(a, b)| a == b) {
        return det(
            "twilio",
            96,
            "CSV header starts From,To,Body,Status,SentDate: Twilio Console message log",
        );
    }
    let has = |n: &str| lower.iter().any(|x| x == n);
    if has("sid") && has("status") && has("to") && (has("errorcode") || has("error_code")) {
        return det(
            "twilio",
            85,
            "CSV header has Sid, To, Status and ErrorCode: Twilio message log",
        );
    }
    if has("err-code") && (has("msisdn") || has("messageid")) {
        return det(
            "vonage",
            88,
            "CSV header has err-code and msisdn: Vonage delivery receipts",
        );
    }
    None
}

pub fn read(
    det: &Detection,
    input: Input<'_>,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<()> {
    let region = opts
        .column_map
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("region"))
        .and_then(|(_, v)| phone::Region::parse(v));
    let (reader, what): (Box<dyn esp::Reader>, &str) = match det.format.as_str() {
        "twilio" => (
            Box::new(twilio::Twilio::new(region)),
            "a Twilio message log",
        ),
        "vonage" => (Box::new(vonage::Vonage), "Vonage delivery receipts"),
        _ => (Box::new(smpp::Smpp::default()), "SMPP delivery receipts"),
    };
    let provider: &'static str = FORMATS
        .iter()
        .find(|(f, _)| *f == det.format)
        .map(|(f, _)| *f)
        .unwrap_or("smpp");
    let lines: Option<esp::LineParser> = match det.format.as_str() {
        "smpp" => Some(smpp::parse_line),
        "vonage" if vonage::looks_like_query(&text::decode_head(&input.head)) => {
            Some(vonage::parse_query)
        }
        "twilio" if twilio::looks_like_callbacks(&text::decode_head(&input.head)) => {
            Some(twilio::parse_callback)
        }
        _ => None,
    };
    esp::run(input, opts, sink, reader, provider, None, what, lines)
}

/// A webhook body or query string saved as one line (`a=1&b=x+y`), alone or in a
/// logged request line (`GET /hook?a=1 HTTP/1.1`): its fields, form-decoded.
pub(crate) fn form_fields(line: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let mut q = line.trim();
    if let Some((path, rest)) = q.split_once('?') {
        if !path.contains('=') {
            q = rest;
        }
    }
    if let Some(i) = q.rfind(" HTTP/") {
        q = q.get(..i)?;
    }
    let mut m = serde_json::Map::new();
    for pair in q.trim().split('&') {
        if let Some((k, v)) = pair.split_once('=') {
            m.insert(form_decode(k), serde_json::Value::String(form_decode(v)));
        }
    }
    (!m.is_empty()).then_some(m)
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte.
fn form_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |j: usize| b.get(j).and_then(|c| (*c as char).to_digit(16));
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An SMS event for a phone value, or a problem when it cannot be made E.164.
pub(crate) fn phone_event(
    ctx: &mut Ctx<'_>,
    kind: Kind,
    raw: Option<&str>,
    row: u64,
    region: Option<&phone::Region>,
    intl: bool,
) -> Result<Option<Event>> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        ctx.problem(row, "no phone number")?;
        return Ok(None);
    };
    match phone::normalize(raw, region, intl) {
        Ok(p) => Ok(Some(ctx.event_for(Channel::Sms, kind, p, row))),
        Err(e) => {
            ctx.problem(row, &e.describe(raw))?;
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Reason;

    #[test]
    fn carrier_codes() {
        assert_eq!(
            twilio::error_reason(30003),
            Some((Kind::Bounce, Reason::SmsUnreachable))
        );
        assert_eq!(
            twilio::error_reason(30005),
            Some((Kind::Bounce, Reason::SmsInvalidNumber))
        );
        assert_eq!(
            twilio::error_reason(30007),
            Some((Kind::Bounce, Reason::SmsCarrierFiltered))
        );
        assert_eq!(
            twilio::error_reason(21610),
            Some((Kind::Unsubscribe, Reason::SmsOptedOut))
        );
        assert_eq!(twilio::error_reason(12345), None);
        assert_eq!(
            vonage::err_code(3),
            (Kind::Bounce, Some(Reason::SmsInvalidNumber))
        );
        assert_eq!(
            vonage::err_code(4),
            (Kind::Unsubscribe, Some(Reason::SmsOptedOut))
        );
        assert_eq!(
            vonage::err_code(7),
            (Kind::Bounce, Some(Reason::SmsUnreachable))
        );
        assert_eq!(
            vonage::err_code(52),
            (Kind::Bounce, Some(Reason::SmsCarrierFiltered))
        );
        assert_eq!(
            vonage::err_code(53),
            (Kind::Unsubscribe, Some(Reason::SmsOptedOut))
        );
        assert_eq!(
            smpp::stat_kind("REJECTD"),
            Some((Kind::Bounce, Some(Reason::SmsCarrierFiltered)))
        );
        assert_eq!(smpp::stat_kind("delivrd"), Some((Kind::Delivered, None)));
        assert_eq!(smpp::stat_kind("WHAT"), None);
    }

    #[test]
    fn form_bodies() {
        let m = form_fields("POST /hook?x=1&MessageStatus=undelivered&To=%2B12025550143 HTTP/1.1").unwrap();
        assert_eq!(m["To"], "+12025550143");
        assert_eq!(m["x"], "1");
        assert_eq!(form_decode("%E2%82%AC%"), "€%");
        assert_eq!(form_decode("a+b%2"), "a b%2");
        assert!(form_fields("no pairs here").is_none());
    }

    #[test]
    fn smpp_lines() {
        let m = smpp::parse_line("id:0a1b2c40 sub:001 dlvrd:000 submit date:240302161500 done date:240302161502 stat:REJECTD err:00B Text:Spring sale").unwrap();
        assert_eq!(m["id"], "0a1b2c40");
        assert_eq!(m["done date"], "240302161502");
        assert_eq!(m["err"], "00B");
        assert_eq!(m["text"], "Spring sale");
        assert!(smpp::parse_line("hello world").is_none());
        assert!(smpp::yymmdd("2403021615").is_some());
    }
}
