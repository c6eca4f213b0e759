use super::*;
use super::{facets, query, snapshot};
use crate::model::{CampaignRef, Event, OriginalMessage, Source, Verdict};
use crate::store::{NewImport, Store};
use chrono::{TimeZone, Utc};
use std::collections::HashSet;

const T0: i64 = 1_700_000_000;

struct Spec {
    recipient: &'static str,
    kind: Kind,
    class: Class,
    reason: Reason,
    campaign: Option<&'static str>,
    at: Option<i64>,
    diagnostic: Option<&'static str>,
    provider: Option<&'static str>,
    channel: Channel,
}

fn spec(
    recipient: &'static str,
    class: Class,
    reason: Reason,
    campaign: &'static str,
    at: i64,
) -> Spec {
    Spec {
        recipient,
        kind: Kind::Bounce,
        class,
        reason,
        campaign: Some(campaign),
        at: Some(at),
        diagnostic: None,
        provider: Some("postfix"),
        channel: Channel::Email,
    }
}

fn event(s: &Spec, i: usize) -> Event {
    let src = Source {
        file: "test.mbox".into(),
        locator: format!("#{i}"),
        offset: Some(i as u64 * 10),
    };
    let mut e = Event::new(s.channel, s.kind, s.recipient, src);
    e.campaign = s.campaign.map(|k| CampaignRef {
        key: k.into(),
        name: Some(format!("Campaign {k}")),
    });
    e.occurred_at = s.at.and_then(|t| Utc.timestamp_opt(t, 0).single());
    e.diagnostic = s.diagnostic.map(String::from);
    e.provider = s.provider.map(String::from);
    e.status = Some("5.1.1".into());
    e.reply_code = Some(550);
    e.verdict = Verdict {
        class: s.class,
        reason: s.reason,
        rule: "status:5.1.1".into(),
        evidence: "5.1.1".into(),
    };
    e
}

fn store_with(specs: &[Spec]) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let meta = NewImport {
        file_name: "test.mbox".into(),
        file_path: "/tmp/test.mbox".into(),
        size_bytes: 1,
        sha256: "x".into(),
        format: "mbox".into(),
        provider: None,
        detect_reason: None,
    };
    let mut tx = store.begin_import(&meta).unwrap();
    for (i, s) in specs.iter().enumerate() {
        let e = event(s, i);
        assert!(tx.add_event(&e, &format!("fp{i}")).unwrap());
    }
    tx.commit().unwrap();
    store
}

/// A mixed set: two campaigns, three domains, hard/soft/block, a delivered row.
fn sample() -> Store {
    let mut specs = vec![
        spec(
            "ana@example.com",
            Class::Hard,
            Reason::UserUnknown,
            "c1",
            T0,
        ),
        spec(
            "bob@example.com",
            Class::Soft,
            Reason::MailboxFull,
            "c1",
            T0 + 10,
        ),
        spec(
            "carl@other.org",
            Class::Block,
            Reason::Blocked,
            "c1",
            T0 + 20,
        ),
        spec(
            "dora@other.org",
            Class::Hard,
            Reason::UserUnknown,
            "c2",
            T0 + 30,
        ),
        spec("eve@third.net", Class::Soft, Reason::Expired, "c2", T0 + 40),
    ];
    specs[2].diagnostic = Some("550 5.7.1 Service unavailable; client host blocked using Spamhaus");
    specs[4].provider = Some("sendgrid");
    let mut delivered = spec(
        "fred@example.com",
        Class::None,
        Reason::Delivered,
        "c2",
        T0 + 50,
    );
    delivered.kind = Kind::Delivered;
    specs.push(delivered);
    let mut sms = spec(
        "+12025550101",
        Class::Hard,
        Reason::SmsInvalidNumber,
        "c2",
        T0 + 60,
    );
    sms.channel = Channel::Sms;
    sms.provider = Some("twilio");
    specs.push(sms);
    store_with(&specs)
}

fn recipients(store: &Store, f: &Filter) -> Vec<String> {
    let rows = page(
        store,
        f,
        Sort::OldestFirst,
        PageAt::Offset { offset: 0 },
        100,
    )
    .unwrap();
    assert_eq!(
        rows.len() as i64,
        count(store, f).unwrap(),
        "count and page agree for {f:?}"
    );
    rows.into_iter().map(|r| r.recipient).collect()
}

fn campaign_id(store: &Store, key: &str) -> i64 {
    store
        .conn()
        .query_row("SELECT id FROM campaigns WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn default_filter_shows_failures_only() {
    let s = sample();
    let all = recipients(&s, &Filter::default());
    assert_eq!(all.len(), 6);
    assert!(!all.contains(&"fred@example.com".to_string()));
    let with_delivered = Filter {
        kinds: vec![Kind::Delivered],
        ..Default::default()
    };
    assert_eq!(recipients(&s, &with_delivered), vec!["fred@example.com"]);
}

#[test]
fn each_filter_narrows() {
    let s = sample();
    let c2 = campaign_id(&s, "c2");
    let cases: Vec<(Filter, Vec<&str>)> = vec![
        (
            Filter {
                campaign_id: Some(c2),
                ..Default::default()
            },
            vec!["dora@other.org", "eve@third.net", "+12025550101"],
        ),
        (
            Filter {
                classes: vec![Class::Hard],
                ..Default::default()
            },
            vec!["ana@example.com", "dora@other.org", "+12025550101"],
        ),
        (
            Filter {
                reasons: vec![Reason::MailboxFull, Reason::Blocked],
                ..Default::default()
            },
            vec!["bob@example.com", "carl@other.org"],
        ),
        (
            Filter {
                domain: Some(" Other.ORG ".into()),
                ..Default::default()
            },
            vec!["carl@other.org", "dora@other.org"],
        ),
        (
            Filter {
                provider: Some("sendgrid".into()),
                ..Default::default()
            },
            vec!["eve@third.net"],
        ),
        (
            Filter {
                channel: Some(Channel::Sms),
                ..Default::default()
            },
            vec!["+12025550101"],
        ),
        (
            Filter {
                from: Some(T0 + 10),
                to: Some(T0 + 30),
                ..Default::default()
            },
            vec!["bob@example.com", "carl@other.org"],
        ),
        (
            Filter {
                search: Some("bob@".into()),
                ..Default::default()
            },
            vec!["bob@example.com"],
        ),
        (
            Filter {
                search: Some("SPAMHAUS".into()),
                ..Default::default()
            },
            vec!["carl@other.org"],
        ),
        (
            Filter {
                campaign_id: Some(c2),
                classes: vec![Class::Hard],
                channel: Some(Channel::Email),
                ..Default::default()
            },
            vec!["dora@other.org"],
        ),
        (
            Filter {
                campaign_id: Some(-5),
                ..Default::default()
            },
            vec![],
        ),
    ];
    for (f, want) in cases {
        assert_eq!(recipients(&s, &f), want, "{f:?}");
    }
}

#[test]
fn search_escapes_like_wildcards() {
    let s = store_with(&[
        spec(
            "50%off@example.com",
            Class::Hard,
            Reason::UserUnknown,
            "c",
            T0,
        ),
        spec(
            "5000ff@example.com",
            Class::Hard,
            Reason::UserUnknown,
            "c",
            T0 + 1,
        ),
        spec(
            "a_b@example.com",
            Class::Hard,
            Reason::UserUnknown,
            "c",
            T0 + 2,
        ),
        spec(
            "axb@example.com",
            Class::Hard,
            Reason::UserUnknown,
            "c",
            T0 + 3,
        ),
        spec(
            "back\\slash@example.com",
            Class::Hard,
            Reason::UserUnknown,
            "c",
            T0 + 4,
        ),
    ]);
    let search = |q: &str| {
        recipients(
            &s,
            &Filter {
                search: Some(q.into()),
                ..Default::default()
            },
        )
    };
    assert_eq!(search("50%"), vec!["50%off@example.com"]);
    assert_eq!(search("a_b"), vec!["a_b@example.com"]);
    assert_eq!(search("%"), vec!["50%off@example.com"]);
    assert_eq!(search("_"), vec!["a_b@example.com"]);
    assert_eq!(search("k\\s"), vec!["back\\slash@example.com"]);
    assert_eq!(search("' OR 1=1 --"), Vec::<String>::new());
    assert_eq!(escape_like("a%b_c\\"), "a\\%b\\_c\\\\");
}

fn many() -> Store {
    // 250 rows with many equal timestamps, some unknown, to test tie-breaking.
    let names: Vec<&'static str> = (0..250)
        .map(|i| &*Box::leak(format!("u{i}@example.com").into_boxed_str()))
        .collect();
    let specs: Vec<Spec> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut s = spec(
                n,
                Class::Hard,
                Reason::UserUnknown,
                "c",
                T0 + (i as i64 / 7),
            );
            if i % 50 == 0 {
                s.at = None;
            }
            s
        })
        .collect();
    store_with(&specs)
}

#[test]
fn keyset_and_offset_pages_have_no_gaps_or_duplicates() {
    let s = many();
    let f = Filter::default();
    let total = count(&s, &f).unwrap();
    assert_eq!(total, 250);
    for sort in [Sort::NewestFirst, Sort::OldestFirst] {
        let mut seen = Vec::new();
        let mut at = PageAt::Offset { offset: 0 };
        loop {
            let rows = page(&s, &f, sort, at, 17).unwrap();
            let Some(last) = rows.last() else { break };
            at = PageAt::After {
                cursor: last.cursor(),
            };
            seen.extend(rows.iter().map(|r| (r.occurred_at.unwrap_or(0), r.id)));
        }
        let by_offset: Vec<(i64, i64)> = (0..15)
            .flat_map(|p| page(&s, &f, sort, PageAt::Offset { offset: p * 17 }, 17).unwrap())
            .map(|r| (r.occurred_at.unwrap_or(0), r.id))
            .collect();
        assert_eq!(seen.len(), 250, "{sort:?}");
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 250);
        assert_eq!(seen, by_offset, "keyset and offset walk the same order");
        let mut sorted = seen.clone();
        sorted.sort();
        if sort == Sort::NewestFirst {
            sorted.reverse();
        }
        assert_eq!(seen, sorted, "{sort:?} order");
    }
    // Rows without a time sort as the oldest.
    let newest = page(
        &s,
        &f,
        Sort::NewestFirst,
        PageAt::Offset { offset: 245 },
        10,
    )
    .unwrap();
    assert!(newest.iter().all(|r| r.occurred_at.is_none()));
    assert!(page(
        &s,
        &f,
        Sort::NewestFirst,
        PageAt::Offset { offset: u64::MAX },
        10
    )
    .unwrap()
    .is_empty());
}

#[test]
fn detail_has_the_why_and_missing_id_is_a_clear_error() {
    let s = sample();
    let row = &page(
        &s,
        &Filter {
            search: Some("carl".into()),
            ..Default::default()
        },
        Sort::NewestFirst,
        PageAt::Offset { offset: 0 },
        5,
    )
    .unwrap()[0];
    let d = detail(&s, row.id).unwrap();
    assert_eq!(d.recipient, "carl@other.org");
    assert_eq!((d.class, d.reason), (Class::Block, Reason::Blocked));
    assert_eq!(d.rule, "status:5.1.1");
    assert_eq!(d.explain_key, "reason.blocked.explain");
    assert!(d.explain_en.contains("reputation"));
    assert_eq!(d.source_file, "test.mbox");
    assert_eq!(d.source_locator, "#2");
    assert_eq!(d.import_file_name.as_deref(), Some("test.mbox"));
    assert_eq!(d.campaign_key.as_deref(), Some("c1"));
    let err = detail(&s, 999_999).unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(
        err.to_string().contains("no bounce with id 999999"),
        "{err}"
    );
}

#[test]
fn hostile_text_round_trips_untouched() {
    let payload =
        "<script>alert(1)</script>\u{0}'; DROP TABLE events; -- \u{202e}evil =cmd|' /C calc'!A0";
    let mut s = spec(
        "x@example.com",
        Class::Hard,
        Reason::UserUnknown,
        "<img src=x onerror=alert(1)>",
        T0,
    );
    s.diagnostic = Some(payload);
    let mut e = event(&s, 0);
    e.remote_mta = Some("<b>mta</b>".into());
    e.original = Some(OriginalMessage {
        subject: Some("<svg onload=alert(1)>".into()),
        message_id: Some("<id@x>".into()),
        ..Default::default()
    });
    let mut store = Store::open_in_memory().unwrap();
    let meta = NewImport {
        file_name: "h.eml".into(),
        file_path: "h.eml".into(),
        size_bytes: 1,
        sha256: "x".into(),
        format: "eml".into(),
        provider: None,
        detect_reason: None,
    };
    let mut tx = store.begin_import(&meta).unwrap();
    tx.add_event(&e, "fp").unwrap();
    tx.commit().unwrap();
    let rows = page(
        &store,
        &Filter {
            search: Some("<script>".into()),
            ..Default::default()
        },
        Sort::NewestFirst,
        PageAt::Offset { offset: 0 },
        5,
    )
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].campaign_key.as_deref(),
        Some("<img src=x onerror=alert(1)>")
    );
    let pv = rows[0].diagnostic_preview.clone().unwrap();
    assert!(
        pv.starts_with("<script>alert(1)</script> '; DROP TABLE events;"),
        "{pv:?}"
    );
    let d = detail(&store, rows[0].id).unwrap();
    assert_eq!(d.diagnostic.as_deref(), Some(payload));
    assert_eq!(d.remote_mta.as_deref(), Some("<b>mta</b>"));
    assert_eq!(
        d.original.unwrap().subject.as_deref(),
        Some("<svg onload=alert(1)>")
    );
    assert_eq!(
        count(&store, &Filter::default()).unwrap(),
        1,
        "the events table survived"
    );
}

#[test]
fn preview_folds_whitespace_and_cuts_on_char_boundaries() {
    assert_eq!(preview("  a\r\n\tb  c ", 160), "a b c");
    assert_eq!(preview("ééééé", 3), "ééé…");
    assert_eq!(preview("ab cd", 3), "ab…");
    assert_eq!(preview("", 3), "");
    let long = "x".repeat(10_000);
    assert_eq!(
        preview(&long, PREVIEW_CHARS).chars().count(),
        PREVIEW_CHARS + 1
    );
}

#[test]
fn facets_count_each_dimension_without_its_own_filter() {
    let s = sample();
    let f = Filter {
        classes: vec![Class::Hard],
        ..Default::default()
    };
    let fc = facets(&s, &f).unwrap();
    // Classes ignore the class filter: all failure classes are offered.
    let classes: Vec<(&str, i64)> = fc
        .classes
        .iter()
        .map(|c| (c.value.as_str(), c.count))
        .collect();
    assert_eq!(classes, vec![("hard", 3), ("soft", 2), ("block", 1)]);
    // The other dimensions are narrowed to hard rows.
    let reasons: Vec<(&str, i64)> = fc
        .reasons
        .iter()
        .map(|c| (c.value.as_str(), c.count))
        .collect();
    assert_eq!(
        reasons,
        vec![("user_unknown", 2), ("sms_invalid_number", 1)]
    );
    let domains: Vec<(&str, i64)> = fc
        .domains
        .iter()
        .map(|c| (c.value.as_str(), c.count))
        .collect();
    assert_eq!(
        domains,
        vec![("example.com", 1), ("other.org", 1)],
        "phones have no domain"
    );
    assert_eq!(fc.campaigns.iter().map(|c| c.count).sum::<i64>(), 3);
    assert_eq!(fc.campaigns[0].key.as_deref(), Some("c2"));
    assert_eq!(
        fc.channels
            .iter()
            .map(|c| (c.value.as_str(), c.count))
            .collect::<Vec<_>>(),
        vec![("email", 2), ("sms", 1)]
    );
    assert_eq!(
        fc.providers
            .iter()
            .map(|c| c.value.as_str())
            .collect::<Vec<_>>(),
        vec!["postfix", "twilio"]
    );
}

#[test]
fn campaign_recipients_keep_the_latest_failure() {
    let mut specs = vec![
        spec("ana@example.com", Class::Soft, Reason::MailboxFull, "c", T0),
        spec(
            "ana@example.com",
            Class::Hard,
            Reason::UserUnknown,
            "c",
            T0 + 100,
        ),
        spec(
            "bob@example.com",
            Class::Block,
            Reason::Blocked,
            "c",
            T0 + 50,
        ),
        spec(
            "ana@example.com",
            Class::Soft,
            Reason::Expired,
            "other",
            T0 + 200,
        ),
    ];
    let mut delivered = spec(
        "cid@example.com",
        Class::None,
        Reason::Delivered,
        "c",
        T0 + 300,
    );
    delivered.kind = Kind::Delivered;
    specs.push(delivered);
    let s = store_with(&specs);
    let list = recipients_for_campaign(&s, campaign_id(&s, "c")).unwrap();
    let got: Vec<(&str, Class, Reason, Option<i64>, i64)> = list
        .iter()
        .map(|r| (r.recipient.as_str(), r.class, r.reason, r.last_at, r.events))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "ana@example.com",
                Class::Hard,
                Reason::UserUnknown,
                Some(T0 + 100),
                2
            ),
            (
                "bob@example.com",
                Class::Block,
                Reason::Blocked,
                Some(T0 + 50),
                1
            ),
        ]
    );
    assert!(recipients_for_campaign(&s, 12345).unwrap().is_empty());
}

#[test]
fn the_explorer_adds_no_indexes_to_the_file() {
    // Since migration 6 the column snapshot answers; the two covering indexes it used to
    // created would add roughly 0.5 GB at 5,000,000 events (estimated from entry sizes).
    let s = many();
    let indexes = |s: &Store| -> i64 {
        s.conn()
            .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'index'", [], |r| r.get(0))
            .unwrap()
    };
    let before = indexes(&s);
    count(&s, &Filter::default()).unwrap();
    prepare(&s);
    assert_eq!(indexes(&s), before);
}

#[test]
fn filter_and_page_types_cross_the_bridge_as_json() {
    let f: Filter = serde_json::from_str(r#"{"classes":["hard"],"search":"x"}"#).unwrap();
    assert_eq!(f.classes, vec![Class::Hard]);
    let at: PageAt = serde_json::from_str(r#"{"mode":"after","cursor":{"at":5,"id":9}}"#).unwrap();
    assert_eq!(
        at,
        PageAt::After {
            cursor: Cursor { at: 5, id: 9 }
        }
    );
    assert_eq!(
        serde_json::to_string(&Sort::NewestFirst).unwrap(),
        "\"newest_first\""
    );
}

#[test]
fn facets_under_a_domain_filter_keep_offering_other_domains() {
    let s = sample();
    let f = Filter {
        domain: Some("other.org".into()),
        channel: Some(Channel::Email),
        ..Default::default()
    };
    let fc = facets(&s, &f).unwrap();
    let domains: Vec<(&str, i64)> = fc
        .domains
        .iter()
        .map(|c| (c.value.as_str(), c.count))
        .collect();
    assert_eq!(
        domains,
        vec![("example.com", 2), ("other.org", 2), ("third.net", 1)]
    );
    let classes: Vec<(&str, i64)> = fc
        .classes
        .iter()
        .map(|c| (c.value.as_str(), c.count))
        .collect();
    assert_eq!(classes, vec![("block", 1), ("hard", 1)]);
    // Channels ignore the channel filter but keep the domain one: the phone has no domain.
    assert_eq!(
        fc.channels
            .iter()
            .map(|c| (c.value.as_str(), c.count))
            .collect::<Vec<_>>(),
        vec![("email", 2)]
    );
    let sum: i64 = fc.campaigns.iter().map(|c| c.count).sum();
    assert_eq!(sum, count(&s, &f).unwrap());
}

/// 400 events over every dimension, with gaps: no campaign, no provider, no time, SMS.
fn varied() -> Store {
    let classes = [
        (Class::Hard, Reason::UserUnknown),
        (Class::Soft, Reason::MailboxFull),
        (Class::Block, Reason::Blocked),
        (Class::Soft, Reason::Expired),
        (Class::Complaint, Reason::Complaint),
    ];
    let kinds = [Kind::Bounce, Kind::Deferred, Kind::Delivered, Kind::Complaint];
    let specs: Vec<Spec> = (0..400usize)
        .map(|i| {
            let (class, reason) = classes[i * 7 % classes.len()];
            let domain = ["example.com", "other.org", "third.net", "gmail.com"][i * 3 % 4];
            let recipient: &'static str =
                Box::leak(format!("user{}@{domain}", i % 97).into_boxed_str());
            let campaign: &'static str = Box::leak(format!("c{}", i % 6).into_boxed_str());
            let mut s = spec(recipient, class, reason, campaign, T0 + (i as i64 * 37 % 1000));
            s.kind = kinds[i % kinds.len()];
            if i % 11 == 0 {
                s.campaign = None;
            }
            if i % 13 == 0 {
                s.at = None;
            }
            s.provider = [Some("postfix"), Some("sendgrid"), None][i % 3];
            if i % 5 == 0 {
                s.diagnostic = Some(["550 blocked by Spamhaus", "mailbox 100% full", "user_unknown here"][i % 3]);
            }
            if i % 17 == 0 {
                s.channel = Channel::Sms;
                s.recipient = Box::leak(format!("+1202555{:04}", i).into_boxed_str());
            }
            s
        })
        .collect();
    store_with(&specs)
}

#[test]
fn snapshot_and_sql_give_the_same_answers_for_every_filter() {
    let s = varied();
    let c2 = campaign_id(&s, "c2");
    let filters = vec![
        Filter::default(),
        Filter { kinds: Kind::ALL.to_vec(), ..Default::default() },
        Filter { campaign_id: Some(c2), ..Default::default() },
        Filter { campaign_id: Some(999_999), ..Default::default() },
        Filter { classes: vec![Class::Hard, Class::Block], ..Default::default() },
        Filter { reasons: vec![Reason::Expired], campaign_id: Some(c2), ..Default::default() },
        Filter { domain: Some("Other.ORG.".into()), ..Default::default() },
        Filter { domain: Some("nowhere.test".into()), ..Default::default() },
        Filter { provider: Some("sendgrid".into()), channel: Some(Channel::Email), ..Default::default() },
        Filter { provider: Some("unknown-esp".into()), ..Default::default() },
        Filter { channel: Some(Channel::Sms), ..Default::default() },
        Filter { from: Some(T0 + 100), to: Some(T0 + 600), ..Default::default() },
        Filter { to: Some(T0), ..Default::default() },
        Filter { search: Some("user1".into()), ..Default::default() },
        Filter { search: Some("100%".into()), classes: vec![Class::Soft], ..Default::default() },
        Filter { search: Some("SPAMHAUS".into()), domain: Some("gmail.com".into()), ..Default::default() },
        Filter { search: Some("  ".into()), kinds: vec![Kind::Delivered], ..Default::default() },
    ];
    let conn = s.conn();
    let snap = snapshot::get(conn).expect("a small database gets a snapshot");
    for f in &filters {
        let n = query::count_sql(&s, f).unwrap();
        assert_eq!(snap.count(conn, f).unwrap(), n, "count {f:?}");
        assert_eq!(snap.facets(conn, f).unwrap(), facets::facets_sql(&s, f).unwrap(), "facets {f:?}");
        for sort in [Sort::NewestFirst, Sort::OldestFirst] {
            for offset in [0, 3, 40] {
                let at = PageAt::Offset { offset };
                let want = query::page_sql(&s, f, sort, at, 25).unwrap();
                assert_eq!(page(&s, f, sort, at, 25).unwrap(), want, "page {f:?} {sort:?} {offset}");
                if let Some(last) = want.last() {
                    let at = PageAt::After { cursor: last.cursor() };
                    let want = query::page_sql(&s, f, sort, at, 25).unwrap();
                    assert_eq!(page(&s, f, sort, at, 25).unwrap(), want, "after {f:?} {sort:?}");
                }
            }
        }
    }
    // A cursor between rows and one beyond either end.
    for cursor in [Cursor { at: T0 + 500, id: 0 }, Cursor { at: i64::MIN, id: 0 }, Cursor { at: i64::MAX, id: i64::MAX }] {
        for sort in [Sort::NewestFirst, Sort::OldestFirst] {
            let at = PageAt::After { cursor };
            let f = Filter::default();
            assert_eq!(page(&s, &f, sort, at, 30).unwrap(), query::page_sql(&s, &f, sort, at, 30).unwrap());
        }
    }
}

#[test]
fn snapshot_follows_writes_from_this_and_other_connections() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let mut a = Store::open(&path).unwrap();
    let mut b = Store::open(&path).unwrap();
    let add = |store: &mut Store, name: &str, rcpt: &str| {
        let meta = NewImport {
            file_name: name.into(),
            file_path: name.into(),
            size_bytes: 1,
            sha256: name.into(),
            format: "mbox".into(),
            provider: None,
            detect_reason: None,
        };
        let mut tx = store.begin_import(&meta).unwrap();
        let e = event(&spec(Box::leak(rcpt.to_string().into_boxed_str()), Class::Hard, Reason::UserUnknown, "c", T0), 0);
        tx.add_event(&e, &format!("fp-{name}")).unwrap();
        tx.commit().unwrap();
    };
    let f = Filter::default();
    assert_eq!(count(&a, &f).unwrap(), 0);
    add(&mut b, "one", "x@example.com");
    assert_eq!(count(&a, &f).unwrap(), 1, "a commit by another connection");
    add(&mut a, "two", "y@example.com");
    assert_eq!(count(&a, &f).unwrap(), 2, "a commit by this connection");
    let fc = facets(&a, &f).unwrap();
    assert_eq!(fc.classes, vec![FacetCount { value: "hard".into(), count: 2 }]);
    let import: i64 = a.conn().query_row("SELECT max(id) FROM imports", [], |r| r.get(0)).unwrap();
    a.remove_import(import).unwrap();
    assert_eq!(count(&a, &f).unwrap(), 1, "a removed import");
    assert_eq!(count(&b, &f).unwrap(), 1);
}
