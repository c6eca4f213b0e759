//! Edge cases of issue 6: zone-less times re-imported with another zone, notes
//! apart from bad rows, each provider's unconfirmed layouts and spreadsheet CSV
//! habits (tests/fixtures/esp/README.md), overlapping exports, campaign summaries.

use super::*;

fn with_tz(tz: Option<&str>) -> ReadOptions {
    ReadOptions {
        default_tz: tz.map(str::to_string),
        ..Default::default()
    }
}

fn stored_times(store: &Store) -> Vec<Option<i64>> {
    let mut st = store
        .conn()
        .prepare("SELECT occurred_at FROM events ORDER BY id")
        .unwrap();
    let rows = st.query_map([], |r| r.get(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

/// A file whose times carry no zone, imported again with another `--tz` (or none):
/// the events are keyed by the file's own wall-clock text, so nothing is added and
/// the first import's times stay.
#[test]
fn reimporting_zoneless_times_with_another_zone_adds_nothing() {
    let cancel = CancelFlag::default();
    for path in [
        fixture("us_dates_generic.csv"),
        samples().join("mailchimp.csv"),
        fixture("es_semicolon_bom.csv"),
    ] {
        let name = path.display().to_string();
        let mut store = Store::open_in_memory().unwrap();
        let first = import_file(&mut store, &path, &with_tz(Some("UTC")), &cancel, &mut |_| {});
        assert!(first.error.is_none(), "{name}: {:?}", first.error);
        assert!(first.events_added > 0, "{name}");
        assert!(
            first.notes.iter().any(|n| n.contains("no time zone") && n.contains("UTC")),
            "{name}: the zone choice is a note: {:?}",
            first.notes
        );
        let times = stored_times(&store);
        for tz in [Some("+07:00"), Some("Europe/Madrid"), Some("-05:00"), None] {
            let again = import_file(&mut store, &path, &with_tz(tz), &cancel, &mut |_| {});
            assert!(again.error.is_none(), "{name} {tz:?}: {:?}", again.error);
            assert_eq!(again.events_seen, first.events_seen, "{name} {tz:?}");
            assert_eq!(again.events_added, 0, "{name} with --tz {tz:?} duplicated events");
        }
        assert_eq!(stored_times(&store), times, "{name}: the first import's times stay");
    }
}

/// The guard above must not merge what differs: two rows with the same address and
/// outcome at different wall-clock times stay two events, and a zoned time is keyed
/// by its instant as before (the same instant written in two zones is one event).
#[test]
fn wall_clock_keys_still_tell_rows_apart() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    std::fs::write(
        &a,
        "Email,Event,Reason,Date\nana@example.com,bounce,550 5.1.1 unknown,2024-03-02 08:15:00\nana@example.com,bounce,550 5.1.1 unknown,2024-03-02 09:15:00\n",
    )
    .unwrap();
    let b = dir.path().join("b.csv");
    std::fs::write(
        &b,
        "Email,Event,Reason,Date\nana@example.com,bounce,550 5.1.1 unknown,2024-03-02T08:15:00Z\nana@example.com,bounce,550 5.1.1 unknown,2024-03-02T10:15:00+02:00\n",
    )
    .unwrap();
    let cancel = CancelFlag::default();
    let mut store = Store::open_in_memory().unwrap();
    let o = import_file(&mut store, &a, &with_tz(Some("UTC")), &cancel, &mut |_| {});
    assert_eq!(o.events_added, 2, "{:?}", o.error);
    let o = import_file(&mut store, &b, &with_tz(Some("UTC")), &cancel, &mut |_| {});
    assert_eq!((o.events_seen, o.events_added), (2, 1), "{:?}", o.error);
    assert!(o.notes.is_empty(), "zoned times need no zone note: {:?}", o.notes);
}

/// Notes (what was assumed) and problems (bad rows) are apart in the result and in
/// the database's count.
#[test]
fn notes_are_not_counted_as_problems() {
    let mut store = Store::open_in_memory().unwrap();
    let path = fixture("es_semicolon_bom.csv");
    let o = import_file(&mut store, &path, &with_tz(Some("Europe/Madrid")), &CancelFlag::default(), &mut |_| {});
    assert!(o.error.is_none(), "{:?}", o.error);
    assert!(o.notes.iter().any(|n| n.contains("CET/CEST")), "{:?}", o.notes);
    assert!(o.notes.iter().all(|n| n.starts_with("note: ")), "{:?}", o.notes);
    assert!(!o.problems.is_empty());
    for p in &o.problems {
        assert!(!p.message.starts_with("note"), "a note among the problems: {p:?}");
        assert!(p.message.starts_with("row "), "a bad row names its row: {p:?}");
    }
    let rec = store.imports().unwrap().pop().unwrap();
    assert_eq!(rec.problems, o.problems.len() as i64);
    assert_eq!(
        store.import_problems(rec.id).unwrap().len(),
        o.problems.len() + o.notes.len(),
        "notes are kept with the import"
    );
}

fn classes(c: &Collect) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for e in &c.events {
        let mut e = e.clone();
        rebound::classify::classify(&mut e);
        *m.entry(e.verdict.class.to_string()).or_insert(0) += 1;
    }
    m
}

/// Edge cases of each provider's unconfirmed layouts and of CSV as spreadsheets
/// write it (tests/fixtures/esp/README.md says what each file covers): the right
/// reader, the right classes, and only the bad rows listed as problems.
#[test]
fn provider_edge_case_fixtures() {
    type Case = (&'static str, &'static str, &'static [(&'static str, usize)], usize);
    let cases: &[Case] = &[
        ("mailchimp_unsub_last_changed.csv", "mailchimp", &[("unsubscribe", 1), ("complaint", 1)], 0),
        ("mailchimp_cleaned_1252_semicolon.csv", "mailchimp", &[("hard", 1)], 0),
        ("mandrill_webhook.json", "mandrill", &[("hard", 1), ("soft", 1), ("none", 1)], 0),
        ("sendgrid_bounces_datetime.csv", "sendgrid", &[("hard", 1), ("block", 1)], 0),
        ("sendgrid_spam_reports.csv", "sendgrid", &[("complaint", 1)], 0),
        ("sendgrid_global_unsubscribes.csv", "sendgrid", &[("unsubscribe", 1)], 0),
        ("export_created_email_ip.csv", "sendgrid", &[("complaint", 1)], 0),
        ("sendgrid_events.csv", "sendgrid", &[("hard", 1), ("block", 1)], 0),
        ("mailgun_webhook.json", "mailgun", &[("hard", 1)], 0),
        ("mailgun_unsubscribes.csv", "mailgun", &[("unsubscribe", 1)], 0),
        ("mailgun_complaints.csv", "mailgun", &[("complaint", 1)], 0),
        ("ses_suppression_header.csv", "ses", &[("hard", 1), ("complaint", 1)], 0),
        ("ses_suppression_headerless.csv", "ses", &[("hard", 1), ("complaint", 1)], 0),
        ("ses_suppression.jsonl", "ses", &[("hard", 1), ("complaint", 1)], 0),
        ("ses_event_variants.jsonl", "ses", &[("soft", 2)], 0),
        ("postmark_api_page.json", "postmark", &[("hard", 1), ("complaint", 1)], 0),
        ("postmark_ui.csv", "postmark", &[("hard", 1), ("complaint", 1)], 0),
        ("postmark_mixed_webhooks.jsonl", "postmark", &[("hard", 1), ("none", 1)], 0),
        ("brevo_events_report.json", "brevo", &[("hard", 1), ("soft", 1)], 0),
        ("brevo_marketing_date_event.jsonl", "brevo", &[("hard", 1)], 0),
        ("brevo_logs.csv", "generic-csv", &[("hard", 1), ("soft", 1), ("none", 1)], 0),
        ("mailjet_grouped_array.json", "mailjet", &[("hard", 1), ("none", 1)], 0),
        ("sparkpost_events_api.json", "sparkpost", &[("hard", 1)], 0),
        ("listmonk_null_campaign.json", "listmonk", &[("soft", 1)], 0),
        ("listmonk_webhook.jsonl", "listmonk", &[("hard", 1), ("complaint", 1)], 0),
        ("twilio_api.json", "twilio", &[("soft", 1), ("unsubscribe", 1)], 0),
        ("twilio_utf16_tab.txt", "twilio", &[("soft", 1), ("unsubscribe", 2)], 0),
        ("twilio_status_callbacks.txt", "twilio", &[("soft", 1), ("none", 1), ("unsubscribe", 1)], 1),
        ("vonage_dlr_query.txt", "vonage", &[("hard", 1), ("none", 1)], 1),
        ("klaviyo_suppressed.csv", "klaviyo", &[("hard", 1), ("complaint", 1), ("unsubscribe", 1)], 0),
        ("constantcontact_ui.csv", "constantcontact", &[("hard", 1), ("soft", 1), ("none", 1)], 0),
        ("mailerlite_ui.csv", "generic-csv", &[("hard", 1), ("complaint", 1)], 0),
        ("generic_unix_ms_trailing.csv", "generic-csv", &[("hard", 1), ("soft", 1)], 0),
        ("generic_sep_line_month_names.csv", "generic-csv", &[("hard", 1), ("soft", 1)], 0),
        ("mailchimp_audience_export.zip", "zip", &[("unsubscribe", 1), ("complaint", 1), ("hard", 3)], 0),
    ];
    let mut failures = Vec::new();
    for (file, format, want, bad) in cases {
        let (f, r, c) = read_with(&fixture(file), &utc());
        let want: BTreeMap<String, usize> = want.iter().map(|(k, n)| (k.to_string(), *n)).collect();
        let got = (f.as_str(), r.is_ok(), classes(&c), c.row_problems().len());
        if got != (*format, true, want.clone(), *bad) {
            failures.push(format!(
                "{file}: got {got:?} {:?}, want ({format}, ok, {want:?}, {bad})\n  problems: {:?}",
                r.err(),
                c.problems
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Details the table above cannot show.
#[test]
fn provider_edge_case_details() {
    let (_, c) = read_ok(&fixture("mailchimp_cleaned_1252_semicolon.csv"), &utc());
    assert_eq!(c.events[0].recipient, "j\u{fc}rgen@example.de");
    let (_, c) = read_ok(&fixture("generic_unix_ms_trailing.csv"), &utc());
    let t: Vec<i64> = c.events.iter().map(|e| e.occurred_at.unwrap().timestamp()).collect();
    assert_eq!(t, vec![1709367306, 1709367307], "Unix ms and s");
    let (_, c) = read_ok(&fixture("vonage_dlr_query.txt"), &utc());
    assert_eq!(c.events[0].recipient, "+12025550143");
    assert_eq!(c.events[1].kind, Delivered);
    assert_eq!(
        c.events[1].occurred_at.unwrap().to_rfc3339(),
        "2024-03-02T16:15:09+00:00",
        "form-encoded time"
    );
    let (_, c) = read_ok(&fixture("twilio_utf16_tab.txt"), &utc());
    assert!(c.events.iter().all(|e| e.occurred_at.is_some()), "three date styles");
    assert_eq!(c.events[2].recipient, "+12025550144", "inbound STOP: the sender opted out");
    let (_, c) = read_ok(&fixture("mailjet_grouped_array.json"), &utc());
    assert_eq!(c.events[1].kind, Suppressed);
    let (_, c) = read_ok(&fixture("brevo_logs.csv"), &utc());
    assert_eq!(
        c.events[0].occurred_at.unwrap().to_rfc3339(),
        "2024-03-02T09:15:06+00:00",
        "15/03 in the file settles day first"
    );
    let (_, c) = read_ok(&fixture("generic_sep_line_month_names.csv"), &utc());
    let t: Vec<String> = c.events.iter().map(|e| e.occurred_at.unwrap().to_rfc3339()).collect();
    assert_eq!(t, ["2024-03-02T08:15:00+00:00", "2024-03-02T09:00:00+00:00"]);
    let plus2 = ReadOptions { default_tz: Some("+02:00".into()), ..Default::default() };
    let (_, c) = read_ok(&fixture("brevo_marketing_date_event.jsonl"), &plus2);
    assert_eq!(c.events[0].occurred_at.unwrap().to_rfc3339(), "2024-03-02T07:15:06+00:00", "date_event in the zone given");
    assert_eq!(c.events[0].campaign.as_ref().unwrap().name.as_deref(), Some("Spring"));
    let (_, c) = read_ok(&fixture("listmonk_webhook.jsonl"), &utc());
    assert_eq!(c.events[0].campaign.as_ref().unwrap().key, "listmonk:2a3b4c5d-0000-4000-8000-000000000001");
    assert!(c.events[0].diagnostic.as_deref().unwrap_or("").contains("5.1.1"));
    let (_, c) = read_ok(&fixture("sendgrid_events.csv"), &utc());
    assert_eq!(c.events[0].campaign.as_ref().unwrap().key, "sendgrid:category:promo", "category array in a CSV cell");
    let (_, c) = read_ok(&fixture("postmark_mixed_webhooks.jsonl"), &utc());
    assert_eq!(c.events[0].kind, Delivered);
    assert_eq!(c.events[0].campaign.as_ref().unwrap().key, c.events[1].campaign.as_ref().unwrap().key);
    let (_, c) = read_ok(&fixture("constantcontact_ui.csv"), &utc());
    assert!(c.events.iter().all(|e| e.occurred_at.is_some()), "Bounce Date read");
}

/// Two exports of one provider over overlapping date ranges add each shared row once:
/// with event ids (SES), without (Mailgun's bounce list), with zone-less times
/// (Mailchimp cleaned), and with message ids (Twilio), whatever the order.
#[test]
fn overlapping_exports_of_one_provider_add_no_duplicates() {
    let cancel = CancelFlag::default();
    let pairs: &[(&str, &str, i64)] = &[
        ("mailgun_bounces_jan_feb.csv", "mailgun_bounces_feb_mar.csv", 4),
        ("mailchimp_cleaned_march.csv", "mailchimp_cleaned_april.csv", 3),
        ("ses_array.json", "ses_overlap.jsonl", 3),
    ];
    for (a, b, distinct) in pairs {
        for order in [[a, b], [b, a]] {
            let mut store = Store::open_in_memory().unwrap();
            let mut added = 0;
            for f in order {
                let o = import_file(&mut store, &fixture(f), &utc(), &cancel, &mut |_| {});
                assert!(o.error.is_none(), "{f}: {:?}", o.error);
                added += o.events_added;
            }
            assert_eq!(added, *distinct, "{order:?}");
            assert_eq!(event_count(&store), *distinct, "{order:?}");
        }
    }
    // Twilio: the sample and the same log re-exported with one more day (rows 2–6 shared).
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(samples().join("twilio.csv")).unwrap();
    let mut lines = sample.lines();
    let header = lines.next().unwrap();
    let mut later = format!("{header}\r\n");
    let body: Vec<&str> = sample.splitn(3, '\n').collect();
    later.push_str(body[2]);
    later.push_str("+12025550100,+12025550199,\"next day\",undelivered,2024-03-03T08:15:07-08:00,2010-04-01,1,30005,ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX,SMXXXXXXXXXXXXXXXXXXXXXXXXXXXX0099,outbound-api,-0.00790,USD\r\n");
    let later_path = dir.path().join("twilio_later.csv");
    std::fs::write(&later_path, later).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let first = import_file(&mut store, &samples().join("twilio.csv"), &utc(), &cancel, &mut |_| {});
    let second = import_file(&mut store, &later_path, &utc(), &cancel, &mut |_| {});
    assert!(second.error.is_none(), "{:?}", second.error);
    assert!(second.events_seen >= 2, "{second:?}");
    assert_eq!(second.events_added, 1, "only the new day's row is new");
    assert_eq!(event_count(&store), first.events_added + 1);
}

/// A campaign summary CSV gives sent/delivered to the same campaigns the member
/// exports' events name, in either import order.
#[test]
fn campaign_summary_csv_gives_denominators_to_event_campaigns() {
    let (f, c) = read_ok(&fixture("mailchimp_campaign_reports.csv"), &utc());
    assert_eq!(f, "campaign-summary");
    assert!(c.events.is_empty());
    let got: Vec<(String, Option<i64>, Option<i64>)> =
        c.counts.iter().map(|(c, s, d)| (c.key.clone(), *s, *d)).collect();
    assert_eq!(
        got,
        [
            ("mailchimp:a1b2c3d4e5".to_string(), Some(5000), Some(4950)),
            ("mailchimp:f6e5d4c3b2".to_string(), Some(1200), Some(1188)),
        ]
    );
    let (_, c) = read_ok(&fixture("generic_campaign_summary.csv"), &utc());
    assert_eq!(c.counts.len(), 1, "the Total line is not a campaign");
    assert_eq!((c.counts[0].1, c.counts[0].2), (Some(1000), Some(988)));

    for summary_first in [true, false] {
        let mut store = Store::open_in_memory().unwrap();
        let mut files = vec![fixture("mailchimp_campaign_reports.csv"), samples().join("mailchimp.csv")];
        if !summary_first {
            files.reverse();
        }
        for f in &files {
            let o = import_file(&mut store, f, &utc(), &CancelFlag::default(), &mut |_| {});
            assert!(o.error.is_none(), "{o:?}");
        }
        let (n, sent, delivered): (i64, i64, i64) = store
            .conn()
            .query_row(
                "SELECT COUNT(*), sent_count, delivered_count FROM campaigns WHERE key = 'mailchimp:a1b2c3d4e5'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((n, sent, delivered), (1, 5000, 4950), "summary first: {summary_first}");
        let events: i64 = store
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM events e JOIN campaigns c ON c.id = e.campaign_id WHERE c.key = 'mailchimp:a1b2c3d4e5'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(events, 2, "the cleaned rows of that campaign");
    }
}

/// `rebound import` prints, per file: the format chosen and why, the counts with the
/// bad rows only, the zone it assumed, then each bad row with its number and cause.
#[test]
fn cli_import_summary_separates_notes_from_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let run = |tz: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rebound"))
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(fixture("es_semicolon_bom.csv"))
            .args(["--tz", tz])
            .output()
            .unwrap()
    };
    let out = run("Europe/Madrid");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("read as generic-csv") && lines[0].contains("columns guessed"), "{text}");
    assert!(lines[1].contains("3 events read, 3 new") && lines[1].ends_with("1 bad row"), "{text}");
    assert!(lines[2].trim_start().starts_with("note: 3 timestamps had no time zone") && lines[2].contains("CET/CEST"), "{text}");
    assert_eq!(lines[3].trim(), "row 3: 'no-es-un-correo' is not an email address", "{text}");
    assert_eq!(lines.len(), 4, "{text}");
    // Another zone: nothing new, and the summary says so.
    let out = run("+07:00");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("3 events read, 0 new (3 already stored)"), "{text}");
}

/// Every fixture in tests/fixtures/esp imported twice: the second import adds nothing.
#[test]
fn every_esp_fixture_imported_twice_adds_nothing() {
    let cancel = CancelFlag::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x != "md"))
        .collect();
    files.sort();
    let mut stored = 0;
    for f in &files {
        let mut store = Store::open_in_memory().unwrap();
        let first = import_file(&mut store, f, &utc(), &cancel, &mut |_| {});
        if first.error.is_some() {
            continue; // the files made to be refused (a contact list, a broken one)
        }
        stored += 1;
        let again = import_file(&mut store, f, &utc(), &cancel, &mut |_| {});
        assert_eq!(again.events_added, 0, "{}: {:?}", f.display(), again);
    }
    assert!(stored >= 40, "only {stored} fixtures imported");
}
