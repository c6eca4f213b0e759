//! The charts drawn from the report fixture: every kind renders at any size and theme,
//! labels are escaped, SVG snapshots, and docs/charts regenerated on request.

use super::fixture::*;
use rebound::chart::{self, ChartKind, ChartOptions, Theme};

fn opts(kind: ChartKind, theme: Theme, width: u32, height: u32) -> ChartOptions {
    ChartOptions {
        kind,
        theme,
        width,
        height,
    }
}

/// About 400 days of weekly campaigns with varied bounces, for the long-range renders and docs/charts.
fn long_store() -> Store {
    use Class as C;
    use Kind as K;
    use Reason as R;
    let mut store = Store::open_in_memory().unwrap();
    let mut tx = store.begin_import(&meta("long")).unwrap();
    let kinds = [
        (K::Bounce, C::Hard, R::UserUnknown),
        (K::Bounce, C::Hard, R::HostUnknown),
        (K::Bounce, C::Soft, R::MailboxFull),
        (K::Bounce, C::Soft, R::SystemError),
        (K::Bounce, C::Block, R::Blocked),
        (K::Bounce, C::Block, R::AuthFailed),
        (K::Complaint, C::Complaint, R::Complaint),
        (K::Deferred, C::Soft, R::RateLimited),
    ];
    let domains = [
        "gmail.com",
        "yahoo.com",
        "outlook.com",
        "hotmail.com",
        "icloud.com",
        "fpt.vn",
        "vnn.vn",
        "telefonica.es",
        "empresa.com.mx",
        "gmx.de",
        "mail.ru",
        "tiếng-việt.vn",
    ];
    let start = t("2025-01-06 09:00:00");
    let mut n = 0usize;
    for c in 0..58i64 {
        let key = format!("news-{c:02}");
        let name = format!("Newsletter {:02}", c + 1);
        let cref = CampaignRef {
            key: key.clone(),
            name: Some(name),
        };
        tx.set_campaign_counts(&cref, Some(2000 + (c % 5) * 300), None, "long")
            .unwrap();
        let sent = start + chrono::Duration::days(c * 7);
        let events = 20 + ((c * 37) % 45) as usize;
        for i in 0..events {
            let (kind, class, reason) = kinds[(i * 7 + c as usize * 3) % kinds.len()];
            let class = if c > 45 && i % 3 == 0 {
                C::Block
            } else {
                class
            };
            let mut e = Event::new(
                Channel::Email,
                kind,
                format!("p{c}-{i}@{}", domains[(i * i + c as usize) % domains.len()]),
                Source {
                    file: "long".into(),
                    locator: format!("#{n}"),
                    offset: None,
                },
            );
            e.campaign = Some(cref.clone());
            e.sent_at = Some(sent);
            let delay = [20i64, 600, 5000, 30_000, 100_000, 300_000][(i + c as usize) % 6];
            e.occurred_at = Some(sent + chrono::Duration::seconds(delay));
            e.provider = Some(["sendgrid", "mailgun", "postfix"][i % 3].into());
            e.verdict = Verdict {
                class,
                reason,
                rule: "long".into(),
                evidence: String::new(),
            };
            tx.add_event(&e, &e.fingerprint(None)).unwrap();
            n += 1;
        }
    }
    tx.commit().unwrap();
    store
}

fn one_day_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let mut tx = store.begin_import(&meta("one")).unwrap();
    for e in fixture_events()
        .into_iter()
        .filter(|e| e.campaign.as_ref().is_some_and(|c| c.key == "tet"))
    {
        tx.add_event(&e, &e.fingerprint(None)).unwrap();
    }
    tx.commit().unwrap();
    store
}

fn all_renders(r: &report::Report, what: &str) {
    for kind in ChartKind::ALL {
        for theme in [Theme::Light, Theme::Dark] {
            for (w, h) in [(320, 220), (1600, 600), (1, 1)] {
                let o = opts(*kind, theme, w, h);
                let svg =
                    chart::render_svg(r, &o).unwrap_or_else(|e| panic!("{what} {kind:?} {w}: {e}"));
                assert!(
                    svg.starts_with("<svg") && svg.contains("</svg>"),
                    "{what} {kind:?}"
                );
                assert!(
                    svg.contains("<text"),
                    "{what} {kind:?}: a chart always says something"
                );
            }
        }
        let png = chart::render_png(r, &opts(*kind, Theme::Light, 400, 250)).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        // 2×: the IHDR width is 800.
        assert_eq!(
            u32::from_be_bytes([png[16], png[17], png[18], png[19]]),
            800
        );
    }
}

#[test]
fn every_chart_renders_for_empty_one_day_and_400_days() {
    let empty = Store::open_in_memory().unwrap();
    let r = report::report(&empty, &q(None)).unwrap();
    all_renders(&r, "empty");
    let svg = chart::render_svg(&r, &opts(ChartKind::Trend, Theme::Light, 640, 360)).unwrap();
    assert!(svg.contains("No data for this selection"));

    let one = one_day_store();
    let r = report::report(&one, &q(None)).unwrap();
    assert_eq!(r.series.days.len(), 1);
    all_renders(&r, "one day");

    let long = long_store();
    let r = report::report(&long, &q(None)).unwrap();
    assert!(r.series.days.len() >= 400, "{}", r.series.days.len());
    all_renders(&r, "400 days");
    let last = report::campaign_by_key_or_id(&long, "news-57").unwrap();
    all_renders(
        &report::report(&long, &q(last)).unwrap(),
        "400 days, one campaign",
    );
}

#[test]
fn hostile_labels_are_escaped_in_svg() {
    let mut store = Store::open_in_memory().unwrap();
    let mut tx = store.begin_import(&meta("evil")).unwrap();
    let mut e = fixture_events().remove(0);
    e.recipient = "x@<script>alert(1)</script>.com".into();
    tx.add_event(&e, &e.fingerprint(None)).unwrap();
    tx.commit().unwrap();
    let r = report::report(&store, &q(None)).unwrap();
    let svg = chart::render_svg(&r, &opts(ChartKind::Domains, Theme::Light, 640, 360)).unwrap();
    assert!(!svg.contains("<script>"));
}

/// SVG snapshots of every kind on the fixture; `REBOUND_UPDATE_SNAPSHOTS=1` rewrites them.
#[test]
fn svg_snapshots_of_the_fixture() {
    let store = fixture_store();
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report/snapshots");
    let update = std::env::var_os("REBOUND_UPDATE_SNAPSHOTS").is_some();
    let all = report::report(&store, &q(None)).unwrap();
    let spring = report::report(&store, &q(Some(id(&store, "summer")))).unwrap();
    let mut failures = Vec::new();
    for kind in ChartKind::ALL {
        let r = if *kind == ChartKind::Rates || *kind == ChartKind::Campaigns {
            &spring
        } else {
            &all
        };
        let o = opts(*kind, Theme::Light, 640, 360);
        let svg = chart::render_svg(r, &o).unwrap();
        assert_eq!(svg, chart::render_svg(r, &o).unwrap(), "deterministic");
        let path = dir.join(format!("{}.svg", kind.as_str()));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &svg).unwrap();
        } else {
            let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
                panic!(
                    "{} missing: run with REBOUND_UPDATE_SNAPSHOTS=1",
                    path.display()
                )
            });
            if want != svg {
                failures.push(kind.as_str());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "SVG changed for {failures:?}; look at them and rerun with REBOUND_UPDATE_SNAPSHOTS=1"
    );
}

/// `REBOUND_WRITE_DOCS=1`: writes docs/charts/<kind>.png (and dark / narrow variants under target/) to look at.
#[test]
fn write_doc_charts_when_asked() {
    if std::env::var_os("REBOUND_WRITE_DOCS").is_none() {
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let long = long_store();
    let all = report::report(&long, &q(None)).unwrap();
    let last = report::report(
        &long,
        &q(report::campaign_by_key_or_id(&long, "news-57").unwrap()),
    )
    .unwrap();
    let look = root.join("target/chart-look");
    std::fs::create_dir_all(root.join("docs/charts")).unwrap();
    std::fs::create_dir_all(&look).unwrap();
    for kind in ChartKind::ALL {
        let r = if matches!(
            kind,
            ChartKind::Rates | ChartKind::Campaigns | ChartKind::Delay
        ) {
            &last
        } else {
            &all
        };
        std::fs::write(
            root.join(format!("docs/charts/{}.png", kind.as_str())),
            chart::render_png(r, &opts(*kind, Theme::Light, 800, 400)).unwrap(),
        )
        .unwrap();
        let variants = [
            ("dark", Theme::Dark, 800, 400),
            ("320", Theme::Light, 320, 240),
            ("1600", Theme::Light, 1600, 500),
        ];
        for (name, theme, w, h) in variants {
            let png = chart::render_png(r, &opts(*kind, theme, w, h)).unwrap();
            std::fs::write(look.join(format!("{}-{name}.png", kind.as_str())), png).unwrap();
        }
    }
    let empty = report::report(&Store::open_in_memory().unwrap(), &q(None)).unwrap();
    let png = chart::render_png(&empty, &opts(ChartKind::Trend, Theme::Light, 400, 240)).unwrap();
    std::fs::write(look.join("empty.png"), png).unwrap();
    let fx = fixture_store();
    let fr = report::report(&fx, &q(None)).unwrap();
    for kind in ChartKind::ALL {
        let png = chart::render_png(&fr, &opts(*kind, Theme::Light, 640, 360)).unwrap();
        std::fs::write(look.join(format!("fixture-{}.png", kind.as_str())), png).unwrap();
    }
}
