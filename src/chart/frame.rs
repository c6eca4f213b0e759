//! The few drawing helpers every chart shares: palette, text, axes, legend, "no data".
//! Charts are laid out by hand in pixels so every size from 320 px to 1600 px stays readable.

use super::{err, FONT_FAMILY};
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub type Area<'a, DB> = DrawingArea<DB, Shift>;

#[derive(Clone, Copy)]
pub struct Palette {
    pub bg: RGBColor,
    pub fg: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    pub hard: RGBColor,
    pub soft: RGBColor,
    pub block: RGBColor,
    pub complaint: RGBColor,
    pub unsubscribe: RGBColor,
    pub deferred: RGBColor,
    pub amber: RGBColor,
    pub red: RGBColor,
}

/// Okabe-Ito hues: hard vermillion, soft sky blue, block dark blue (hatched), complaint
/// reddish purple, unsubscribe bluish green, deferred orange. Dark theme: lighter tints.
pub fn palette(theme: super::Theme) -> Palette {
    match theme {
        super::Theme::Light => Palette {
            bg: RGBColor(255, 255, 255),
            fg: RGBColor(34, 34, 34),
            muted: RGBColor(102, 102, 102),
            grid: RGBColor(221, 221, 221),
            hard: RGBColor(213, 94, 0),
            soft: RGBColor(86, 180, 233),
            block: RGBColor(0, 114, 178),
            complaint: RGBColor(204, 121, 167),
            unsubscribe: RGBColor(0, 158, 115),
            deferred: RGBColor(230, 159, 0),
            amber: RGBColor(230, 159, 0),
            red: RGBColor(213, 94, 0),
        },
        super::Theme::Dark => Palette {
            bg: RGBColor(30, 30, 30),
            fg: RGBColor(232, 232, 232),
            muted: RGBColor(170, 170, 170),
            grid: RGBColor(66, 66, 66),
            hard: RGBColor(239, 125, 50),
            soft: RGBColor(130, 205, 245),
            block: RGBColor(64, 150, 220),
            complaint: RGBColor(222, 150, 190),
            unsubscribe: RGBColor(40, 190, 145),
            deferred: RGBColor(240, 180, 40),
            amber: RGBColor(240, 180, 40),
            red: RGBColor(239, 125, 50),
        },
    }
}

/// Pixel sizes derived from the canvas, so small charts get small margins but legible text.
pub struct Ctx {
    /// Text overrides by key (the window's translation); English defaults otherwise.
    pub text: super::Labels,
    pub w: i32,
    pub h: i32,
    /// 1 for SVG, 2 for the PNG export.
    pub scale: f64,
    pub font: f64,
    pub pal: Palette,
}

impl Ctx {
    pub fn new(w: u32, h: u32, scale: f64, pal: Palette, text: &super::Labels) -> Ctx {
        let css_w = w as f64 / scale;
        let font = (css_w / 48.0).clamp(10.0, 14.0) * scale;
        Ctx {
            text: text.clone(),
            w: w as i32,
            h: h as i32,
            scale,
            font,
            pal,
        }
    }

    /// The text for `key`: the caller's translation, else the English default, else `fallback`.
    pub fn t(&self, key: &str, fallback: &str) -> String {
        if let Some(v) = self.text.get(key) {
            return label(v, 80);
        }
        super::LABELS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
            .unwrap_or_else(|| fallback.to_string())
    }

    pub fn px(&self, css: f64) -> i32 {
        (css * self.scale).round() as i32
    }

    /// Narrow charts (phones, sidebars) drop secondary text.
    pub fn narrow(&self) -> bool {
        (self.w as f64 / self.scale) < 480.0
    }

    pub fn text(&self, size: f64, color: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
        TextStyle {
            font: (FONT_FAMILY, size).into_font(),
            color: color.to_backend_color(),
            pos: Pos::new(h, v),
        }
    }

    /// Width in pixels of `s` at `size` (an estimate from the embedded font's advances).
    pub fn text_width<DB: DrawingBackend>(&self, area: &Area<DB>, s: &str, size: f64) -> i32 {
        let style = TextStyle::from((FONT_FAMILY, size).into_font());
        area.estimate_text_size(s, &style)
            .map(|(w, _)| w as i32)
            .unwrap_or((s.chars().count() as f64 * size * 0.6) as i32)
    }
}

pub fn put<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &str,
    at: (i32, i32),
    style: &TextStyle,
) -> Result<()> {
    area.draw(&Text::new(s.to_string(), at, style.clone()))
        .map_err(err)
}

pub fn rect<DB: DrawingBackend>(
    area: &Area<DB>,
    a: (i32, i32),
    b: (i32, i32),
    c: RGBColor,
) -> Result<()> {
    area.draw(&Rectangle::new([a, b], c.filled())).map_err(err)
}

/// Diagonal hatching inside a rectangle: blocks stay distinct from soft/hard without colour.
pub fn hatch<DB: DrawingBackend>(
    area: &Area<DB>,
    a: (i32, i32),
    b: (i32, i32),
    c: RGBColor,
    step: i32,
) -> Result<()> {
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    if x1 - x0 < 4 || y1 - y0 < 4 || step < 2 {
        return Ok(());
    }
    let style = ShapeStyle::from(&c).stroke_width(1);
    // Lines x - y = k, clipped to the rectangle.
    let mut k = x0 - y1;
    while k < x1 - y0 {
        let (mut sx, mut sy) = (k + y0, y0);
        if sx < x0 {
            sy += x0 - sx;
            sx = x0;
        }
        let (mut ex, mut ey) = (k + y1, y1);
        if ex > x1 {
            ey -= ex - x1;
            ex = x1;
        }
        if sy <= y1 && ey >= y0 && sx <= ex {
            area.draw(&PathElement::new(vec![(sx, sy), (ex, ey)], style))
                .map_err(err)?;
        }
        k += step;
    }
    Ok(())
}

pub fn line<DB: DrawingBackend>(
    area: &Area<DB>,
    pts: Vec<(i32, i32)>,
    c: RGBColor,
    width: u32,
) -> Result<()> {
    area.draw(&PathElement::new(
        pts,
        ShapeStyle::from(&c).stroke_width(width),
    ))
    .map_err(err)
}

/// A "nice" step (1, 2 or 5 × 10^k) and the axis top for values up to `max`.
pub fn nice_axis(max: f64, ticks: usize, integer: bool) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let raw = max / ticks.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    if integer {
        step = step.max(1.0).round();
    }
    (step, (max / step).ceil() * step)
}

/// Title at the top left; returns the y where the plot may start.
pub fn title<DB: DrawingBackend>(area: &Area<DB>, cx: &Ctx, s: &str) -> Result<i32> {
    let size = cx.font * 1.25;
    put(
        area,
        s,
        (cx.px(10.0), cx.px(8.0)),
        &cx.text(size, cx.pal.fg, HPos::Left, VPos::Top),
    )?;
    Ok(cx.px(8.0) + (size * 1.5) as i32)
}

/// Legend swatches in one row (wrapping when narrow); returns the height used.
pub fn legend<DB: DrawingBackend>(
    area: &Area<DB>,
    cx: &Ctx,
    items: &[(&str, RGBColor, bool)],
    y: i32,
) -> Result<i32> {
    let size = cx.font * 0.9;
    let sw = (size * 0.9) as i32;
    let style = cx.text(size, cx.pal.fg, HPos::Left, VPos::Center);
    let mut x = cx.px(10.0);
    let mut row = 0;
    let line_h = (size * 1.6) as i32;
    for (label, color, hatched) in items {
        let tw = cx.text_width(area, label, size);
        if x + sw + tw + cx.px(14.0) > cx.w && x > cx.px(10.0) {
            x = cx.px(10.0);
            row += 1;
        }
        let yy = y + row * line_h;
        rect(area, (x, yy - sw / 2), (x + sw, yy + sw / 2), *color)?;
        if *hatched {
            hatch(
                area,
                (x, yy - sw / 2),
                (x + sw, yy + sw / 2),
                cx.pal.bg,
                cx.px(4.0),
            )?;
        }
        put(area, label, (x + sw + cx.px(4.0), yy), &style)?;
        x += sw + tw + cx.px(16.0);
    }
    Ok((row + 1) * line_h)
}

/// The readable empty state: title plus a centred sentence, never an empty frame.
pub fn no_data<DB: DrawingBackend>(area: &Area<DB>, cx: &Ctx, heading: &str) -> Result<()> {
    title(area, cx, heading)?;
    let msg = cx.t("chart.no_data", "");
    put(
        area,
        &msg,
        (cx.w / 2, cx.h / 2),
        &cx.text(cx.font * 1.1, cx.pal.muted, HPos::Center, VPos::Center),
    )?;
    if !cx.narrow() {
        let hint = cx.t("chart.no_data.hint", "");
        put(
            area,
            &hint,
            (cx.w / 2, cx.h / 2 + (cx.font * 1.8) as i32),
            &cx.text(cx.font * 0.9, cx.pal.muted, HPos::Center, VPos::Center),
        )?;
    }
    Ok(())
}

/// A label safe to draw: no control characters, at most `max` characters.
pub fn label(s: &str, max: usize) -> String {
    let t: String = s.chars().filter(|c| !c.is_control()).collect();
    let t = t.trim();
    if t.is_empty() {
        return "(unknown)".into();
    }
    let n = t.chars().count();
    if n <= max {
        return t.to_string();
    }
    // Keep both ends: campaign names often differ only at the end ("Newsletter 07").
    let head = max.saturating_sub(1).div_ceil(2);
    let tail = max.saturating_sub(1) - head;
    let start: String = t.chars().take(head).collect();
    let end: String = t.chars().skip(n - tail).collect();
    format!("{start}…{end}")
}

/// Plot rectangle inside the canvas, with the y axis (gridlines and labels) drawn.
pub struct Plot {
    pub x0: i32,
    pub x1: i32,
    pub y0: i32,
    pub y1: i32,
    pub top: f64,
}

impl Plot {
    pub fn y(&self, v: f64) -> i32 {
        let f = if self.top > 0.0 {
            (v / self.top).clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.y1 - ((self.y1 - self.y0) as f64 * f).round() as i32
    }
}

/// Draws horizontal gridlines with value labels; `fmt` turns a tick value into text.
pub fn y_axis<DB: DrawingBackend>(
    area: &Area<DB>,
    cx: &Ctx,
    top_y: i32,
    bottom_pad: i32,
    max: f64,
    integer: bool,
    fmt: &dyn Fn(f64) -> String,
) -> Result<Plot> {
    let ticks = if cx.h as f64 / cx.scale < 220.0 { 3 } else { 5 };
    let (step, top) = nice_axis(max, ticks, integer);
    let size = cx.font * 0.85;
    let widest = (0..=ticks * 2)
        .map(|i| cx.text_width(area, &fmt(step * i as f64), size))
        .max()
        .unwrap_or(0);
    let plot = Plot {
        x0: cx.px(10.0) + widest + cx.px(6.0),
        x1: cx.w - cx.px(12.0),
        y0: top_y + cx.px(6.0),
        y1: cx.h - bottom_pad,
        top,
    };
    let style = cx.text(size, cx.pal.muted, HPos::Right, VPos::Center);
    let mut v = 0.0;
    while v <= top + step * 0.001 {
        let y = plot.y(v);
        line(area, vec![(plot.x0, y), (plot.x1, y)], cx.pal.grid, 1)?;
        put(area, &fmt(v), (plot.x0 - cx.px(5.0), y), &style)?;
        v += step;
    }
    Ok(plot)
}
