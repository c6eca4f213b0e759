//! Provider exports and SMS logs in the layouts of ../shared/formats/IMPORT-FORMATS.md
//! (SendGrid events and bounce CSV, Mailchimp cleaned members, SES notifications,
//! Mailgun bounces, Twilio message log), one truth row per expected event.

use super::mailbox::pool_size;
use super::rng::Rng;
use super::world::{self, Campaign, Scenario, SCENARIOS};
use super::{create, file_size, GenFile, Truth, TruthRow, ESP_PROVIDERS};
use crate::error::{Error, Result};
use crate::model::{normalize_email, Class, Kind};
use chrono::{DateTime, Duration, Utc};
use std::io::Write;
use std::path::Path;

/// One generated row's expectation; `kind` "none" means no event.
struct Expect<'a> {
    rcpt: String,
    kind: &'a str,
    class: Class,
    reason: &'a str,
    status: &'a str,
}

/// What a generated Twilio row turns out to be: rows are drawn by a roll of 0..100, each
/// outcome covering the rolls up to `upto` (60% delivered, 12% unreachable, ...).
struct TwilioOutcome {
    upto: u64,
    status: &'static str,
    code: &'static str,
    inbound: bool,
    kind: &'static str,
    class: Class,
    reason: &'static str,
}

const fn outcome(
    upto: u64,
    status: &'static str,
    code: &'static str,
    kind: &'static str,
    class: Class,
    reason: &'static str,
) -> TwilioOutcome {
    TwilioOutcome {
        upto,
        status,
        code,
        inbound: false,
        kind,
        class,
        reason,
    }
}

const TWILIO_OUTCOMES: [TwilioOutcome; 8] = [
    outcome(59, "delivered", "", "delivered", Class::None, "delivered"),
    outcome(
        71,
        "undelivered",
        "30003",
        "bounce",
        Class::Soft,
        "sms_unreachable",
    ),
    outcome(
        79,
        "undelivered",
        "30005",
        "bounce",
        Class::Hard,
        "sms_invalid_number",
    ),
    outcome(
        84,
        "undelivered",
        "30007",
        "bounce",
        Class::Block,
        "sms_carrier_filtered",
    ),
    outcome(
        88,
        "failed",
        "21211",
        "bounce",
        Class::Hard,
        "sms_invalid_number",
    ),
    outcome(
        91,
        "failed",
        "21610",
        "unsubscribe",
        Class::Unsubscribe,
        "sms_opted_out",
    ),
    TwilioOutcome {
        inbound: true,
        ..outcome(
            95,
            "received",
            "",
            "unsubscribe",
            Class::Unsubscribe,
            "sms_opted_out",
        )
    },
    outcome(99, "sent", "", "sent", Class::None, "unknown"),
];

fn expect<'a>(
    rcpt: &str,
    kind: &'a str,
    class: Class,
    reason: &'a str,
    status: &'a str,
) -> Expect<'a> {
    Expect {
        rcpt: rcpt.to_string(),
        kind,
        class,
        reason,
        status,
    }
}

fn from_scenario(rcpt: &str, sc: &Scenario) -> Expect<'static> {
    expect(
        rcpt,
        sc.kind.as_str(),
        sc.class,
        sc.reason.as_str(),
        sc.status,
    )
}

fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn when(c: &Campaign, rng: &mut Rng) -> DateTime<Utc> {
    c.sent_at + Duration::seconds(rng.below(4 * 86_400) as i64)
}

/// A display variant of an address as users' tools export it (mixed case).
fn cased(addr: &str, rng: &mut Rng) -> String {
    if !rng.chance(5.0) {
        return addr.to_string();
    }
    let mut c = addr.chars();
    let first: String = c
        .next()
        .map(|f| f.to_uppercase().collect())
        .unwrap_or_default();
    let rest: String = c.collect();
    match rest.rsplit_once('@') {
        Some((l, d)) => format!("{first}{l}@{}", d.to_uppercase()),
        None => format!("{first}{rest}"),
    }
}

pub(crate) fn write_esp(
    out: &Path,
    provider: &str,
    mut rng: Rng,
    rows: usize,
    campaigns: &[Campaign],
    truth: &mut Truth,
) -> Result<GenFile> {
    let rel = ESP_PROVIDERS
        .iter()
        .find(|(p, _)| *p == provider)
        .map(|(_, f)| *f)
        .ok_or_else(|| Error::Invalid(format!("unknown provider '{provider}' for --esp")))?;
    let path = out.join(rel);
    let mut w = Some(create(&path)?);
    let pool = pool_size(rows);
    let io = |e: std::io::Error| Error::write(&path, e);
    let mut csv_w = None;
    let header: &[&str] = match provider {
        "sendgrid-csv" => &["created", "email", "reason", "status"],
        "mailgun-csv" => &["address", "code", "error", "created_at"],
        "mailchimp" => &[
            "Email Address",
            "First Name",
            "Last Name",
            "MEMBER_RATING",
            "OPTIN_TIME",
            "OPTIN_IP",
            "CONFIRM_TIME",
            "CONFIRM_IP",
            "LATITUDE",
            "LONGITUDE",
            "GMTOFF",
            "DSTOFF",
            "TIMEZONE",
            "CC",
            "REGION",
            "CLEAN_TIME",
            "CLEAN_CAMPAIGN_TITLE",
            "CLEAN_CAMPAIGN_ID",
            "LEID",
            "EUID",
            "NOTES",
            "TAGS",
        ],
        _ => &[],
    };
    if let Some(mut file) = w.take_if(|_| !header.is_empty()) {
        if provider == "mailchimp" {
            file.write_all(b"\xEF\xBB\xBF").map_err(io)?;
        }
        let term = if provider == "mailchimp" {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        };
        let mut cw = csv::WriterBuilder::new().terminator(term).from_writer(file);
        cw.write_record(header)
            .map_err(|e| Error::write(&path, e.into()))?;
        csv_w = Some(cw);
    }
    let mut expected = 0;
    for i in 1..=rows as u64 {
        let c = rng.pick(campaigns).clone();
        let rcpt = world::recipient(rng.below(pool));
        let locator = format!("#{i}");
        let (exps, campaign_key) = match (provider, w.as_mut(), csv_w.as_mut()) {
            ("sendgrid", Some(w), _) => sendgrid_line(w, &mut rng, &rcpt, &c, i).map_err(io)?,
            ("ses", Some(w), _) => ses_line(w, &mut rng, &rcpt, &c, pool).map_err(io)?,
            (_, _, Some(cw)) => {
                let row = csv_row(provider, &mut rng, &rcpt, &c, i);
                cw.write_record(&row.0)
                    .map_err(|e| Error::write(&path, e.into()))?;
                (row.1, row.2)
            }
            _ => {
                return Err(Error::Invalid(format!(
                    "no writer for provider '{provider}'"
                )))
            }
        };
        for e in exps {
            if e.kind != "none" {
                expected += 1;
            }
            truth.row(TruthRow {
                file: rel,
                locator: &locator,
                recipient: &e.rcpt,
                kind: e.kind,
                class: e.class,
                reason: e.reason,
                status: e.status,
                campaign: &campaign_key,
            })?;
        }
    }
    if let Some(mut cw) = csv_w {
        cw.flush().map_err(io)?;
    }
    if let Some(mut w) = w {
        w.flush().map_err(io)?;
    }
    Ok(GenFile {
        bytes: file_size(&path),
        path,
        records: rows as u64,
        expected_events: expected,
    })
}

type Lines = (Vec<Expect<'static>>, String);

fn sendgrid_line(
    w: &mut impl Write,
    rng: &mut Rng,
    rcpt: &str,
    c: &Campaign,
    i: u64,
) -> std::io::Result<Lines> {
    let ts = when(c, rng).timestamp();
    let shown = cased(rcpt, rng);
    let norm = normalize_email(&shown);
    let category = if i.is_multiple_of(3) {
        format!("[\"newsletter\",{}]", js(&c.key))
    } else {
        "\"newsletter\"".into()
    };
    let mut extra = String::new();
    let (event, exp) = match rng.below(100) {
        0..=11 => (
            "processed",
            expect(&norm, "sent", Class::None, "unknown", ""),
        ),
        12..=51 => {
            extra = ",\"response\":\"250 2.0.0 OK  1709367300 q7si12345\"".into();
            (
                "delivered",
                expect(&norm, "delivered", Class::None, "delivered", ""),
            )
        }
        52..=78 => {
            let sc = *rng.weighted(SCENARIOS);
            let diag = world::fill(sc.diagnostic, &norm, "198.51.100.20");
            if sc.kind == Kind::Deferred {
                extra = format!(
                    ",\"response\":{},\"attempt\":\"{}\"",
                    js(&diag),
                    rng.range(1, 5)
                );
                ("deferred", from_scenario(&norm, &sc))
            } else {
                let (ty, cls) = match (sc.class, sc.reason) {
                    (Class::Hard, _) => ("bounce", "Invalid Address"),
                    (Class::Block, crate::model::Reason::SpamDetected) => ("blocked", "Content"),
                    (Class::Block, _) => ("blocked", "Reputation"),
                    (_, crate::model::Reason::RateLimited) => {
                        ("bounce", "Frequency or Volume Too High")
                    }
                    _ => ("bounce", "Technical Failure"),
                };
                extra = format!(",\"type\":\"{ty}\",\"status\":\"{}\",\"reason\":{},\"bounce_classification\":\"{cls}\"", sc.status, js(&diag));
                ("bounce", from_scenario(&norm, &sc))
            }
        }
        79..=84 => {
            let reason = *rng.pick(&[
                "Bounced Address",
                "Unsubscribed Address",
                "Spam Reporting Address",
            ]);
            extra = format!(",\"reason\":\"{reason}\"");
            (
                "dropped",
                expect(&norm, "suppressed", Class::None, "suppressed", ""),
            )
        }
        85..=86 => (
            "spamreport",
            expect(&norm, "complaint", Class::Complaint, "complaint", ""),
        ),
        87..=89 => (
            "unsubscribe",
            expect(&norm, "unsubscribe", Class::Unsubscribe, "unsubscribe", ""),
        ),
        90 => {
            extra = ",\"asm_group_id\":42".into();
            (
                "group_unsubscribe",
                expect(&norm, "unsubscribe", Class::Unsubscribe, "unsubscribe", ""),
            )
        }
        _ => {
            extra = ",\"useragent\":\"Mozilla/5.0\",\"ip\":\"192.0.2.33\"".into();
            ("open", expect(&norm, "none", Class::None, "", ""))
        }
    };
    writeln!(
        w,
        "{{\"email\":{},\"timestamp\":{ts},\"smtp-id\":\"<{}.{i}@ismtpd-gen>\",\"event\":\"{event}\",\"category\":{category},\"sg_event_id\":\"{}{:x}\",\"sg_message_id\":\"{}.filterdrecv-{i}.0\",\"marketing_campaign_id\":{},\"marketing_campaign_name\":{}{extra}}}",
        js(&shown),
        rng.hex(12),
        rng.alnum(14),
        i,
        rng.alnum(16),
        c.numeric_id,
        js(&c.name)
    )?;
    Ok((vec![exp], c.numeric_id.to_string()))
}

fn ses_line(
    w: &mut impl Write,
    rng: &mut Rng,
    rcpt: &str,
    c: &Campaign,
    pool: u64,
) -> std::io::Result<Lines> {
    let t = when(c, rng);
    let iso = t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    let sent = (c.sent_at).format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    let msg_id = format!("0100018e{}-{}-000000", rng.hex(8), rng.hex(24));
    let mut rcpts = vec![rcpt.to_string()];
    let roll = rng.below(100);
    if roll < 55 && rng.chance(10.0) {
        rcpts.push(world::recipient(rng.below(pool)));
    }
    let dest: Vec<String> = rcpts.iter().map(|r| js(r)).collect();
    let mail = format!(
        "\"mail\":{{\"timestamp\":\"{sent}\",\"source\":\"news@shop.example\",\"messageId\":\"{msg_id}\",\"destination\":[{}],\"commonHeaders\":{{\"from\":[\"Shop <news@shop.example>\"],\"messageId\":\"<{}.{}@news.shop.example>\",\"subject\":{}}},\"tags\":{{\"campaign\":[{}]}}}}",
        dest.join(","),
        c.key,
        rng.hex(8),
        js(&c.name),
        js(&c.key)
    );
    let (line, exps) = match roll {
        0..=54 => {
            let (ty, sub, sc) = ses_bounce(rng);
            let recips: Vec<String> = rcpts
                .iter()
                .map(|r| format!("{{\"emailAddress\":{},\"action\":\"failed\",\"status\":\"{}\",\"diagnosticCode\":{}}}", js(r), sc.status, js(&format!("smtp; {}", world::fill(sc.diagnostic, r, "198.51.100.20")))))
                .collect();
            let exps = rcpts.iter().map(|r| from_scenario(r, &sc)).collect();
            (
                format!("{{\"notificationType\":\"Bounce\",\"bounce\":{{\"bounceType\":\"{ty}\",\"bounceSubType\":\"{sub}\",\"bouncedRecipients\":[{}],\"timestamp\":\"{iso}\",\"feedbackId\":\"{}\",\"reportingMTA\":\"dsn; a1-2.smtp-out.amazonses.example\"}},{mail}}}", recips.join(","), rng.hex(32)),
                exps,
            )
        }
        55..=62 => (
            format!("{{\"notificationType\":\"Complaint\",\"complaint\":{{\"complainedRecipients\":[{{\"emailAddress\":{}}}],\"timestamp\":\"{iso}\",\"feedbackId\":\"{}\",\"complaintFeedbackType\":\"abuse\",\"userAgent\":\"FBL\"}},{mail}}}", js(rcpt), rng.hex(32)),
            vec![expect(rcpt, "complaint", Class::Complaint, "complaint", "")],
        ),
        _ => (
            format!("{{\"notificationType\":\"Delivery\",\"delivery\":{{\"timestamp\":\"{iso}\",\"recipients\":[{}],\"smtpResponse\":\"250 2.6.0 Message received\",\"reportingMTA\":\"a1-2.smtp-out.amazonses.example\"}},{mail}}}", js(rcpt)),
            vec![expect(rcpt, "delivered", Class::None, "delivered", "")],
        ),
    };
    let exps = if roll < 55 {
        exps
    } else {
        exps.into_iter().take(1).collect()
    };
    writeln!(w, "{line}")?;
    Ok((exps, c.key.clone()))
}

/// SES bounce type and subtype with the scenario they stand for.
fn ses_bounce(rng: &mut Rng) -> (&'static str, &'static str, Scenario) {
    let find = |status: &str, kind: Kind| {
        SCENARIOS
            .iter()
            .map(|(_, s)| *s)
            .find(|s| s.status == status && s.kind == kind)
    };
    let options: [(&str, &str, &str); 4] = [
        ("Permanent", "General", "5.1.1"),
        ("Permanent", "NoEmail", "5.1.1"),
        ("Transient", "MailboxFull", "5.2.2"),
        ("Transient", "ContentRejected", "5.7.1"),
    ];
    let (ty, sub, status) = *rng.pick(&options);
    let sc = find(status, Kind::Bounce).unwrap_or(SCENARIOS[0].1);
    // 5.7.1 occurs as both blocked and spam; SES' ContentRejected is the spam one.
    let sc = if sub == "ContentRejected" {
        SCENARIOS
            .iter()
            .map(|(_, s)| *s)
            .find(|s| s.reason == crate::model::Reason::SpamDetected)
            .unwrap_or(sc)
    } else {
        sc
    };
    (ty, sub, sc)
}

type Row = (Vec<String>, Vec<Expect<'static>>, String);

fn csv_row(provider: &str, rng: &mut Rng, rcpt: &str, c: &Campaign, i: u64) -> Row {
    let t = when(c, rng);
    let hard: Vec<Scenario> = SCENARIOS
        .iter()
        .map(|(_, s)| *s)
        .filter(|s| s.class == Class::Hard)
        .collect();
    let sc = *rng.pick(&hard);
    let diag = world::fill(sc.diagnostic, rcpt, "198.51.100.20");
    match provider {
        "sendgrid-csv" => (
            vec![
                t.timestamp().to_string(),
                rcpt.to_string(),
                diag,
                sc.status.to_string(),
            ],
            vec![from_scenario(rcpt, &sc)],
            String::new(),
        ),
        "mailgun-csv" => (
            vec![
                rcpt.to_string(),
                sc.reply.unwrap_or(550).to_string(),
                diag,
                t.to_rfc2822().replace("+0000", "GMT"),
            ],
            vec![from_scenario(rcpt, &sc)],
            String::new(),
        ),
        _ => {
            let shown = cased(rcpt, rng);
            let (first, last) = world::first_last(i);
            let title = c.name.clone();
            let id = format!(
                "{:010x}",
                c.numeric_id.wrapping_mul(2_654_435_761) & 0xff_ffff_ffff
            );
            let row = vec![
                shown.clone(),
                capital(first),
                capital(last),
                rng.range(1, 5).to_string(),
                (c.sent_at - Duration::days(300))
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
                "192.0.2.10".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                rng.pick(&["US", "ES", "VN", "MX"]).to_string(),
                String::new(),
                t.format("%Y-%m-%d %H:%M:%S").to_string(),
                title,
                id.clone(),
                (110_000 + i).to_string(),
                rng.hex(10),
                if i.is_multiple_of(11) {
                    "Note with \"quotes\", and a comma".into()
                } else {
                    String::new()
                },
                if i.is_multiple_of(7) {
                    "\"VIP\",\"Spring\"".into()
                } else {
                    String::new()
                },
            ];
            // Mailchimp's cleaned file does not say why: hard, reason unknown (IMPORT-FORMATS §1).
            (
                row,
                vec![expect(
                    &normalize_email(&shown),
                    "bounce",
                    Class::Hard,
                    "unknown",
                    "",
                )],
                id,
            )
        }
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Twilio Console message log: outbound results plus inbound STOP replies.
pub(crate) fn write_twilio(
    out: &Path,
    mut rng: Rng,
    rows: usize,
    campaigns: &[Campaign],
    truth: &mut Truth,
) -> Result<GenFile> {
    let rel = "sms/twilio-messages.csv";
    let path = out.join(rel);
    let mut cw = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(create(&path)?);
    let err = |e: csv::Error| Error::write(&path, e.into());
    cw.write_record([
        "From",
        "To",
        "Body",
        "Status",
        "SentDate",
        "ApiVersion",
        "NumSegments",
        "ErrorCode",
        "AccountSid",
        "Sid",
        "Direction",
        "Price",
        "PriceUnit",
    ])
    .map_err(err)?;
    let pool = pool_size(rows);
    let sender = "+12025550100";
    let mut expected = 0;
    for i in 1..=rows as u64 {
        let c = rng.pick(campaigns);
        let phone = world::phone(rng.below(pool));
        let t = when(c, &mut rng);
        let date = if i % 4 == 0 {
            t.to_rfc2822()
        } else {
            t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
        };
        let body = if i % 9 == 0 {
            format!("{}:\n\"20%\" off today, reply STOP to opt out", c.name)
        } else {
            format!("{}, 20% off! Reply STOP to opt out", c.name)
        };
        let roll = rng.below(100);
        let o = TWILIO_OUTCOMES
            .iter()
            .find(|o| roll <= o.upto)
            .unwrap_or(&TWILIO_OUTCOMES[TWILIO_OUTCOMES.len() - 1]);
        // A STOP reply arrives inbound: from the phone to our number, with the keyword as body.
        let (from, to, body, dir) = if o.inbound {
            (phone.as_str(), sender, "STOP".to_string(), "inbound")
        } else {
            (sender, phone.as_str(), body, "outbound-api")
        };
        let (status, code) = (o.status, o.code);
        let e = expect(&phone, o.kind, o.class, o.reason, "");
        let sid = format!("SM{}", rng.hex(32));
        let price = if dir == "inbound" || status == "failed" {
            ""
        } else {
            "-0.00790"
        };
        cw.write_record([
            from,
            to,
            &body,
            status,
            &date,
            "2010-04-01",
            "1",
            code,
            "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            &sid,
            dir,
            price,
            "USD",
        ])
        .map_err(err)?;
        expected += 1;
        truth.row(TruthRow {
            file: rel,
            locator: &format!("#{i}"),
            recipient: &e.rcpt,
            kind: e.kind,
            class: e.class,
            reason: e.reason,
            status: e.status,
            campaign: "",
        })?;
    }
    cw.flush().map_err(|e| Error::write(&path, e))?;
    Ok(GenFile {
        bytes: file_size(&path),
        path,
        records: rows as u64,
        expected_events: expected,
    })
}
