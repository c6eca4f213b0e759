//! Provider exports (one file per provider) and the generic column mapper.
//! Detection looks at the decoded head (CSV header names, JSON keys); reading
//! streams CSV rows or JSON records into one provider mapping per file.

mod activecampaign;
mod brevo;
mod campaignmonitor;
mod common;
mod constantcontact;
mod detect;
pub mod generic;
mod json;
mod klaviyo;
mod listmonk;
mod mailchimp;
mod mailerlite;
mod mailgun;
mod mailjet;
mod mandrill;
mod postmark;
mod record;
mod sendgrid;
mod ses;
mod sparkpost;
mod summary;

pub use common::{enhanced_status, reply_code};

/// A short single-line excerpt of untrusted text for messages.
pub fn shorten_pub(s: &str) -> String {
    common::shorten(s)
}
pub use common::Ctx;
pub(crate) use common::{each_csv_row, Counting};
pub use record::{CsvRow, Fields};

use super::dates::{DateReader, Zone};
use super::text::{self, Header};
use super::{Detection, Input, ReadOptions, Sink};
use crate::error::{Error, Result};
use serde_json::{Map, Value};
use std::cell::Cell;
use std::rc::Rc;

/// One provider's mapping from its records to events.
pub trait Reader {
    /// Checks a CSV header and picks the columns; Err(why) when the file is not this provider's.
    fn header(&mut self, _h: &Header) -> std::result::Result<(), String> {
        Ok(())
    }
    /// Maps one record (JSON object or CSV row) to zero or more events.
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()>;
    /// Sees the non-record keys of a JSON page (totals, summary counts).
    fn summary(&mut self, _ctx: &mut Ctx<'_>, _s: &Map<String, Value>) -> Result<()> {
        Ok(())
    }
}

/// Every `--format` name this module reads, with the words used in messages.
pub const FORMATS: &[(&str, &str)] = &[
    ("mailchimp", "a Mailchimp audience export"),
    ("sendgrid", "a SendGrid event or suppression export"),
    ("mailgun", "a Mailgun events or suppression export"),
    ("ses", "Amazon SES notifications or a suppression list"),
    ("postmark", "a Postmark bounce export"),
    ("brevo", "a Brevo webhook or events export"),
    ("klaviyo", "a Klaviyo profile export"),
    ("mailjet", "a Mailjet event export"),
    (
        "mandrill",
        "Mailchimp Transactional (Mandrill) webhook events",
    ),
    ("sparkpost", "a SparkPost event export"),
    ("constantcontact", "a Constant Contact bounce report"),
    ("campaignmonitor", "a Campaign Monitor bounce report"),
    ("mailerlite", "a MailerLite subscriber export"),
    ("activecampaign", "an ActiveCampaign bounce report"),
    ("listmonk", "a listmonk bounce export"),
    (
        "campaign-summary",
        "a campaign summary (sent and delivered per campaign)",
    ),
    (
        "generic-csv",
        "a bounce report with an email or phone column",
    ),
    (
        "generic-json",
        "a bounce report with an email or phone field",
    ),
];

pub fn is_format(format: &str) -> bool {
    FORMATS.iter().any(|(f, _)| *f == format)
}

fn describe(format: &str) -> &'static str {
    FORMATS
        .iter()
        .find(|(f, _)| *f == format)
        .map(|(_, d)| *d)
        .unwrap_or("a provider report")
}

pub fn detect(name: &str, head: &[u8]) -> Option<Detection> {
    detect::detect(name, head)
}

/// Zone for zone-less times when the user gave none: what the provider's docs say.
fn zone_fallback(format: &str) -> Option<Zone> {
    match format {
        // Believed UTC (IMPORT-FORMATS.md §1, §10).
        "mailchimp" | "mailerlite" => Some(Zone::Utc),
        _ => None,
    }
}

fn reader_for(
    format: &str,
    input_name: &str,
    opts: &ReadOptions,
    head_text: &str,
) -> Option<Box<dyn Reader>> {
    Some(match format {
        "mailchimp" => Box::new(mailchimp::Mailchimp::default()),
        "sendgrid" => Box::new(sendgrid::SendGrid::new(input_name)),
        "mailgun" => Box::new(mailgun::Mailgun::default()),
        "ses" => Box::new(ses::Ses::default()),
        "postmark" => Box::new(postmark::Postmark),
        "brevo" => Box::new(brevo::Brevo),
        "klaviyo" => Box::new(klaviyo::Klaviyo),
        "mailjet" => Box::new(mailjet::Mailjet),
        "mandrill" => Box::new(mandrill::Mandrill),
        "sparkpost" => Box::new(sparkpost::SparkPost),
        "constantcontact" => Box::new(constantcontact::ConstantContact),
        "campaignmonitor" => Box::new(campaignmonitor::CampaignMonitor::new(input_name)),
        "mailerlite" => Box::new(mailerlite::MailerLite),
        "activecampaign" => Box::new(activecampaign::ActiveCampaign),
        "listmonk" => Box::new(listmonk::Listmonk),
        "campaign-summary" => Box::new(summary::Summary::default()),
        "generic-csv" | "generic-json" => Box::new(generic::Generic::new(
            input_name,
            &opts.column_map,
            head_text,
        )),
        _ => return None,
    })
}

pub fn read(
    det: &Detection,
    input: Input<'_>,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<()> {
    let head_text = text::decode_head(&input.head);
    let Some(reader) = reader_for(&det.format, &input.name, opts, &head_text) else {
        return Err(Error::BadInput {
            path: input.name,
            message: format!("'{}' is not a provider report format", det.format),
        });
    };
    let provider: &'static str = FORMATS
        .iter()
        .find(|(f, _)| *f == det.format)
        .map(|(f, _)| *f)
        .unwrap_or("generic");
    let provider = if provider.starts_with("generic") {
        "generic"
    } else {
        provider
    };
    run(
        input,
        opts,
        sink,
        reader,
        provider,
        zone_fallback(&det.format),
        describe(&det.format),
        None,
    )
}

/// Parses one text line into a record (SMPP receipts).
pub(crate) type LineParser = fn(&str) -> Option<Map<String, Value>>;

/// Streams one file through a provider reader: decodes, picks CSV / JSON / text
/// lines from the content, reports problems, and refuses a file of the wrong kind.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run(
    input: Input<'_>,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
    mut reader: Box<dyn Reader>,
    provider: &'static str,
    fallback: Option<Zone>,
    what: &str,
    lines: Option<LineParser>,
) -> Result<()> {
    let path = input.name.clone();
    let dates = DateReader::new(opts.default_tz.as_deref(), fallback).map_err(|message| {
        Error::BadInput {
            path: path.clone(),
            message,
        }
    })?;
    let enc = text::sniff_encoding(&input.head);
    let head_text = text::decode_head(&input.head);
    let bytes = Rc::new(Cell::new(0u64));
    let decoded = text::decode_reader(
        enc,
        Counting {
            inner: input.reader,
            n: bytes.clone(),
        },
    );
    let mut ctx = Ctx::new(&input.name, provider, dates, sink, bytes);
    let first = head_text.trim_start().chars().next();
    let records = if let Some(parse) = lines {
        read_text_lines(&mut ctx, reader.as_mut(), decoded, parse)?
    } else if matches!(first, Some('{') | Some('[')) {
        read_json(&mut ctx, reader.as_mut(), decoded, &head_text)?
    } else {
        read_csv(&mut ctx, reader.as_mut(), decoded, &head_text, provider)?
    };
    ctx.finish()?;
    ctx.check_not_empty(records, what)
}

fn read_text_lines(
    ctx: &mut Ctx<'_>,
    reader: &mut dyn Reader,
    decoded: Box<dyn std::io::Read + '_>,
    parse: LineParser,
) -> Result<u64> {
    use std::io::BufRead;
    let mut r = std::io::BufReader::new(decoded);
    let mut line = String::new();
    let mut row = 0u64;
    loop {
        line.clear();
        let n = r.read_line(&mut line).map_err(|e| Error::BadInput {
            path: ctx.file.clone(),
            message: format!("reading failed: {e}"),
        })?;
        if n == 0 {
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        row += 1;
        ctx.tick()?;
        match parse(line.trim_end_matches(['\r', '\n'])) {
            Some(m) => reader.record(ctx, &m, row)?,
            None => ctx.problem(row, "not a delivery receipt line")?,
        }
    }
    Ok(row)
}

fn read_json(
    ctx: &mut Ctx<'_>,
    reader: &mut dyn Reader,
    decoded: Box<dyn std::io::Read + '_>,
    head_text: &str,
) -> Result<u64> {
    let mut on = |ctx: &mut Ctx<'_>, n: u64, v: Value| -> Result<()> {
        ctx.tick()?;
        match unwrap_sns(v) {
            Ok(Value::Object(m)) => reader.record(ctx, &m, n),
            Ok(_) => ctx.problem(n, "not a JSON object"),
            Err(msg) => ctx.problem(n, &msg),
        }
    };
    if json::looks_like_lines(head_text) {
        let cell = std::cell::RefCell::new(&mut *ctx);
        let out = json::read_lines(
            decoded,
            &mut |n, v| on(&mut cell.borrow_mut(), n, v),
            &mut |n, msg| cell.borrow_mut().problem(n, &msg),
        )?;
        return Ok(out.records);
    }
    let result = json::read_document(decoded).each(&mut |n, v| on(ctx, n, v));
    match result {
        Ok(out) => {
            reader.summary(ctx, &out.summary)?;
            Ok(out.records)
        }
        Err(Error::Invalid(msg)) if ctx.events + ctx.problems + ctx.skipped > 0 => {
            let at = ctx.events + ctx.problems + ctx.skipped + 1;
            ctx.problem(at, &msg)?;
            Ok(at)
        }
        Err(Error::Invalid(msg)) => Err(Error::BadInput {
            path: ctx.file.clone(),
            message: msg,
        }),
        Err(e) => Err(e),
    }
}

/// SNS delivers SES notifications with the JSON as a string in `Message`.
fn unwrap_sns(v: Value) -> std::result::Result<Value, String> {
    let is_sns =
        v.get("TopicArn").is_some() && v.get("Message").map(Value::is_string).unwrap_or(false);
    if !is_sns {
        return Ok(v);
    }
    let msg = v.get("Message").and_then(Value::as_str).unwrap_or("");
    serde_json::from_str(msg).map_err(|e| format!("SNS envelope whose Message is not JSON ({e})"))
}

fn read_csv(
    ctx: &mut Ctx<'_>,
    reader: &mut dyn Reader,
    decoded: Box<dyn std::io::Read + '_>,
    head_text: &str,
    format: &str,
) -> Result<u64> {
    let delim = text::sniff_delimiter(head_text);
    learn_date_order(ctx, head_text, delim);
    // SES suppression lists may come without a header line (`address,REASON`).
    let has_header = !(format == "ses" && ses::headerless(head_text));
    // The generic mapper and SendGrid need no header check beyond theirs.
    let preamble = text::header_offset(head_text, delim);
    let rows = each_csv_row(ctx, decoded, delim, has_header, preamble, reader)?;
    Ok(rows)
}

/// Lets the first rows decide whether `03/02/2024` is day- or month-first.
fn learn_date_order(ctx: &mut Ctx<'_>, head_text: &str, delim: u8) {
    let mut rdr = text::csv_builder(delim).from_reader(head_text.as_bytes());
    let mut cells = Vec::new();
    for rec in rdr.byte_records().take(500).flatten() {
        for f in rec.iter() {
            if let Ok(s) = std::str::from_utf8(f) {
                if s.len() <= 32 && s.contains(['/', '.']) {
                    cells.push(s.to_string());
                }
            }
        }
    }
    ctx.dates.learn_order(cells.iter().map(String::as_str));
}

#[cfg(test)]
mod tests;
