//! `rebound gen`: reproducible synthetic mailboxes, reports and contact lists
//! with their expected outcomes in truth.tsv (for tests and benchmarks).

use rebound::error::Result;
use rebound::gen::{generate, parse_esp_arg, GenOptions};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Seed: the same seed and counts always write the same bytes
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output folder (created if missing)
    #[arg(long)]
    pub out: PathBuf,
    /// Bounce messages in mbox/bounces.mbox
    #[arg(long, default_value_t = 0)]
    pub mbox: usize,
    /// Message files in the maildir/ tree
    #[arg(long, default_value_t = 0)]
    pub maildir: usize,
    /// Provider export rows, repeatable: sendgrid:1000, sendgrid-csv:N, mailchimp:N, ses:N, mailgun-csv:N
    #[arg(long, value_name = "PROVIDER:ROWS")]
    pub esp: Vec<String>,
    /// Rows of a Twilio message log (sms/twilio-messages.csv)
    #[arg(long, default_value_t = 0)]
    pub sms: usize,
    /// Rows of contacts/contacts.csv (some match generated bounces)
    #[arg(long, default_value_t = 0)]
    pub contacts: usize,
    /// Percent of returned messages carrying a ~1 MB attachment (decimals allowed)
    #[arg(long, value_name = "PCT", default_value_t = 2.0)]
    pub big_attachments: f64,
}

pub fn run(_db: &std::path::Path, a: Args) -> Result<i32> {
    let mut opts = GenOptions::new(a.seed, a.out);
    opts.mbox = a.mbox;
    opts.maildir = a.maildir;
    opts.esp = a
        .esp
        .iter()
        .map(|s| parse_esp_arg(s))
        .collect::<Result<_>>()?;
    opts.sms = a.sms;
    opts.contacts = a.contacts;
    if !(0.0..=100.0).contains(&a.big_attachments) {
        return Err(rebound::Error::Invalid(format!(
            "--big-attachments takes a percent from 0 to 100, got {}",
            a.big_attachments
        )));
    }
    opts.big_attachment_pct = a.big_attachments;
    let started = std::time::Instant::now();
    let files = generate(&opts)?;
    for f in &files {
        println!(
            "{}: {} records, {} expected events, {} bytes",
            f.path.display(),
            f.records,
            f.expected_events,
            f.bytes
        );
    }
    println!(
        "{}: expected outcomes ({:.1} s)",
        opts.out.join("truth.tsv").display(),
        started.elapsed().as_secs_f64()
    );
    Ok(0)
}
