//! `rebound clean CONTACTS.csv`: the cleaned list, the removed rows with their
//! reasons, suppression files, and a summary table.

use rebound::clean::{self, ColumnChoice, Options, Outputs, Policy, Summary, SuppressionFormat};
use rebound::error::Result;
use rebound::store::Store;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The contact list (CSV/TSV; UTF-8, UTF-16 or Windows-1252; any delimiter)
    pub input: PathBuf,
    /// Where the rows that stay go [default: NAME.cleaned.EXT next to the input]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Where the rows taken out go, with reason and evidence [default: NAME.removed.EXT]
    #[arg(long, value_name = "FILE")]
    pub removed: Option<PathBuf>,
    /// A suppression file to upload: FORMAT:FILE, FORMAT one of plain, mailchimp, sendgrid,
    /// mailgun, mailgun-bounces, mailgun-unsubscribes, mailgun-complaints, brevo, klaviyo (repeatable)
    #[arg(long, value_name = "FORMAT:FILE")]
    pub suppression: Vec<String>,
    /// Change the policy for this run: KEY=VALUE, e.g. remove_invalid=true, soft_days=3 (repeatable)
    #[arg(long, value_name = "KEY=VALUE")]
    pub policy: Vec<String>,
    /// Keep the --policy changes as the new defaults
    #[arg(long)]
    pub save_policy: bool,
    /// The email column: its header name or its position (1 = first)
    #[arg(long, value_name = "NAME|INDEX")]
    pub email_column: Option<String>,
    /// The phone column for SMS lists: its header name or its position (1 = first)
    #[arg(long, value_name = "NAME|INDEX")]
    pub phone_column: Option<String>,
    /// The delimiter, when detection guesses wrong: , ; tab (or \t) |
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// The first row is data, not a header
    #[arg(long, conflicts_with = "header")]
    pub no_header: bool,
    /// The first row is a header even if it holds an address
    #[arg(long)]
    pub header: bool,
    /// Show what would happen; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Print the summary as JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

pub fn run(db: &Path, a: Args) -> Result<i32> {
    let store = Store::open(db)?;
    let mut policy = Policy::load(&store)?;
    for p in &a.policy {
        policy.apply(p)?;
    }
    if a.save_policy {
        policy.save(&store)?;
    }
    let opts = Options {
        policy,
        email_column: a.email_column.as_deref().map(ColumnChoice::parse),
        phone_column: a.phone_column.as_deref().map(ColumnChoice::parse),
        has_header: if a.no_header { Some(false) } else if a.header { Some(true) } else { None },
        delimiter: a.delimiter.as_deref().map(parse_delimiter).transpose()?,
    };
    let summary = if a.dry_run {
        clean::preview(&store, &a.input, &opts)?
    } else {
        let suppressions = a.suppression.iter().map(|s| SuppressionFormat::parse_spec(s)).collect::<Result<Vec<_>>>()?;
        clean::run(&store, &a.input, &opts, &Outputs { cleaned: a.out, removed: a.removed, suppressions })?
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&summary).map_err(|e| rebound::Error::Invalid(e.to_string()))?);
    } else {
        print!("{}", table(&summary));
    }
    Ok(0)
}

fn parse_delimiter(s: &str) -> Result<u8> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() && !s.contains(['"', '\r', '\n']) => Ok(s.as_bytes()[0]),
        _ => Err(rebound::Error::Invalid(format!("--delimiter wants one character such as , ; | or tab, got '{s}'"))),
    }
}

/// The summary as a plain-text table.
fn table(s: &Summary) -> String {
    let d = &s.detection;
    let col = |g: &Option<rebound::clean::ColumnGuess>| match g {
        Some(g) => format!("{} ({})", g.name.clone().unwrap_or_else(|| format!("column {}", g.index + 1)), g.why),
        None => "none".into(),
    };
    let mut out = String::new();
    let mut line = |k: &str, v: String| out.push_str(&format!("{k:<22} {v}\n"));
    line("list", s.input.clone());
    line("encoding", format!("{}, delimiter '{}', {}", d.encoding, d.delimiter, if d.layout.has_header { "header row" } else { "no header row" }));
    line("email column", col(&d.email));
    line("phone column", col(&d.phone));
    line("known addresses", format!("{} with failures in the database", s.known_addresses));
    line("rows", s.rows.to_string());
    line("kept", s.kept.to_string());
    line("removed", s.removed.to_string());
    for (k, n) in &s.removed_by_reason {
        line(&format!("  {k}"), n.to_string());
    }
    line("flagged (kept)", s.flagged.to_string());
    for (k, n) in &s.flagged_by_reason {
        line(&format!("  {k}"), n.to_string());
    }
    if s.rows_without_address > 0 {
        line("rows without address", s.rows_without_address.to_string());
    }
    for (i, p) in s.policy.iter().filter(|p| !matches!(p.key.as_str(), "soft_days" | "soft_window_days")).enumerate() {
        line(if i == 0 { "policy" } else { "" }, p.text.clone());
    }
    for w in &s.warnings {
        line("warning", w.clone());
    }
    if s.dry_run {
        line("files", "none written (--dry-run)".into());
    } else {
        for w in &s.written {
            line("wrote", w.clone());
        }
    }
    out
}
