//! Development check against a TSV extracted from the labelled corpus by
//! `scripts/dev/extract_corpus.py` (a rough stand-in for the parsers):
//! `REBOUND_CLASSIFY_TSV=/tmp/x.tsv cargo test --lib classify::eval -- --ignored --nocapture`.
//! The real acceptance test runs the parsers too and lives with them.

use super::{classify_parts, sisimai_names, Parts};
use crate::model::{Channel, Class, Kind};

#[test]
#[ignore = "needs REBOUND_CLASSIFY_TSV from scripts/dev/extract_corpus.py"]
fn agreement_on_extracted_corpus() {
    let Ok(path) = std::env::var("REBOUND_CLASSIFY_TSV") else {
        return;
    };
    let data = std::fs::read_to_string(path).expect("read tsv");
    let (mut n_class, mut ok_class, mut n_reason, mut ok_reason) = (0, 0, 0, 0);
    // The same counts without the rows where the rough extractor found no text.
    let (mut e_class, mut e_ok_class, mut e_reason, mut e_ok_reason) = (0, 0, 0, 0);
    for line in data.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let [file, _rcpt, kind, status, reply, diag, lreason, lclass] = f[..] else {
            continue;
        };
        if file.starts_with("mailbox/mbox-0") || lclass == "none" {
            continue; // the extractor cannot split an mbox; maildir/err holds the same messages
        }
        let kind = match kind {
            "deferred" => Kind::Deferred,
            "complaint" => Kind::Complaint,
            "delivered" => Kind::Delivered,
            _ => Kind::Bounce,
        };
        let p = Parts {
            kind,
            channel: Channel::Email,
            status: (!status.is_empty()).then_some(status),
            reply_code: reply.parse().ok(),
            diagnostic: Some(diag),
            ..Parts::bounce()
        };
        let v = classify_parts(&p);
        n_reason += 1;
        let reason_ok = sisimai_names(v.reason).contains(&lreason);
        ok_reason += usize::from(reason_ok);
        let ours = match v.class {
            Class::Hard => "hard",
            Class::Soft | Class::Block => "soft",
            _ => "other",
        };
        let has_text = !status.is_empty() || diag.trim().len() > 60;
        if has_text {
            e_reason += 1;
            e_ok_reason += usize::from(reason_ok);
        }
        if lclass == "hard" || lclass == "soft" {
            n_class += 1;
            ok_class += usize::from(ours == lclass);
            if has_text {
                e_class += 1;
                e_ok_class += usize::from(ours == lclass);
            }
        }
        if !reason_ok || (ours != lclass && lclass != "other") {
            let d: String = diag.chars().take(140).collect();
            println!(
                "MISS {file}\t{lreason}/{lclass}\t{}/{}\t{}\t{status}\t{d}",
                v.reason, v.class, v.rule
            );
        }
    }
    println!(
        "class agreement {ok_class}/{n_class} = {:.1}%  reason agreement {ok_reason}/{n_reason} = {:.1}%",
        100.0 * ok_class as f64 / n_class.max(1) as f64,
        100.0 * ok_reason as f64 / n_reason.max(1) as f64
    );
    println!(
        "rows with extracted text: class {e_ok_class}/{e_class} = {:.1}%  reason {e_ok_reason}/{e_reason} = {:.1}%",
        100.0 * e_ok_class as f64 / e_class.max(1) as f64,
        100.0 * e_ok_reason as f64 / e_reason.max(1) as f64
    );
}

#[test]
#[ignore = "timing; run with --release and REBOUND_CLASSIFY_TSV"]
fn throughput_on_extracted_corpus() {
    let Ok(path) = std::env::var("REBOUND_CLASSIFY_TSV") else {
        return;
    };
    let data = std::fs::read_to_string(path).expect("read tsv");
    let rows: Vec<Vec<&str>> = data
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    let rounds = 200;
    let start = std::time::Instant::now();
    let (mut n, mut bytes) = (0usize, 0usize);
    for _ in 0..rounds {
        for f in &rows {
            let (Some(st), Some(diag)) = (f.get(3), f.get(5)) else {
                continue;
            };
            let p = Parts {
                status: (!st.is_empty()).then_some(*st),
                diagnostic: Some(diag),
                ..Parts::bounce()
            };
            std::hint::black_box(classify_parts(&p));
            n += 1;
            bytes += diag.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{n} verdicts in {secs:.3}s: {:.0} verdicts/s, {:.1} MB/s of diagnostic text",
        n as f64 / secs,
        bytes as f64 / secs / 1e6
    );
}
