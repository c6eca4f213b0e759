//! Smoke version of `make bench`: the generator is reproducible, its files hold
//! exactly what truth.tsv says, the store takes a batch of synthetic events, and
//! the importer reads the generated files once their readers exist.
//! A generated file that is not detected or not read fails the test.

use rebound::gen::{events::synthetic_events, generate, GenOptions};
use rebound::import::{import_file, CancelFlag};
use rebound::ingest::{self, ReadOptions};
use rebound::store::Store;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

struct TruthRow {
    file: String,
    locator: String,
    recipient: String,
    kind: String,
    class: String,
}

fn small(out: &Path, seed: u64) -> Vec<rebound::gen::GenFile> {
    let mut o = GenOptions::new(seed, out);
    o.mbox = 60;
    o.maildir = 12;
    o.esp = [
        "sendgrid",
        "sendgrid-csv",
        "mailchimp",
        "ses",
        "mailgun-csv",
    ]
    .iter()
    .map(|p| (p.to_string(), 80))
    .collect();
    o.sms = 80;
    o.contacts = 150;
    o.big_attachment_pct = 5.0;
    generate(&o).expect("generate")
}

fn truth(out: &Path) -> Vec<TruthRow> {
    let text = std::fs::read_to_string(out.join("truth.tsv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("file\tlocator\trecipient\tkind\tclass\treason\tstatus\tcampaign")
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 8, "truth row {l:?}");
            TruthRow {
                file: f[0].into(),
                locator: f[1].into(),
                recipient: f[2].into(),
                kind: f[3].into(),
                class: f[4].into(),
            }
        })
        .collect()
}

fn rows_of<'a>(t: &'a [TruthRow], file: &str) -> Vec<&'a TruthRow> {
    t.iter().filter(|r| r.file == file).collect()
}

fn locators(rows: &[&TruthRow]) -> usize {
    rows.iter()
        .map(|r| r.locator.as_str())
        .collect::<HashSet<_>>()
        .len()
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    small(a.path(), 7);
    small(b.path(), 7);
    small(c.path(), 8);
    for f in [
        "truth.tsv",
        "mbox/bounces.mbox",
        "esp/sendgrid-events.jsonl",
        "contacts/contacts.csv",
    ] {
        let read = |d: &Path| std::fs::read(d.join(f)).unwrap();
        assert!(
            read(a.path()) == read(b.path()),
            "{f} differs for the same seed"
        );
        assert!(
            read(a.path()) != read(c.path()),
            "{f} is the same for another seed"
        );
    }
}

#[test]
fn report_files_hold_what_the_truth_says() {
    let dir = tempfile::tempdir().unwrap();
    let files = small(dir.path(), 42);
    let t = truth(dir.path());
    // SendGrid: one JSON object per line; the truth's kind follows the `event` field.
    let sg = std::fs::read_to_string(dir.path().join("esp/sendgrid-events.jsonl")).unwrap();
    let rows = rows_of(&t, "esp/sendgrid-events.jsonl");
    let by_loc: HashMap<&str, &TruthRow> = rows.iter().map(|r| (r.locator.as_str(), *r)).collect();
    assert_eq!(sg.lines().count(), 80);
    for (i, line) in sg.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let row = by_loc[format!("#{}", i + 1).as_str()];
        let expected_kind = match v["event"].as_str().unwrap() {
            "processed" => "sent",
            "delivered" => "delivered",
            "deferred" => "deferred",
            "bounce" => "bounce",
            "dropped" => "suppressed",
            "spamreport" => "complaint",
            "unsubscribe" | "group_unsubscribe" => "unsubscribe",
            _ => "none",
        };
        assert_eq!(row.kind, expected_kind, "{line}");
        assert_eq!(
            row.recipient,
            rebound::model::normalize_email(v["email"].as_str().unwrap())
        );
        if v["type"] == "blocked" {
            assert_eq!(row.class, "block");
        }
    }
    // SES: one truth row per bounced recipient.
    let ses = std::fs::read_to_string(dir.path().join("esp/ses-notifications.jsonl")).unwrap();
    let rows = rows_of(&t, "esp/ses-notifications.jsonl");
    let recipients: usize = ses
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["bounce"]["bouncedRecipients"]
                .as_array()
                .map(|a| a.len())
                .unwrap_or(1)
        })
        .sum();
    assert_eq!(rows.len(), recipients);
    assert_eq!(locators(&rows), 80);
    // CSV exports (with a BOM and CRLF for Mailchimp): one truth row per data row.
    for (file, first_col) in [
        ("esp/sendgrid-bounces.csv", "created"),
        ("esp/mailchimp-cleaned.csv", "Email Address"),
        ("esp/mailgun-bounces.csv", "address"),
        ("sms/twilio-messages.csv", "From"),
        ("contacts/contacts.csv", "Email"),
    ] {
        let bytes = std::fs::read(dir.path().join(file)).unwrap();
        let body = bytes
            .strip_prefix(b"\xEF\xBB\xBF".as_slice())
            .unwrap_or(&bytes);
        let mut r = csv::Reader::from_reader(body);
        assert_eq!(r.headers().unwrap().get(0), Some(first_col), "{file}");
        let mut n = 0;
        for rec in r.records() {
            rec.expect("valid CSV row");
            n += 1;
        }
        let rows = rows_of(&t, file);
        let want = if file.starts_with("contacts") {
            150
        } else {
            80
        };
        assert_eq!(
            (n, rows.len(), locators(&rows)),
            (want, want, want),
            "{file}"
        );
    }
    // Contacts: addresses that hard-bounced somewhere carry that class.
    let worst: HashMap<String, &str> = t
        .iter()
        .filter(|r| r.kind != "contact" && r.class == "hard")
        .map(|r| (r.recipient.to_lowercase(), "hard"))
        .collect();
    let contacts = rows_of(&t, "contacts/contacts.csv");
    assert!(
        contacts.iter().any(|r| r.class != "none"),
        "some contacts must match generated failures"
    );
    for c in contacts.iter().filter(|c| c.class == "none") {
        assert!(
            !worst.contains_key(&c.recipient.to_lowercase()),
            "{} bounced hard but is expected clean",
            c.recipient
        );
    }
    let expected: u64 = files.iter().map(|f| f.expected_events).sum();
    assert_eq!(
        expected as usize,
        t.iter()
            .filter(|r| r.kind != "none" && r.kind != "contact")
            .count()
    );
}

#[test]
fn mailbox_files_are_well_formed_reports() {
    let dir = tempfile::tempdir().unwrap();
    small(dir.path(), 42);
    let t = truth(dir.path());
    let mbox = std::fs::read(dir.path().join("mbox/bounces.mbox")).unwrap();
    // Messages start at "From " lines; bodies quote theirs as ">From ".
    let mut messages: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    for (i, _) in mbox.iter().enumerate().filter(|(i, b)| {
        **b == b'F' && (*i == 0 || mbox[i - 1] == b'\n') && mbox[*i..].starts_with(b"From ")
    }) {
        if i > start {
            messages.push(&mbox[start..i]);
        }
        start = i;
    }
    messages.push(&mbox[start..]);
    assert_eq!(messages.len(), 60);
    let rows = rows_of(&t, "mbox/bounces.mbox");
    assert_eq!(locators(&rows), 60);
    let mut by_loc: BTreeMap<String, Vec<&TruthRow>> = BTreeMap::new();
    for r in rows {
        by_loc.entry(r.locator.clone()).or_default().push(r);
    }
    let parser = mail_parser::MessageParser::default();
    for (i, raw) in messages.iter().enumerate() {
        let body = &raw[raw.iter().position(|b| *b == b'\n').unwrap() + 1..];
        let msg = parser
            .parse(body)
            .expect("every generated message parses as MIME");
        let text = String::from_utf8_lossy(body);
        for r in &by_loc[&format!("#{}", i + 1)] {
            match r.kind.as_str() {
                "bounce" | "deferred" => assert!(
                    text.contains(&r.recipient),
                    "#{} names {}",
                    i + 1,
                    r.recipient
                ),
                "auto_reply" => assert!(msg.subject().is_some()),
                _ => {}
            }
        }
    }
    let maildir = rows_of(&t, "maildir/cur").len();
    assert_eq!(maildir, 0, "maildir rows name their message file");
    let files = t
        .iter()
        .filter(|r| r.file.starts_with("maildir/"))
        .map(|r| r.file.as_str())
        .collect::<HashSet<_>>();
    assert_eq!(files.len(), 12);
    for f in files {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
}

#[test]
fn the_store_takes_a_batch_of_synthetic_events() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("smoke.sqlite")).unwrap();
    let mut tx = store
        .begin_import(&rebound::store::NewImport {
            file_name: "bounces.mbox".into(),
            file_path: "/home/user/Mail/bounces.mbox".into(),
            size_bytes: 0,
            sha256: String::new(),
            format: "mbox".into(),
            provider: None,
            detect_reason: None,
        })
        .unwrap();
    for e in synthetic_events(3, 500).take(3000) {
        tx.add_event(&e, &e.fingerprint(None)).unwrap();
    }
    let (seen, added, _) = tx.counts();
    tx.commit().unwrap();
    assert_eq!(seen, 3000);
    assert!(added > 2900, "only exact repeats are dropped: {added}");
    let o = store.overview().unwrap();
    assert_eq!(o.events, added);
    assert!(o.recipients <= 500);
}

/// Imports each generated file whose reader exists and compares with the truth.
#[test]
fn importing_generated_files_matches_the_truth_where_readers_exist() {
    let dir = tempfile::tempdir().unwrap();
    small(dir.path(), 42);
    let t = truth(dir.path());
    let files = [
        "mbox/bounces.mbox",
        "esp/sendgrid-events.jsonl",
        "esp/sendgrid-bounces.csv",
        "esp/mailchimp-cleaned.csv",
        "esp/ses-notifications.jsonl",
        "esp/mailgun-bounces.csv",
        "sms/twilio-messages.csv",
    ];
    for file in files {
        let path = dir.path().join(file);
        let head = std::fs::read(&path).unwrap();
        let det = ingest::detect(
            file,
            &head[..head.len().min(ingest::HEAD_LEN)],
            &ReadOptions::default(),
        );
        let det = det.unwrap_or_else(|| panic!("{file}: not detected"));
        let mut store = Store::open_in_memory().unwrap();
        let out = import_file(
            &mut store,
            &path,
            &ReadOptions::default(),
            &CancelFlag::default(),
            &mut |_| {},
        );
        assert!(out.error.is_none(), "{file} ({}): {:?}", det.format, out.error);
        let rows = rows_of(&t, file);
        let strict = rows
            .iter()
            .filter(|r| r.kind != "none" && r.kind != "auto_reply")
            .count() as i64;
        let auto = rows.iter().filter(|r| r.kind == "auto_reply").count() as i64;
        println!(
            "{file}: {} events read, truth {strict} (+{auto} auto-replies)",
            out.events_seen
        );
        assert!(
            out.events_seen == strict || out.events_seen == strict + auto,
            "{file}: {} events, truth says {strict} (+{auto} auto-replies)",
            out.events_seen
        );
    }
}
