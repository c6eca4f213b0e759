//! Provider reports end to end: every sample in ../shared/formats/samples is
//! detected as its provider and yields the expected events per kind and the
//! reasons the provider mapping is sure of; our own fixtures cover encodings,
//! delimiters, dates and broken records; imports are idempotent.

use rebound::import::{import_file, CancelFlag};
use rebound::ingest::{self, Family, ReadOptions, Sink};
use rebound::model::{CampaignRef, Channel, Event, Kind, Reason};
use rebound::store::Store;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Default)]
struct Collect {
    events: Vec<Event>,
    problems: Vec<(String, String)>,
    counts: Vec<(CampaignRef, Option<i64>, Option<i64>)>,
}

impl Sink for Collect {
    fn event(&mut self, ev: Event) -> rebound::Result<()> {
        self.events.push(ev);
        Ok(())
    }
    fn problem(&mut self, _s: &str, locator: &str, message: &str) -> rebound::Result<()> {
        self.problems
            .push((locator.to_string(), message.to_string()));
        Ok(())
    }
    fn campaign_counts(
        &mut self,
        c: &CampaignRef,
        s: Option<i64>,
        d: Option<i64>,
    ) -> rebound::Result<()> {
        self.counts.push((c.clone(), s, d));
        Ok(())
    }
}

impl Collect {
    fn kinds(&self) -> BTreeMap<Kind, usize> {
        let mut m = BTreeMap::new();
        for e in &self.events {
            *m.entry(e.kind).or_insert(0) += 1;
        }
        m
    }
    fn hints(&self) -> BTreeMap<Reason, usize> {
        let mut m = BTreeMap::new();
        for e in &self.events {
            if let Some(h) = e.reason_hint {
                *m.entry(h).or_insert(0) += 1;
            }
        }
        m
    }
    fn row_problems(&self) -> Vec<&(String, String)> {
        self.problems
            .iter()
            .filter(|(_, m)| !m.starts_with("note:"))
            .collect()
    }
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/formats/samples")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/esp")
        .join(name)
}

fn utc() -> ReadOptions {
    ReadOptions {
        default_tz: Some("UTC".into()),
        ..Default::default()
    }
}

/// Detects and reads one file; returns the detected format and what was read.
fn read_with(path: &Path, opts: &ReadOptions) -> (String, rebound::Result<()>, Collect) {
    let input = ingest::open_file(path).expect("open");
    let det = ingest::detect(&input.name, &input.head, opts)
        .unwrap_or_else(|| panic!("{}: not detected", path.display()));
    let mut c = Collect::default();
    let r = ingest::read(&det, input, opts, &mut c);
    (det.format, r, c)
}

fn read_ok(path: &Path, opts: &ReadOptions) -> (String, Collect) {
    let (f, r, c) = read_with(path, opts);
    if let Err(e) = r {
        panic!("{}: {e}", path.display());
    }
    (f, c)
}

fn k(list: &[(Kind, usize)]) -> BTreeMap<Kind, usize> {
    list.iter().copied().collect()
}

fn h(list: &[(Reason, usize)]) -> BTreeMap<Reason, usize> {
    list.iter().copied().collect()
}

use Kind::*;

#[test]
fn every_sample_is_detected_and_counted() {
    type Case = (
        &'static str,
        &'static str,
        Vec<(Kind, usize)>,
        Vec<(Reason, usize)>,
    );
    let cases: Vec<Case> = vec![
        ("mailchimp.csv", "mailchimp", vec![(Bounce, 3)], vec![]),
        (
            "sendgrid.json",
            "sendgrid",
            vec![
                (Bounce, 3),
                (Deferred, 1),
                (Suppressed, 1),
                (Complaint, 1),
                (Unsubscribe, 1),
            ],
            vec![
                (Reason::UserUnknown, 1),
                (Reason::AuthFailed, 1),
                (Reason::Suppressed, 1),
                (Reason::Complaint, 1),
                (Reason::Unsubscribe, 1),
            ],
        ),
        (
            "mailgun.json",
            "mailgun",
            vec![(Bounce, 1), (Deferred, 1), (Suppressed, 1), (Complaint, 1)],
            vec![(Reason::Suppressed, 1), (Reason::Complaint, 1)],
        ),
        (
            "ses.jsonl",
            "ses",
            vec![(Bounce, 3), (Complaint, 1), (Suppressed, 1)],
            vec![
                (Reason::MailboxFull, 1),
                (Reason::Complaint, 1),
                (Reason::Suppressed, 1),
            ],
        ),
        (
            "postmark.json",
            "postmark",
            vec![(Bounce, 2), (Deferred, 1), (Complaint, 1)],
            vec![(Reason::AuthFailed, 1), (Reason::Complaint, 1)],
        ),
        (
            "brevo.jsonl",
            "brevo",
            vec![
                (Bounce, 3),
                (Suppressed, 1),
                (Complaint, 1),
                (Unsubscribe, 1),
            ],
            vec![
                (Reason::Suppressed, 1),
                (Reason::Complaint, 1),
                (Reason::Unsubscribe, 1),
            ],
        ),
        (
            "klaviyo.json",
            "klaviyo",
            vec![(Bounce, 1), (Complaint, 1), (Unsubscribe, 1)],
            vec![(Reason::Complaint, 1), (Reason::Unsubscribe, 1)],
        ),
        (
            "constantcontact.json",
            "constantcontact",
            vec![(Bounce, 3), (AutoReply, 1)],
            vec![
                (Reason::UserUnknown, 1),
                (Reason::MailboxFull, 1),
                (Reason::Blocked, 1),
                (Reason::AutoReply, 1),
            ],
        ),
        (
            "campaignmonitor.json",
            "campaignmonitor",
            vec![(Bounce, 3)],
            vec![(Reason::MailboxFull, 1)],
        ),
        (
            "mailerlite.json",
            "mailerlite",
            vec![(Bounce, 1), (Complaint, 1), (Unsubscribe, 1)],
            vec![(Reason::Complaint, 1), (Reason::Unsubscribe, 1)],
        ),
        (
            "activecampaign.json",
            "activecampaign",
            vec![(Bounce, 2)],
            vec![],
        ),
        (
            "sparkpost.json",
            "sparkpost",
            vec![(Bounce, 3), (Complaint, 1), (Unsubscribe, 1)],
            vec![
                (Reason::UserUnknown, 1),
                (Reason::MailboxFull, 1),
                (Reason::Blocked, 1),
                (Reason::Complaint, 1),
                (Reason::Unsubscribe, 1),
            ],
        ),
        (
            "mailjet.json",
            "mailjet",
            vec![
                (Bounce, 2),
                (Suppressed, 1),
                (Complaint, 1),
                (Unsubscribe, 1),
            ],
            vec![
                (Reason::UserUnknown, 1),
                (Reason::MailboxFull, 1),
                (Reason::Suppressed, 1),
                (Reason::Complaint, 1),
                (Reason::Unsubscribe, 1),
            ],
        ),
        (
            "listmonk.json",
            "listmonk",
            vec![(Bounce, 2), (Complaint, 1)],
            vec![(Reason::Complaint, 1)],
        ),
        (
            "twilio.csv",
            "twilio",
            vec![(Delivered, 1), (Bounce, 3), (Unsubscribe, 2)],
            vec![
                (Reason::SmsUnreachable, 1),
                (Reason::SmsInvalidNumber, 1),
                (Reason::SmsCarrierFiltered, 1),
                (Reason::SmsOptedOut, 2),
            ],
        ),
        (
            "vonage.jsonl",
            "vonage",
            vec![(Delivered, 1), (Bounce, 3), (Sent, 1)],
            vec![
                (Reason::SmsInvalidNumber, 1),
                (Reason::SmsUnreachable, 1),
                (Reason::SmsCarrierFiltered, 1),
            ],
        ),
        (
            "smpp.txt",
            "smpp",
            vec![(Delivered, 1), (Sent, 1), (Bounce, 5)],
            vec![(Reason::SmsUnreachable, 1), (Reason::SmsCarrierFiltered, 1)],
        ),
    ];
    let mut seen = 0;
    for (file, format, kinds, hints) in cases {
        let (got, c) = read_ok(&samples().join(file), &utc());
        assert_eq!(got, format, "{file}: detected format");
        assert_eq!(c.kinds(), k(&kinds), "{file}: events per kind");
        assert_eq!(c.hints(), h(&hints), "{file}: reason hints");
        assert!(
            c.row_problems().is_empty(),
            "{file}: unexpected problems {:?}",
            c.problems
        );
        for e in &c.events {
            assert_eq!(e.provider.as_deref(), Some(format), "{file}: provider");
            assert!(e.source.locator.starts_with('#'), "{file}: locator");
            let sms = matches!(format, "twilio" | "vonage" | "smpp");
            assert_eq!(
                e.channel,
                if sms { Channel::Sms } else { Channel::Email },
                "{file}: channel"
            );
            if sms && format != "smpp" {
                assert!(
                    e.recipient.starts_with('+')
                        && e.recipient[1..].bytes().all(|b| b.is_ascii_digit()),
                    "{file}: E.164 {}",
                    e.recipient
                );
            }
            if !sms {
                assert!(e.recipient.contains('@'), "{file}: {}", e.recipient);
            }
            assert!(e.occurred_at.is_some(), "{file}{}: time", e.source.locator);
        }
        seen += 1;
    }
    // Every sample file in the folder is covered (README aside).
    let on_disk = std::fs::read_dir(samples())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name() != "README.md")
        .count();
    assert_eq!(seen, on_disk);
}

#[test]
fn sample_details_survive() {
    let (_, c) = read_ok(&samples().join("mailjet.json"), &utc());
    assert!(c.events[0]
        .provider_event_id
        .as_deref()
        .unwrap()
        .starts_with("19421777835146490"));
    assert_eq!(c.events[0].campaign.as_ref().unwrap().key, "mailjet:7276");

    let (_, c) = read_ok(&samples().join("postmark.json"), &utc());
    assert_eq!(
        c.events[0].provider_event_id.as_deref(),
        Some("4323372036854775807")
    );
    assert_eq!(
        c.events[0].occurred_at.unwrap().to_rfc3339(),
        "2024-03-02T08:15:06.273539300+00:00"
    );

    let (_, c) = read_ok(&samples().join("ses.jsonl"), &utc());
    let erin = c
        .events
        .iter()
        .find(|e| e.recipient == "erin@example.org")
        .unwrap();
    assert_eq!(erin.kind, Suppressed);
    assert_eq!(
        erin.provider_label.as_deref(),
        Some("Permanent/OnAccountSuppressionList")
    );
    assert_eq!(c.events[1].recipient, "Bob@example.net");
    assert_ne!(c.events[0].provider_event_id, c.events[1].provider_event_id);
    assert_eq!(
        c.events[3].campaign.as_ref().unwrap().key,
        "ses:spring-2024-w1"
    );

    let (_, c) = read_ok(&samples().join("sendgrid.json"), &utc());
    assert_eq!(c.events[0].campaign.as_ref().unwrap().key, "sendgrid:12345");
    assert_eq!(c.events[0].reply_code, Some(550));
    assert_eq!(
        c.events[1].provider_label.as_deref(),
        Some("blocked/Unclassified")
    );
    assert_eq!(c.events[1].status, None);

    let (_, c) = read_ok(&samples().join("brevo.jsonl"), &utc());
    // ts_event (UTC) wins over the CET `date`.
    assert_eq!(
        c.events[0].occurred_at.unwrap().to_rfc3339(),
        "2024-03-02T08:15:06+00:00"
    );
    assert_eq!(
        c.events[4].campaign.as_ref().unwrap().name.as_deref(),
        Some("Spring Sale, Week 1")
    );

    let (_, c) = read_ok(&samples().join("twilio.csv"), &utc());
    let by_row = |r: &str| c.events.iter().find(|e| e.source.locator == r).unwrap();
    assert_eq!(
        by_row("#3").occurred_at.unwrap().to_rfc3339(),
        "2024-03-02T16:15:08+00:00"
    );
    assert_eq!(by_row("#5").recipient, "+447700900123");
    assert_eq!(by_row("#5").reply_code, Some(30007));
    assert_eq!(by_row("#6").recipient, "+12025550146");

    let (_, c) = read_ok(&samples().join("mailchimp.csv"), &ReadOptions::default());
    assert_eq!(c.events[1].recipient, "Minh.Tran@example.org");
    assert_eq!(
        c.events[0].campaign.as_ref().unwrap().key,
        "mailchimp:a1b2c3d4e5"
    );
    // Mailchimp times are taken as UTC when the user gave no zone, and that is noted.
    assert_eq!(
        c.events[0].occurred_at.unwrap().to_rfc3339(),
        "2024-03-02T08:15:00+00:00"
    );
    assert!(c.problems.iter().any(|(_, m)| m.contains("read as UTC")));
}

#[test]
fn encodings_delimiters_and_dates() {
    // UTF-8 BOM, semicolons, quoted newline, European dates, Spanish headers.
    let (f, c) = read_ok(&fixture("es_semicolon_bom.csv"), &utc());
    assert_eq!(f, "generic-csv");
    assert_eq!(c.kinds(), k(&[(Bounce, 2), (Unsubscribe, 1)]));
    assert_eq!(
        c.events[0].occurred_at.unwrap().to_rfc3339(),
        "2024-03-25T10:15:00+00:00"
    );
    assert_eq!(
        c.events[1].occurred_at.unwrap().to_rfc3339(),
        "2024-04-03T11:00:00+00:00"
    );
    assert_eq!(c.events[0].status.as_deref(), Some("5.1.1"));
    assert!(c.events[0]
        .diagnostic
        .as_deref()
        .unwrap()
        .contains("segunda línea"));
    assert_eq!(
        c.events[0].campaign.as_ref().unwrap().key,
        "generic:Primavera 2024"
    );
    let bad = c.row_problems();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].0, "#3");
    assert!(bad[0].1.starts_with("row 3:"), "{:?}", bad);

    // UTF-16LE with BOM, tabs, duplicate UNSUB_REASON columns.
    let (f, c) = read_ok(&fixture("mailchimp_unsub_utf16.txt"), &utc());
    assert_eq!(f, "mailchimp");
    assert_eq!(c.kinds(), k(&[(Unsubscribe, 2), (Complaint, 1)]));
    assert_eq!(c.events[1].kind, Complaint);
    assert_eq!(c.events[2].recipient, "Trần.Minh@example.org");
    assert_eq!(c.events[2].diagnostic.as_deref(), Some("Quá nhiều thư"));

    // Windows-1252 and millisecond timestamps.
    let (f, c) = read_ok(&fixture("sendgrid_bounces_1252.csv"), &utc());
    assert_eq!(f, "sendgrid");
    assert_eq!(c.events.len(), 2);
    assert!(c.events[0]
        .diagnostic
        .as_deref()
        .unwrap()
        .contains("refusée"));
    assert_eq!(c.events[0].occurred_at.unwrap().timestamp(), 1709367300);
    assert_eq!(c.events[1].reply_code, Some(452));

    // US dates, 12-hour clock.
    let (_, c) = read_ok(&fixture("us_dates_generic.csv"), &utc());
    assert_eq!(
        c.events[0].occurred_at.unwrap().to_rfc3339(),
        "2024-03-25T20:15:00+00:00"
    );
    assert_eq!(
        c.events[1].occurred_at.unwrap().to_rfc3339(),
        "2024-03-02T09:00:00+00:00"
    );
    assert_eq!(c.kinds(), k(&[(Bounce, 1), (Deferred, 1)]));

    // A zone given by the user shifts zone-less times.
    let opts = ReadOptions {
        default_tz: Some("+07:00".into()),
        ..Default::default()
    };
    let (_, c) = read_ok(&fixture("us_dates_generic.csv"), &opts);
    assert_eq!(
        c.events[1].occurred_at.unwrap().to_rfc3339(),
        "2024-03-02T02:00:00+00:00"
    );
    assert!(c.problems.iter().any(|(_, m)| m.contains("UTC+07:00")));
}

#[test]
fn sms_generic_needs_a_region_for_national_numbers() {
    // Without a region every row fails, so the file is refused, and each row says what to do.
    let (f, r, c) = read_with(&fixture("vi_sms_generic.csv"), &utc());
    assert_eq!(f, "generic-csv");
    assert_eq!(r.unwrap_err().code(), "bad_input");
    assert_eq!(c.row_problems().len(), 2);
    assert!(
        c.row_problems()[0].1.contains("--map region="),
        "{:?}",
        c.problems
    );
    let opts = ReadOptions {
        default_tz: Some("UTC".into()),
        column_map: vec![("region".into(), "VN".into())],
        ..Default::default()
    };
    let (_, c) = read_ok(&fixture("vi_sms_generic.csv"), &opts);
    assert_eq!(c.events.len(), 2);
    assert_eq!(c.events[0].recipient, "+84912345678");
    assert_eq!(c.events[0].channel, Channel::Sms);
    assert_eq!(c.events[1].kind, Unsubscribe);
    assert_eq!(c.events[1].reason_hint, Some(Reason::SmsOptedOut));
    // 03/02 and 04/02 cannot be told apart: read day first, and said so.
    assert_eq!(
        c.events[0].occurred_at.unwrap().to_rfc3339(),
        "2024-02-03T08:15:00+00:00"
    );
    assert!(c.problems.iter().any(|(_, m)| m.contains("day first")));
}

#[test]
fn column_map_overrides_the_guess() {
    let opts = ReadOptions {
        default_tz: Some("UTC".into()),
        column_map: vec![("reason".into(), "Date".into())],
        format: Some("generic-csv".into()),
    };
    let (_, c) = read_ok(&fixture("us_dates_generic.csv"), &opts);
    assert_eq!(
        c.events[0].diagnostic.as_deref(),
        Some("03/25/2024 8:15 PM")
    );
    let bad = ReadOptions {
        column_map: vec![("email".into(), "Nope".into())],
        format: Some("generic-csv".into()),
        ..utc()
    };
    let (_, r, _) = read_with(&fixture("us_dates_generic.csv"), &bad);
    let e = r.unwrap_err();
    assert_eq!(e.code(), "bad_input");
    assert!(e.to_string().contains("no such column"), "{e}");
}

#[test]
fn json_shapes_and_broken_records() {
    let (f, c) = read_ok(&fixture("ses_array.json"), &utc());
    assert_eq!(f, "ses");
    assert_eq!(c.kinds(), k(&[(Bounce, 3)]));
    assert_eq!(
        c.hints(),
        h(&[(Reason::UserUnknown, 2), (Reason::SpamDetected, 1)])
    );
    assert_eq!(c.row_problems().len(), 1, "{:?}", c.problems);
    assert_eq!(c.row_problems()[0].0, "#4");

    let (f, c) = read_ok(&fixture("ses_sns_only.json"), &utc());
    assert_eq!(f, "ses");
    assert_eq!(c.kinds(), k(&[(Suppressed, 1)]));

    let (f, c) = read_ok(&fixture("sendgrid_bad_line.jsonl"), &utc());
    assert_eq!(f, "sendgrid");
    assert_eq!(c.events.len(), 1);
    assert_eq!(
        c.events[0].campaign.as_ref().unwrap().key,
        "sendgrid:98765432109876543"
    );
    assert_eq!(c.row_problems().len(), 1);

    let (f, c) = read_ok(&fixture("postmark_webhook.json"), &utc());
    assert_eq!(f, "postmark");
    assert_eq!(
        c.events[0].provider_event_id.as_deref(),
        Some("9007199254740993")
    );
    assert_eq!(c.events[0].occurred_at.unwrap().timestamp(), 1406914090);

    let (f, c) = read_ok(&fixture("mailgun_bounces.csv"), &utc());
    assert_eq!(f, "mailgun");
    assert_eq!(
        c.events[0].occurred_at.unwrap().to_rfc3339(),
        "2011-10-21T11:02:55+00:00"
    );
    assert_eq!(c.events[0].status.as_deref(), Some("5.1.1"));

    let (f, c) = read_ok(&fixture("smpp_with_phone.txt"), &utc());
    assert_eq!(f, "smpp");
    assert_eq!(c.events.len(), 2);
    assert_eq!(c.events[0].recipient, "+447700900123");
    assert_eq!(c.events[1].recipient, "+12025550142");
    assert_eq!(c.row_problems().len(), 1);
}

#[test]
fn wrong_kind_of_file_is_refused_clearly() {
    // A contact list is not a report.
    let input = ingest::open_file(&fixture("mailchimp_subscribed.csv")).unwrap();
    let det = ingest::detect(&input.name, &input.head, &utc()).unwrap();
    assert_eq!(det.family, Family::Contacts);
    let e = ingest::read(&det, input, &utc(), &mut Collect::default()).unwrap_err();
    assert_eq!(e.code(), "bad_input");

    // A Twilio log forced through the SendGrid reader.
    let forced = ReadOptions {
        format: Some("sendgrid".into()),
        ..utc()
    };
    let (_, r, _) = read_with(&samples().join("twilio.csv"), &forced);
    let e = r.unwrap_err();
    assert_eq!(e.code(), "bad_input");
    assert!(e.to_string().contains("email"), "{e}");

    // JSON of the wrong provider: every record fails, so nothing is imported.
    let forced = ReadOptions {
        format: Some("postmark".into()),
        ..utc()
    };
    let (_, r, _) = read_with(&samples().join("vonage.jsonl"), &forced);
    assert_eq!(r.unwrap_err().code(), "bad_input");
}

fn event_count(store: &Store) -> i64 {
    store
        .conn()
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn importing_twice_or_overlapping_exports_adds_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let cancel = CancelFlag::default();
    for f in [
        "sendgrid.json",
        "twilio.csv",
        "ses.jsonl",
        "smpp.txt",
        "mailchimp.csv",
    ] {
        let path = samples().join(f);
        let first = import_file(&mut store, &path, &utc(), &cancel, &mut |_| {});
        assert!(first.error.is_none(), "{f}: {:?}", first.error);
        assert!(first.events_added > 0, "{f}");
        let before = event_count(&store);
        let again = import_file(&mut store, &path, &utc(), &cancel, &mut |_| {});
        assert!(again.error.is_none(), "{f}: {:?}", again.error);
        assert_eq!(again.events_added, 0, "{f}");
        assert_eq!(event_count(&store), before, "{f}");
    }
    // Two exports that overlap: the SES array holds the same feedback as the JSON lines file.
    let a = import_file(
        &mut store,
        &fixture("ses_array.json"),
        &utc(),
        &cancel,
        &mut |_| {},
    );
    assert_eq!(a.events_added, 3);
    let b = import_file(
        &mut store,
        &fixture("ses_overlap.jsonl"),
        &utc(),
        &cancel,
        &mut |_| {},
    );
    assert_eq!(b.events_seen, 2);
    assert_eq!(b.events_added, 0);
}

#[test]
fn detection_says_why() {
    let input = ingest::open_file(&samples().join("mailchimp.csv")).unwrap();
    let det = ingest::detect(&input.name, &input.head, &ReadOptions::default()).unwrap();
    assert!(det.why.contains("CLEAN_TIME"), "{}", det.why);
    let input = ingest::open_file(&fixture("es_semicolon_bom.csv")).unwrap();
    let det = ingest::detect(&input.name, &input.head, &ReadOptions::default()).unwrap();
    assert!(det.why.contains("email=Correo electrónico"), "{}", det.why);
    assert!(det.why.contains("status=Estado"), "{}", det.why);
    assert!(det.confidence < 50);
}

#[test]
fn summaries_give_campaign_denominators() {
    let (f, c) = read_ok(&fixture("constantcontact_summary.json"), &utc());
    assert_eq!(f, "constantcontact");
    assert!(c.events.is_empty());
    assert_eq!(c.counts.len(), 1);
    assert_eq!(
        c.counts[0].0.key,
        "constantcontact:11111111-aaaa-4bbb-8ccc-000000000001"
    );
    assert_eq!((c.counts[0].1, c.counts[0].2), (Some(1000), Some(988)));

    let (f, c) = read_ok(&fixture("mailchimp_report.json"), &utc());
    assert_eq!(f, "mailchimp");
    assert_eq!((c.counts[0].1, c.counts[0].2), (Some(5000), Some(4950)));
    assert_eq!(c.counts[0].0.name.as_deref(), Some("Spring Sale, Week 1"));

    let (f, c) = read_ok(&fixture("mailchimp_activity.json"), &utc());
    assert_eq!(f, "mailchimp");
    assert_eq!(c.kinds(), k(&[(Bounce, 2)]));
    assert_eq!(c.events[0].provider_label.as_deref(), Some("hard"));
    assert_eq!(
        c.events[1].campaign.as_ref().unwrap().key,
        "mailchimp:a1b2c3d4e5"
    );
}

/// Hostile input never panics a reader: every sample and fixture, cut at many
/// byte positions and with bytes flipped, forced through every report format.
#[test]
fn truncated_and_mangled_files_never_panic() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(samples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.extend(
        std::fs::read_dir(fixture(""))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    let formats = [
        "mailchimp",
        "sendgrid",
        "mailgun",
        "ses",
        "postmark",
        "brevo",
        "klaviyo",
        "mailjet",
        "sparkpost",
        "constantcontact",
        "campaignmonitor",
        "mailerlite",
        "activecampaign",
        "listmonk",
        "generic-csv",
        "generic-json",
        "twilio",
        "vonage",
        "smpp",
    ];
    let mut runs = 0;
    for f in files
        .iter()
        .filter(|f| f.file_name().unwrap() != "README.md")
    {
        let bytes = std::fs::read(f).unwrap();
        let mut variants: Vec<Vec<u8>> = Vec::new();
        for cut in (1..bytes.len()).step_by((bytes.len() / 7).max(1)) {
            variants.push(bytes[..cut].to_vec());
        }
        let mut flipped = bytes.clone();
        for i in (0..flipped.len()).step_by(13) {
            flipped[i] = flipped[i].wrapping_add(0x81);
        }
        variants.push(flipped);
        for v in &variants {
            let name = f.display().to_string();
            // Detection alone, then each forced format.
            let _ = ingest::detect(
                &name,
                &v[..v.len().min(ingest::HEAD_LEN)],
                &ReadOptions::default(),
            );
            for fmt in formats {
                let opts = ReadOptions {
                    format: Some(fmt.into()),
                    ..utc()
                };
                let input = ingest::Input::new(name.clone(), Some(v.len() as u64), &v[..]).unwrap();
                let det = ingest::detect(&name, &input.head, &opts).unwrap();
                let _ = ingest::read(&det, input, &opts, &mut Collect::default());
                runs += 1;
            }
        }
    }
    assert!(runs > 1000, "{runs}");
}

#[test]
fn title_lines_above_the_header() {
    let (f, c) = read_ok(&fixture("title_lines_generic.csv"), &utc());
    assert_eq!(f, "generic-csv");
    assert_eq!(c.events.len(), 2);
    assert_eq!(c.events[0].recipient, "ana.lopez@example.com");
    assert_eq!(c.events[0].provider_label.as_deref(), Some("Hard"));
    assert_eq!(c.events[1].reply_code, Some(452));
    assert!(c.row_problems().is_empty(), "{:?}", c.problems);
}

/// A cancel reaches the reader through progress even when rows produce no events.
#[test]
fn cancel_stops_a_large_report() {
    struct Cancelling(u64);
    impl Sink for Cancelling {
        fn event(&mut self, _: Event) -> rebound::Result<()> {
            Ok(())
        }
        fn problem(&mut self, _: &str, _: &str, _: &str) -> rebound::Result<()> {
            Ok(())
        }
        fn progress(&mut self, _: u64) -> rebound::Result<()> {
            self.0 += 1;
            Err(rebound::Error::Cancelled)
        }
    }
    let mut csv = String::from("email,timestamp,event,sg_event_id\n");
    for i in 0..10_000 {
        csv.push_str(&format!("u{i}@example.com,1709367300,open,ev{i}\n"));
    }
    let input = ingest::Input::new("opens.csv", None, csv.as_bytes()).unwrap();
    let det = ingest::detect("opens.csv", &input.head, &utc()).unwrap();
    assert_eq!(det.format, "sendgrid");
    let mut sink = Cancelling(0);
    let r = ingest::read(&det, input, &utc(), &mut sink);
    assert!(matches!(r, Err(rebound::Error::Cancelled)));
    assert_eq!(sink.0, 1);
}

/// Zones, notes, provider edge-case fixtures, overlapping exports, summaries, the CLI summary.
#[path = "esp_samples/edge.rs"]
mod edge;
