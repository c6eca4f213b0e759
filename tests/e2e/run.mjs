// End-to-end walk through the real app, as a new user would see it.
// Started by scripts/e2e.sh (Xvfb, tauri-driver, throw-away database).
// Runs every tests/e2e/specs/NN-name.mjs in file-name order in one app session
// (each spec leaves the app on a screen the next can start from), then checks
// the app exits. Prints one line per check and a closing `e2e: N passed, M failed`.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { WebDriver } from "./webdriver.mjs";
import { makeHarness } from "./harness.mjs";

const { values: opt } = parseArgs({
  options: {
    port: { type: "string" },
    app: { type: "string" },
    shots: { type: "string" },
    db: { type: "string" },
    work: { type: "string" },
    only: { type: "string" }, // run the specs whose file name contains this, or one of these (comma-separated)
  },
});

const wd = new WebDriver(`http://127.0.0.1:${opt.port}`);
const h = makeHarness(wd, opt);
const specDir = join(dirname(fileURLToPath(import.meta.url)), "specs");

function appRunning() {
  try {
    execFileSync("pgrep", ["-f", `^${opt.app}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function main() {
  const t0 = Date.now();
  await wd.start(opt.app);
  console.log(`e2e: app started through tauri-driver in ${Date.now() - t0} ms`);
  const specs = readdirSync(specDir)
    .filter((f) => /^\d+-.*\.mjs$/.test(f) && (!opt.only || opt.only.split(",").some((o) => f.includes(o))))
    .sort();
  for (const file of specs) {
    console.log(`e2e: ${file}`);
    const spec = await import(pathToFileURL(join(specDir, file)).href);
    await spec.default(h);
  }
  await h.check("the app exits when the session ends", async () => {
    await wd.quit();
    for (let i = 0; i < 50 && appRunning(); i++) await sleep(100);
    h.assert(!appRunning(), "rebound-app still running after the WebDriver session ended");
  });
}

try {
  await main();
} catch (e) {
  h.tally.failed++;
  console.log(`  FAIL session: ${e.message}`);
} finally {
  await wd.quit().catch(() => undefined);
}
console.log(`e2e: screenshots in ${opt.shots}`);
console.log(`e2e: ${h.tally.passed} passed, ${h.tally.failed} failed`);
process.exit(h.tally.failed === 0 && h.tally.passed > 0 ? 0 : 1);
