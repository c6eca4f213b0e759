//! Unit checks of chart plumbing; the per-kind renders are in tests/report_fixture.rs.

use super::frame::{label, nice_axis};
use super::*;

#[test]
fn nice_axis_steps_are_round() {
    assert_eq!(nice_axis(17.0, 5, true), (5.0, 20.0));
    assert_eq!(nice_axis(0.0, 5, true), (1.0, 1.0));
    let (step, top) = nice_axis(0.031, 5, false);
    assert!((step - 0.01).abs() < 1e-12 && (top - 0.04).abs() < 1e-12);
}

#[test]
fn labels_drop_control_characters_and_stay_short() {
    assert_eq!(label("a\u{7}b", 10), "ab");
    assert_eq!(label("   ", 10), "(unknown)");
    assert_eq!(label("mỗi-người-dùng.example.vn", 8).chars().count(), 8);
}

#[test]
fn kinds_and_themes_parse() {
    for k in ChartKind::ALL {
        assert_eq!(ChartKind::parse(k.as_str()).unwrap(), *k);
    }
    assert!(ChartKind::parse("pie").is_err());
    assert_eq!(Theme::parse("dark").unwrap(), Theme::Dark);
    assert!(Theme::parse("blue").is_err());
}

#[test]
fn translated_text_replaces_the_english_defaults() {
    let store = crate::store::Store::open_in_memory().unwrap();
    let r = crate::report::report(&store, &crate::report::Query::default()).unwrap();
    let mut vi = Labels::new();
    vi.insert(
        "chart.no_data".into(),
        "Không có dữ liệu cho lựa chọn này".into(),
    );
    vi.insert(
        "chart.trend.per_day".into(),
        "Thư bị trả lại mỗi ngày".into(),
    );
    let o = ChartOptions {
        kind: ChartKind::Trend,
        theme: Theme::Light,
        width: 640,
        height: 360,
    };
    let svg = render_svg_labeled(&r, &o, &vi).unwrap();
    assert!(
        svg.contains("Không có dữ liệu cho lựa chọn này")
            && svg.contains("Thư bị trả lại mỗi ngày")
    );
    assert!(render_svg(&r, &o)
        .unwrap()
        .contains("No data for this selection"));
    let mut keys: Vec<&str> = LABELS.iter().map(|(k, _)| *k).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), LABELS.len());
}
