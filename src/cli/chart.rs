//! `rebound chart KIND --out FILE.svg|FILE.png`: the window's charts as files.

use super::report::query;
use rebound::chart::{self, ChartKind, ChartOptions, Theme};
use rebound::error::{Error, Result};
use rebound::report;
use rebound::store::Store;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// trend, rates, reasons, domains, delay or campaigns
    pub kind: String,
    /// Campaign id, key or name [default: all campaigns]
    #[arg(long)]
    pub campaign: Option<String>,
    /// First local day to include (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last local day to include (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Time zone for days and weeks (IANA name or offset)
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    #[arg(long, default_value = "light", value_parser = ["light", "dark"])]
    pub theme: String,
    /// Width in pixels (PNG files are drawn at twice this size)
    #[arg(long, default_value_t = 800)]
    pub width: u32,
    #[arg(long, default_value_t = 400)]
    pub height: u32,
    /// Output file; .svg or .png
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(db: &Path, a: Args) -> Result<i32> {
    let kind = ChartKind::parse(&a.kind)?;
    let ext = a
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    let png = match ext.as_deref() {
        Some("svg") => false,
        Some("png") => true,
        _ => {
            return Err(Error::Invalid(format!(
                "{}: the file name must end in .svg or .png",
                a.out.display()
            )))
        }
    };
    let store = Store::open(db)?;
    let q = query(
        &store,
        a.campaign.as_deref(),
        a.from.as_deref(),
        a.to.as_deref(),
        a.tz.as_deref(),
    )?;
    let r = report::report(&store, &q)?;
    let o = ChartOptions {
        kind,
        theme: Theme::parse(&a.theme)?,
        width: a.width,
        height: a.height,
    };
    let bytes = if png {
        chart::render_png(&r, &o)?
    } else {
        chart::render_svg(&r, &o)?.into_bytes()
    };
    write_atomically(&a.out, &bytes)?;
    eprintln!("wrote {} ({} bytes)", a.out.display(), bytes.len());
    Ok(0)
}

/// Temporary file then rename: a crash never leaves half a chart behind.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).map_err(|e| Error::write(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::write(path, e))
}
