// The report pieces the dashboard and the campaign view share: KPI cards with health,
// charts (SVG drawn by rebound::chart, copied element by element into the page), the
// reasons and domains panels, and number formatting for rates.
import * as api from "../api";
import type { ApiError, Breakdown, ChartKind, Check, Level, Report, Summary } from "../api";
import { h, replace } from "../dom";
import { errorBox } from "../errors";
import { catalogs, fmtNumber, lang, t } from "../i18n";
import { campaignsTable, type OpenCampaign, type SparkMap } from "./campaign-table";
import "./campaign-view.css";

/** Width asked for when the container has no layout yet (tests, hidden tabs). */
const FALLBACK_W = 960;

/** A rate as a percentage for the language, or "unknown" when sent is unknown. */
export function fmtRate(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return t("dash.unknown");
  return fmtNumber(r, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: r !== 0 && Math.abs(r) < 0.001 ? 2 : 1 });
}

/** The check's sentence in the chosen language; the library's English when a key is new to us. */
export function checkText(c: Check): { text: string; action: string } {
  const known = (k: string) => k in catalogs.en;
  const params = localParams(c.params);
  return {
    text: known(c.key) ? t(c.key, params) : c.text,
    action: known(c.action_key) ? t(c.action_key, params) : c.action,
  };
}

/** The library writes percentages the English way ("1.5%"); show them as the language does ("1,5 %"). */
function localParams(p: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) {
    const m = /^(-?\d+(?:\.\d+)?)%$/.exec(v);
    out[k] = m ? fmtRate(Number(m[1]) / 100) : v;
  }
  return out;
}

/** A reason's name in the chosen language (`user_unknown` → "Address does not exist"). */
export function reasonName(value: string): string {
  const key = `chart.reason.${value}`;
  if (key in catalogs.en) return t(key);
  return value === "" ? t("dash.unknown") : value.replace(/_/g, " ");
}

/** The dashboard's report: KPI cards, trend chart, campaigns table, top reasons and domains. */
export function reportSection(r: Report, sparks: SparkMap, open: OpenCampaign): HTMLElement {
  return h(
    "div",
    { class: "stack", testid: "report" },
    kpiCards(r.total),
    h("h2", { class: "section-title" }, t("dash.trend.title")),
    chartBox("trend", r.campaign, { alt: t("dash.trend.alt"), testid: "trend-chart", height: 300 }),
    h("h2", { class: "section-title" }, t("dash.campaigns.title")),
    campaignsTable(r.campaigns, sparks, open, "campaigns"),
    h(
      "div",
      { class: "grid two-col" },
      breakdownPanel("reasons", r.reasons, t("dash.reasons.title"), "top-reasons"),
      breakdownPanel("domains", r.domains, t("dash.domains.title"), "top-domains"),
    ),
  );
}

export function kpiCards(total: Summary): HTMLElement {
  const check = (metric: string) => total.health.checks.find((c) => c.metric === metric);
  const card = (testid: string, labelKey: string, value: string, c?: Check) => {
    const words = c && checkText(c);
    const level: Level = c?.level ?? "unknown";
    return h(
      "div",
      { class: `card kpi health-card level-${c ? level : "none"}`, testid, "data-level": c ? level : "none" },
      h("div", { class: "kpi-label" }, t(labelKey), c && h("span", { class: `badge level-badge level-${level}`, testid: `${testid}-level` }, t(`health.level.${level}`))),
      h("div", { class: "kpi-value", testid: `${testid}-value` }, value),
      words && h("p", { class: "kpi-text", testid: `${testid}-text` }, words.text),
      words && h("p", { class: "kpi-action", testid: `${testid}-action` }, words.action),
    );
  };
  return h(
    "div",
    { class: "grid kpis health-kpis", testid: "health-kpis" },
    card("kpi-sent", "dash.kpi.sent", total.sent === null ? t("dash.unknown") : fmtNumber(total.sent)),
    card("kpi-hard-rate", "dash.kpi.hardRate", fmtRate(total.rates.hard), check("hard_rate")),
    card("kpi-soft-rate", "dash.kpi.softRate", fmtRate(total.rates.soft)),
    card("kpi-block-share", "dash.kpi.blockShare", fmtRate(total.block_share), check("block_share")),
    card("kpi-complaint-rate", "dash.kpi.complaintRate", fmtRate(total.rates.complaint), check("complaint_rate")),
  );
}

export function currentTheme(): "light" | "dark" {
  const forced = document.documentElement.dataset.theme;
  if (forced === "dark" || forced === "light") return forced;
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/**
 * The chart text in the window's language, keyed as rebound::chart::LABELS wants it.
 * Reason names travel as `reason.<name>`, which is how the chart looks them up.
 */
export function chartLabels(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(catalogs.en)) {
    if (!key.startsWith("chart.")) continue;
    const name = key.startsWith("chart.reason.") ? key.slice("chart.".length) : key;
    out[name] = t(key);
  }
  return out;
}

// ---- SVG from our renderer, copied as data --------------------------------------------

const SVG_NS = "http://www.w3.org/2000/svg";
const SVG_ELEMENTS = new Set(["svg", "g", "rect", "line", "polyline", "polygon", "path", "circle", "ellipse", "text", "tspan", "title", "desc", "defs", "clipPath"]);
const SVG_ATTRS = new Set([
  "x", "y", "dx", "dy", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "viewBox", "points", "d",
  "fill", "stroke", "stroke-width", "stroke-dasharray", "stroke-linecap", "stroke-linejoin", "opacity", "fill-opacity", "stroke-opacity",
  "text-anchor", "dominant-baseline", "font-family", "font-size", "font-weight", "font-style", "transform", "clip-path", "id",
]);

/**
 * Parses the renderer's SVG as XML and rebuilds it with DOM calls, keeping only drawing
 * elements and presentation attributes: no script, no event handler, no link survives,
 * whatever the text inside (campaign names and domains come from hostile mail).
 */
export function svgFromText(svgText: string): SVGSVGElement | null {
  const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
  const src = doc.documentElement;
  if (src.nodeName !== "svg" || doc.getElementsByTagName("parsererror").length > 0) return null;
  return copySvg(src) as SVGSVGElement | null;
}

function copySvg(src: Element): Element | null {
  if (!SVG_ELEMENTS.has(src.localName)) return null;
  const el = document.createElementNS(SVG_NS, src.localName);
  for (const a of Array.from(src.attributes)) {
    if (SVG_ATTRS.has(a.name) && !/url\(\s*['"]?\s*(?!#)/i.test(a.value)) el.setAttribute(a.name, a.value);
  }
  for (const child of Array.from(src.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) el.appendChild(document.createTextNode(child.textContent ?? ""));
    else if (child.nodeType === Node.ELEMENT_NODE) {
      const c = copySvg(child as Element);
      if (c) el.appendChild(c);
    }
  }
  return el;
}

interface LiveChart {
  box: HTMLElement;
  reload(): void;
}

/** Charts on screen, redrawn when the theme changes (forced in settings or by the OS). */
const live = new Set<LiveChart>();
let watching = false;

function watchTheme(): void {
  if (watching) return;
  watching = true;
  const redraw = () => {
    for (const c of [...live]) {
      if (c.box.isConnected) c.reload();
      else live.delete(c);
    }
  };
  new MutationObserver(redraw).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  if (typeof matchMedia === "function") matchMedia("(prefers-color-scheme: dark)").addEventListener?.("change", redraw);
}

export interface ChartOpts {
  alt: string;
  testid: string;
  height: number;
}

/**
 * A chart card: asks Rust for an SVG as wide as the card, in the theme's palette and the
 * window's language, and asks again when the card's width or the theme changes.
 */
export function chartBox(kind: ChartKind, campaign: number | null, o: ChartOpts): HTMLElement {
  const box = h("figure", { class: "card chart-card", testid: o.testid, "data-kind": kind }, h("p", { class: "muted" }, t("common.loading")));
  let drawnW = 0;
  let seq = 0;
  const load = async () => {
    const mine = ++seq;
    const w = Math.round(box.clientWidth > 0 ? box.clientWidth - 24 : FALLBACK_W);
    drawnW = w;
    try {
      const svgText = await api.chartSvg(kind, campaign, w, o.height, currentTheme(), chartLabels());
      if (mine !== seq) return;
      const svg = svgFromText(svgText);
      if (!svg) throw { code: "internal", message: "the chart was not a drawing" };
      svg.setAttribute("class", "chart-svg");
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", o.alt);
      svg.dataset.testid = `${o.testid}-svg`;
      svg.dataset.lang = lang();
      replace(box, svg);
    } catch (e) {
      if (mine === seq) replace(box, errorBox(e as ApiError, () => void load()));
    }
  };
  live.add({ box, reload: () => void load() });
  watchTheme();
  if (typeof ResizeObserver === "function") {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ro = new ResizeObserver(() => {
      if (!box.isConnected) return ro.disconnect();
      if (seq === 0) return; // the first load is about to measure the card itself
      const w = box.clientWidth - 24;
      if (w <= 0 || Math.abs(w - drawnW) < 24) return;
      clearTimeout(timer);
      timer = setTimeout(() => void load(), 150);
    });
    ro.observe(box);
  }
  // Wait one frame so the card has its width in the page.
  setTimeout(() => void load(), 0);
  return box;
}

// ---- reasons and domains --------------------------------------------------------------

/** A ranked list with a share bar per row: the top reasons or recipient domains. */
export function breakdownPanel(kind: "reasons" | "domains", b: Breakdown | undefined, title: string, testid: string): HTMLElement {
  const rows = b ? [...b.rows.slice(0, 10), ...(b.other ? [b.other] : [])] : [];
  const name = (v: string, isOther: boolean) => (isOther ? t("chart.other") : kind === "reasons" ? reasonName(v) : v === "" ? t("dash.unknown") : v);
  const max = Math.max(1, ...rows.map((r) => r.total));
  const item = (r: (typeof rows)[number], i: number) => {
    const bar = h("span", { class: "bar-fill" });
    bar.style.width = `${Math.max(1, (r.total / max) * 100)}%`;
    return h(
      "li",
      { class: "bar-row", testid: `${testid}-${i}` },
      h("span", { class: "bar-name", testid: `${testid}-${i}-name`, title: r.value }, name(r.value, b?.other === r)),
      h("span", { class: "bar-track", "aria-hidden": "true" }, bar),
      h("span", { class: "bar-value num", testid: `${testid}-${i}-count` }, fmtNumber(r.total)),
      h("span", { class: "bar-share num muted" }, r.share === null ? "" : fmtNumber(r.share, { style: "percent", maximumFractionDigits: 1 })),
    );
  };
  return h(
    "section",
    { class: "card breakdown", testid },
    h("h3", { class: "card-title" }, title),
    rows.length === 0 ? h("p", { class: "muted", testid: `${testid}-empty` }, t("dash.breakdown.empty")) : h("ol", { class: "bars" }, ...rows.map(item)),
  );
}
