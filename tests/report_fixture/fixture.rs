//! The hand-counted fixture of tests/fixtures/report/README.md and the helpers every
//! report test builds on.

pub use chrono::{NaiveDate, TimeZone, Utc};
pub use rebound::model::{CampaignRef, Channel, Class, Event, Kind, Reason, Source, Verdict};
pub use rebound::report::{self, Level, Query, SentSource, Thresholds, Zone};
pub use rebound::store::{NewImport, Store};

pub fn t(s: &str) -> chrono::DateTime<Utc> {
    let n = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    Utc.from_utc_datetime(&n)
}

pub struct Ev<'a> {
    pub campaign: Option<&'a str>,
    pub kind: Kind,
    pub class: Class,
    pub reason: Reason,
    pub occurred: Option<&'a str>,
    pub sent: Option<&'a str>,
    pub provider: Option<&'a str>,
    pub mta: Option<&'a str>,
}

pub fn make(rcpt: &str, e: &Ev, channel: Channel, n: usize) -> Event {
    let mut ev = Event::new(
        channel,
        e.kind,
        rcpt,
        Source {
            file: "fixture".into(),
            locator: format!("#{n}"),
            offset: None,
        },
    );
    ev.campaign = e.campaign.map(|k| CampaignRef {
        key: k.into(),
        name: (k == "spring").then(|| "Spring sale".into()),
    });
    ev.occurred_at = e.occurred.map(t);
    ev.sent_at = e.sent.map(t);
    ev.provider = e.provider.map(String::from);
    ev.remote_mta = e.mta.map(String::from);
    ev.verdict = Verdict {
        class: e.class,
        reason: e.reason,
        rule: "fixture".into(),
        evidence: String::new(),
    };
    ev
}

pub fn meta(name: &str) -> NewImport {
    NewImport {
        file_name: name.into(),
        file_path: format!("/fixture/{name}"),
        size_bytes: 1,
        sha256: "00".into(),
        format: "fixture".into(),
        provider: None,
        detect_reason: None,
    }
}

/// (recipients, what happened) — the hand-counted table of tests/fixtures/report/README.md.
pub fn fixture_events() -> Vec<Event> {
    use Class as C;
    use Kind as K;
    use Reason as R;
    let ev = |campaign, kind, class, reason, occurred, sent, provider, mta| Ev {
        campaign,
        kind,
        class,
        reason,
        occurred,
        sent,
        provider,
        mta,
    };
    let sp = Some("spring");
    let sp_sent = Some("2026-03-02 08:00:00");
    let su = Some("summer");
    let su_sent = Some("2026-06-10 10:00:00");
    let tet_sent = Some("2026-02-16 16:00:00");
    let mx = Some("mx.example.vn");
    let groups: Vec<(Vec<String>, Ev, Channel)> = vec![
        (
            addrs("h", 1..=8, "gmail.com"),
            ev(
                sp,
                K::Bounce,
                C::Hard,
                R::UserUnknown,
                Some("2026-03-02 08:00:30"),
                sp_sent,
                Some("sendgrid"),
                None,
            ),
            Channel::Email,
        ),
        (
            addrs("h", 9..=12, "yahoo.com"),
            ev(
                sp,
                K::Bounce,
                C::Hard,
                R::HostUnknown,
                Some("2026-03-02 12:00:00"),
                sp_sent,
                Some("sendgrid"),
                None,
            ),
            Channel::Email,
        ),
        (
            addrs("b", 1..=3, "gmail.com"),
            ev(
                sp,
                K::Bounce,
                C::Block,
                R::Blocked,
                Some("2026-03-02 08:10:00"),
                sp_sent,
                Some("sendgrid"),
                None,
            ),
            Channel::Email,
        ),
        (
            addrs("s", 1..=5, "outlook.com"),
            ev(
                sp,
                K::Bounce,
                C::Soft,
                R::MailboxFull,
                Some("2026-03-03 10:00:00"),
                sp_sent,
                Some("sendgrid"),
                None,
            ),
            Channel::Email,
        ),
        (
            vec![
                "d1@outlook.com".into(),
                "d2@outlook.com".into(),
                "d3@outlook.com".into(),
                "s01@outlook.com".into(),
            ],
            ev(
                sp,
                K::Deferred,
                C::Soft,
                R::RateLimited,
                Some("2026-03-02 09:00:00"),
                sp_sent,
                Some("sendgrid"),
                None,
            ),
            Channel::Email,
        ),
        (
            addrs("c", 1..=2, "yahoo.com"),
            ev(
                sp,
                K::Complaint,
                C::Complaint,
                R::Complaint,
                Some("2026-03-04 12:00:00"),
                sp_sent,
                Some("sendgrid"),
                None,
            ),
            Channel::Email,
        ),
        (
            addrs("u", 1..=1, "gmail.com"),
            ev(
                sp,
                K::Unsubscribe,
                C::Unsubscribe,
                R::Unsubscribe,
                Some("2026-03-05 12:00:00"),
                sp_sent,
                Some("sendgrid"),
                None,
            ),
            Channel::Email,
        ),
        (
            addrs("r", 1..=200, "example.com"),
            ev(
                su,
                K::Sent,
                C::None,
                R::Unknown,
                Some("2026-06-10 10:00:00"),
                su_sent,
                Some("mailgun"),
                None,
            ),
            Channel::Email,
        ),
        (
            addrs("r", 1..=2, "example.com"),
            ev(
                su,
                K::Bounce,
                C::Hard,
                R::UserUnknown,
                Some("2026-06-10 10:05:00"),
                su_sent,
                Some("mailgun"),
                None,
            ),
            Channel::Email,
        ),
        (
            addrs("r", 3..=6, "example.com"),
            ev(
                su,
                K::Bounce,
                C::Soft,
                R::MailboxFull,
                Some("2026-06-11 10:00:00"),
                su_sent,
                Some("mailgun"),
                None,
            ),
            Channel::Email,
        ),
        (
            addrs("r", 7..=16, "example.com"),
            ev(
                su,
                K::Bounce,
                C::Block,
                R::SpamDetected,
                Some("2026-06-10 10:01:00"),
                su_sent,
                Some("mailgun"),
                None,
            ),
            Channel::Email,
        ),
        (
            addrs("r", 17..=17, "example.com"),
            ev(
                su,
                K::Complaint,
                C::Complaint,
                R::Complaint,
                Some("2026-06-12 09:00:00"),
                su_sent,
                Some("mailgun"),
                None,
            ),
            Channel::Email,
        ),
        (
            addrs("n", 1..=3, "hotmail.com"),
            ev(
                Some("nosent"),
                K::Bounce,
                C::Hard,
                R::UserUnknown,
                Some("2026-04-01 10:00:00"),
                None,
                Some("postfix"),
                None,
            ),
            Channel::Email,
        ),
        (
            addrs("n", 4..=4, "hotmail.com"),
            ev(
                Some("nosent"),
                K::Bounce,
                C::Soft,
                R::MailboxFull,
                Some("2026-04-01 11:00:00"),
                None,
                Some("postfix"),
                None,
            ),
            Channel::Email,
        ),
        (
            addrs("t", 1..=2, "example.vn"),
            ev(
                Some("tet"),
                K::Bounce,
                C::Hard,
                R::UserUnknown,
                Some("2026-02-16 16:30:00"),
                tet_sent,
                Some("postfix"),
                mx,
            ),
            Channel::Email,
        ),
        (
            addrs("t", 3..=5, "example.vn"),
            ev(
                Some("tet"),
                K::Bounce,
                C::Hard,
                R::UserUnknown,
                Some("2026-02-16 17:30:00"),
                tet_sent,
                Some("postfix"),
                mx,
            ),
            Channel::Email,
        ),
        (
            addrs("t", 6..=6, "example.vn"),
            ev(
                Some("tet"),
                K::Bounce,
                C::Soft,
                R::SystemError,
                Some("2026-02-16 18:20:00"),
                tet_sent,
                Some("postfix"),
                mx,
            ),
            Channel::Email,
        ),
        (
            addrs("t", 7..=7, "example.vn"),
            ev(
                Some("tet"),
                K::Bounce,
                C::Soft,
                R::SystemError,
                Some("2026-02-16 18:40:00"),
                tet_sent,
                Some("postfix"),
                mx,
            ),
            Channel::Email,
        ),
        (
            vec!["+84901234567".into()],
            ev(
                Some("promo-sms"),
                K::Bounce,
                C::Hard,
                R::SmsInvalidNumber,
                Some("2026-05-01 03:00:00"),
                None,
                Some("twilio"),
                None,
            ),
            Channel::Sms,
        ),
        (
            vec!["x@example.org".into()],
            ev(
                None,
                K::Bounce,
                C::Hard,
                R::UserUnknown,
                None,
                None,
                None,
                None,
            ),
            Channel::Email,
        ),
    ];
    let mut out = Vec::new();
    for (rcpts, e, ch) in groups {
        for r in rcpts {
            let n = out.len();
            out.push(make(&r, &e, ch, n));
        }
    }
    out
}

pub fn addrs(prefix: &str, range: std::ops::RangeInclusive<u32>, domain: &str) -> Vec<String> {
    range.map(|i| format!("{prefix}{i:02}@{domain}")).collect()
}

pub fn fixture_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let mut tx = store.begin_import(&meta("fixture")).unwrap();
    let spring = CampaignRef {
        key: "spring".into(),
        name: Some("Spring sale".into()),
    };
    tx.set_campaign_counts(&spring, Some(1000), Some(950), "fixture summary")
        .unwrap();
    tx.set_campaign_counts(
        &CampaignRef {
            key: "tet".into(),
            name: None,
        },
        Some(100),
        None,
        "fixture summary",
    )
    .unwrap();
    tx.set_campaign_counts(
        &CampaignRef {
            key: "promo-sms".into(),
            name: None,
        },
        Some(50),
        None,
        "fixture summary",
    )
    .unwrap();
    for e in fixture_events() {
        assert!(tx.add_event(&e, &e.fingerprint(None)).unwrap());
    }
    tx.commit().unwrap();
    store
}

pub fn id(store: &Store, key: &str) -> i64 {
    report::campaign_by_key_or_id(store, key).unwrap().unwrap()
}

pub fn q(campaign: Option<i64>) -> Query {
    Query {
        campaign,
        thresholds: Some(Thresholds::default()),
        ..Query::default()
    }
}

/// The report read from the aggregate tables equals the one counted from the events (all but
/// the flag that says which it was).
pub fn assert_fast_equals_exact(store: &Store, base: Query, what: &str) {
    let strip = |r: &report::Report| {
        let mut v = serde_json::to_value(r).unwrap();
        v.as_object_mut().unwrap().remove("from_aggregates");
        v
    };
    let fast = report::report(store, &base).unwrap();
    let exact = report::report(
        store,
        &Query {
            exact: true,
            ..base
        },
    )
    .unwrap();
    assert_eq!(strip(&fast), strip(&exact), "{what}");
}

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
