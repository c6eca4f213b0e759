//! The "Explore demo data" set (assets/demo) against its ground truth, expected.json,
//! which scripts/dev/make_demo.py writes together with the files.
//!
//! Readers are written in parallel with this test: a reader that is not there yet
//! (detection finds nothing, or the import says `not_implemented`) is reported and
//! skipped unless STRICT is on. Everything a present reader produces is checked
//! exactly. Set `REBOUND_DEMO_STRICT=1` (or flip STRICT) once every reader is merged.

use rebound::import::{import_paths, CancelFlag, FileOutcome};
use rebound::ingest::{self, Family, ReadOptions};
use rebound::store::Store;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Missing readers fail instead of being skipped.
const STRICT: bool = true;

fn strict() -> bool {
    STRICT
        || std::env::var("REBOUND_DEMO_STRICT")
            .map(|v| v == "1")
            .unwrap_or(false)
}

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join("demo")
}

fn expected() -> Value {
    let text = std::fs::read_to_string(demo_dir().join("expected.json"))
        .expect("assets/demo/expected.json");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

fn files(exp: &Value) -> Vec<(String, Value)> {
    exp["files"]
        .as_object()
        .expect("files")
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

fn csv_records(path: &Path) -> usize {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .expect("csv opens");
    let mut n = 0;
    for r in rdr.records() {
        r.expect("csv record");
        n += 1;
    }
    n
}

#[test]
fn expected_json_describes_the_files_on_disk() {
    let exp = expected();
    let mut total = 0u64;
    for (rel, f) in files(&exp) {
        let path = demo_dir().join(&rel);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        total += bytes.len() as u64;
        assert_eq!(
            bytes.len() as i64,
            int(&f["bytes"]),
            "{rel}: size differs from expected.json: regenerate"
        );
        let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{rel} is UTF-8"));
        match rel.as_str() {
            "mailbox/bounces.mbox" => {
                let from_lines = text.lines().filter(|l| l.starts_with("From ")).count() as i64;
                assert_eq!(from_lines, int(&f["messages"]), "{rel}: From_ lines");
                let ev = int(&f["events_total"]);
                assert_eq!(
                    ev + int(&f["messages_without_event"]),
                    int(&f["messages"]),
                    "{rel}: one event per report"
                );
            }
            "sendgrid/events.jsonl" => {
                let mut n = 0;
                for line in text.lines() {
                    let v: Value = serde_json::from_str(line).expect("every line is a JSON object");
                    assert!(
                        v["sg_event_id"].is_string() && v["marketing_campaign_id"].is_u64(),
                        "{line}"
                    );
                    n += 1;
                }
                assert_eq!(n, int(&f["lines"]), "{rel}: lines");
                assert!(
                    text.len() <= 5 * 1024 * 1024,
                    "{rel}: keep the webhook log under 5 MB"
                );
            }
            _ => {
                assert!(
                    text.starts_with('\u{feff}') || rel.starts_with("sms/"),
                    "{rel}: Excel-style BOM expected"
                );
                assert_eq!(csv_records(&path) as i64, int(&f["rows"]), "{rel}: rows");
            }
        }
    }
    total += std::fs::metadata(demo_dir().join("expected.json"))
        .map(|m| m.len())
        .unwrap_or(0);
    assert!(
        total < 8 * 1024 * 1024,
        "demo folder must stay under 8 MB, is {total} bytes"
    );
    // Every imported file is listed, and the per-campaign sent counts add up.
    let import: Vec<&str> = exp["import_files"]
        .as_array()
        .expect("import_files")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(
        import.len(),
        5,
        "mbox, SendGrid, two Mailchimp exports, Twilio"
    );
    let sg_sent: i64 = exp["campaigns"]
        .as_array()
        .expect("campaigns")
        .iter()
        .filter(|c| c["files"][0] == "sendgrid/events.jsonl")
        .map(|c| int(&c["sent"]))
        .sum();
    assert_eq!(
        sg_sent,
        int(&exp["files"]["sendgrid/events.jsonl"]["events"]["sent"]),
        "SendGrid processed = sent"
    );
}

#[test]
fn generator_reproduces_the_folder_byte_for_byte() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/dev/make_demo.py");
    let out = match std::process::Command::new("python3")
        .arg(&script)
        .arg("--check")
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!(
                "SKIPPED: python3 not available ({e}); cannot re-run {}",
                script.display()
            );
            return;
        }
    };
    assert!(
        out.status.success(),
        "assets/demo differs from what scripts/dev/make_demo.py writes:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn head(path: &Path) -> Vec<u8> {
    let mut buf = Vec::new();
    let f = std::fs::File::open(path).expect("open");
    f.take(ingest::HEAD_LEN as u64)
        .read_to_end(&mut buf)
        .expect("read");
    buf
}

#[test]
fn every_demo_file_is_detected_as_its_format() {
    let exp = expected();
    let mut missing = Vec::new();
    for (rel, f) in files(&exp) {
        let path = demo_dir().join(&rel);
        let det = ingest::detect(
            &path.display().to_string(),
            &head(&path),
            &ReadOptions::default(),
        );
        let want_family = f["family"].as_str().unwrap_or("");
        let want = f["provider"]
            .as_str()
            .or(f["format"].as_str())
            .unwrap_or("")
            .to_lowercase();
        match det {
            None => missing.push(rel.clone()),
            Some(d) if want_family == "contacts" => {
                assert_eq!(
                    d.family,
                    Family::Contacts,
                    "{rel}: a contact list must not import as events: {d:?}"
                );
            }
            Some(d) => {
                let got = format!("{} {}", d.format, d.provider.clone().unwrap_or_default())
                    .to_lowercase();
                assert!(
                    got.contains(&want),
                    "{rel}: detected as {d:?}, expected {want}"
                );
                let fam = if want_family == "mailbox" {
                    Family::Mailbox
                } else {
                    Family::Report
                };
                assert_eq!(d.family, fam, "{rel}: family");
            }
        }
    }
    if !missing.is_empty() {
        assert!(!strict(), "not detected: {missing:?}");
        eprintln!("SKIPPED detection of {missing:?}: no detector for them on this branch yet");
    }
}

/// Counts of one import or campaign: kind → events.
fn kinds(store: &Store, filter: &str, id: i64) -> BTreeMap<String, i64> {
    let sql = format!("SELECT kind, COUNT(*) FROM events WHERE {filter} GROUP BY kind");
    let mut st = store.conn().prepare(&sql).expect("query");
    let rows = st
        .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .expect("rows");
    rows.map(|r| r.expect("row")).collect()
}

fn one(store: &Store, sql: &str, id: i64) -> i64 {
    store
        .conn()
        .query_row(sql, [id], |r| r.get::<_, Option<i64>>(0))
        .expect("query")
        .unwrap_or(0)
}

/// Files that imported (by relative name), with their import id; the others are skipped or failed.
fn import_demo(
    store: &mut Store,
    exp: &Value,
    problems: &mut Vec<String>,
) -> (BTreeMap<String, i64>, Vec<String>) {
    let rels: Vec<String> = exp["import_files"]
        .as_array()
        .expect("import_files")
        .iter()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    let paths: Vec<PathBuf> = rels.iter().map(|r| demo_dir().join(r)).collect();
    let outcomes: Vec<FileOutcome> = import_paths(
        store,
        &paths,
        &ReadOptions::default(),
        &CancelFlag::default(),
        &mut |_| {},
    );
    let mut ok = BTreeMap::new();
    let mut skipped = Vec::new();
    for rel in rels {
        let Some(o) = outcomes.iter().find(|o| Path::new(&o.file).ends_with(&rel)) else {
            problems.push(format!("{rel}: no outcome"));
            continue;
        };
        match (o.import_id, o.error_code.as_deref()) {
            (Some(id), None) => {
                ok.insert(rel, id);
            }
            (_, Some(code @ ("not_implemented" | "unknown_format"))) if !strict() => {
                skipped.push(format!("{rel} ({code})"));
            }
            _ => problems.push(format!(
                "{rel}: import failed: {:?} {:?}",
                o.error_code, o.error
            )),
        }
    }
    (ok, skipped)
}

fn compare(problems: &mut Vec<String>, what: &str, got: i64, want: i64) {
    if got != want {
        problems.push(format!("{what}: got {got}, expected {want}"));
    }
}

#[test]
fn demo_imports_with_the_intended_counts() {
    let exp = expected();
    let mut store = Store::open_in_memory().expect("store");
    let mut problems = Vec::new();
    let (imported, skipped) = import_demo(&mut store, &exp, &mut problems);

    for (rel, id) in &imported {
        let f = &exp["files"][rel.as_str()];
        let got = kinds(&store, "import_id = ?1", *id);
        for (kind, want) in f["events"].as_object().expect("events") {
            compare(
                &mut problems,
                &format!("{rel}: {kind} events"),
                *got.get(kind).unwrap_or(&0),
                int(want),
            );
        }
        let rcpts = one(
            &store,
            "SELECT COUNT(DISTINCT recipient_id) FROM events WHERE import_id = ?1",
            *id,
        );
        compare(
            &mut problems,
            &format!("{rel}: recipients"),
            rcpts,
            int(&f["recipients"]),
        );
    }

    let mut campaign_notes = Vec::new();
    for c in exp["campaigns"].as_array().expect("campaigns") {
        let needs: Vec<&str> = c["files"]
            .as_array()
            .expect("files")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        if !needs.iter().all(|f| imported.contains_key(*f)) {
            continue;
        }
        check_campaign(&store, c, &mut problems, &mut campaign_notes);
    }

    if !skipped.is_empty() {
        eprintln!(
            "SKIPPED (reader not on this branch yet; the coordinator makes this strict after merging): {skipped:?}"
        );
    }
    for n in &campaign_notes {
        eprintln!("note: {n}");
    }
    assert!(
        problems.is_empty(),
        "demo data vs expected.json:\n  {}",
        problems.join("\n  ")
    );
}

/// The campaign rows an expected campaign maps to: the key as the source wrote it (maybe
/// with a provider prefix), or its name.
fn campaign_ids(store: &Store, key: &str, name: &str) -> Vec<i64> {
    let mut st = store
        .conn()
        .prepare("SELECT id FROM campaigns WHERE key = ?1 OR key LIKE ?2 OR name = ?3")
        .expect("query");
    let pattern = format!("%:{key}");
    let rows = st
        .query_map(rusqlite::params![key, pattern, name], |r| {
            r.get::<_, i64>(0)
        })
        .expect("rows");
    rows.map(|r| r.expect("row")).collect()
}

fn check_campaign(store: &Store, c: &Value, problems: &mut Vec<String>, notes: &mut Vec<String>) {
    let key = c["key"].as_str().unwrap_or("");
    let name = c["name"].as_str().unwrap_or("");
    let ids = campaign_ids(store, key, name);
    if ids.is_empty() {
        if c["channel"] == "sms" {
            notes.push(format!(
                "{name}: the Twilio export names no campaign; per-campaign SMS numbers not checked"
            ));
        } else {
            problems.push(format!("campaign {key} ({name}): not found in the store"));
        }
        return;
    }
    let list = ids
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let count = |sql: &str| -> i64 {
        store
            .conn()
            .query_row(&sql.replace("{ids}", &list), [], |r| {
                r.get::<_, Option<i64>>(0)
            })
            .expect("q")
            .unwrap_or(0)
    };
    let by = |kind: &str, class: &str| {
        count(&format!("SELECT COUNT(*) FROM events WHERE campaign_id IN ({{ids}}) AND kind = '{kind}' AND class = '{class}'"))
    };
    let of_kind = |kind: &str| {
        count(&format!(
            "SELECT COUNT(*) FROM events WHERE campaign_id IN ({{ids}}) AND kind = '{kind}'"
        ))
    };
    for class in ["hard", "soft", "block"] {
        compare(
            problems,
            &format!("{key}: {class} bounces"),
            by("bounce", class),
            int(&c[class]),
        );
    }
    compare(
        problems,
        &format!("{key}: deferred events"),
        of_kind("deferred"),
        int(&c["deferred_events"]),
    );
    compare(
        problems,
        &format!("{key}: complaints"),
        of_kind("complaint"),
        int(&c["complaint"]),
    );
    compare(
        problems,
        &format!("{key}: suppressed"),
        of_kind("suppressed"),
        int(&c["suppressed"]),
    );
    if c["channel"] == "email" {
        compare(
            problems,
            &format!("{key}: unsubscribes"),
            of_kind("unsubscribe"),
            int(&c["unsubscribe"]),
        );
    }
    if c["sent_in_files"] == true {
        let summary = count("SELECT SUM(sent_count) FROM campaigns WHERE id IN ({ids})");
        let events = of_kind("sent");
        let want = int(&c["sent"]);
        if summary != want && events != want {
            problems.push(format!(
                "{key}: sent: summary {summary}, sent events {events}, expected {want}"
            ));
        }
    }
}

/// The generator's intended class for every distinct diagnostic it wrote must be what the
/// classifier decides from the same parts an importer would hand it; this runs without
/// any reader, so a disagreement shows up before the import test can see it.
#[test]
fn classifier_agrees_with_the_intended_class_of_every_demo_diagnostic() {
    use rebound::model::{Channel, Event, Kind, Source};
    let exp = expected();
    let mut disagreements = Vec::new();
    for d in exp["diagnostics"].as_array().expect("diagnostics") {
        let kind = match d["kind"].as_str() {
            Some("bounce") => Kind::Bounce,
            Some("deferred") => Kind::Deferred,
            _ => continue, // suppressed re-sends carry the class of their suppression list
        };
        let text = d["diagnostic"].as_str().filter(|t| !t.is_empty());
        let sms = d["source"] == "twilio";
        let reply = if sms {
            d["code"].as_u64().map(|c| c as u32)
        } else {
            text.and_then(|t| t.get(..3))
                .and_then(|c| c.parse::<u32>().ok())
        };
        let provider = match d["source"].as_str() {
            Some("sendgrid") => Some("sendgrid"),
            Some("twilio") => Some("twilio"),
            _ => None,
        };
        let channel = if sms { Channel::Sms } else { Channel::Email };
        let mut ev = Event::new(
            channel,
            kind,
            if sms {
                "+447700900001"
            } else {
                "x@example.com"
            },
            Source::default(),
        );
        ev.status = d["status"].as_str().map(String::from);
        ev.reply_code = reply;
        ev.diagnostic = text.map(String::from);
        ev.provider = provider.map(String::from);
        ev.provider_label = d["provider_label"].as_str().map(String::from);
        rebound::classify::classify(&mut ev);
        let verdict = ev.verdict;
        let want = match d["intent"].as_str() {
            Some("deferred") => "soft",
            Some(i) => i,
            None => continue,
        };
        let got = verdict.class.as_str();
        let tag = d["tag"].as_str().unwrap_or("");
        if got != want {
            disagreements.push(format!(
                "{} {tag}: intended {want}, classifier {got} ({}; {}) on {:?}",
                d["source"],
                verdict.reason,
                verdict.rule,
                text.unwrap_or("")
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "demo diagnostics the classifier reads differently:\n  {}",
        disagreements.join("\n  ")
    );
}
