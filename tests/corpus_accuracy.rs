//! Accuracy of the bounce engine on the labelled corpus in ../shared/corpus/sisimai.
//! `recipient_accuracy` checks the parsers (recipients found and extra);
//! `class_and_reason_accuracy` checks the classifier against the labels' classes
//! and, through the mapping below, their reasons. Run with `--nocapture` to see
//! the figures; misses go to stderr.

use rebound::classify;
use rebound::ingest::{self, ReadOptions, Sink};
use rebound::model::{Class, Event, Kind, Reason};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const RECIPIENTS_FOUND_MIN: f64 = 98.0;
const EXTRA_MAX: f64 = 1.0;
/// Issue 5's bars, asserted as they are: the tests fail below them.
const CLASS_MIN: f64 = 97.0;
const REASON_MIN: f64 = 90.0;
const MISSES_SHOWN: usize = 60;

/// Our reason → the Sisimai reason names it agrees with.
const REASON_MAP: &[(Reason, &[&str])] = &[
    (Reason::UserUnknown, &["userunknown"]),
    (Reason::HostUnknown, &["hostunknown"]),
    (Reason::MailboxFull, &["mailboxfull"]),
    (Reason::MailboxDisabled, &["suspend"]),
    (Reason::HasMoved, &["hasmoved"]),
    (Reason::NotAccept, &["notaccept"]),
    (Reason::MessageTooBig, &["mesgtoobig", "exceedlimit"]),
    (Reason::Expired, &["expired"]),
    (Reason::RateLimited, &["speeding", "toomanyconn"]),
    (Reason::Blocked, &["blocked", "badreputation", "requireptr"]),
    (Reason::SpamDetected, &["spamdetected"]),
    (Reason::VirusDetected, &["virusdetected"]),
    (Reason::ContentError, &["contenterror", "notcompliantrfc"]),
    (Reason::AuthFailed, &["authfailure"]),
    (Reason::Policy, &["policyviolation", "filtered", "securityerror"]),
    (Reason::RelayDenied, &["norelaying"]),
    (Reason::SenderRejected, &["rejected"]),
    (Reason::SyntaxError, &["syntaxerror"]),
    (Reason::SystemError, &["systemerror", "systemfull"]),
    (Reason::NetworkError, &["networkerror"]),
    (Reason::MailerError, &["mailererror"]),
    (Reason::Complaint, &["feedback"]),
    (Reason::Delivered, &["delivered"]),
    (Reason::Unknown, &["undefined", "onhold"]),
];

struct Label {
    recipient: String,
    status: String,
    reply_code: String,
    reason: String,
    class: String,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/sisimai")
}

fn labels() -> BTreeMap<String, Vec<Label>> {
    let text = std::fs::read_to_string(corpus().join("labels.tsv")).expect("labels.tsv readable");
    let mut out: BTreeMap<String, Vec<Label>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 6 {
            continue;
        }
        let rows = out.entry(c[0].to_string()).or_default();
        if !c[1].is_empty() {
            rows.push(Label {
                recipient: c[1].to_lowercase(),
                status: c[2].to_string(),
                reply_code: c[3].to_string(),
                reason: c[4].to_string(), class: c[5].to_string() });
        }
    }
    out
}

#[derive(Default)]
struct Collect {
    events: Vec<Event>,
}

impl Sink for Collect {
    fn event(&mut self, mut ev: Event) -> rebound::Result<()> {
        classify::classify(&mut ev);
        self.events.push(ev);
        Ok(())
    }
    fn problem(&mut self, _s: &str, _l: &str, _m: &str) -> rebound::Result<()> {
        Ok(())
    }
}

/// Events that count as output: what `classify` prints, plus delivery notices
/// (the labels list those per recipient as `other`).
fn reported(kind: Kind) -> bool {
    matches!(kind, Kind::Bounce | Kind::Deferred | Kind::Complaint | Kind::Delivered | Kind::Unsubscribe)
}

fn run_file(path: &Path) -> Vec<Event> {
    let opts = ReadOptions::default();
    let mut sink = Collect::default();
    let Ok(input) = ingest::open_file(path) else { return Vec::new() };
    if let Some(det) = ingest::detect(&input.name, &input.head, &opts) {
        let _ = ingest::read(&det, input, &opts, &mut sink);
    }
    sink.events.into_iter().filter(|e| reported(e.kind)).collect()
}

fn our_class(ev: &Event) -> &'static str {
    if ev.kind == Kind::Delivered {
        return "other";
    }
    match ev.verdict.class {
        Class::Hard => "hard",
        Class::Soft | Class::Block => "soft",
        Class::Complaint | Class::Unsubscribe => "other",
        Class::None => "none",
    }
}

fn reason_agrees(ours: Reason, theirs: &str) -> bool {
    REASON_MAP.iter().any(|(r, names)| *r == ours && names.contains(&theirs))
}

#[derive(Default)]
struct Figures {
    pairs: usize,
    found: usize,
    ours: usize,
    extra: usize,
    substituted: usize,
    class_ok: usize,
    status_labelled: usize,
    status_ok: usize,
    code_labelled: usize,
    code_ok: usize,
    reason_ok: usize,
    quiet_files: usize,
    quiet_ok: usize,
    misses: Vec<String>,
    /// One TSV line per found pair, for REBOUND_CORPUS_DUMP (tuning aid).
    dump: Vec<String>,
}

/// The start of a diagnostic for a miss line, on one line.
fn excerpt(d: &str) -> String {
    let one: String = d.split_whitespace().collect::<Vec<_>>().join(" ");
    one.chars().take(110).collect()
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

fn measure() -> Figures {
    let mut f = Figures::default();
    for (file, rows) in labels() {
        let events = run_file(&corpus().join(&file));
        if rows.is_empty() {
            f.quiet_files += 1;
            if events.is_empty() {
                f.quiet_ok += 1;
            } else {
                f.misses.push(format!("{file}: non-bounce gave {} event(s), first {}", events.len(), events[0].recipient));
            }
            continue;
        }
        let ours: BTreeSet<String> = events.iter().map(|e| e.recipient.to_lowercase()).collect();
        let theirs: BTreeSet<&str> = rows.iter().map(|r| r.recipient.as_str()).collect();
        f.ours += ours.len();
        // An address of ours that is not labelled is "extra" only beyond the
        // labelled ones we missed; otherwise it stands in for a missed one (a
        // different spelling of the recipient) and is counted as substituted.
        let unlabelled: Vec<&String> = ours.iter().filter(|x| !theirs.contains(x.as_str())).collect();
        let missed = theirs.iter().filter(|t| !ours.contains(**t)).count();
        f.substituted += unlabelled.len().min(missed);
        f.extra += unlabelled.len().saturating_sub(missed);
        for x in unlabelled {
            f.misses.push(format!("{file}: unlabelled {x}"));
        }
        for row in &rows {
            f.pairs += 1;
            let Some(ev) = events.iter().find(|e| e.recipient.to_lowercase() == row.recipient) else {
                let got: Vec<&str> = ours.iter().map(String::as_str).collect();
                f.misses.push(format!("{file}: missed {} (got {:?})", row.recipient, got));
                continue;
            };
            f.found += 1;
            // Sisimai's own pseudo codes (x.0.9xx) are not in the mail; skip them.
            let pseudo = row.status.split('.').nth(2).is_some_and(|d| d.len() == 3 && d.starts_with('9'));
            if !row.status.is_empty() && !pseudo {
                f.status_labelled += 1;
                if ev.status.as_deref() == Some(row.status.as_str()) {
                    f.status_ok += 1;
                } else {
                    f.misses.push(format!("{file}: status {:?} vs {} for {}", ev.status, row.status, row.recipient));
                }
            }
            if !row.reply_code.is_empty() {
                f.code_labelled += 1;
                if ev.reply_code.map(|c| c.to_string()).as_deref() == Some(row.reply_code.as_str()) {
                    f.code_ok += 1;
                } else {
                    f.misses.push(format!("{file}: reply code {:?} vs {} for {}", ev.reply_code, row.reply_code, row.recipient));
                }
            }
            let class = our_class(ev);
            f.dump.push(format!(
                "{file}\t{}\t{}\t{}\t{}\t{}\t{}\t{:?}\t{:?}\t{}\t{}\n",
                row.recipient,
                row.reason,
                row.class,
                ev.verdict.reason.as_str(),
                class,
                ev.verdict.rule,
                ev.status,
                ev.reply_code,
                ev.smtp_command.as_deref().unwrap_or(""),
                excerpt(ev.diagnostic.as_deref().unwrap_or(""))
            ));
            if class == row.class {
                f.class_ok += 1;
            } else {
                f.misses.push(format!("{file}: class {class} vs {} ({}; {})", row.class, ev.verdict.rule, row.reason));
            }
            if reason_agrees(ev.verdict.reason, &row.reason) {
                f.reason_ok += 1;
            } else {
                f.misses.push(format!(
                    "{file}: reason {} vs {} for {} ({}; status {:?}; {})",
                    ev.verdict.reason.as_str(),
                    row.reason,
                    row.recipient,
                    ev.verdict.rule,
                    ev.status,
                    excerpt(ev.diagnostic.as_deref().unwrap_or(""))
                ));
            }
        }
    }
    if let Some(path) = std::env::var_os("REBOUND_CORPUS_DUMP") {
        let _ = std::fs::write(path, f.dump.join(""));
    }
    let found = pct(f.found, f.pairs);
    let extra = pct(f.extra, f.ours.max(1));
    eprintln!("corpus: {} labelled (file, recipient) pairs", f.pairs);
    eprintln!("recipients found: {:.1}% ({}/{}) goal >= {RECIPIENTS_FOUND_MIN}%", found, f.found, f.pairs);
    eprintln!("extra recipients: {:.1}% ({}/{}) goal <= {EXTRA_MAX}%", extra, f.extra, f.ours);
    eprintln!("unlabelled address in place of a missed one: {} (counted as missed, not extra)", f.substituted);
    eprintln!("status agreement (labels without pseudo codes): {:.1}% ({}/{})", pct(f.status_ok, f.status_labelled), f.status_ok, f.status_labelled);
    eprintln!("reply code agreement (where labelled): {:.1}% ({}/{})", pct(f.code_ok, f.code_labelled), f.code_ok, f.code_labelled);
    eprintln!("class agreement: {:.1}% ({}/{}) goal >= {CLASS_MIN}%", pct(f.class_ok, f.found), f.class_ok, f.found);
    eprintln!("reason agreement: {:.1}% ({}/{}) goal >= {REASON_MIN}%", pct(f.reason_ok, f.found), f.reason_ok, f.found);
    eprintln!("non-bounce files quiet: {}/{}", f.quiet_ok, f.quiet_files);
    f
}

fn show_misses(f: &Figures, filter: &dyn Fn(&str) -> bool) {
    let shown: Vec<&String> = f.misses.iter().filter(|m| filter(m)).collect();
    // REBOUND_ALL_MISSES=1 lists every miss (for tuning); the default keeps CI logs short.
    let limit = if std::env::var_os("REBOUND_ALL_MISSES").is_some() { usize::MAX } else { MISSES_SHOWN };
    for m in shown.iter().take(limit) {
        eprintln!("  {m}");
    }
    if shown.len() > limit {
        eprintln!("  … and {} more", shown.len() - limit);
    }
}

#[test]
fn recipient_accuracy() {
    let f = measure();
    show_misses(&f, &|m| !m.contains(": class ") && !m.contains(": status ") && !m.contains(": reply code "));
    assert!(f.pairs > 500, "labels not read");
    let found = pct(f.found, f.pairs);
    let extra = pct(f.extra, f.ours.max(1));
    assert!(found >= RECIPIENTS_FOUND_MIN, "recipients found {found:.1}% is below the goal of {RECIPIENTS_FOUND_MIN}%");
    assert!(extra <= EXTRA_MAX, "extra recipients {extra:.1}% exceed the goal of {EXTRA_MAX}%");
    assert_eq!(f.quiet_ok, f.quiet_files, "non-bounce files gave output");
}

/// Codes are the parsers' job; printed for tuning, not asserted.
#[test]
fn status_and_reply_code_agreement() {
    let f = measure();
    show_misses(&f, &|m| m.contains(": status ") || m.contains(": reply code "));
}

#[test]
fn class_and_reason_accuracy() {
    let f = measure();
    show_misses(&f, &|m| m.contains(": class ") || m.contains(": reason "));
    let class = pct(f.class_ok, f.found);
    let reason = pct(f.reason_ok, f.found);
    assert!(class >= CLASS_MIN, "class agreement {class:.1}% is below the goal of {CLASS_MIN}%");
    assert!(reason >= REASON_MIN, "reason agreement {reason:.1}% is below the goal of {REASON_MIN}%");
}
