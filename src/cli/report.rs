//! `rebound report`: bounce numbers per campaign, as a table, JSON or CSV.

use rebound::error::{Error, Result};
use rebound::report::{self, export, Query, Zone};
use rebound::store::Store;
use std::path::Path;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Campaign id, key or name [default: all campaigns]
    #[arg(long)]
    pub campaign: Option<String>,
    /// First local day to include (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last local day to include (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Time zone for days and weeks: an IANA name (Asia/Ho_Chi_Minh) or an offset (+07:00) [default: the saved setting, else UTC]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Output format
    #[arg(long, default_value = "table", value_parser = ["table", "json", "csv"])]
    pub format: String,
    /// Rows kept in the domain and MTA breakdowns before grouping the rest as "other"
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

pub fn query(
    store: &Store,
    campaign: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    tz: Option<&str>,
) -> Result<Query> {
    let campaign = match campaign {
        Some(c) => Some(report::campaign_by_key_or_id(store, c)?.ok_or_else(|| {
            Error::Invalid(format!(
                "no campaign '{c}': `rebound report` lists the campaigns with their ids"
            ))
        })?),
        None => None,
    };
    let zone = match tz {
        Some(z) => Zone::parse(z)?,
        None => Zone::load(store)?,
    };
    Ok(Query {
        campaign,
        from: date(from)?,
        to: date(to)?,
        zone,
        ..Query::default()
    })
}

fn date(s: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    s.map(|d| {
        chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
            .map_err(|_| Error::Invalid(format!("'{d}' is not a date: write it as YYYY-MM-DD")))
    })
    .transpose()
}

pub fn run(db: &Path, a: Args) -> Result<i32> {
    let store = Store::open(db)?;
    let mut q = query(
        &store,
        a.campaign.as_deref(),
        a.from.as_deref(),
        a.to.as_deref(),
        a.tz.as_deref(),
    )?;
    q.top = a.top;
    let r = report::report(&store, &q)?;
    let out = match a.format.as_str() {
        "json" => export::to_json(&r)?,
        "csv" => export::to_csv(&r)?,
        _ => export::to_table(&r),
    };
    print_out(&out)?;
    Ok(0)
}

/// Prints to stdout; a closed pipe (`| head`) is a normal end, not an error.
fn print_out(s: &str) -> Result<()> {
    use std::io::Write;
    let mut w = std::io::stdout().lock();
    let r = w
        .write_all(s.as_bytes())
        .and_then(|_| {
            if s.ends_with('\n') {
                Ok(())
            } else {
                w.write_all(b"\n")
            }
        })
        .and_then(|_| w.flush());
    match r {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Invalid(format!("cannot write the report: {e}")))
        }
        _ => Ok(()),
    }
}
