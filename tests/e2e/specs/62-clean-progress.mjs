// Clean a list of 1,000,000 contacts: the window shows rows read and bytes with a bar
// while the preview runs, Cancel stops it (a notice, no error, nothing saved), and a
// new run goes to the end with every row counted.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { CLI, pageClick, pageText, withTheme } from "../lib-cli.mjs";

const ROWS = 1_000_000;

export default async function ({ wd, opt, $, check, assert, shot, waitForText, go, invoke }) {
  const out = join(opt.work, "clean-1m");
  const list = join(out, "contacts", "contacts.csv");
  const open = async () => {
    const r = await invoke("set_setting", { key: "clean.last_file", value: list });
    assert(r.ok, `set_setting failed: ${JSON.stringify(r.error)}`);
    await go("dashboard");
    await go("clean");
  };

  await check("clean 1,000,000 contacts: progress with rows and bytes, then Cancel", async () => {
    execFileSync(CLI, ["gen", "--out", out, "--contacts", String(ROWS), "--seed", "62"], { stdio: "ignore", timeout: 120_000 });
    await open();
    const rows = await pageText(wd, "clean-progress-rows", "rows read", 30_000);
    const bytes = await pageText(wd, "clean-progress-bytes", "MB");
    console.log(`  progress: ${rows} · ${bytes}`);
    await shot("62-clean-progress-light");
    await withTheme(wd, "dark", () => shot("62-clean-progress-dark"));
    assert(await pageClick(wd, "clean-cancel"), "no Cancel button while the preview runs");
    const notice = await waitForText($("clean-cancelled"), "Nothing was saved", 30_000);
    assert(notice.includes("Stopped"), notice);
    const err = await wd.execute(`return document.querySelector('[data-testid="clean-error"]') === null`);
    assert(err, "a cancel is shown as an error");
    await shot("62-clean-cancelled-light");
  });

  await check("clean 1,000,000 contacts: a full preview counts every row", async () => {
    await open();
    const t0 = Date.now();
    const n = await waitForText($("clean-count-rows-value"), "1,000,000", 120_000);
    console.log(`  preview of ${n.trim()} rows on screen after ${Date.now() - t0} ms`);
  });

  await go("dashboard");
}
