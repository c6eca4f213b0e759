// Dashboard and campaigns over the demo data: the numbers on screen are the library's
// report (the `rebound` CLI reads the same file), the campaigns table sorts and filters,
// a campaign opens with its charts, comparison and recipients, a typed-in sent count
// makes its rates known, charts follow the language and the theme.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const DEMO = join(ROOT, "assets/demo");
const CLI = join(ROOT, "target/release/rebound");

/** The library's report, through the CLI on the app's own database (WAL lets both read). */
function cliReport(db, campaign) {
  if (!existsSync(CLI)) execFileSync("cargo", ["build", "--release", "--bin", "rebound"], { cwd: ROOT, stdio: "inherit" });
  const args = ["--db", db, "report", "--format", "json", ...(campaign ? ["--campaign", String(campaign)] : [])];
  return JSON.parse(execFileSync(CLI, args, { encoding: "utf8", maxBuffer: 64 << 20 }));
}

/** ui/src/screens/report-view.ts fmtRate, in English. */
function fmtRate(r) {
  if (r === null || r === undefined) return "unknown";
  const max = r !== 0 && Math.abs(r) < 0.001 ? 2 : 1;
  return new Intl.NumberFormat("en", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: max }).format(r);
}
const fmtInt = (n) => new Intl.NumberFormat("en").format(n);



export default async function ({ wd, opt, $, check, assert, shot, textOf, waitForText, go, invoke, sleep }) {
  const expected = JSON.parse(readFileSync(join(DEMO, "expected.json"), "utf8"));
  const files = expected.import_files.map((f) => join(DEMO, f));
  const texts = (css) => wd.execute("return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent)", [css]);
  let report = null;
  // Choosing an option redraws the whole window, so WebKitWebDriver's click on it can report a
  // stale element after it worked; the select's change event is what the user's choice fires.
  const setLanguage = async (code) => {
    await go("settings");
    await wd.waitFor($("settings-language"));
    await wd.execute("const s = document.querySelector('[data-testid=settings-language]'); s.value = arguments[0]; s.dispatchEvent(new Event('change'))", [code]);
  };
  let summer = null;

  await check("the demo files import (or were imported already)", async () => {
    // Opening the data file first: on a brand-new file, an import racing the window's first
    // open can fail (spec 10 normally opens it; this spec may run alone).
    await invoke("overview");
    const res = await invoke("import_files", { paths: files });
    assert(res.ok, `import_files failed: ${JSON.stringify(res.error)}`);
    const names = expected.import_files.map((f) => f.split("/").pop());
    for (let i = 0; i < 200; i++) {
      const list = await invoke("list_imports");
      if (process.env.E2E_DEBUG) console.log("    list_imports", JSON.stringify(list).slice(0, 300), JSON.stringify(await invoke("overview")));
      const have = new Set((list.value || []).map((r) => r.file_name));
      if (names.every((n) => have.has(n))) break;
      await sleep(250);
    }
    await go("import");
    for (let i = 0; i < 200 && (await wd.findAll($("import-progress"))).length > 0; i++) await sleep(250);
    const list = await invoke("list_imports");
    const have = new Set((list.value || []).map((r) => r.file_name));
    const err = await wd.execute("const b = document.querySelector('[data-testid=error-box]'); return b ? b.textContent : ''");
    assert(names.every((n) => have.has(n)), `imports: ${[...have].join(", ")} ${err}`);
  });

  await check("dashboard KPI cards and campaigns table show the library's report", async () => {
    report = cliReport(opt.db);
    await go("dashboard");
    await wd.waitFor($("campaigns-card"), 20_000);
    const t = report.total;
    const kpi = async (id) => (await textOf($(`${id}-value`))).trim();
    assert((await kpi("kpi-sent")) === (t.sent === null ? "unknown" : fmtInt(t.sent)), `sent ${await kpi("kpi-sent")} vs ${t.sent}`);
    assert((await kpi("kpi-hard-rate")) === fmtRate(t.rates.hard), `hard ${await kpi("kpi-hard-rate")} vs ${t.rates.hard}`);
    assert((await kpi("kpi-soft-rate")) === fmtRate(t.rates.soft), `soft ${await kpi("kpi-soft-rate")} vs ${t.rates.soft}`);
    assert((await kpi("kpi-block-share")) === fmtRate(t.block_share), `block share vs ${t.block_share}`);
    assert((await kpi("kpi-complaint-rate")) === fmtRate(t.rates.complaint), `complaint vs ${t.rates.complaint}`);
    const level = await wd.execute("return document.querySelector('[data-testid=kpi-hard-rate]').dataset.level");
    assert(level === t.health.checks.find((c) => c.metric === "hard_rate").level, `hard level ${level}`);
    const sent = await texts('[data-testid^="campaign-row-"][data-testid$="-sent"]');
    assert(sent.length === report.campaigns.length, `${sent.length} rows, report has ${report.campaigns.length}`);
    report.campaigns.forEach((c, i) => {
      const want = c.sent === null ? "unknown" : fmtInt(c.sent);
      assert(sent[i] === want, `row ${i} sent ${sent[i]} vs ${want}`);
    });
    const hard = await texts('[data-testid^="campaign-row-"][data-testid$="-hard"]');
    report.campaigns.forEach((c, i) => assert(hard[i] === fmtRate(c.rates.hard), `row ${i} hard ${hard[i]} vs ${c.rates.hard}`));
    const top = report.reasons.rows[0];
    assert((await textOf($("top-reasons-0-count"))) === fmtInt(top.total), `top reason count vs ${top.total}`);
    const dom = await wd.execute("return document.querySelector('[data-testid=top-domains-0-name]').textContent");
    assert(dom === (report.domains.rows[0].value || "unknown"), `top domain ${dom} vs ${JSON.stringify(report.domains.rows[0])}`);
    const sparks = await wd.execute("return document.querySelectorAll('svg.sparkline polyline, svg.sparkline circle').length");
    assert(sparks >= report.campaigns.filter((c) => c.campaign_id !== null && c.counts.hard + c.counts.soft + c.counts.block > 0).length - 1, `only ${sparks} sparklines`);
    const chartText = await wd.execute("const s = document.querySelector('[data-testid=trend-chart-svg]'); return s ? s.textContent : ''");
    assert(chartText.includes("Bounces per"), `trend chart text: ${chartText.slice(0, 80)}`);
    await shot("40-dashboard-light");
    await wd.execute("document.querySelector('[data-testid=campaigns-card]').scrollIntoView()");
    await shot("41-dashboard-campaigns-light");
  });

  await check("the campaigns table sorts by mouse and keyboard and filters by search", async () => {
    const pct = (s) => (s === "unknown" ? null : Number(s.replace(/[%,]/g, "")));
    await wd.click(await wd.waitFor($("campaigns-sort-hard")));
    let hard = (await texts('[data-testid^="campaign-row-"][data-testid$="-hard"]')).map(pct);
    const known = hard.filter((x) => x !== null);
    assert(known.every((v, i) => i === 0 || known[i - 1] >= v), `not descending: ${hard}`);
    assert(hard.indexOf(null) === -1 || hard.slice(hard.indexOf(null)).every((x) => x === null), `unknown not last: ${hard}`);
    await wd.execute("document.querySelector('[data-testid=campaigns-sort-name]').focus()");
    await wd.keys("\uE007");
    const sort = await wd.execute("return document.querySelector('[data-testid=campaigns-sort-name]').closest('th').getAttribute('aria-sort')");
    assert(sort === "ascending", `Enter on the name header: aria-sort ${sort}`);
    const names = (await texts('[data-testid^="campaign-row-"][data-testid$="-name"]')).map((n) => n.split(" · ")[0]);
    const sorted = [...names].sort((a, b) => a.toLocaleLowerCase().localeCompare(b.toLocaleLowerCase()));
    assert(JSON.stringify(names) === JSON.stringify(sorted), `names not sorted: ${names}`);
    const search = await wd.find($("campaigns-search"));
    await wd.click(search);
    await wd.keys(..."newsletter");
    await sleep(200);
    const shown = await texts('[data-testid^="campaign-row-"][data-testid$="-name"]');
    const want = report.campaigns.filter((c) => [c.campaign_name, c.campaign_key, c.channel].some((v) => v && v.toLowerCase().includes("newsletter")));
    assert(shown.length === want.length && shown.length > 0, `search shows ${shown.length}, expected ${want.length}`);
    const wantNames = want.map((c) => `${c.campaign_name ?? c.campaign_key} · ${c.channel}`);
    assert(shown.every((n) => wantNames.includes(n)), `search rows: ${shown} vs ${wantNames}`);
    await waitForText($("campaigns-count"), `${want.length} of ${report.campaigns.length} campaigns`);
    await shot("42-dashboard-sorted-searched-light");
  });

  await check("a campaign opens from the dashboard with its charts and recipients", async () => {
    summer = report.campaigns.find((c) => c.campaign_key === "summer-sale-2026-07");
    assert(summer, "the demo's Summer Sale is in the report");
    await go("dashboard");
    const search = await wd.waitFor($("campaigns-search"));
    await wd.click(search);
    await wd.keys(..."summer-sale");
    await sleep(200);
    await wd.click(await wd.waitFor($("campaign-row-0-open")));
    await waitForText($("campaign-title"), summer.campaign_name ?? summer.campaign_key);
    const one = cliReport(opt.db, summer.campaign_id);
    assert((await textOf($("kpi-sent-value"))) === "unknown", "a mailbox campaign's sent count is unknown");
    assert((await textOf($("kpi-block-share-value"))) === fmtRate(one.total.block_share), "block share vs the library");
    await wd.waitFor($("sent-unknown"));
    for (const kind of ["trend", "delay", "reasons"]) await wd.waitFor($(`campaign-chart-${kind}-svg`), 20_000);
    // Nothing before it has a sent count: instead of an empty rates chart, the window says why.
    await waitForText($("campaign-rates-note"), "needs the number of messages sent");
    const delay = await wd.execute("return document.querySelector('[data-testid=campaign-chart-delay-svg]').textContent");
    assert(delay.includes("Time from sending to bounce"), "delay chart title");
    const rec = await textOf($("recipients-range"));
    const total = one.total.recipients_affected;
    assert(rec === `1–${Math.min(50, total)} of ${fmtInt(total)}`, `recipients ${rec}, the library counts ${total} affected`);
    await wd.click(await wd.find($("recipients-next")));
    await waitForText($("recipients-range"), `51–`);
    const first = await textOf($("recipient-0-address"));
    assert(first.includes("@"), `recipient ${first}`);
    await wd.execute("document.querySelector('[data-testid=main]').scrollTo(0, 0); window.scrollTo(0, 0)");
    await shot("43-campaign-light");
    await wd.execute("document.querySelector('[data-testid=campaign-chart-delay]').scrollIntoView()");
    await shot("44-campaign-charts-light");
    await wd.execute("document.querySelector('[data-testid=compare-table], [data-testid=compare-none]').scrollIntoView()");
    await shot("45-campaign-compare-light");
    await wd.execute("document.querySelector('[data-testid=recipients]').scrollIntoView()");
    await shot("46-campaign-recipients-light");
  });

  await check("typing the sent count makes the campaign's rates known, as the library computes them", async () => {
    await wd.execute("document.querySelector('[data-testid=sent-unknown]').scrollIntoView()");
    await wd.click(await wd.find($("sent-input")));
    await wd.keys(..."2009");
    await wd.click(await wd.find($("sent-save")));
    await waitForText($("kpi-sent-value"), "2,009");
    const one = cliReport(opt.db, summer.campaign_id);
    assert(one.total.sent === 2009, `the library reads sent ${one.total.sent}`);
    await waitForText($("kpi-hard-rate-value"), fmtRate(one.total.rates.hard));
    for (const kind of ["rates", "campaigns"]) await wd.waitFor($(`campaign-chart-${kind}-svg`), 20_000);
    const rates = await wd.execute("return document.querySelector('[data-testid=campaign-chart-rates-svg]').textContent");
    assert(rates.includes("hard red >") && rates.includes("hard amber >"), "the rates chart draws the threshold bands");
    const text = await textOf($("kpi-hard-rate-text"));
    assert(text.length > 20 && !text.includes("health."), `health sentence: ${text}`);
    // Its earlier campaigns (Mailchimp exports) have no sent count: nothing to compare with, said so.
    const cmp = await wd.waitFor(`${$("compare-table")}, ${$("compare-none")}`);
    assert((await wd.text(cmp)).length > 10, "comparison says something");
    await shot("47-campaign-sent-known-light");
    await wd.execute("document.querySelector('[data-testid=campaign-chart-rates]').scrollIntoView()");
    await shot("47b-campaign-rates-light");
  });

  await check("charts follow the dark theme and are redrawn in its palette", async () => {
    const fill = () => wd.execute("const r = document.querySelector('[data-testid=campaign-chart-trend-svg] rect'); return r && r.getAttribute('fill')");
    const light = await fill();
    await wd.execute("document.documentElement.dataset.theme = 'dark'");
    for (let i = 0; i < 40 && (await fill()) === light; i++) await sleep(150);
    const dark = await fill();
    assert(dark && dark !== light, `chart background stayed ${light}`);
    await wd.execute("document.querySelector('[data-testid=main]').scrollTo(0, 0); window.scrollTo(0, 0)");
    await shot("48-campaign-dark");
    await wd.execute("document.querySelector('[data-testid=campaign-chart-rates]').scrollIntoView()");
    await shot("49-campaign-charts-dark");
    await go("dashboard");
    await wd.waitFor($("trend-chart-svg"), 20_000);
    await shot("50-dashboard-dark");
    await wd.execute("document.querySelector('[data-testid=campaigns-card]').scrollIntoView()");
    await shot("51-dashboard-campaigns-dark");
    await wd.execute("delete document.documentElement.dataset.theme");
  });

  await check("chart text follows the window's language", async () => {
    await setLanguage("es");
    await waitForText($("nav-dashboard"), "Panel");
    await go("dashboard");
    await wd.waitFor($("trend-chart-svg"), 20_000);
    let svgText = "";
    for (let i = 0; i < 40; i++) {
      svgText = await wd.execute("const s = document.querySelector('[data-testid=trend-chart-svg]'); return s ? s.textContent : ''");
      if (svgText.includes("Rebotes por")) break;
      await sleep(150);
    }
    assert(svgText.includes("Rebotes por"), `Spanish chart title missing: ${svgText.slice(0, 80)}`);
    await waitForText($("top-reasons"), "Principales motivos");
    await shot("52-dashboard-es");
    await setLanguage("en");
    await waitForText($("nav-dashboard"), "Dashboard");
  });

  await check("the Campaigns screen lists campaigns; back returns to it; end on the dashboard", async () => {
    await go("campaigns");
    await wd.waitFor($("campaign-list-card"));
    const rows = await texts('[data-testid^="campaign-row-"][data-testid$="-name"]');
    assert(rows.length === report.campaigns.filter((c) => c.campaign_id !== null).length, `list has ${rows.length} rows`);
    await wd.waitFor($("campaign-list-rates-svg"), 20_000);
    await shot("53-campaigns-list-light");
    await wd.click(await wd.find($("campaign-row-0-open")));
    await wd.waitFor($("campaign-title"));
    await wd.click(await wd.waitFor($("campaign-back")));
    await wd.waitFor($("campaign-list-card"));
    // Leave the data as the demo had it for the specs after this one.
    const cleared = await invoke("set_campaign_sent", { campaign: summer.campaign_id, sent: null });
    assert(cleared.ok, `clearing the typed-in count: ${JSON.stringify(cleared.error)}`);
    await go("dashboard");
    await wd.waitFor($("campaigns-card"), 20_000);
  });
}
