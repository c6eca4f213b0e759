//! Writing generated messages as an mbox (mboxrd quoting) or a maildir tree,
//! with one truth row per expected event.

use super::mail::{self, Msg, Parts, Rcpt, Style, STYLES};
use super::rng::Rng;
use super::world::{self, Campaign, SCENARIOS};
use super::{create, file_size, GenFile, Truth, TruthRow};
use crate::error::{Error, Result};
use crate::model::{Class, Kind};
use chrono::Duration;
use std::io::Write;
use std::path::Path;

pub(crate) struct Ctx<'a> {
    pub out: &'a Path,
    pub campaigns: &'a [Campaign],
    pub big_pct: f64,
}

/// Decides what message number `seq` is about.
fn plan<'c>(ctx: &Ctx<'c>, rng: &mut Rng, seq: u64, pool: u64) -> Msg<'c> {
    let mut style = *rng.weighted(STYLES);
    let campaign = rng.pick(ctx.campaigns);
    let sent_at = campaign.sent_at + Duration::seconds(rng.below(7200) as i64);
    let arrived = sent_at + Duration::seconds(rng.range(5, 3 * 86_400) as i64);
    let dsn = !matches!(style, Style::Complaint | Style::AutoReply | Style::Ordinary);
    let n = if dsn && rng.chance(8.0) { 2 } else { 1 };
    let mut rcpts: Vec<Rcpt> = Vec::with_capacity(n);
    for _ in 0..n {
        let addr = world::recipient(rng.below(pool));
        let sc = *rng.weighted(SCENARIOS);
        let diag = mail::diagnostic(&sc, &addr, rng);
        rcpts.push(Rcpt { addr, sc, diag });
    }
    // Exim's plain bounce only reports permanent SMTP replies.
    if style == Style::Exim
        && rcpts
            .iter()
            .any(|r| r.sc.kind != Kind::Bounce || r.sc.reply.is_none())
    {
        style = Style::Postfix;
    }
    let headers_only = dsn && rng.chance(25.0);
    let big_attachment = !headers_only && rng.chance(ctx.big_pct);
    Msg {
        style,
        rcpts,
        campaign,
        sent_at,
        arrived,
        headers_only,
        big_attachment,
        seq,
    }
}

fn truth_rows(m: &Msg, file: &str, locator: &str, truth: &mut Truth) -> Result<u64> {
    let key = m.campaign.key.as_str();
    let one =
        |truth: &mut Truth, rcpt: &str, kind: &str, class: Class, reason: &str, status: &str| {
            truth.row(TruthRow {
                file,
                locator,
                recipient: rcpt,
                kind,
                class,
                reason,
                status,
                campaign: key,
            })
        };
    let first = m.rcpts.first().map(|r| r.addr.as_str()).unwrap_or("");
    match m.style {
        Style::Complaint => {
            one(truth, first, "complaint", Class::Complaint, "complaint", "").map(|_| 1)
        }
        Style::AutoReply => {
            one(truth, first, "auto_reply", Class::None, "auto_reply", "").map(|_| 1)
        }
        Style::Ordinary => one(truth, "", "none", Class::None, "", "").map(|_| 0),
        _ => {
            for r in &m.rcpts {
                one(
                    truth,
                    &r.addr,
                    r.sc.kind.as_str(),
                    r.sc.class,
                    r.sc.reason.as_str(),
                    r.sc.status,
                )?;
            }
            Ok(m.rcpts.len() as u64)
        }
    }
}

fn from_line(m: &Msg) -> String {
    let who = match m.style {
        Style::AutoReply | Style::Ordinary => {
            m.rcpts.first().map(|r| r.addr.as_str()).unwrap_or("-")
        }
        _ => "MAILER-DAEMON",
    };
    format!("From {who} {}\n", m.arrived.format("%a %b %e %H:%M:%S %Y"))
}

/// Writes `text` with mboxrd quoting: a line matching `>*From ` gains one `>`.
fn write_quoted(w: &mut impl Write, text: &str) -> std::io::Result<()> {
    for line in text.split_inclusive('\n') {
        if line.trim_start_matches('>').starts_with("From ") {
            w.write_all(b">")?;
        }
        w.write_all(line.as_bytes())?;
    }
    Ok(())
}

pub(crate) fn write_mbox(
    ctx: &Ctx,
    mut rng: Rng,
    count: usize,
    truth: &mut Truth,
) -> Result<GenFile> {
    let rel = "mbox/bounces.mbox";
    let path = ctx.out.join(rel);
    let mut w = create(&path)?;
    let parts = Parts::new(&mut rng.fork("parts"));
    let pool = pool_size(count);
    let mut expected = 0;
    for i in 0..count as u64 {
        let m = plan(ctx, &mut rng, i + 1, pool);
        let text = mail::render(&m, &parts, &mut rng);
        let io = |e| Error::write(&path, e);
        w.write_all(from_line(&m).as_bytes()).map_err(io)?;
        write_quoted(&mut w, &text).map_err(io)?;
        w.write_all(b"\n").map_err(io)?;
        expected += truth_rows(&m, rel, &format!("#{}", i + 1), truth)?;
    }
    w.flush().map_err(|e| Error::write(&path, e))?;
    Ok(GenFile {
        bytes: file_size(&path),
        path,
        records: count as u64,
        expected_events: expected,
    })
}

/// A maildir: most messages already seen (`cur/`, `:2,S` flags), some in `new/`, an empty `tmp/`.
pub(crate) fn write_maildir(
    ctx: &Ctx,
    mut rng: Rng,
    count: usize,
    truth: &mut Truth,
) -> Result<GenFile> {
    let dir = ctx.out.join("maildir");
    for sub in ["cur", "new", "tmp"] {
        let d = dir.join(sub);
        std::fs::create_dir_all(&d).map_err(|e| Error::write(&d, e))?;
    }
    let parts = Parts::new(&mut rng.fork("parts"));
    let pool = pool_size(count);
    let (mut expected, mut bytes) = (0, 0);
    for i in 0..count as u64 {
        let m = plan(ctx, &mut rng, i + 1, pool);
        let text = mail::render(&m, &parts, &mut rng);
        let base = format!("{}.M{}P4242.gen.example", m.arrived.timestamp(), i + 1);
        let rel = if i % 5 == 4 {
            format!("maildir/new/{base}")
        } else {
            format!("maildir/cur/{base}:2,S")
        };
        let path = ctx.out.join(&rel);
        std::fs::write(&path, text.as_bytes()).map_err(|e| Error::write(&path, e))?;
        bytes += text.len() as u64;
        expected += truth_rows(&m, &rel, "", truth)?;
    }
    Ok(GenFile {
        path: dir,
        bytes,
        records: count as u64,
        expected_events: expected,
    })
}

/// How many distinct recipients a run of `n` messages draws from: most
/// addresses bounce once, some again in later campaigns.
pub(crate) fn pool_size(n: usize) -> u64 {
    (n as u64 * 3 / 4).max(500)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mboxrd_quoting_adds_one_angle_bracket() {
        let mut out = Vec::new();
        write_quoted(&mut out, "a\nFrom here\n>From there\nFromage\n").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\n>From here\n>>From there\nFromage\n"
        );
    }
}
