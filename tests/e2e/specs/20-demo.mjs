// First launch: the welcome, "Explore demo data" in a database of its own whose
// dashboard numbers equal the library's report, and back to the user's data.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fmtInt, fmtRate, report, withTheme } from "../lib-cli.mjs";

export default async function ({ wd, opt, $, check, assert, shot, textOf, waitForText, go, invoke }) {
  const demoDb = join(dirname(opt.db), "demo.sqlite");
  const status = await invoke("app_status");
  const fresh = status.ok && !status.value.has_data;

  await check("welcome shows Import files, Explore demo data and the data location", async () => {
    await go("dashboard");
    if (!fresh) {
      console.log("  note: an earlier spec imported data, so the welcome is not shown; its checks are skipped");
      return;
    }
    await wd.waitFor($("screen-welcome"));
    assert((await textOf($("empty-import-files"))) === "Import files", "no Import files button");
    assert((await textOf($("welcome-demo"))) === "Explore demo data", "no Explore demo data button");
    await waitForText($("data-location-path"), opt.db);
    await shot("20-welcome-light");
    await withTheme(wd, "dark", () => shot("20-welcome-dark"));
  });

  await check("Explore demo data: a banner, and the dashboard equals the library's report on the demo file", async () => {
    if (fresh) {
      await wd.click(await wd.waitFor($("welcome-demo")));
    } else {
      const res = await invoke("open_demo");
      assert(res.ok, `open_demo: ${JSON.stringify(res.error)}`);
      await go("settings");
      await go("dashboard");
    }
    await waitForText($("demo-banner-text"), "You are looking at demo data", 60_000);
    assert((await textOf($("demo-back"))) === "Back to my data", "no Back to my data button");
    assert(existsSync(demoDb), `${demoDb} was not built`);
    const lib = report(demoDb).total;
    const sent = await waitForText($("kpi-sent-value"), fmtInt(lib.sent), 30_000);
    assert(sent === fmtInt(lib.sent), `sent: window ${sent}, library ${lib.sent}`);
    const hard = await textOf($("kpi-hard-rate-value"));
    assert(hard === fmtRate(lib.rates.hard), `hard rate: window ${hard}, library ${fmtRate(lib.rates.hard)}`);
    const complaint = await textOf($("kpi-complaint-rate-value"));
    assert(complaint === fmtRate(lib.rates.complaint), `complaint rate: window ${complaint}, library ${fmtRate(lib.rates.complaint)}`);
    const level = await wd.execute(`return document.querySelector('[data-testid="kpi-hard-rate"]').dataset.level`);
    assert(level === lib.health.checks.find((c) => c.metric === "hard_rate")?.level, `hard rate level ${level}`);
    console.log(`  demo: sent ${lib.sent}, hard ${fmtRate(lib.rates.hard)}, complaint ${fmtRate(lib.rates.complaint)} in window and library`);
    await wd.waitFor($("trend-chart-svg"), 30_000);
    await shot("21-demo-dashboard-light");
    // Redraw inside the forced theme so the chart is drawn with the dark palette too.
    await withTheme(wd, "dark", async () => {
      await go("settings");
      await go("dashboard");
      await wd.waitFor($("trend-chart-svg"), 30_000);
      await shot("21-demo-dashboard-dark");
    });
  });

  await check("the user's own file got nothing from the demo", async () => {
    const own = report(opt.db).total;
    assert(!own.counts || Object.values(own.counts).every((n) => n === 0) || !fresh, `user's database has events: ${JSON.stringify(own.counts)}`);
  });

  await check("Back to my data leaves the demo", async () => {
    await wd.click(await wd.waitFor($("demo-back")));
    await wd.waitFor($("screen-dashboard"));
    const hidden = await wd.execute(`return document.querySelector('[data-testid="demo-banner"]').hidden`);
    assert(hidden === true, "the demo banner is still shown");
    const st = await invoke("app_status");
    assert(st.ok && st.value.demo === false && st.value.db_path === opt.db, `app_status after back: ${JSON.stringify(st)}`);
    if (fresh) await wd.waitFor($("screen-welcome"));
    await go("dashboard");
  });
}
