//! Cleaned lists: apply what the store knows (and what the addresses show by
//! themselves) to a contact list, and write the rows that stay byte for byte,
//! the rows taken out with the reason and evidence, and suppression files.
//!
//! One pass over the list, streaming: the store's failures are loaded into a map
//! first ([`evidence`]), then each row is decided and copied out as it is read.

pub mod columns;
pub mod evidence;
pub mod policy;
pub mod progress;
pub mod suppression;
pub mod validate;
pub mod writer;

pub use columns::{ColumnChoice, ColumnDetection, ColumnGuess};
pub use policy::{Policy, PolicyLine};
pub use progress::{CleanProgress, OnProgress};
pub use suppression::{SuppressionEntry, SuppressionFormat};

use crate::error::{Error, Result};
use crate::ingest::contacts::{self, ContactReader, Layout, TextEncoding};
use crate::store::Store;
use evidence::{AddressEvidence, Cite, Evidence};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use writer::{cell, AtomicFile};

/// How many removed / flagged rows the summary lists one by one (the files have them all).
pub const SAMPLE_ROWS: usize = 1000;

/// The user's choices for one clean.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub policy: Policy,
    pub email_column: Option<ColumnChoice>,
    pub phone_column: Option<ColumnChoice>,
    /// None: detected (the first row is a header when it holds no address).
    pub has_header: Option<bool>,
    /// None: detected from the first rows (`,` `;` tab `|`).
    pub delimiter: Option<u8>,
}

impl Options {
    fn hints(&self) -> contacts::ShapeHints {
        contacts::ShapeHints {
            has_header: self.has_header,
            delimiter: self.delimiter,
        }
    }
}

/// Where to write. `None` means next to the input: `NAME.cleaned.EXT`, `NAME.removed.EXT`.
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    pub cleaned: Option<PathBuf>,
    pub removed: Option<PathBuf>,
    pub suppressions: Vec<(SuppressionFormat, PathBuf)>,
}

impl Outputs {
    /// The default cleaned and removed paths for `input`.
    pub fn defaults(input: &Path) -> (PathBuf, PathBuf) {
        let stem = input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "contacts".into());
        let ext = input
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_else(|| "csv".into());
        (
            input.with_file_name(format!("{stem}.cleaned.{ext}")),
            input.with_file_name(format!("{stem}.removed.{ext}")),
        )
    }
}

/// Why a row is removed or flagged. Serialized keys are stable (translation keys `clean.reason.<key>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    HardBounce,
    Complaint,
    Unsubscribe,
    RepeatedSoftBounce,
    SmsInvalid,
    SmsOptedOut,
    InvalidAddress,
    DomainTypo,
    RoleAccount,
    Blocked,
    Duplicate,
}

impl Why {
    pub fn key(self) -> &'static str {
        match self {
            Why::HardBounce => "hard_bounce",
            Why::Complaint => "complaint",
            Why::Unsubscribe => "unsubscribe",
            Why::RepeatedSoftBounce => "repeated_soft_bounce",
            Why::SmsInvalid => "sms_invalid",
            Why::SmsOptedOut => "sms_opted_out",
            Why::InvalidAddress => "invalid_address",
            Why::DomainTypo => "domain_typo",
            Why::RoleAccount => "role_account",
            Why::Blocked => "blocked",
            Why::Duplicate => "duplicate",
        }
    }
}

/// One reason found for one row, with its evidence in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub why: Why,
    pub remove: bool,
    pub evidence: String,
    /// The store event behind it, when there is one.
    pub cite: Option<Cite>,
}

/// One removed or flagged row, for the summary screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowReport {
    /// 1-based data row (the header is not counted).
    pub row: u64,
    pub address: String,
    pub removed: bool,
    pub findings: Vec<Finding>,
}

/// What a clean did (or, in a preview, would do).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub input: String,
    pub detection: ColumnDetection,
    pub rows: u64,
    pub kept: u64,
    pub removed: u64,
    /// Kept rows with at least one flag.
    pub flagged: u64,
    pub rows_without_address: u64,
    /// Removed rows by their main reason.
    pub removed_by_reason: BTreeMap<String, u64>,
    /// Flags on kept rows (a row may carry several).
    pub flagged_by_reason: BTreeMap<String, u64>,
    /// Addresses in the store with failures (how much evidence there was to apply).
    pub known_addresses: usize,
    pub removed_rows: Vec<RowReport>,
    pub flagged_rows: Vec<RowReport>,
    pub policy: Vec<PolicyLine>,
    /// Things the user should know about the result (e.g. characters that could not be kept exactly).
    pub warnings: Vec<String>,
    /// Files written, in order: cleaned, removed, then suppression files. Empty for a preview.
    pub written: Vec<String>,
    pub dry_run: bool,
}

/// The "see column detection" screen: encoding, delimiter, header and the chosen columns.
pub fn detect(input: &Path, opts: &Options) -> Result<ColumnDetection> {
    let sample = contacts::sniff_file(input, opts.hints())?;
    columns::detect_columns(
        &sample,
        opts.email_column.as_ref(),
        opts.phone_column.as_ref(),
    )
}

/// Decides every row and counts, writing nothing.
pub fn preview(store: &Store, input: &Path, opts: &Options) -> Result<Summary> {
    clean(store, input, opts, None, None)
}

/// Decides every row and writes the cleaned list, the removed rows and the suppression files.
pub fn run(store: &Store, input: &Path, opts: &Options, outputs: &Outputs) -> Result<Summary> {
    clean(store, input, opts, Some(outputs), None)
}

/// `preview` or (with `outputs`) `run`, telling `on_progress` how far it got; the
/// callback returning `false` stops it with `Error::Cancelled` and nothing written.
pub fn clean_with_progress(
    store: &Store,
    input: &Path,
    opts: &Options,
    outputs: Option<&Outputs>,
    on_progress: OnProgress<'_>,
) -> Result<Summary> {
    clean(store, input, opts, outputs, Some(on_progress))
}

struct Files {
    cleaned: AtomicFile,
    removed: AtomicFile,
    paths: Vec<PathBuf>,
}

fn clean(
    store: &Store,
    input: &Path,
    opts: &Options,
    outputs: Option<&Outputs>,
    on_progress: Option<OnProgress<'_>>,
) -> Result<Summary> {
    let sample = contacts::sniff_file(input, opts.hints())?;
    let detection = columns::detect_columns(
        &sample,
        opts.email_column.as_ref(),
        opts.phone_column.as_ref(),
    )?;
    let empty = sample.rows.is_empty() && sample.header.is_none();
    if detection.email.is_none() && detection.phone.is_none() && !empty {
        return Err(Error::BadInput {
            path: input.display().to_string(),
            message: "no column of email addresses or phone numbers was found; name it with --email-column (or --phone-column)".into(),
        });
    }
    let mut files = match outputs {
        Some(o) => Some(open_outputs(input, o)?),
        None => None,
    };
    let mut reader = ContactReader::open(input, &sample.layout)?;
    let evidence = Evidence::load(store)?;
    let mut decider = Decider::new(&evidence, &opts.policy, estimate_rows(input, &sample));
    let mut summary = Summary {
        input: input.display().to_string(),
        detection: detection.clone(),
        rows: 0,
        kept: 0,
        removed: 0,
        flagged: 0,
        rows_without_address: 0,
        removed_by_reason: BTreeMap::new(),
        flagged_by_reason: BTreeMap::new(),
        known_addresses: evidence.len(),
        removed_rows: Vec::new(),
        flagged_rows: Vec::new(),
        policy: opts.policy.describe(),
        warnings: Vec::new(),
        written: Vec::new(),
        dry_run: outputs.is_none(),
    };
    let broken = contacts::undecodable_utf16_units(input, &sample.layout)?;
    if broken > 0 {
        summary.warnings.push(format!(
            "{broken} character(s) in this UTF-16 file are broken and come out as the replacement character U+FFFD; the rows holding them are not byte-identical to the input"
        ));
    }
    let layout = sample.layout.clone();
    let width = reader.header().map(|h| h.len()).unwrap_or(0);
    if let Some(f) = files.as_mut() {
        write_prefixes(f, &reader, &layout)?;
    }
    let (email_col, phone_col) = (
        detection.email.as_ref().map(|g| g.index),
        detection.phone.as_ref().map(|g| g.index),
    );
    let mut suppress: Vec<SuppressionEntry> = Vec::new();
    let mut line = Vec::new();
    let total_bytes = std::fs::metadata(input).map(|m| m.len()).unwrap_or(0);
    let mut meter = progress::Meter::new(on_progress, total_bytes, encoding_units(layout.encoding));
    while let Some(row) = reader.next_row()? {
        meter.row(row.raw.len())?;
        summary.rows += 1;
        let email = email_col
            .and_then(|i| row.fields.get(i))
            .map(|c| layout.encoding.cell_text(c))
            .filter(|c| !c.trim().is_empty());
        let phone = phone_col
            .and_then(|i| row.fields.get(i))
            .map(|c| layout.encoding.cell_text(c))
            .filter(|c| !c.trim().is_empty());
        if email.is_none() && phone.is_none() {
            summary.rows_without_address += 1;
        }
        let (findings, phone_e164) = decider.decide(email.as_deref(), phone.as_deref(), row.number);
        let address = email
            .as_deref()
            .map(|e| e.trim().to_string())
            .or_else(|| phone.as_deref().map(|p| p.trim().to_string()))
            .unwrap_or_default();
        let removing = findings.iter().find(|f| f.remove).cloned();
        match removing {
            None => {
                summary.kept += 1;
                if let Some(f) = files.as_mut() {
                    write_out(&mut f.cleaned, layout.encoding, row.raw, &mut line)?;
                }
                if !findings.is_empty() {
                    summary.flagged += 1;
                    for f in &findings {
                        *summary
                            .flagged_by_reason
                            .entry(f.why.key().to_string())
                            .or_default() += 1;
                    }
                    if summary.flagged_rows.len() < SAMPLE_ROWS {
                        summary.flagged_rows.push(RowReport {
                            row: row.number,
                            address,
                            removed: false,
                            findings,
                        });
                    }
                }
            }
            Some(main) => {
                summary.removed += 1;
                *summary
                    .removed_by_reason
                    .entry(main.why.key().to_string())
                    .or_default() += 1;
                if let Some(f) = files.as_mut() {
                    let extra = removed_cells(
                        &main,
                        &findings,
                        layout.delimiter,
                        width.saturating_sub(row.fields.len()),
                    );
                    let mut parse = contacts::strip_line_endings(row.raw).to_vec();
                    parse.extend_from_slice(&layout.encoding.text_to_parse(&extra));
                    parse.extend_from_slice(layout.line_ending.as_bytes());
                    write_out(&mut f.removed, layout.encoding, &parse, &mut line)?;
                }
                if main.why != Why::Duplicate {
                    let supp_addr = match (&email, &phone_e164) {
                        (Some(e), _) => crate::model::normalize_email(e),
                        (None, Some(p)) => p.clone(),
                        (None, None) => address.clone(),
                    };
                    suppress.push(SuppressionEntry {
                        address: supp_addr,
                        reason: main.why.key(),
                        at: main.cite.as_ref().and_then(|c| c.at),
                        diagnostic: main
                            .cite
                            .as_ref()
                            .and_then(|c| c.diagnostic.as_deref().map(str::to_string)),
                    });
                }
                if summary.removed_rows.len() < SAMPLE_ROWS {
                    summary.removed_rows.push(RowReport {
                        row: row.number,
                        address,
                        removed: true,
                        findings,
                    });
                }
            }
        }
    }
    meter.end()?;
    if let (Some(f), Some(o)) = (files, outputs) {
        summary.written = finish(f, o, &suppress)?;
    }
    Ok(summary)
}

/// Bytes in the file per byte of a row as read.
fn encoding_units(e: TextEncoding) -> u64 {
    if matches!(e, TextEncoding::Utf16Le | TextEncoding::Utf16Be) {
        2
    } else {
        1
    }
}

/// Rows in the whole file, from its size and the sample's bytes per row.
fn estimate_rows(input: &Path, sample: &contacts::Sample) -> usize {
    let size = std::fs::metadata(input).map(|m| m.len()).unwrap_or(0) as usize;
    let sampled: usize = sample
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.len() + 1).sum::<usize>())
        .sum();
    let per_row = (sampled / sample.rows.len().max(1)).max(8);
    let units = if matches!(
        sample.layout.encoding,
        TextEncoding::Utf16Le | TextEncoding::Utf16Be
    ) {
        2
    } else {
        1
    };
    size / units / per_row + 16
}

fn open_outputs(input: &Path, o: &Outputs) -> Result<Files> {
    let (dc, dr) = Outputs::defaults(input);
    let cleaned = o.cleaned.clone().unwrap_or(dc);
    let removed = o.removed.clone().unwrap_or(dr);
    let mut all: Vec<&Path> = vec![&cleaned, &removed];
    all.extend(o.suppressions.iter().map(|(_, p)| p.as_path()));
    writer::check_outputs(input, &all)?;
    Ok(Files {
        cleaned: AtomicFile::create(&cleaned)?,
        removed: AtomicFile::create(&removed)?,
        paths: vec![cleaned, removed],
    })
}

fn write_prefixes(f: &mut Files, reader: &ContactReader, layout: &Layout) -> Result<()> {
    f.cleaned.write_all(&layout.bom)?;
    f.removed.write_all(&layout.bom)?;
    let mut buf = Vec::new();
    write_out(
        &mut f.cleaned,
        layout.encoding,
        reader.header_raw(),
        &mut buf,
    )?;
    if reader.header().is_some() {
        let d = layout.delimiter as char;
        let mut parse = contacts::strip_line_endings(reader.header_raw()).to_vec();
        let added = format!(
            "{d}rebound_action{d}rebound_reason{d}rebound_evidence{}",
            layout.line_ending
        );
        parse.extend_from_slice(&layout.encoding.text_to_parse(&added));
        write_out(&mut f.removed, layout.encoding, &parse, &mut buf)?;
    }
    Ok(())
}

fn write_out(f: &mut AtomicFile, enc: TextEncoding, parse: &[u8], buf: &mut Vec<u8>) -> Result<()> {
    match enc {
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            buf.clear();
            enc.to_output(parse, buf);
            f.write_all(buf)
        }
        _ => f.write_all(parse),
    }
}

/// `,removed,hard_bounce,"2024-03-02 | …"` — padded so the added columns line up on short rows.
fn removed_cells(main: &Finding, all: &[Finding], delimiter: u8, pad: usize) -> String {
    let d = delimiter as char;
    let mut evidence = main.evidence.clone();
    let others: Vec<&str> = all
        .iter()
        .filter(|f| f.why != main.why)
        .map(|f| f.why.key())
        .collect();
    if !others.is_empty() {
        evidence.push_str(&format!(" | also: {}", others.join(", ")));
    }
    let mut s = String::new();
    for _ in 0..pad {
        s.push(d);
    }
    for c in ["removed", main.why.key(), &evidence] {
        s.push(d);
        s.push_str(&cell(c, delimiter));
    }
    s
}

/// Everything is written to temporary files first; only then is each renamed into place.
fn finish(f: Files, o: &Outputs, suppress: &[SuppressionEntry]) -> Result<Vec<String>> {
    let mut pending = Vec::new();
    for (format, path) in &o.suppressions {
        pending.push(suppression::prepare(*format, path, suppress)?.0);
    }
    f.cleaned.commit()?;
    f.removed.commit()?;
    for p in pending {
        p.commit()?;
    }
    let mut written: Vec<String> = f.paths.iter().map(|p| p.display().to_string()).collect();
    written.extend(o.suppressions.iter().map(|(_, p)| p.display().to_string()));
    Ok(written)
}

/// Per-row decisions, with the state a streaming pass needs (first occurrences, typo cache).
struct Decider<'a> {
    evidence: &'a Evidence,
    policy: &'a Policy,
    /// 128-bit hash of each address key → the row it first appeared on
    /// (24 bytes a row: a million-row list stays well inside the memory goal).
    seen: HashMap<[u64; 2], u32>,
    typos: HashMap<String, Option<&'static str>>,
}

impl<'a> Decider<'a> {
    fn new(evidence: &'a Evidence, policy: &'a Policy, expected_rows: usize) -> Self {
        // Sized up front: growing the map mid-list would briefly hold two copies of it.
        Decider {
            evidence,
            policy,
            seen: HashMap::with_capacity(expected_rows.min(20_000_000)),
            typos: HashMap::new(),
        }
    }

    /// Every finding for one row, most serious first; also the phone in E.164 when there is one.
    fn decide(
        &mut self,
        email: Option<&str>,
        phone: Option<&str>,
        row: u64,
    ) -> (Vec<Finding>, Option<String>) {
        let mut out = Vec::new();
        let p = self.policy;
        let phone_e164 = phone.and_then(validate::normalize_phone);
        let mut dup_key = None;
        if let Some(e) = email {
            let key = validate::match_key(e);
            if let Some(ev) = self.evidence.get(&key) {
                self.store_findings(ev, &mut out);
            }
            let (raw, trimmed) = (e, e.trim());
            if let Some(problem) = validate::syntax_problem(raw) {
                out.push(flag(
                    Why::InvalidAddress,
                    p.remove_invalid,
                    format!("not a valid email address ({})", problem.replace('_', " ")),
                ));
            } else if let Some((local, domain)) = trimmed.rsplit_once('@') {
                if let Some(s) = self.typo(domain) {
                    out.push(flag(
                        Why::DomainTypo,
                        p.remove_typos,
                        format!("did you mean {local}@{s}?"),
                    ));
                }
                if validate::is_role_account(trimmed) {
                    out.push(flag(
                        Why::RoleAccount,
                        p.remove_role,
                        format!("{local}@ is a team address, not a person"),
                    ));
                }
            }
            dup_key = Some(key);
        }
        if let Some(ph) = &phone_e164 {
            if let Some(ev) = self.evidence.get(ph) {
                self.store_findings(ev, &mut out);
            }
            dup_key = dup_key.or_else(|| Some(ph.clone()));
        }
        if let Some(k) = dup_key {
            match self.seen.entry(hash128(&k)) {
                std::collections::hash_map::Entry::Occupied(first) => out.push(flag(
                    Why::Duplicate,
                    p.remove_duplicates,
                    format!("same address as row {}", first.get()),
                )),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(u32::try_from(row).unwrap_or(u32::MAX));
                }
            }
        }
        out.sort_by_key(|f| f.why);
        out.dedup_by_key(|f| f.why);
        (out, phone_e164)
    }

    fn store_findings(&self, ev: &AddressEvidence, out: &mut Vec<Finding>) {
        let p = self.policy;
        let cited = |why: Why, remove: bool, c: &Cite| Finding {
            why,
            remove,
            evidence: c.describe(),
            cite: Some(c.clone()),
        };
        let slots = [
            (Why::HardBounce, p.remove_hard, &ev.hard),
            (Why::Complaint, p.remove_complaints, &ev.complaint),
            (Why::Unsubscribe, p.remove_unsubscribes, &ev.unsubscribe),
            (Why::SmsInvalid, p.remove_sms_invalid, &ev.sms_invalid),
            (Why::SmsOptedOut, p.remove_sms_opted_out, &ev.sms_opted_out),
            (Why::Blocked, p.remove_blocked, &ev.block),
        ];
        for (why, remove, slot) in slots {
            if let Some(c) = slot {
                out.push(cited(why, remove, c));
            }
        }
        if let (Some(r), Some(last)) = (
            ev.repeated_soft(p.soft_days, p.soft_window_days),
            &ev.soft_last,
        ) {
            let day = |t: i64| {
                chrono::DateTime::from_timestamp(t, 0)
                    .map(|t| t.format("%Y-%m-%d").to_string())
                    .unwrap_or_default()
            };
            let mut f = cited(Why::RepeatedSoftBounce, p.remove_repeated_soft, last);
            f.evidence = format!(
                "soft bounces on {} days from {} to {}, no delivery since; last: {}",
                r.days,
                day(r.first),
                day(r.last),
                f.evidence
            );
            out.push(f);
        }
    }

    fn typo(&mut self, domain: &str) -> Option<&'static str> {
        if let Some(hit) = self.typos.get(domain) {
            return *hit;
        }
        let s = validate::domain_typo(domain);
        // Bounded: a list of random domains must not grow this without end.
        if self.typos.len() < 100_000 {
            self.typos.insert(domain.to_string(), s);
        }
        s
    }
}

fn flag(why: Why, remove: bool, evidence: String) -> Finding {
    Finding {
        why,
        remove,
        evidence,
        cite: None,
    }
}

/// Two independent 64-bit SipHashes: duplicates of a million addresses cost 16 bytes each, and a
/// false "duplicate" would need a 128-bit collision.
fn hash128(key: &str) -> [u64; 2] {
    let mut a = std::hash::DefaultHasher::new();
    key.hash(&mut a);
    let mut b = std::hash::DefaultHasher::new();
    0xA5u8.hash(&mut b);
    key.hash(&mut b);
    [a.finish(), b.finish()]
}

#[cfg(test)]
mod tests;
