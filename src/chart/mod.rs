//! Charts drawn in Rust with plotters: SVG for the window, PNG (2×) for slides. The font is
//! embedded (assets/fonts, DejaVu Sans, covers Vietnamese), so output is the same on every
//! machine. Colours: Okabe-Ito, distinguishable without red/green; blocks are also hatched.

mod frame;
mod kinds;

use crate::error::{Error, Result};
use crate::report::Report;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Once;

/// Registered under a CSS font list, which plotters writes verbatim into the SVG's font-family.
pub(crate) const FONT_FAMILY: &str = "DejaVu Sans, sans-serif";
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

fn register_font() -> Result<()> {
    let mut ok = true;
    REGISTER.call_once(|| {
        ok = plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, FONT).is_ok()
            && plotters::style::register_font(FONT_FAMILY, FontStyle::Bold, FONT).is_ok();
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid(
            "the embedded chart font could not be loaded".into(),
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Stacked hard / soft / block per day (per week when days would be thinner than 3 px).
    Trend,
    /// Hard and soft rate per campaign with the amber and red threshold bands.
    Rates,
    /// Top reasons, stacked by class.
    Reasons,
    /// Top recipient domains, stacked by class.
    Domains,
    /// Time from sending to bounce.
    Delay,
    /// Hard, soft, block and complaint rates of recent campaigns side by side.
    Campaigns,
}

impl ChartKind {
    pub const ALL: &'static [ChartKind] = &[
        ChartKind::Trend,
        ChartKind::Rates,
        ChartKind::Reasons,
        ChartKind::Domains,
        ChartKind::Delay,
        ChartKind::Campaigns,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChartKind::Trend => "trend",
            ChartKind::Rates => "rates",
            ChartKind::Reasons => "reasons",
            ChartKind::Domains => "domains",
            ChartKind::Delay => "delay",
            ChartKind::Campaigns => "campaigns",
        }
    }

    pub fn parse(s: &str) -> Result<ChartKind> {
        ChartKind::ALL.iter().copied().find(|k| k.as_str() == s).ok_or_else(|| {
            Error::Invalid(format!("unknown chart '{s}': choose trend, rates, reasons, domains, delay or campaigns"))
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    pub fn parse(s: &str) -> Result<Theme> {
        match s {
            "light" => Ok(Theme::Light),
            "dark" => Ok(Theme::Dark),
            _ => Err(Error::Invalid(format!(
                "unknown theme '{s}': choose light or dark"
            ))),
        }
    }
}

/// Size in CSS pixels; PNG output doubles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartOptions {
    pub kind: ChartKind,
    pub theme: Theme,
    pub width: u32,
    pub height: u32,
}

/// Chart text by key, for the window's translations (es, vi); missing keys use [`LABELS`].
/// Reason names use `reason.<name>` (e.g. `reason.user_unknown`).
pub type Labels = std::collections::BTreeMap<String, String>;

/// Every text key a chart draws, with its English default. `{value}` is replaced.
pub const LABELS: &[(&str, &str)] = &[
    ("chart.trend.per_day", "Bounces per day"),
    ("chart.trend.per_week", "Bounces per week"),
    (
        "chart.rates.title",
        "Hard and soft bounce rate per campaign",
    ),
    ("chart.reasons.title", "Top bounce reasons"),
    ("chart.domains.title", "Bounces by recipient domain"),
    ("chart.delay.title", "Time from sending to bounce"),
    (
        "chart.campaigns.title",
        "Campaigns compared: bounce and complaint rates",
    ),
    ("chart.hard", "Hard"),
    ("chart.soft", "Soft"),
    ("chart.block", "Block"),
    ("chart.complaint", "Complaint"),
    ("chart.unsubscribe", "Unsubscribe"),
    ("chart.deferred_other", "Deferred/other"),
    ("chart.hard_rate", "Hard rate"),
    ("chart.soft_rate", "Soft rate"),
    ("chart.band.amber", "hard amber > {value}"),
    ("chart.band.red", "hard red > {value}"),
    ("chart.no_data", "No data for this selection"),
    (
        "chart.no_data.hint",
        "Import bounce mail or a provider report, or widen the dates.",
    ),
    ("chart.delay.lt_1m", "< 1 min"),
    ("chart.delay.lt_1h", "< 1 hour"),
    ("chart.delay.lt_6h", "< 6 hours"),
    ("chart.delay.lt_1d", "< 1 day"),
    ("chart.delay.lt_3d", "< 3 days"),
    ("chart.delay.more", "3 days or more"),
    ("chart.delay.unknown", "unknown"),
    ("chart.other", "other"),
    ("chart.no_campaign", "(no campaign)"),
];

const MIN_SIDE: u32 = 120;
const MAX_SIDE: u32 = 8000;

impl ChartOptions {
    fn clamped(&self) -> (u32, u32) {
        (
            self.width.clamp(MIN_SIDE, MAX_SIDE),
            self.height.clamp(MIN_SIDE, MAX_SIDE),
        )
    }
}

/// The chart as an SVG document sized `width` × `height`, in English.
pub fn render_svg(report: &Report, o: &ChartOptions) -> Result<String> {
    render_svg_labeled(report, o, &Labels::new())
}

/// The chart as PNG bytes at twice the size, for slides, in English.
pub fn render_png(report: &Report, o: &ChartOptions) -> Result<Vec<u8>> {
    render_png_labeled(report, o, &Labels::new())
}

/// SVG with the caller's text (translations) by key.
pub fn render_svg_labeled(report: &Report, o: &ChartOptions, text: &Labels) -> Result<String> {
    register_font()?;
    let (w, h) = o.clamped();
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        kinds::draw(&root, report, o, text, w, h, 1.0)?;
        root.present().map_err(err)?;
    }
    Ok(out)
}

/// PNG (2×) with the caller's text (translations) by key.
pub fn render_png_labeled(report: &Report, o: &ChartOptions, text: &Labels) -> Result<Vec<u8>> {
    register_font()?;
    let (w, h) = o.clamped();
    let (pw, ph) = (w * 2, h * 2);
    let mut rgb = vec![0u8; (pw as usize) * (ph as usize) * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (pw, ph)).into_drawing_area();
        kinds::draw(&root, report, o, text, pw, ph, 2.0)?;
        root.present().map_err(err)?;
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&rgb, pw, ph, image::ColorType::Rgb8)
        .map_err(|e| Error::Invalid(format!("PNG encoding failed: {e}")))?;
    Ok(png)
}

use image::ImageEncoder as _;

pub(crate) fn err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Invalid(format!("drawing the chart failed: {e:?}"))
}

#[cfg(test)]
mod tests;
