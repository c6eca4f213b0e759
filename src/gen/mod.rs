//! Synthetic data for tests and benchmarks: mbox files and maildir trees of
//! bounces in many MTA styles, provider exports, SMS logs and contact lists,
//! reproducible from a seed, with the expected outcome of every message or row
//! written beside them in `truth.tsv`.
//!
//! truth.tsv columns: file (relative to the output folder), locator (`#N`: the
//! Nth message of an mbox, or the Nth data row / JSON line of a report, 1-based;
//! empty for a maildir message file), recipient, kind, class, reason, status,
//! campaign. kind `none` marks a message that must produce no event (an
//! ordinary reply); kind `contact` marks a contact-list row, whose class is the
//! worst outcome generated for that address (`none` if it never failed).

mod contacts;
pub mod events;
mod mail;
mod mailbox;
mod reports;
pub mod rng;
mod world;

use crate::error::{Error, Result};
use crate::model::Class;
use rng::Rng;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Providers `--esp` knows, with the file each one writes.
pub const ESP_PROVIDERS: &[(&str, &str)] = &[
    ("sendgrid", "esp/sendgrid-events.jsonl"),
    ("sendgrid-csv", "esp/sendgrid-bounces.csv"),
    ("mailchimp", "esp/mailchimp-cleaned.csv"),
    ("ses", "esp/ses-notifications.jsonl"),
    ("mailgun-csv", "esp/mailgun-bounces.csv"),
];

/// What to generate. Counts of 0 skip that kind of file.
#[derive(Debug, Clone)]
pub struct GenOptions {
    pub seed: u64,
    pub out: PathBuf,
    /// Messages in `mbox/bounces.mbox`.
    pub mbox: usize,
    /// Message files in the `maildir/` tree.
    pub maildir: usize,
    /// (provider, rows) for provider exports.
    pub esp: Vec<(String, usize)>,
    /// Rows of `sms/twilio-messages.csv`.
    pub sms: usize,
    /// Rows of `contacts/contacts.csv`.
    pub contacts: usize,
    /// Percent of returned originals carrying a ~1 MB base64 attachment.
    pub big_attachment_pct: f64,
}

impl GenOptions {
    pub fn new(seed: u64, out: impl Into<PathBuf>) -> GenOptions {
        GenOptions {
            seed,
            out: out.into(),
            mbox: 0,
            maildir: 0,
            esp: Vec::new(),
            sms: 0,
            contacts: 0,
            big_attachment_pct: 2.0,
        }
    }
}

/// One file written, with how many messages or rows and expected events it holds.
#[derive(Debug, Clone)]
pub struct GenFile {
    pub path: PathBuf,
    pub bytes: u64,
    pub records: u64,
    pub expected_events: u64,
}

/// The expected outcomes, streamed to truth.tsv as files are written.
pub(crate) struct Truth {
    w: BufWriter<File>,
    path: PathBuf,
    /// Worst outcome per lowercased address, for the contact list's expectations.
    worst: HashMap<String, Class>,
    /// Email recipients in generation order, so contacts can reuse some.
    pub(crate) emails: Vec<String>,
}

pub(crate) struct TruthRow<'a> {
    pub file: &'a str,
    pub locator: &'a str,
    pub recipient: &'a str,
    pub kind: &'a str,
    pub class: Class,
    pub reason: &'a str,
    pub status: &'a str,
    pub campaign: &'a str,
}

impl Truth {
    fn create(out: &Path) -> Result<Truth> {
        let path = out.join("truth.tsv");
        let f = File::create(&path).map_err(|e| Error::write(&path, e))?;
        let mut t = Truth {
            w: BufWriter::with_capacity(1 << 20, f),
            path,
            worst: HashMap::new(),
            emails: Vec::new(),
        };
        t.line("file\tlocator\trecipient\tkind\tclass\treason\tstatus\tcampaign")?;
        Ok(t)
    }

    fn line(&mut self, s: &str) -> Result<()> {
        writeln!(self.w, "{s}").map_err(|e| Error::write(&self.path, e))
    }

    pub(crate) fn row(&mut self, r: TruthRow) -> Result<()> {
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
        writeln!(
            self.w,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.file,
            r.locator,
            clean(r.recipient),
            r.kind,
            r.class.as_str(),
            r.reason,
            r.status,
            clean(r.campaign)
        )
        .map_err(|e| Error::write(&self.path, e))?;
        if r.kind != "contact" && !r.recipient.is_empty() {
            let key = r.recipient.to_lowercase();
            if r.recipient.contains('@') && !self.worst.contains_key(&key) {
                self.emails.push(r.recipient.to_string());
            }
            let e = self.worst.entry(key).or_insert(Class::None);
            if severity(r.class) > severity(*e) {
                *e = r.class;
            }
        }
        Ok(())
    }

    pub(crate) fn worst(&self, address: &str) -> Class {
        self.worst
            .get(&address.to_lowercase())
            .copied()
            .unwrap_or(Class::None)
    }

    fn finish(mut self) -> Result<()> {
        self.w.flush().map_err(|e| Error::write(&self.path, e))
    }
}

/// Which outcome decides what a contact list does with an address.
fn severity(c: Class) -> u8 {
    match c {
        Class::None => 0,
        Class::Block => 1,
        Class::Soft => 2,
        Class::Hard => 3,
        Class::Unsubscribe => 4,
        Class::Complaint => 5,
    }
}

/// Writes everything `opts` asks for under `opts.out`; returns the files written.
pub fn generate(opts: &GenOptions) -> Result<Vec<GenFile>> {
    std::fs::create_dir_all(&opts.out).map_err(|e| Error::write(&opts.out, e))?;
    let root = Rng::new(opts.seed);
    let mut world_rng = root.fork("world");
    let campaigns = world::campaigns(&mut world_rng, 40);
    let mut truth = Truth::create(&opts.out)?;
    let mut files = Vec::new();
    let ctx = mailbox::Ctx {
        out: &opts.out,
        campaigns: &campaigns,
        big_pct: opts.big_attachment_pct,
    };
    if opts.mbox > 0 {
        files.push(mailbox::write_mbox(
            &ctx,
            root.fork("mbox"),
            opts.mbox,
            &mut truth,
        )?);
    }
    if opts.maildir > 0 {
        files.push(mailbox::write_maildir(
            &ctx,
            root.fork("maildir"),
            opts.maildir,
            &mut truth,
        )?);
    }
    for (provider, rows) in &opts.esp {
        let file = reports::write_esp(
            &opts.out,
            provider,
            root.fork(provider),
            *rows,
            &campaigns,
            &mut truth,
        )?;
        files.push(file);
    }
    if opts.sms > 0 {
        files.push(reports::write_twilio(
            &opts.out,
            root.fork("sms"),
            opts.sms,
            &campaigns,
            &mut truth,
        )?);
    }
    if opts.contacts > 0 {
        files.push(contacts::write_contacts(
            &opts.out,
            root.fork("contacts"),
            opts.contacts,
            &mut truth,
        )?);
    }
    truth.finish()?;
    Ok(files)
}

/// Parses `provider:rows` as given to `--esp`.
pub fn parse_esp_arg(s: &str) -> Result<(String, usize)> {
    let bad = || {
        Error::Invalid(format!(
            "--esp takes PROVIDER:ROWS (providers: {}), got '{s}'",
            esp_names()
        ))
    };
    let (p, n) = s.split_once(':').ok_or_else(bad)?;
    let n: usize = n.trim().parse().map_err(|_| bad())?;
    let p = p.trim().to_lowercase();
    if !ESP_PROVIDERS.iter().any(|(name, _)| *name == p) {
        return Err(bad());
    }
    Ok((p, n))
}

fn esp_names() -> String {
    ESP_PROVIDERS
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn create(path: &Path) -> Result<BufWriter<File>> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    }
    let f = File::create(path).map_err(|e| Error::write(path, e))?;
    Ok(BufWriter::with_capacity(1 << 20, f))
}

pub(crate) fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}
