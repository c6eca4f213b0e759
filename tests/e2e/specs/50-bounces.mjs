// The bounce explorer: demo data plus a hostile bounce, the virtual table, a class
// filter, the search box, "why?" with rule/evidence/diagnostic, hostile text shown as
// text (nothing runs), keyboard (Enter opens, Escape closes and focus returns), both themes.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const FILES = [
  "assets/demo/mailbox/bounces.mbox",
  "assets/demo/sendgrid/events.jsonl",
  "assets/demo/sms/twilio-messages.csv",
  "tests/fixtures/explore/hostile-why.eml",
].map((f) => join(ROOT, f));
const PAYLOAD = "<script>window.__pwned=1</script>";

export default async function ({ wd, $, check, assert, shot, textOf, waitForText, go, invoke, sleep }) {
  const noInjection = async (where) => {
    const [imgs, pwned, scripts] = await wd.execute(
      "return [document.querySelectorAll('img[src=x]').length, window.__pwned === undefined, [...document.scripts].filter(s => s.textContent.includes('__pwned')).length]",
    );
    assert(imgs === 0 && pwned === true && scripts === 0, `${where}: injected markup (img ${imgs}, pwned ${!pwned}, scripts ${scripts})`);
  };
  // Options are rebuilt with fresh counts after every change: retry a click that lands on an old one.
  const pickClass = async (value) => {
    for (let i = 0; ; i++) {
      try {
        await wd.click(await wd.waitFor(`${$("bounces-filter-class")} option[value="${value}"]`));
        return;
      } catch (e) {
        if (i >= 4) throw e;
        await sleep(300);
      }
    }
  };
  const cellTexts = (id) => wd.execute(`return [...document.querySelectorAll('${$(id)}')].map(e => e.textContent)`);
  const count = async () => Number((await textOf($("bounces-count"))).replace(/\D/g, ""));

  await check("bounces: demo data and the hostile bounce import", async () => {
    // The window's read connection first (the dashboard opens it at launch): a new
    // database opened by two connections at once can race in its first migration.
    await waitForText($("nav-dashboard"), "Dashboard", 20_000);
    const ov = await invoke("overview");
    assert(ov.ok, `overview failed: ${JSON.stringify(ov.error)}`);
    const res = await invoke("import_files", { paths: FILES });
    assert(res.ok, `import_files failed: ${JSON.stringify(res.error)}`);
    // The hostile file is last: once it is searchable, every file is in.
    const until = Date.now() + 60_000;
    let n = 0;
    while (Date.now() < until) {
      const r = await invoke("explore_count", { filter: { search: "hostile.victim" } });
      n = r.ok ? r.value : 0;
      if (n > 0) break;
      await sleep(300);
    }
    assert(n === 1, `hostile bounce not found after import (${n})`);
  });

  await check("bounces: the table shows rows and the total", async () => {
    await go("bounces");
    await wd.click(await wd.waitFor($("bounces-clear"))).catch(() => undefined);
    await waitForText($("bounces-count"), "Matching rows", 20_000);
    const total = await count();
    const lib = await invoke("explore_count", { filter: {} });
    assert(lib.ok && total === lib.value, `count ${total} differs from explore_count ${JSON.stringify(lib)}`);
    assert(total > 100, `expected the demo's bounces, saw ${total}`);
    await wd.waitFor($("bounces-row"));
    const rows = await wd.findAll($("bounces-row"));
    assert(rows.length > 5 && rows.length < 60, `virtual table rendered ${rows.length} rows of ${total}`);
    await shot("50-bounces-light");
  });

  await check("bounces: filter by class", async () => {
    const before = await count();
    await pickClass("hard");
    const until = Date.now() + 10_000;
    while ((await count()) === before && Date.now() < until) await sleep(150);
    const hard = await count();
    assert(hard > 0 && hard < before, `hard filter gave ${hard} of ${before}`);
    const lib = await invoke("explore_count", { filter: { classes: ["hard"] } });
    assert(lib.ok && lib.value === hard, `hard count ${hard} vs library ${JSON.stringify(lib)}`);
    await sleep(300);
    const classes = await cellTexts("bounces-cell-class");
    assert(classes.length > 0 && classes.every((c) => c === "Hard bounces"), `rows not all hard: ${classes.slice(0, 5)}`);
  });

  await check("bounces: search finds the hostile bounce", async () => {
    await wd.click(await wd.waitFor($("bounces-search")));
    await wd.keys(..."hostile.victim".split(""));
    await waitForText($("bounces-count"), "Matching rows: 1", 10_000);
    await sleep(300);
    const recipients = await cellTexts("bounces-cell-recipient");
    assert(recipients.length === 1 && recipients[0] === "hostile.victim@example.com", `rows: ${recipients}`);
    await noInjection("table");
  });

  await check("bounces: why? shows the rule, evidence and the payloads as text", async () => {
    await wd.click(await wd.waitFor($("bounces-row")));
    await waitForText($("why-rule"), "user_unknown");
    assert((await textOf($("why-evidence"))).length > 0, "no evidence");
    assert((await textOf($("why-reason"))) === "Mailbox does not exist", "reason not in plain words");
    const diag = await textOf($("why-diagnostic"));
    assert(diag.includes(PAYLOAD) && diag.includes('<img src=x onerror="window.__pwned=1">'), `diagnostic not shown as text: ${diag}`);
    assert((await textOf($("why-subject"))).includes(PAYLOAD), "subject payload not shown as text");
    assert((await textOf($("why-status"))) === "5.1.1", "status");
    assert((await textOf($("why-remote-mta"))).includes("mx.example.com"), "remote MTA");
    assert((await textOf($("why-source-file"))).includes("hostile-why.eml"), "source file");
    const kids = await wd.execute(`return document.querySelector('${$("why-diagnostic")}').childElementCount`);
    assert(kids === 0, `the diagnostic has ${kids} child elements`);
    await noInjection("why dialog");
    await shot("50-bounces-why-light");
  });

  await check("bounces: Escape closes, focus returns to the row, Enter reopens", async () => {
    await wd.keys("\uE00C");
    await sleep(200);
    assert((await wd.findAll($("why-dialog"))).length === 0, "dialog still open after Escape");
    const focused = await wd.execute("return document.activeElement && document.activeElement.dataset.testid");
    assert(focused === "bounces-row", `focus went to ${focused}`);
    await wd.keys("\uE007");
    await waitForText($("why-rule"), "user_unknown");
    await wd.keys("\uE00C");
    await sleep(200);
    assert((await wd.findAll($("why-dialog"))).length === 0, "dialog still open after the second Escape");
  });

  await check("bounces: filters are remembered, dark theme", async () => {
    await go("settings");
    await wd.click(await wd.waitFor($("settings-theme-dark")));
    await go("bounces");
    await waitForText($("bounces-count"), "Matching rows: 1", 10_000);
    const search = await wd.execute(`return document.querySelector('${$("bounces-search")}').value`);
    assert(search === "hostile.victim", `search box not restored: ${search}`);
    await wd.click(await wd.waitFor($("bounces-clear")));
    await sleep(500);
    await pickClass("hard");
    await waitForText($("bounces-count"), "Matching rows", 10_000);
    await sleep(500);
    await shot("50-bounces-dark");
    await wd.click(await wd.waitFor($("bounces-row")));
    await wd.waitFor($("why-rule"));
    await shot("50-bounces-why-dark");
    await wd.keys("\uE00C");
    await wd.click(await wd.waitFor($("bounces-clear")));
    await waitForText($("bounces-count"), "Matching rows", 10_000);
    await go("settings");
    await wd.click(await wd.waitFor($("settings-theme-system")));
    await go("dashboard");
    await noInjection("after the explorer");
  });
}
