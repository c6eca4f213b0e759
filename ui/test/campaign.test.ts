import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Report } from "../src/api";
import { App } from "../src/app";
import { catalogs, setLang } from "../src/i18n";
import { imports } from "../src/import-state";
import { svgFromText } from "../src/screens/report-view";
import { clickTestId, freshRoot, startOn } from "./app-harness";
import { byTestId, check, FakeBackend, REPORT, settle, summary } from "./fake-backend";

let fake: FakeBackend;
let root: HTMLElement;

const DATA = { imports: 1, events: 100, campaigns: 3, recipients: 90, by_class: [{ class: "hard", count: 62 }] };
const RATES0 = { delivered: null, hard: null, soft: null, block: null, bounce: null, complaint: null, unsubscribe: null, deferred: null };

const BREAKDOWNS: Pick<Report, "reasons" | "domains"> = {
  reasons: {
    dimension: "reason",
    rows: [
      { value: "user_unknown", counts: {}, total: 40, share: 0.8 },
      { value: "mailbox_full", counts: {}, total: 10, share: 0.2 },
    ],
    other: null,
    total: 50,
  },
  domains: {
    dimension: "domain",
    rows: [{ value: "gmail.com", counts: {}, total: 30, share: 0.6 }],
    other: { value: "other", counts: {}, total: 20, share: 0.4 },
    total: 50,
  },
};

const DASH_REPORT: Report = {
  ...REPORT,
  ...BREAKDOWNS,
  campaigns: [
    summary({ campaign_id: 1, campaign_key: "spring", campaign_name: "Spring sale", channel: "email", sent: 20000, rates: { ...RATES0, hard: 0.031, soft: 0.012 }, health: { level: "red", checks: [] } }),
    summary({ campaign_id: 2, campaign_key: "news-07", campaign_name: "July newsletter", channel: "email", sent: 5000, rates: { ...RATES0, hard: 0.004, soft: 0.02 }, health: { level: "ok", checks: [] } }),
    summary({ campaign_id: 3, campaign_key: "sms-1", campaign_name: null, channel: "sms", sent: null }),
  ],
};

/** Campaign 3 alone: no sent count, compared with two earlier campaigns. */
const ONE: Report = {
  ...DASH_REPORT,
  campaign: 3,
  total: summary({
    campaign_id: 3,
    campaign_key: "sms-1",
    channel: "sms",
    sent: null,
    recipients_affected: 77,
    first_event: 1_760_000_000,
    last_event: 1_760_086_400,
    health: { level: "unknown", checks: [check("hard_rate", "unknown", {})] },
  }),
  comparison: {
    campaign_id: 3,
    previous: [2, 1],
    deltas: [
      { metric: "hard", current: 0.03, previous: 0.02, delta: 0.01 },
      { metric: "soft", current: 0.01, previous: 0.02, delta: -0.01 },
      { metric: "complaint", current: null, previous: 0.001, delta: null },
    ],
  },
};

async function startApp(handlers: ConstructorParameters<typeof FakeBackend>[0] = {}): Promise<App> {
  fake = new FakeBackend({
    overview: () => DATA,
    report_summary: (a) => (a.campaign === null ? DASH_REPORT : ONE),
    ...handlers,
  });
  return startOn(root, fake);
}

const names = () => [...root.querySelectorAll('[data-testid^="campaign-row-"][data-testid$="-name"]')].map((e) => e.textContent);
const click = (id: string) => clickTestId(id, 8);

beforeEach(() => {
  root = freshRoot();
  delete document.documentElement.dataset.theme;
});

afterEach(() => imports.reset());

describe("dashboard campaigns table", () => {
  it("sorts by a column header, both ways, unknown rates last, with aria-sort", async () => {
    await startApp();
    expect(names()).toEqual(["Spring sale · email", "July newsletter · email", "sms-1 · sms"]);
    await click("campaigns-sort-hard");
    expect(names()).toEqual(["Spring sale · email", "July newsletter · email", "sms-1 · sms"]);
    expect(byTestId(root, "campaigns-sort-hard")?.closest("th")?.getAttribute("aria-sort")).toBe("descending");
    await click("campaigns-sort-hard");
    expect(names()).toEqual(["July newsletter · email", "Spring sale · email", "sms-1 · sms"]);
    expect(byTestId(root, "campaigns-sort-hard")?.closest("th")?.getAttribute("aria-sort")).toBe("ascending");
    await click("campaigns-sort-name");
    expect(names()).toEqual(["July newsletter · email", "sms-1 · sms", "Spring sale · email"]);
    // Sorting keeps the keyboard on the header that was used.
    expect(document.activeElement?.getAttribute("data-testid")).toBe("campaigns-sort-name");
    expect(byTestId(root, "campaigns-sort-name")?.tagName).toBe("BUTTON");
  });

  it("filters by name, key or channel and says how many are shown", async () => {
    await startApp();
    const search = byTestId(root, "campaigns-search") as HTMLInputElement;
    search.value = "SMS";
    search.dispatchEvent(new Event("input"));
    expect(names()).toEqual(["sms-1 · sms"]);
    expect(byTestId(root, "campaigns-count")?.textContent).toBe("1 of 3 campaigns");
    search.value = "nothing like it";
    search.dispatchEvent(new Event("input"));
    expect(byTestId(root, "campaigns-nomatch")?.textContent).toBe("No campaign matches your search.");
  });

  it("draws a sparkline per campaign from the sparklines command, a dash without one", async () => {
    await startApp();
    expect(fake.called("campaign_sparklines")[0].args).toEqual({ points: 60 });
    const spark = byTestId(root, "campaign-row-0-spark");
    expect(spark?.tagName).toBe("svg");
    expect(spark?.querySelector("polyline")?.getAttribute("points")?.split(" ").length).toBe(5);
    expect(spark?.getAttribute("aria-label")).toBe("8 bounces over 5 days");
    expect(byTestId(root, "campaign-row-1-spark")?.textContent).toBe("—");
  });

  it("shows top reasons by their names and top domains with the grouped rest", async () => {
    await startApp();
    expect(byTestId(root, "top-reasons-0-name")?.textContent).toBe("Address does not exist");
    expect(byTestId(root, "top-reasons-0-count")?.textContent).toBe("40");
    expect(byTestId(root, "top-domains-0-name")?.textContent).toBe("gmail.com");
    expect(byTestId(root, "top-domains-1-name")?.textContent).toBe("other");
  });

  it("a sparklines failure leaves the dashboard working", async () => {
    await startApp({
      campaign_sparklines: () => {
        throw { code: "database", message: "x" };
      },
    });
    expect(byTestId(root, "campaign-row-0-spark")?.textContent).toBe("—");
    expect(byTestId(root, "kpi-sent-value")?.textContent).toBe("20,000");
  });
});

describe("campaign view", () => {
  it("opens from a dashboard row with its report, charts, comparison and recipients", async () => {
    const app = await startApp();
    await click("campaign-row-2-open");
    await app.screen?.ready;
    await settle(8);
    expect(app.current).toBe("campaigns");
    expect(fake.called("report_summary").slice(-1)[0]?.args).toEqual({ campaign: 3 });
    expect(byTestId(root, "campaign-title")?.textContent).toBe("sms-1");
    expect(byTestId(root, "campaign-affected")?.textContent).toContain("77 recipients");
    const kinds = fake.called("chart_svg").filter((c) => c.args.campaign === 3).map((c) => c.args.kind).sort();
    expect(kinds).toEqual(["campaigns", "delay", "rates", "reasons", "trend"]);
    expect(byTestId(root, "campaign-chart-rates-svg")?.tagName).toBe("svg");
    expect(byTestId(root, "compare-with")?.textContent).toBe("Average of: July newsletter, Spring sale");
    expect(byTestId(root, "compare-0-delta")?.textContent).toBe("+1.0 pts (worse)");
    expect(byTestId(root, "compare-1-delta")?.textContent).toBe("-1.0 pts (better)");
    expect(byTestId(root, "compare-2-delta")?.textContent).toBe("unknown");
    expect(byTestId(root, "campaign-reasons-0-name")?.textContent).toBe("Address does not exist");
  });

  it("pages through the bounced recipients", async () => {
    const app = await startApp();
    await click("campaign-row-0-open");
    await app.screen?.ready;
    await settle(8);
    expect(fake.called("campaign_recipients")[0].args).toEqual({ campaign: 1, offset: 0, limit: 50 });
    expect(root.querySelectorAll('[data-testid^="recipient-"][data-testid$="-address"]').length).toBe(50);
    expect(byTestId(root, "recipients-range")?.textContent).toBe("1–50 of 120");
    expect((byTestId(root, "recipients-prev") as HTMLButtonElement).disabled).toBe(true);
    await click("recipients-next");
    await click("recipients-next");
    expect(byTestId(root, "recipients-range")?.textContent).toBe("101–120 of 120");
    expect(byTestId(root, "recipient-0-address")?.textContent).toBe("person100@example.com");
    expect(byTestId(root, "recipient-0-reason")?.textContent).toBe("Address does not exist");
    expect((byTestId(root, "recipients-next") as HTMLButtonElement).disabled).toBe(true);
    await click("recipients-prev");
    expect(byTestId(root, "recipients-range")?.textContent).toBe("51–100 of 120");
  });

  it("asks for the sent count when it is unknown, refuses a bad number, saves a good one and reloads", async () => {
    const app = await startApp();
    await click("campaign-row-2-open");
    await app.screen?.ready;
    await settle(8);
    expect(byTestId(root, "kpi-hard-rate-value")?.textContent).toBe("unknown");
    expect(byTestId(root, "sent-unknown")).not.toBeNull();
    const input = byTestId(root, "sent-input") as HTMLInputElement;
    input.value = "-3";
    await click("sent-save");
    expect(byTestId(root, "sent-error")?.textContent).toBe("Type a whole number, 0 or more.");
    expect(fake.called("set_campaign_sent")).toEqual([]);
    const before = fake.called("report_summary").length;
    (byTestId(root, "sent-input") as HTMLInputElement).value = "12000";
    await click("sent-save");
    expect(fake.called("set_campaign_sent")).toEqual([{ cmd: "set_campaign_sent", args: { campaign: 3, sent: 12000 } }]);
    expect(fake.called("report_summary").length).toBe(before + 1);
  });

  it("shows a save error as words, not a code", async () => {
    const app = await startApp({
      set_campaign_sent: () => {
        throw { code: "locked", message: "database is locked" };
      },
    });
    await click("campaign-row-2-open");
    await app.screen?.ready;
    await settle(8);
    (byTestId(root, "sent-input") as HTMLInputElement).value = "10";
    await click("sent-save");
    expect(byTestId(root, "sent-error")?.textContent).toBe(catalogs.en["error.locked"]);
  });

  it("the Campaigns nav shows the list; a row opens one; back returns to the list", async () => {
    const app = await startApp();
    app.go("campaigns");
    await app.screen?.ready;
    await settle(8);
    expect(byTestId(root, "campaign-list-card")).not.toBeNull();
    expect(byTestId(root, "later")).toBeNull();
    expect(byTestId(root, "campaign-list-rates-svg")?.tagName).toBe("svg");
    await click("campaign-row-1-open");
    expect(byTestId(root, "campaign-view")?.dataset.campaignId).toBe("2");
    await click("campaign-back");
    expect(byTestId(root, "campaign-list-card")).not.toBeNull();
  });
});

describe("health sentences", () => {
  it("show the library's percentages in the language's number format", async () => {
    setLang("es");
    await startApp({ get_settings: () => ({ "ui.language": "es" }) });
    expect(byTestId(root, "kpi-hard-rate-text")?.textContent).toBe("La tasa de rebote duro es 3,1\u00a0%, por encima de la línea de peligro de 2,0\u00a0%.");
  });
});

describe("charts", () => {
  it("send the chart text in the window's language, reason names included", async () => {
    setLang("es");
    await startApp({ get_settings: () => ({ "ui.language": "es" }) });
    const labels = fake.called("chart_svg")[0].args.labels as Record<string, string>;
    expect(labels["chart.trend.per_day"]).toBe("Rebotes por día");
    expect(labels["chart.hard"]).toBe("Duro");
    expect(labels["reason.user_unknown"]).toBe("La dirección no existe");
    expect(byTestId(root, "trend-chart-svg")?.dataset.lang).toBe("es");
  });

  it("are asked again in the dark palette when the theme changes", async () => {
    await startApp();
    expect(fake.called("chart_svg").map((c) => c.args.theme)).toEqual(["light"]);
    document.documentElement.dataset.theme = "dark";
    await settle(8);
    expect(fake.called("chart_svg").map((c) => c.args.theme)).toEqual(["light", "dark"]);
  });

  it("keep only drawing elements and presentation attributes from the SVG", () => {
    const evil = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10" onload="window.__pwned=1">
      <script>window.__pwned=1</script><style>*{}</style>
      <a href="javascript:window.__pwned=1"><rect width="5" height="5"/></a>
      <foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="window.__pwned=1"/></div></foreignObject>
      <image href="http://example.com/x.png"/><use xlink:href="#a"/>
      <rect x="1" y="2" width="3" height="4" fill="url(http://example.com/#x)" stroke="#123456" onclick="window.__pwned=1"/>
      <text x="1" y="9" font-size="10">&lt;b&gt;Spring&lt;/b&gt;</text></svg>`;
    const svg = svgFromText(evil);
    expect(svg).not.toBeNull();
    root.appendChild(svg!);
    expect(svg!.getAttribute("onload")).toBeNull();
    expect([...svg!.querySelectorAll("*")].map((e) => e.localName)).toEqual(["rect", "text"]);
    const rect = svg!.querySelector("rect")!;
    expect(rect.getAttribute("onclick")).toBeNull();
    expect(rect.getAttribute("fill")).toBeNull();
    expect(rect.getAttribute("stroke")).toBe("#123456");
    expect(svg!.querySelector("text")?.textContent).toBe("<b>Spring</b>");
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    expect(svgFromText("<html><body>not svg</body></html>")).toBeNull();
    expect(svgFromText("<svg")).toBeNull();
  });

  it("the window translates every chart text key the Rust renderer draws", () => {
    const rust = readFileSync(join(__dirname, "../../src/chart/mod.rs"), "utf8");
    const table = rust.slice(rust.indexOf("pub const LABELS"), rust.indexOf("];", rust.indexOf("pub const LABELS")));
    const keys = [...table.matchAll(/"(chart\.[\w.]+)"/g)].map((m) => m[1]).sort();
    expect(keys.length).toBeGreaterThan(25);
    const ui = Object.keys(catalogs.en).filter((k) => k.startsWith("chart.") && !k.startsWith("chart.reason.")).sort();
    expect(ui).toEqual(keys);
    const model = readFileSync(join(__dirname, "../../src/model.rs"), "utf8");
    const reasonsBlock = model.slice(model.indexOf("str_enum!(Reason"), model.indexOf("});", model.indexOf("str_enum!(Reason")));
    const reasons = [...reasonsBlock.matchAll(/=> "(\w+)"/g)].map((m) => `chart.reason.${m[1]}`).sort();
    expect(Object.keys(catalogs.en).filter((k) => k.startsWith("chart.reason.")).sort()).toEqual(reasons);
  });
});
