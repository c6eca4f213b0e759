// The report part of the dashboard: KPI cards with health, the trend chart and the
// campaigns table, from `report_summary` and `chart_svg` (rebound::report, rebound::chart).
import * as api from "../api";
import type { ApiError, Check, Level, Report, Summary } from "../api";
import { h, replace } from "../dom";
import { errorBox } from "../errors";
import { catalogs, fmtNumber, t } from "../i18n";

const CHART_W = 960;
const CHART_H = 300;

/** A rate as a percentage for the language, or "unknown" when sent is unknown. */
export function fmtRate(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return t("dash.unknown");
  return fmtNumber(r, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: r !== 0 && Math.abs(r) < 0.001 ? 2 : 1 });
}

/** The check's sentence in the chosen language; the library's English when a key is new to us. */
export function checkText(c: Check): { text: string; action: string } {
  const known = (k: string) => k in catalogs.en;
  return {
    text: known(c.key) ? t(c.key, c.params) : c.text,
    action: known(c.action_key) ? t(c.action_key, c.params) : c.action,
  };
}

export function reportSection(r: Report): HTMLElement {
  return h(
    "div",
    { class: "stack", testid: "report" },
    kpiCards(r.total),
    h("h2", { class: "section-title" }, t("dash.trend.title")),
    trendChart(r.campaign),
    h("h2", { class: "section-title" }, t("dash.campaigns.title")),
    campaignsTable(r.campaigns),
  );
}

function kpiCards(total: Summary): HTMLElement {
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

function currentTheme(): "light" | "dark" {
  const forced = document.documentElement.dataset.theme;
  if (forced === "dark" || forced === "light") return forced;
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** The SVG goes into an <img> via a data: URL: an image cannot run script or touch the page. */
export function svgImage(svg: string, alt: string, testid: string): HTMLImageElement {
  return h("img", { class: "chart-img", testid, alt, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
}

function trendChart(campaign: number | null): HTMLElement {
  const box = h("div", { class: "card chart-card", testid: "trend-chart" }, h("p", { class: "muted" }, t("common.loading")));
  const load = async () => {
    try {
      const svg = await api.chartSvg("trend", campaign, CHART_W, CHART_H, currentTheme());
      replace(box, svgImage(svg, t("dash.trend.alt"), "trend-chart-img"));
    } catch (e) {
      replace(box, errorBox(e as ApiError, () => void load()));
    }
  };
  void load();
  return box;
}

function campaignsTable(rows: Summary[]): HTMLElement {
  if (rows.length === 0) return h("p", { class: "muted", testid: "campaigns-empty" }, t("dash.campaigns.empty"));
  const row = (s: Summary, i: number) =>
    h(
      "tr",
      { testid: `campaign-row-${i}` },
      h("td", { testid: `campaign-row-${i}-name` }, s.campaign_name ?? s.campaign_key ?? t("dash.campaigns.none"), s.channel && h("span", { class: "muted small" }, ` · ${s.channel}`)),
      h("td", { class: "num", testid: `campaign-row-${i}-sent` }, s.sent === null ? t("dash.unknown") : fmtNumber(s.sent)),
      h("td", { class: "num", testid: `campaign-row-${i}-hard` }, fmtRate(s.rates.hard)),
      h("td", { class: "num", testid: `campaign-row-${i}-soft` }, fmtRate(s.rates.soft)),
      h("td", {}, h("span", { class: `badge level-badge level-${s.health.level}`, testid: `campaign-row-${i}-health` }, t(`health.level.${s.health.level}`))),
    );
  return h(
    "div",
    { class: "card table-wrap" },
    h(
      "table",
      { class: "table", testid: "campaigns-table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, t("dash.campaigns.name")),
          h("th", { scope: "col", class: "num" }, t("dash.campaigns.sent")),
          h("th", { scope: "col", class: "num" }, t("dash.campaigns.hard")),
          h("th", { scope: "col", class: "num" }, t("dash.campaigns.soft")),
          h("th", { scope: "col" }, t("dash.campaigns.health")),
        ),
      ),
      h("tbody", {}, ...rows.map(row)),
    ),
  );
}
