// The campaigns table of the dashboard and the Campaigns screen: search, sort by any
// column (mouse or keyboard), a sparkline of bounces per day, and a click to open one.
import type { Level, Sparkline, Summary } from "../api";
import { h, replace } from "../dom";
import { fmtNumber, t } from "../i18n";
import { fmtRate } from "./report-view";

/** Points per sparkline: about two months of days, longer campaigns folded. */
export const SPARK_POINTS = 60;

export type SparkMap = Map<number, Sparkline>;
export type OpenCampaign = (campaignId: number) => void;

type SortKey = "name" | "sent" | "hard" | "soft" | "health" | "last";
interface SortState {
  key: SortKey | null;
  dir: 1 | -1;
}

const LEVEL_ORDER: Record<Level, number> = { unknown: 0, ok: 1, amber: 2, red: 3 };

export function campaignName(s: Summary): string {
  return s.campaign_name ?? s.campaign_key ?? t("dash.campaigns.none");
}

/** The value a column sorts by; null sorts last whatever the direction. */
function sortValue(s: Summary, key: SortKey): string | number | null {
  switch (key) {
    case "name":
      return campaignName(s).toLocaleLowerCase();
    case "sent":
      return s.sent;
    case "hard":
      return s.rates.hard;
    case "soft":
      return s.rates.soft;
    case "health":
      return LEVEL_ORDER[s.health.level];
    case "last":
      return s.last_event ?? null;
  }
}

export function sortRows(rows: Summary[], st: SortState): Summary[] {
  if (!st.key) return rows;
  const key = st.key;
  return rows
    .map((r, i) => ({ r, i, v: sortValue(r, key) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      const c = typeof a.v === "string" ? a.v.localeCompare(b.v as string) : (a.v as number) - (b.v as number);
      return c !== 0 ? c * st.dir : a.i - b.i;
    })
    .map((x) => x.r);
}

export function matches(s: Summary, query: string): boolean {
  const q = query.trim().toLocaleLowerCase();
  if (q === "") return true;
  return [s.campaign_name, s.campaign_key, s.channel].some((v) => v?.toLocaleLowerCase().includes(q));
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Bounces per day as a tiny line (all bounces) over an area (hard ones), built with DOM calls. */
export function sparklineSvg(s: Sparkline | undefined, testid: string): Element {
  if (!s || s.hard.length === 0) return h("span", { class: "muted small", testid }, "—");
  const W = 96;
  const H = 24;
  const total = s.hard.map((v, i) => v + (s.soft[i] ?? 0) + (s.block[i] ?? 0));
  const max = Math.max(1, ...total);
  const n = total.length;
  const x = (i: number) => (n === 1 ? W / 2 : (i / (n - 1)) * (W - 2) + 1);
  const y = (v: number) => H - 1 - (v / max) * (H - 3);
  const pts = (vals: number[]) => vals.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("width", String(W));
  svg.setAttribute("height", String(H));
  svg.setAttribute("class", "sparkline");
  svg.setAttribute("role", "img");
  const sum = total.reduce((a, b) => a + b, 0);
  svg.setAttribute("aria-label", t("dash.campaigns.sparkAlt", { count: fmtNumber(sum), days: fmtNumber(n * s.days_per_point) }));
  (svg as unknown as HTMLElement).dataset.testid = testid;
  const hardArea = document.createElementNS(SVG_NS, "polygon");
  hardArea.setAttribute("points", `${x(0).toFixed(1)},${H - 1} ${pts(s.hard)} ${x(n - 1).toFixed(1)},${H - 1}`);
  hardArea.setAttribute("class", "spark-hard");
  const line = document.createElementNS(SVG_NS, n === 1 ? "circle" : "polyline");
  if (n === 1) {
    line.setAttribute("cx", String(x(0)));
    line.setAttribute("cy", String(y(total[0])));
    line.setAttribute("r", "2");
  } else line.setAttribute("points", pts(total));
  line.setAttribute("class", "spark-line");
  svg.append(hardArea, line);
  return svg;
}

/** A searchable, sortable campaigns table; `prefix` keeps test ids apart on one page. */
export function campaignsTable(rows: Summary[], sparks: SparkMap, open: OpenCampaign, prefix: string): HTMLElement {
  if (rows.length === 0) return h("p", { class: "muted", testid: `${prefix}-empty` }, t("dash.campaigns.empty"));
  const st: SortState = { key: null, dir: 1 };
  let query = "";
  const tbody = h("tbody", {});
  const count = h("p", { class: "muted small", testid: `${prefix}-count`, "aria-live": "polite" });
  const head = h("tr", {});
  const search = h("input", {
    type: "search",
    class: "input search",
    testid: `${prefix}-search`,
    placeholder: t("dash.campaigns.search"),
    "aria-label": t("dash.campaigns.search"),
    oninput: (e: Event) => {
      query = (e.target as HTMLInputElement).value;
      draw();
    },
  });

  const columns: { key: SortKey | null; label: string; num?: boolean }[] = [
    { key: "name", label: t("dash.campaigns.name") },
    { key: "sent", label: t("dash.campaigns.sent"), num: true },
    { key: "hard", label: t("dash.campaigns.hard"), num: true },
    { key: "soft", label: t("dash.campaigns.soft"), num: true },
    { key: null, label: t("dash.campaigns.trend") },
    { key: "health", label: t("dash.campaigns.health") },
  ];

  const drawHead = () =>
    replace(
      head,
      ...columns.map((c) => {
        if (!c.key) return h("th", { scope: "col" }, c.label);
        const key = c.key;
        const on = st.key === key;
        return h(
          "th",
          { scope: "col", class: c.num ? "num" : undefined, "aria-sort": on ? (st.dir === 1 ? "ascending" : "descending") : "none" },
          h(
            "button",
            {
              type: "button",
              class: on ? "sort-btn sorted" : "sort-btn",
              testid: `${prefix}-sort-${key}`,
              onclick: () => {
                st.dir = on ? (st.dir === 1 ? -1 : 1) : key === "name" ? 1 : -1;
                st.key = key;
                draw();
                head.querySelector<HTMLElement>(`[data-testid="${prefix}-sort-${key}"]`)?.focus();
              },
            },
            c.label,
            h("span", { class: "sort-mark", "aria-hidden": "true" }, on ? (st.dir === 1 ? " ▲" : " ▼") : " ↕"),
          ),
        );
      }),
    );

  const row = (s: Summary, i: number) => {
    const id = s.campaign_id;
    const name = [campaignName(s), s.channel && h("span", { class: "muted small" }, ` · ${s.channel}`)];
    return h(
      "tr",
      { testid: `campaign-row-${i}`, class: id === null ? undefined : "clickable", "data-campaign-id": id ?? undefined, onclick: () => id !== null && open(id) },
      h(
        "td",
        { testid: `campaign-row-${i}-name` },
        id === null
          ? h("span", {}, ...name)
          : h("button", { type: "button", class: "link-btn", testid: `campaign-row-${i}-open`, "aria-label": t("dash.campaigns.open", { name: campaignName(s) }), onclick: (e: Event) => (e.stopPropagation(), open(id)) }, ...name),
      ),
      h("td", { class: "num", testid: `campaign-row-${i}-sent` }, s.sent === null ? t("dash.unknown") : fmtNumber(s.sent)),
      h("td", { class: "num", testid: `campaign-row-${i}-hard` }, fmtRate(s.rates.hard)),
      h("td", { class: "num", testid: `campaign-row-${i}-soft` }, fmtRate(s.rates.soft)),
      h("td", { class: "spark-cell" }, sparklineSvg(id === null ? undefined : sparks.get(id), `campaign-row-${i}-spark`)),
      h("td", {}, h("span", { class: `badge level-badge level-${s.health.level}`, testid: `campaign-row-${i}-health` }, t(`health.level.${s.health.level}`))),
    );
  };

  const draw = () => {
    drawHead();
    const shown = sortRows(rows.filter((r) => matches(r, query)), st);
    replace(tbody, ...shown.map(row));
    if (shown.length === 0) replace(tbody, h("tr", {}, h("td", { colspan: String(columns.length), class: "muted", testid: `${prefix}-nomatch` }, t("dash.campaigns.noMatch"))));
    count.textContent = t("dash.campaigns.count", { shown: fmtNumber(shown.length), total: fmtNumber(rows.length) });
  };
  draw();

  return h(
    "div",
    { class: "card table-wrap campaigns-card", testid: `${prefix}-card` },
    h("div", { class: "table-tools" }, search, count),
    h("table", { class: "table", testid: "campaigns-table" }, h("thead", {}, head), tbody),
  );
}
