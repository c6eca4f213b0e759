// The dashboard: the report of everything (KPI cards with health, trend, campaigns with
// sparklines, top reasons and domains) and the counts per class, or — with nothing
// imported — an empty state that says what to import.
import * as api from "../api";
import type { ApiError, DataLocation, Overview, Report, Sparkline } from "../api";
import type { Ctx, Screen } from "../app";
import { h, replace } from "../dom";
import { errorBox } from "../errors";
import { fmtNumber, t } from "../i18n";
import { dataLocationLine, pageHeader, screenShell } from "./common";
import { reportSection } from "./report-view";
import { openCampaign } from "./campaign";
import { SPARK_POINTS } from "./campaign-table";

/** The failure classes in the order a marketer reads them (model.rs Class). */
export const CLASSES = ["hard", "soft", "block", "complaint", "unsubscribe"] as const;

export function dashboardScreen(ctx: Ctx): Screen {
  const body = h("div", { class: "stack" }, h("p", { class: "muted" }, t("common.loading")));
  const el = screenShell("screen-dashboard", pageHeader(t("dash.title"), t("dash.subtitle")), body);
  const ready = load(ctx, body);
  return { el, ready };
}

async function load(ctx: Ctx, body: HTMLElement): Promise<void> {
  let ov: Overview;
  let loc: DataLocation | null = null;
  let report: Report | null = null;
  let sparks: Sparkline[] = [];
  try {
    [ov, loc] = await Promise.all([api.overview(), api.dataLocation()]);
    if (ov.events > 0) {
      // A sparkline that fails to load leaves a dash in its cell, not an error page.
      [report, sparks] = await Promise.all([api.reportSummary(null), api.campaignSparklines(SPARK_POINTS).catch(() => [])]);
    }
  } catch (e) {
    replace(body, errorBox(e as ApiError, () => void load(ctx, body)));
    return;
  }
  if (ov.events === 0) replace(body, emptyState(ctx, ov, loc));
  else {
    const byId = new Map(sparks.map((s) => [s.campaign_id, s]));
    replace(body, report && reportSection(report, byId, (id) => openCampaign(ctx, id)), filled(ov), loc && dataLocationLine(loc));
  }
}

function emptyState(ctx: Ctx, ov: Overview, loc: DataLocation | null): HTMLElement {
  return h(
    "div",
    { class: "card empty-state", testid: "empty-state" },
    h("div", { class: "empty-illustration", "aria-hidden": "true" }, "✉"),
    h("h2", { class: "empty-title", testid: "empty-state-title" }, t("dash.empty.title")),
    h("p", { class: "empty-body", testid: "empty-state-text" }, t("dash.empty.body")),
    ov.imports > 0 && h("p", { class: "notice", testid: "empty-state-imports" }, t("dash.empty.imports", { count: fmtNumber(ov.imports) })),
    h(
      "div",
      { class: "button-row" },
      h("button", { type: "button", class: "btn btn-primary btn-lg", testid: "empty-import-files", onclick: () => void ctx.pickAndImport(false) }, t("dash.importFiles")),
      h("button", { type: "button", class: "btn btn-secondary btn-lg", testid: "empty-import-folder", onclick: () => void ctx.pickAndImport(true) }, t("dash.importFolder")),
    ),
    h("p", { class: "muted small" }, t("dash.empty.hint")),
    loc && dataLocationLine(loc),
  );
}

function filled(ov: Overview): HTMLElement {
  const count = (cls: string) => ov.by_class.find((c) => c.class === cls)?.count ?? 0;
  const kpi = (key: string, value: number, testid: string) =>
    h("div", { class: "card kpi", testid }, h("div", { class: "kpi-label" }, t(key)), h("div", { class: "kpi-value", testid: `${testid}-value` }, fmtNumber(value)));
  const classCard = (cls: string) =>
    h(
      "div",
      { class: `card class-card class-${cls}`, testid: `class-${cls}` },
      h("div", { class: "class-label" }, h("span", { class: "dot", "aria-hidden": "true" }), t(`class.${cls}`)),
      h("div", { class: "class-value", testid: `class-${cls}-value` }, fmtNumber(count(cls))),
      h("div", { class: "class-hint" }, t(`class.${cls}.hint`)),
    );
  return h(
    "div",
    { class: "stack", testid: "dashboard-filled" },
    h(
      "div",
      { class: "grid kpis" },
      kpi("dash.kpi.events", ov.events, "kpi-events"),
      kpi("dash.kpi.recipients", ov.recipients, "kpi-recipients"),
      kpi("dash.kpi.campaigns", ov.campaigns, "kpi-campaigns"),
      kpi("dash.kpi.imports", ov.imports, "kpi-imports"),
    ),
    h("h2", { class: "section-title" }, t("dash.classes.title")),
    h("div", { class: "grid classes" }, ...CLASSES.map(classCard)),
  );
}
