// The Campaigns screen: every campaign (search, sort, sparklines, the rates of all of them
// against the health thresholds), and one campaign's view when one is opened — from this
// list or from the dashboard's campaigns table.
import * as api from "../api";
import type { ApiError, Report, Sparkline } from "../api";
import type { Ctx, Screen } from "../app";
import { h, replace } from "../dom";
import { errorBox } from "../errors";
import { t } from "../i18n";
import { pageHeader, screenShell } from "./common";
import { campaignsTable, SPARK_POINTS } from "./campaign-table";
import { campaignView } from "./campaign-view";
import { chartBox } from "./report-view";

/** The campaign to open when the Campaigns screen is drawn next (one shot: the nav shows the list). */
let pending: number | null = null;

export function openCampaign(ctx: Ctx, id: number): void {
  pending = id;
  ctx.go("campaigns");
}

export function campaignsScreen(ctx: Ctx): Screen {
  const body = h("div", { class: "stack" });
  const el = screenShell("screen-campaigns", body);
  const id = pending;
  pending = null;
  const showList = (): Promise<void> => list(ctx, body, (cid) => void showOne(cid));
  const showOne = async (cid: number): Promise<void> => {
    await campaignView(body, cid, () => void showList().then(() => focusFirst(body)));
    body.querySelector<HTMLElement>('[data-testid="campaign-title"]')?.focus();
    window.scrollTo?.({ top: 0 });
  };
  const ready = id === null ? showList() : showOne(id);
  return { el, ready };
}

function focusFirst(body: HTMLElement): void {
  body.querySelector<HTMLElement>('[data-testid="campaign-list-search"]')?.focus();
}

async function list(ctx: Ctx, body: HTMLElement, open: (id: number) => void): Promise<void> {
  const head = pageHeader(t("campaign.list.title"), t("campaign.list.subtitle"));
  replace(body, head, h("p", { class: "muted" }, t("common.loading")));
  let r: Report;
  let sparks: Sparkline[];
  try {
    [r, sparks] = await Promise.all([api.reportSummary(null), api.campaignSparklines(SPARK_POINTS).catch(() => [])]);
  } catch (e) {
    replace(body, head, errorBox(e as ApiError, () => void list(ctx, body, open)));
    return;
  }
  const withId = r.campaigns.filter((c) => c.campaign_id !== null);
  if (withId.length === 0) {
    replace(
      body,
      head,
      h(
        "div",
        { class: "card empty-state", testid: "campaign-list-empty" },
        h("p", {}, t("campaign.list.empty")),
        h("button", { type: "button", class: "btn btn-primary", testid: "campaign-list-import", onclick: () => void ctx.pickAndImport(false) }, t("dash.importFiles")),
      ),
    );
    return;
  }
  replace(
    body,
    head,
    campaignsTable(withId, new Map(sparks.map((s) => [s.campaign_id, s])), open, "campaign-list"),
    h("h2", { class: "section-title" }, t("campaign.list.ratesTitle")),
    chartBox("rates", null, { alt: t("campaign.chart.rates"), testid: "campaign-list-rates", height: 300 }),
  );
}
