// Settings: time zone and thresholds change what the library reports, backup +
// restore round trip, delete all data + Undo. Imports its own data (a SendGrid
// export from the demo set: it has sent counts, so rates and levels exist).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, report, setInput, toastWith, waitImports, withTheme } from "../lib-cli.mjs";

const SENDGRID = join(ROOT, "assets/demo/sendgrid/events.jsonl");

export default async function ({ wd, opt, $, check, assert, shot, textOf, waitForText, go, invoke, sleep }) {
  const total = () => report(opt.db).total;
  const events = () => Object.values(total().counts ?? {}).reduce((a, b) => a + b, 0);

  await check("settings data for this spec is imported", async () => {
    await go("import");
    const res = await invoke("import_files", { paths: [SENDGRID] });
    assert(res.ok, `import_files: ${JSON.stringify(res.error)}`);
    const outcome = await waitForText($("import-outcome-0"), "events", 60_000);
    assert(!outcome.includes("Not imported"), `the SendGrid export did not import: ${outcome}`);
    await waitImports(invoke, 1);
    assert(events() > 0, "nothing imported");
  });

  await check("time zone: saved, shown, and used by the library's report", async () => {
    await go("settings");
    await setInput(wd, "settings-zone-input", "Asia/Ho_Chi_Minh");
    await wd.click(await wd.waitFor($("settings-zone-save")));
    await waitForText($("settings-zone-current"), "Now: Asia/Ho_Chi_Minh");
    const zone = report(opt.db).zone;
    assert(JSON.stringify(zone).includes("Asia/Ho_Chi_Minh"), `the library reports in ${JSON.stringify(zone)}`);
    await setInput(wd, "settings-zone-input", "Mars/Olympus");
    await wd.click(await wd.waitFor($("settings-zone-save")));
    await toastWith(wd, "Rebound does not know this time zone.");
    await waitForText($("settings-zone-current"), "Now: Asia/Ho_Chi_Minh");
  });

  await check("thresholds: a lower danger line turns the dashboard's hard bounce card red", async () => {
    await go("settings");
    await setInput(wd, "settings-th-hard_amber", "0.01");
    await setInput(wd, "settings-th-hard_red", "0.02");
    await wd.click(await wd.waitFor($("settings-th-save")));
    await toastWith(wd, "Thresholds saved.");
    await shot("70-settings-light");
    await withTheme(wd, "dark", () => shot("70-settings-dark"));
    await wd.execute(`document.querySelector('[data-testid="settings-policy"]').scrollIntoView()`);
    await shot("72-settings-policy-data-light");
    await withTheme(wd, "dark", () => shot("72-settings-policy-data-dark"));
    await go("dashboard");
    await wd.waitFor($("kpi-hard-rate-level"), 30_000);
    const level = await wd.execute(`return document.querySelector('[data-testid="kpi-hard-rate"]').dataset.level`);
    assert(level === "red", `hard rate level with a 0.02% danger line: ${level}`);
    await waitForText($("kpi-hard-rate-text"), "danger line");
    await go("settings");
    await wd.click(await wd.waitFor($("settings-th-reset")));
    await wd.click(await wd.waitFor($("settings-th-save")));
    await sleep(300);
    const th = await invoke("preferences");
    assert(th.ok && th.value.thresholds.hard_red === 0.02, `thresholds not back to usual: ${JSON.stringify(th)}`);
  });

  await check("backup and restore round trip", async () => {
    const copy = join(opt.work, "backup-70.sqlite");
    const before = events();
    // The backup counts rows of the events table (delivered and sent events too), as the overview does.
    const stored = (await invoke("overview")).value.events;
    const b = await invoke("backup_database", { dest: copy });
    assert(b.ok && b.value.events === stored, `backup: ${JSON.stringify(b)}, overview ${stored}`);
    // Change the data, then bring the copy back (the open dialog is native: the command is what it calls).
    const extra = join(opt.work, "cleaned-70.csv");
    // The demo's Mailchimp export with its addresses renamed: earlier specs may have imported
    // the demo itself, and re-imported rows add nothing by design.
    const demoCsv = readFileSync(join(ROOT, "assets/demo/mailchimp/cleaned_members_export.csv"), "utf8");
    writeFileSync(extra, demoCsv.replace(/@mail\.example\.net/g, "@settings70.example.net"));
    const n = (await invoke("list_imports")).value.length;
    const imp = await invoke("import_files", { paths: [extra] });
    assert(imp.ok, "second import");
    await waitImports(invoke, n + 1);
    assert(events() > before, "the second import added nothing");
    const r = await invoke("restore_database", { src: copy });
    assert(r.ok && r.value.events === stored, `restore: ${JSON.stringify(r)}, backup had ${stored}`);
    assert(events() === before, `after restore the library counts ${events()} events, the backup had ${before}`);
  });

  await check("delete all data asks first, then Undo brings everything back", async () => {
    const before = events();
    await go("settings");
    await wd.click(await wd.waitFor($("settings-delete-all")));
    await waitForText($("dialog"), "Delete all data?");
    await wd.click(await wd.waitFor($("dialog-cancel")));
    assert(events() === before, "Cancel deleted something");
    await wd.click(await wd.waitFor($("settings-delete-all")));
    await wd.click(await wd.waitFor($("dialog-confirm")));
    const toastText = await waitForText($("undo-toast"), "All data deleted", 30_000);
    assert(toastText.includes("before-delete-all-"), `the toast names the backup: ${toastText}`);
    assert(events() === 0, `after delete all the library still counts ${events()} events`);
    await shot("71-settings-deleted-light");
    await wd.click(await wd.waitFor($("undo-delete")));
    await toastWith(wd, "Your data is back.");
    assert(events() === before, `after Undo: ${events()} events, before: ${before}`);
    const zone = await invoke("preferences");
    assert(zone.ok && zone.value.time_zone === "Asia/Ho_Chi_Minh", "settings survived delete + undo");
  });

  await invoke("set_time_zone", { zone: "UTC" });
  await go("dashboard");
}
