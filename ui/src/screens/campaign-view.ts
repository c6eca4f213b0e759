// One campaign: its KPIs with health, charts (trend, rates with the threshold bands,
// time to bounce, reasons, domains, compared with earlier campaigns), the change of each
// rate against the previous campaigns, and its bounced recipients page by page. When
// nothing says how many were sent, the user can type the number in.
import * as api from "../api";
import type { ApiError, Comparison, RecipientsPage, Report, Summary } from "../api";
import { h, replace } from "../dom";
import { errorBox, errorText } from "../errors";
import { fmtDateTime, fmtNumber, t } from "../i18n";
import { toast } from "../dialog";
import { campaignName } from "./campaign-table";
import { breakdownPanel, chartBox, fmtRate, kpiCards, reasonName } from "./report-view";

export const RECIPIENTS_PAGE = 50;

/** Draws campaign `id` into `host`; resolves when its report is on screen. */
export async function campaignView(host: HTMLElement, id: number, back: () => void): Promise<void> {
  replace(host, h("p", { class: "muted" }, t("common.loading")));
  let r: Report;
  try {
    r = await api.reportSummary(id);
  } catch (e) {
    replace(host, backButton(back), errorBox(e as ApiError, () => void campaignView(host, id, back)));
    return;
  }
  const reload = () => void campaignView(host, id, back);
  replace(
    host,
    h(
      "div",
      { class: "stack", testid: "campaign-view", "data-campaign-id": id },
      header(r.total, back),
      sentPanel(r.total, id, reload),
      kpiCards(r.total),
      h("p", { class: "muted small", testid: "campaign-affected" }, t("campaign.affected", { count: fmtNumber(r.total.recipients_affected ?? 0) })),
      h("h2", { class: "section-title" }, t("campaign.charts.title")),
      chartBox("trend", id, { alt: t("dash.trend.alt"), testid: "campaign-chart-trend", height: 280 }),
      rated(r, id) ? chartBox("rates", id, { alt: t("campaign.chart.rates"), testid: "campaign-chart-rates", height: 280 }) : ratesNote("campaign-rates-note"),
      h(
        "div",
        { class: "grid two-col" },
        chartBox("delay", id, { alt: t("campaign.chart.delay"), testid: "campaign-chart-delay", height: 280 }),
        chartBox("reasons", id, { alt: t("campaign.chart.reasons"), testid: "campaign-chart-reasons", height: 280 }),
      ),
      h(
        "div",
        { class: "grid two-col" },
        breakdownPanel("reasons", r.reasons, t("dash.reasons.title"), "campaign-reasons"),
        breakdownPanel("domains", r.domains, t("dash.domains.title"), "campaign-domains"),
      ),
      h("h2", { class: "section-title" }, t("campaign.compare.title")),
      comparisonTable(r.comparison ?? null, r.campaigns),
      rated(r, id) && chartBox("campaigns", id, { alt: t("campaign.chart.campaigns"), testid: "campaign-chart-campaigns", height: 280 }),
      h("h2", { class: "section-title" }, t("campaign.recipients.title")),
      recipientsTable(id),
    ),
  );
}

/**
 * True when this campaign or one before it has a known hard rate: the rates and comparison
 * charts draw those campaigns (rebound::chart rate_rows) and would otherwise say "no data".
 */
function rated(r: Report, id: number): boolean {
  const end = r.campaigns.map((c) => c.campaign_id).lastIndexOf(id);
  return r.campaigns.slice(0, end + 1).some((c) => c.campaign_id !== null && c.rates.hard !== null);
}

function ratesNote(testid: string): HTMLElement {
  return h("p", { class: "card muted", testid }, t("campaign.chart.ratesNeedSent"));
}

function backButton(back: () => void): HTMLElement {
  return h("button", { type: "button", class: "btn btn-link back-btn", testid: "campaign-back", onclick: back }, `← ${t("campaign.back")}`);
}

function header(s: Summary, back: () => void): HTMLElement {
  const dates =
    s.first_event != null && s.last_event != null ? t("campaign.dates", { from: fmtDateTime(s.first_event), to: fmtDateTime(s.last_event) }) : null;
  const facts = [s.campaign_key && s.campaign_key !== s.campaign_name ? s.campaign_key : null, s.channel, dates].filter((x): x is string => !!x);
  return h(
    "header",
    { class: "page-header campaign-header" },
    h(
      "div",
      {},
      backButton(back),
      h("h1", { class: "page-title", testid: "campaign-title", tabindex: "-1" }, campaignName(s)),
      h("p", { class: "page-subtitle", testid: "campaign-facts" }, facts.join(" · ")),
    ),
  );
}

/** The sent count: a prompt when it is unknown, a small "change" when the user typed it. */
function sentPanel(s: Summary, id: number, reload: () => void): HTMLElement | null {
  const unknown = s.sent === null;
  const input = h("input", {
    type: "number",
    min: "0",
    step: "1",
    inputmode: "numeric",
    class: "input sent-input",
    testid: "sent-input",
    "aria-label": t("campaign.sent.label"),
    value: s.sent ?? undefined,
  });
  const msg = h("p", { class: "field-error", testid: "sent-error", role: "alert" });
  const save = async () => {
    const raw = input.value.trim();
    const n = Number(raw);
    if (raw === "" || !Number.isInteger(n) || n < 0) {
      msg.textContent = t("campaign.sent.invalid");
      input.focus();
      return;
    }
    try {
      await api.setCampaignSent(id, n);
      toast(t("campaign.sent.saved"));
      reload();
    } catch (e) {
      msg.textContent = errorText(e as ApiError);
    }
  };
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") void save();
  });
  const form = h(
    "div",
    { class: "sent-form", testid: "sent-form" },
    h("label", { class: "sent-label" }, t("campaign.sent.label"), input),
    h("button", { type: "button", class: "btn btn-primary", testid: "sent-save", onclick: () => void save() }, t("campaign.sent.save")),
    msg,
  );
  if (unknown) {
    return h(
      "section",
      { class: "card notice-card", testid: "sent-unknown" },
      h("h2", { class: "card-title" }, t("campaign.sent.unknownTitle")),
      h("p", {}, t("campaign.sent.unknownBody")),
      form,
    );
  }
  // A count from a report or typed in earlier can still be corrected.
  const details = h("details", { class: "sent-edit", testid: "sent-edit" }, h("summary", { testid: "sent-edit-toggle" }, t("campaign.sent.change")), form);
  return details;
}

const LOWER_IS_BETTER = new Set(["hard", "soft", "block", "bounce", "complaint", "unsubscribe", "deferred"]);

function comparisonTable(c: Comparison | null, all: Summary[]): HTMLElement {
  if (!c || c.previous.length === 0) return h("p", { class: "muted", testid: "compare-none" }, t("campaign.compare.none"));
  const names = c.previous.map((pid) => {
    const row = all.find((s) => s.campaign_id === pid);
    return row ? campaignName(row) : String(pid);
  });
  const deltaCell = (metric: string, d: number | null, i: number) => {
    if (d === null) return h("td", { class: "num muted", testid: `compare-${i}-delta` }, t("dash.unknown"));
    const pts = fmtNumber(d * 100, { signDisplay: "exceptZero", maximumFractionDigits: 2, minimumFractionDigits: 1 });
    const worse = LOWER_IS_BETTER.has(metric) ? d > 0 : d < 0;
    const word = Math.abs(d) < 1e-9 ? t("campaign.compare.same") : worse ? t("campaign.compare.worse") : t("campaign.compare.better");
    const cls = Math.abs(d) < 1e-9 ? "delta-same" : worse ? "delta-worse" : "delta-better";
    return h("td", { class: `num ${cls}`, testid: `compare-${i}-delta` }, t("campaign.compare.points", { value: pts }), h("span", { class: "delta-word" }, ` (${word})`));
  };
  const rows = c.deltas.filter((d) => d.metric !== "delivered" || d.current !== null);
  return h(
    "div",
    { class: "card table-wrap", testid: "compare" },
    h("p", { class: "muted small", testid: "compare-with" }, t("campaign.compare.with", { names: names.join(", ") })),
    h(
      "table",
      { class: "table", testid: "compare-table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, t("campaign.compare.metric")),
          h("th", { scope: "col", class: "num" }, t("campaign.compare.current")),
          h("th", { scope: "col", class: "num" }, t("campaign.compare.previous")),
          h("th", { scope: "col", class: "num" }, t("campaign.compare.delta")),
        ),
      ),
      h(
        "tbody",
        {},
        ...rows.map((d, i) =>
          h(
            "tr",
            { testid: `compare-${i}`, "data-metric": d.metric },
            h("td", {}, t(`campaign.rate.${d.metric}`)),
            h("td", { class: "num", testid: `compare-${i}-current` }, fmtRate(d.current)),
            h("td", { class: "num", testid: `compare-${i}-previous` }, fmtRate(d.previous)),
            deltaCell(d.metric, d.delta, i),
          ),
        ),
      ),
    ),
  );
}

/** The campaign's bounced recipients, RECIPIENTS_PAGE at a time, with previous / next. */
function recipientsTable(id: number): HTMLElement {
  const box = h("div", { class: "card table-wrap", testid: "recipients" }, h("p", { class: "muted" }, t("common.loading")));
  const load = async (offset: number, focus?: string) => {
    let page: RecipientsPage;
    try {
      page = await api.campaignRecipients(id, offset, RECIPIENTS_PAGE);
    } catch (e) {
      replace(box, errorBox(e as ApiError, () => void load(offset)));
      return;
    }
    if (page.total === 0) {
      replace(box, h("p", { class: "muted", testid: "recipients-empty" }, t("campaign.recipients.empty")));
      return;
    }
    const last = Math.min(page.total, offset + page.rows.length);
    const prev = h("button", { type: "button", class: "btn btn-secondary", testid: "recipients-prev", disabled: offset === 0, onclick: () => void load(Math.max(0, offset - RECIPIENTS_PAGE), "recipients-prev") }, t("campaign.recipients.prev"));
    const next = h("button", { type: "button", class: "btn btn-secondary", testid: "recipients-next", disabled: last >= page.total, onclick: () => void load(offset + RECIPIENTS_PAGE, "recipients-next") }, t("campaign.recipients.next"));
    replace(
      box,
      h(
        "table",
        { class: "table", testid: "recipients-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, t("campaign.recipients.address")),
            h("th", { scope: "col" }, t("campaign.recipients.class")),
            h("th", { scope: "col" }, t("campaign.recipients.reason")),
            h("th", { scope: "col" }, t("campaign.recipients.last")),
            h("th", { scope: "col", class: "num" }, t("campaign.recipients.events")),
          ),
        ),
        h(
          "tbody",
          {},
          ...page.rows.map((rc, i) =>
            h(
              "tr",
              { testid: `recipient-${i}` },
              h("td", { class: "recipient", testid: `recipient-${i}-address` }, rc.recipient),
              h("td", {}, h("span", { class: `badge class-badge class-${rc.class}`, testid: `recipient-${i}-class` }, t(`campaign.class.${rc.class}`))),
              h("td", { testid: `recipient-${i}-reason` }, reasonName(rc.reason)),
              h("td", {}, rc.last_at === null ? t("dash.unknown") : fmtDateTime(rc.last_at)),
              h("td", { class: "num" }, fmtNumber(rc.events)),
            ),
          ),
        ),
      ),
      h(
        "div",
        { class: "pager" },
        prev,
        h("span", { class: "muted small", testid: "recipients-range", "aria-live": "polite" }, t("campaign.recipients.range", { from: fmtNumber(offset + 1), to: fmtNumber(last), total: fmtNumber(page.total) })),
        next,
      ),
    );
    if (focus) box.querySelector<HTMLElement>(`[data-testid="${focus}"]:not([disabled])`)?.focus();
  };
  void load(0);
  return box;
}
