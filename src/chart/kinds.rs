//! The six charts. Each reads a finished Report; none queries the database.

use super::frame::{
    hatch, label, legend, line, no_data, put, rect, title, y_axis, Area, Ctx, Plot,
};
use super::{err, ChartKind, ChartOptions};
use crate::error::Result;
use crate::report::{Counts, Period, Report, Summary};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

pub fn draw<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &Report,
    o: &ChartOptions,
    text: &super::Labels,
    w: u32,
    h: u32,
    scale: f64,
) -> Result<()> {
    let cx = Ctx::new(w, h, scale, super::frame::palette(o.theme), text);
    root.fill(&cx.pal.bg).map_err(err)?;
    match o.kind {
        ChartKind::Trend => trend(root, &cx, r),
        ChartKind::Rates => rates(root, &cx, r),
        ChartKind::Reasons => {
            let name = |v: &str| cx.t(&format!("reason.{v}"), &v.replace('_', " "));
            let rows = r
                .reasons
                .rows
                .iter()
                .chain(r.reasons.other.iter())
                .map(|x| (name(&x.value), x.counts))
                .collect();
            hbars(root, &cx, &cx.t("chart.reasons.title", ""), rows)
        }
        ChartKind::Domains => {
            let other = cx.t("chart.other", "other");
            let name = |x: &crate::report::BreakdownRow| {
                if x.value == "other" && r.domains.other.as_ref() == Some(x) {
                    other.clone()
                } else {
                    x.value.clone()
                }
            };
            let rows = r
                .domains
                .rows
                .iter()
                .chain(r.domains.other.iter())
                .map(|x| (name(x), x.counts))
                .collect();
            hbars(root, &cx, &cx.t("chart.domains.title", ""), rows)
        }
        ChartKind::Delay => delay(root, &cx, r),
        ChartKind::Campaigns => campaigns(root, &cx, r),
    }
}

fn int_fmt(v: f64) -> String {
    format!("{v:.0}")
}

fn pct_fmt(top: f64) -> impl Fn(f64) -> String {
    move |v| {
        if top < 0.1 {
            format!("{:.1}%", v * 100.0)
        } else {
            format!("{:.0}%", v * 100.0)
        }
    }
}

/// Category labels under the x axis, thinned so they never overlap.
fn x_labels<DB: DrawingBackend>(
    area: &Area<DB>,
    cx: &Ctx,
    plot: &Plot,
    labels: &[String],
) -> Result<()> {
    let n = labels.len();
    if n == 0 {
        return Ok(());
    }
    let size = cx.font * 0.85;
    let slot = (plot.x1 - plot.x0) as f64 / n as f64;
    let widest = labels
        .iter()
        .map(|l| cx.text_width(area, l, size))
        .max()
        .unwrap_or(0)
        + cx.px(10.0);
    let every = ((widest as f64 / slot).ceil() as usize).max(1);
    let style = cx.text(size, cx.pal.muted, HPos::Center, VPos::Top);
    for (i, l) in labels.iter().enumerate().step_by(every) {
        let x = plot.x0 + (slot * (i as f64 + 0.5)) as i32;
        put(area, l, (x, plot.y1 + cx.px(5.0)), &style)?;
    }
    Ok(())
}

fn trend<DB: DrawingBackend>(area: &Area<DB>, cx: &Ctx, r: &Report) -> Result<()> {
    let usable = cx.w - cx.px(70.0);
    let (periods, heading): (&[Period], String) =
        if (r.series.days.len() as i32) * cx.px(3.0) <= usable {
            (&r.series.days, cx.t("chart.trend.per_day", ""))
        } else {
            (&r.series.weeks, cx.t("chart.trend.per_week", ""))
        };
    if periods.iter().all(|p| p.counts.bounces() == 0) {
        return no_data(area, cx, &heading);
    }
    let y = title(area, cx, &heading)?;
    let p = cx.pal;
    let (hard, soft, block) = (
        cx.t("chart.hard", ""),
        cx.t("chart.soft", ""),
        cx.t("chart.block", ""),
    );
    let lh = legend(
        area,
        cx,
        &[
            (&hard, p.hard, false),
            (&soft, p.soft, false),
            (&block, p.block, true),
        ],
        y + (cx.font * 0.4) as i32,
    )?;
    let max = periods
        .iter()
        .map(|x| x.counts.bounces())
        .max()
        .unwrap_or(0) as f64;
    let plot = y_axis(
        area,
        cx,
        y + lh,
        (cx.font * 2.2) as i32,
        max,
        true,
        &int_fmt,
    )?;
    let slot = (plot.x1 - plot.x0) as f64 / periods.len() as f64;
    let gap = if slot >= 4.0 { slot * 0.2 } else { 0.0 };
    for (i, per) in periods.iter().enumerate() {
        let xl = plot.x0 + (slot * i as f64 + gap / 2.0) as i32;
        let xr = (plot.x0 + (slot * (i + 1) as f64 - gap / 2.0) as i32).max(xl + 1);
        let c = per.counts;
        let mut base = 0.0;
        for (v, color, hatched) in [
            (c.hard, p.hard, false),
            (c.soft, p.soft, false),
            (c.block, p.block, true),
        ] {
            if v == 0 {
                continue;
            }
            let (yb, yt) = (plot.y(base), plot.y(base + v as f64));
            rect(area, (xl, yt), (xr, yb), color)?;
            if hatched && xr - xl >= cx.px(6.0) {
                hatch(area, (xl, yt), (xr, yb), p.bg, cx.px(5.0))?;
            }
            base += v as f64;
        }
    }
    line(
        area,
        vec![(plot.x0, plot.y1), (plot.x1, plot.y1)],
        p.muted,
        1,
    )?;
    let labels: Vec<String> = periods.iter().map(|x| x.label.clone()).collect();
    x_labels(area, cx, &plot, &labels)
}

/// Campaigns with a known sent count, oldest first, ending at the selected one; at most 12.
fn rate_rows(r: &Report) -> Vec<&Summary> {
    let end = match r.campaign {
        Some(c) => r
            .campaigns
            .iter()
            .rposition(|s| s.campaign_id == Some(c))
            .map(|i| i + 1)
            .unwrap_or(0),
        None => r.campaigns.len(),
    };
    let rows: Vec<&Summary> = r
        .campaigns
        .get(..end)
        .unwrap_or(&[])
        .iter()
        .filter(|s| s.campaign_id.is_some() && s.rates.hard.is_some())
        .collect();
    let skip = rows.len().saturating_sub(12);
    rows.into_iter().skip(skip).collect()
}

fn campaign_label(cx: &Ctx, s: &Summary, max: usize) -> String {
    match s.campaign_name.as_deref().or(s.campaign_key.as_deref()) {
        Some(n) => label(n, max),
        None => label(&cx.t("chart.no_campaign", ""), max),
    }
}

/// The base line and the campaign names under a chart with one slot per campaign.
fn campaign_axis<DB: DrawingBackend>(
    area: &Area<DB>,
    cx: &Ctx,
    plot: &Plot,
    slot: f64,
    rows: &[&Summary],
) -> Result<()> {
    line(
        area,
        vec![(plot.x0, plot.y1), (plot.x1, plot.y1)],
        cx.pal.muted,
        1,
    )?;
    let max_chars = ((slot / (cx.font * 0.6)) as usize).clamp(4, 18);
    let labels: Vec<String> = rows
        .iter()
        .map(|s| campaign_label(cx, s, max_chars))
        .collect();
    x_labels(area, cx, plot, &labels)
}

fn rates<DB: DrawingBackend>(area: &Area<DB>, cx: &Ctx, r: &Report) -> Result<()> {
    let heading = cx.t("chart.rates.title", "");
    let rows = rate_rows(r);
    if rows.is_empty() {
        return no_data(area, cx, &heading);
    }
    let p = cx.pal;
    let th = r.thresholds;
    let y = title(area, cx, &heading)?;
    let (hard, soft) = (cx.t("chart.hard_rate", ""), cx.t("chart.soft_rate", ""));
    let lh = legend(
        area,
        cx,
        &[(&hard, p.hard, false), (&soft, p.soft, false)],
        y + (cx.font * 0.4) as i32,
    )?;
    let max = rows
        .iter()
        .flat_map(|s| [s.rates.hard, s.rates.soft])
        .flatten()
        .fold(th.hard_red * 1.5, f64::max);
    let fmt = pct_fmt(max);
    let plot = y_axis(area, cx, y + lh, (cx.font * 2.2) as i32, max, false, &fmt)?;
    let bands = [
        (th.hard_amber, th.hard_red, p.amber, "chart.band.amber"),
        (th.hard_red, plot.top, p.red, "chart.band.red"),
    ];
    let band_text = cx.text(cx.font * 0.8, p.fg, HPos::Right, VPos::Top);
    let mut band_labels = Vec::new();
    for (lo, hi, color, name) in bands {
        if hi <= lo {
            continue;
        }
        area.draw(&Rectangle::new(
            [(plot.x0, plot.y(hi)), (plot.x1, plot.y(lo))],
            color.mix(0.16).filled(),
        ))
        .map_err(err)?;
        let text = cx.t(name, "").replace("{value}", &fmt(lo));
        // A backing patch keeps the label readable where a line crosses it.
        let (tx, ty) = (plot.x1 - cx.px(4.0), plot.y(hi) + cx.px(3.0));
        band_labels.push((text, tx, ty));
    }
    let slot = (plot.x1 - plot.x0) as f64 / rows.len() as f64;
    let xs: Vec<i32> = (0..rows.len())
        .map(|i| plot.x0 + (slot * (i as f64 + 0.5)) as i32)
        .collect();
    let m = cx.px(4.0);
    for (pick, color, square) in [(0usize, p.hard, false), (1, p.soft, true)] {
        let pts: Vec<(i32, i32)> = rows
            .iter()
            .zip(&xs)
            .filter_map(|(s, x)| {
                if pick == 0 {
                    s.rates.hard
                } else {
                    s.rates.soft
                }
                .map(|v| (*x, plot.y(v)))
            })
            .collect();
        if pts.len() > 1 {
            line(area, pts.clone(), color, cx.px(2.0).max(1) as u32)?;
        }
        for (x, yy) in pts {
            if square {
                rect(area, (x - m, yy - m), (x + m, yy + m), color)?;
            } else {
                area.draw(&Circle::new((x, yy), m + cx.px(1.0), color.filled()))
                    .map_err(err)?;
            }
        }
    }
    // Drawn last, on a backing patch, so a line crossing a band label never hides it.
    for (text, tx, ty) in band_labels {
        let tw = cx.text_width(area, &text, cx.font * 0.8);
        let th_px = (cx.font * 0.8 * 1.2) as i32;
        area.draw(&Rectangle::new(
            [
                (tx - tw - cx.px(3.0), ty - cx.px(1.0)),
                (tx + cx.px(2.0), ty + th_px),
            ],
            p.bg.mix(0.85).filled(),
        ))
        .map_err(err)?;
        put(area, &text, (tx, ty), &band_text)?;
    }
    campaign_axis(area, cx, &plot, slot, &rows)
}

/// Segments of a failure bar, in drawing order: (count, colour, hatched, legend name).
fn segments(c: &Counts, p: &super::frame::Palette) -> [(i64, RGBColor, bool, &'static str); 6] {
    [
        (c.hard, p.hard, false, "chart.hard"),
        (c.soft, p.soft, false, "chart.soft"),
        (c.block, p.block, true, "chart.block"),
        (c.complaint, p.complaint, false, "chart.complaint"),
        (c.unsubscribe, p.unsubscribe, false, "chart.unsubscribe"),
        (
            c.deferred + c.unclassified,
            p.deferred,
            false,
            "chart.deferred_other",
        ),
    ]
}

fn hbars<DB: DrawingBackend>(
    area: &Area<DB>,
    cx: &Ctx,
    heading: &str,
    rows: Vec<(String, Counts)>,
) -> Result<()> {
    if rows.iter().all(|(_, c)| c.failures() == 0) {
        return no_data(area, cx, heading);
    }
    let p = cx.pal;
    let y = title(area, cx, heading)?;
    let mut present = [false; 6];
    for (_, c) in &rows {
        for (i, s) in segments(c, &p).iter().enumerate() {
            present[i] |= s.0 > 0;
        }
    }
    let names: Vec<(String, RGBColor, bool)> = segments(&Counts::default(), &p)
        .iter()
        .zip(present)
        .filter(|(_, on)| *on)
        .map(|(s, _)| (cx.t(s.3, ""), s.1, s.2))
        .collect();
    let items: Vec<(&str, RGBColor, bool)> =
        names.iter().map(|(n, c, h)| (n.as_str(), *c, *h)).collect();
    let lh = legend(area, cx, &items, y + (cx.font * 0.4) as i32)?;
    let top = y + lh + cx.px(6.0);
    let row_h = (cx.font * 1.9) as i32;
    let fit = ((cx.h - top - cx.px(8.0)) / row_h.max(1)).max(1) as usize;
    let rows: Vec<&(String, Counts)> = rows.iter().take(fit.min(12)).collect();
    let size = cx.font * 0.9;
    let max_chars = if cx.narrow() { 14 } else { 28 };
    let names: Vec<String> = rows.iter().map(|(n, _)| label(n, max_chars)).collect();
    let name_w = names
        .iter()
        .map(|n| cx.text_width(area, n, size))
        .max()
        .unwrap_or(0)
        .min(cx.w * 2 / 5);
    let x0 = cx.px(10.0) + name_w + cx.px(8.0);
    let value_w = cx.text_width(area, "0000000", size);
    let x1 = (cx.w - cx.px(8.0) - value_w).max(x0 + 10);
    let max = rows
        .iter()
        .map(|(_, c)| c.failures())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let name_style = cx.text(size, p.fg, HPos::Right, VPos::Center);
    let value_style = cx.text(size, p.muted, HPos::Left, VPos::Center);
    for (i, ((_, c), name)) in rows.iter().zip(&names).enumerate() {
        let yt = top + i as i32 * row_h + row_h / 6;
        let yb = top + (i as i32 + 1) * row_h - row_h / 6;
        let ym = (yt + yb) / 2;
        put(area, name, (x0 - cx.px(6.0), ym), &name_style)?;
        let mut acc = 0.0;
        for (v, color, hatched, _) in segments(c, &p) {
            if v == 0 {
                continue;
            }
            let xa = x0 + ((x1 - x0) as f64 * acc / max) as i32;
            acc += v as f64;
            let xb = (x0 + ((x1 - x0) as f64 * acc / max) as i32).max(xa + 1);
            rect(area, (xa, yt), (xb, yb), color)?;
            if hatched {
                hatch(area, (xa, yt), (xb, yb), p.bg, cx.px(5.0))?;
            }
        }
        let end = x0 + ((x1 - x0) as f64 * acc / max) as i32;
        put(
            area,
            &c.failures().to_string(),
            (end + cx.px(5.0), ym),
            &value_style,
        )?;
    }
    Ok(())
}

fn delay<DB: DrawingBackend>(area: &Area<DB>, cx: &Ctx, r: &Report) -> Result<()> {
    let heading = cx.t("chart.delay.title", "");
    let short = ["<1m", "<1h", "<6h", "<1d", "<3d", "3d+", "?"];
    let mut bars: Vec<(String, i64)> = r
        .delay
        .buckets
        .iter()
        .map(|b| (cx.t(&format!("chart.delay.{}", b.key), &b.label), b.count))
        .collect();
    bars.push((cx.t("chart.delay.unknown", "unknown"), r.delay.unknown));
    if bars.iter().all(|(_, n)| *n == 0) {
        return no_data(area, cx, &heading);
    }
    let p = cx.pal;
    let y = title(area, cx, &heading)?;
    let max = bars.iter().map(|(_, n)| *n).max().unwrap_or(0) as f64;
    let plot = y_axis(
        area,
        cx,
        y + cx.px(14.0),
        (cx.font * 2.2) as i32,
        max,
        true,
        &int_fmt,
    )?;
    let slot = (plot.x1 - plot.x0) as f64 / bars.len() as f64;
    let value_style = cx.text(cx.font * 0.85, p.fg, HPos::Center, VPos::Bottom);
    for (i, (_, n)) in bars.iter().enumerate() {
        let xl = plot.x0 + (slot * (i as f64 + 0.15)) as i32;
        let xr = plot.x0 + (slot * (i as f64 + 0.85)) as i32;
        let color = if i + 1 == bars.len() {
            p.muted
        } else {
            p.block
        };
        if *n > 0 {
            rect(area, (xl, plot.y(*n as f64)), (xr, plot.y1), color)?;
        }
        put(
            area,
            &n.to_string(),
            ((xl + xr) / 2, plot.y(*n as f64) - cx.px(2.0)),
            &value_style,
        )?;
    }
    line(
        area,
        vec![(plot.x0, plot.y1), (plot.x1, plot.y1)],
        p.muted,
        1,
    )?;
    let labels: Vec<String> = if cx.narrow() {
        short.iter().map(|s| s.to_string()).collect()
    } else {
        bars.iter().map(|(l, _)| l.clone()).collect()
    };
    x_labels(area, cx, &plot, &labels)
}

fn campaigns<DB: DrawingBackend>(area: &Area<DB>, cx: &Ctx, r: &Report) -> Result<()> {
    let heading = cx.t("chart.campaigns.title", "");
    let mut rows = rate_rows(r);
    let per = if cx.narrow() { 4 } else { 8 };
    let skip = rows.len().saturating_sub(per);
    rows.drain(..skip);
    if rows.is_empty() {
        return no_data(area, cx, &heading);
    }
    let p = cx.pal;
    let y = title(area, cx, &heading)?;
    let n = ["chart.hard", "chart.soft", "chart.block", "chart.complaint"].map(|k| cx.t(k, ""));
    let lh = legend(
        area,
        cx,
        &[
            (&n[0], p.hard, false),
            (&n[1], p.soft, false),
            (&n[2], p.block, true),
            (&n[3], p.complaint, false),
        ],
        y + (cx.font * 0.4) as i32,
    )?;
    let vals = |s: &Summary| [s.rates.hard, s.rates.soft, s.rates.block, s.rates.complaint];
    let max = rows
        .iter()
        .flat_map(|s| vals(s))
        .flatten()
        .fold(0.0, f64::max);
    let fmt = pct_fmt(max);
    let plot = y_axis(area, cx, y + lh, (cx.font * 2.2) as i32, max, false, &fmt)?;
    let slot = (plot.x1 - plot.x0) as f64 / rows.len() as f64;
    let colors = [
        (p.hard, false),
        (p.soft, false),
        (p.block, true),
        (p.complaint, false),
    ];
    for (i, s) in rows.iter().enumerate() {
        let inner = slot * 0.8 / 4.0;
        for (j, (v, (color, hatched))) in vals(s).iter().zip(colors).enumerate() {
            let Some(v) = v else { continue };
            let xl = plot.x0 + (slot * i as f64 + slot * 0.1 + inner * j as f64) as i32;
            let xr = (plot.x0 + (slot * i as f64 + slot * 0.1 + inner * (j + 1) as f64) as i32 - 1)
                .max(xl + 1);
            if *v > 0.0 {
                rect(area, (xl, plot.y(*v)), (xr, plot.y1), color)?;
                if hatched {
                    hatch(area, (xl, plot.y(*v)), (xr, plot.y1), p.bg, cx.px(5.0))?;
                }
            }
        }
    }
    campaign_axis(area, cx, &plot, slot, &rows)
}
