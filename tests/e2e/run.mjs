// End-to-end walk through the real app, as a new user would see it.
// Started by scripts/e2e.sh (Xvfb, tauri-driver, throw-away database).
// Prints one line per check and a closing `e2e: N passed, M failed`.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { WebDriver } from "./webdriver.mjs";

const { values: opt } = parseArgs({
  options: { port: { type: "string" }, app: { type: "string" }, shots: { type: "string" }, db: { type: "string" }, work: { type: "string" } },
});

const EMPTY_TEXT = "No bounces yet. Import a mailbox export (mbox, maildir, .eml, .zip) or a provider report (CSV/JSON).";
const wd = new WebDriver(`http://127.0.0.1:${opt.port}`);
const $ = (id) => `[data-testid="${id}"]`;
let passed = 0;
let failed = 0;

async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`  ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    console.log(`  FAIL ${name}: ${e.message}`);
    await shot(`FAIL-${name.replace(/\W+/g, "-")}`).catch(() => undefined);
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/**
 * The X screen as a person would see it (the screen is the window's size).
 * WebKitWebDriver's own screenshot command hangs under Xvfb (WebKitGTK 2.50),
 * so ImageMagick grabs the screen instead.
 */
async function shot(name) {
  await sleep(300); // let transitions and fonts settle
  execFileSync("import", ["-window", "root", join(opt.shots, `${name}.png`)], { stdio: "ignore", timeout: 15_000 });
}

async function textOf(css) {
  return wd.text(await wd.waitFor(css));
}

async function waitForText(css, expected, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < until) {
    try {
      last = await wd.text(await wd.find(css));
      if (last.includes(expected)) return last;
    } catch {
      // not there yet
    }
    await sleep(150);
  }
  throw new Error(`${css}: expected "${expected}", saw "${last}"`);
}

async function go(screen) {
  await wd.click(await wd.waitFor($(`nav-${screen}`)));
  await wd.waitFor($(`screen-${screen}`));
}

async function chooseLanguage(code) {
  await go("settings");
  await wd.click(await wd.waitFor(`${$("settings-language")} option[value="${code}"]`));
}

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

  await check("dashboard shows the empty state", async () => {
    const text = await waitForText($("empty-state-text"), EMPTY_TEXT, 20_000);
    assert(text.trim() === EMPTY_TEXT, `empty-state text was "${text}"`);
    assert((await textOf($("empty-import-files"))) === "Import files", "no Import files button");
    await shot("01-dashboard-empty-light");
  });

  await check("data location is the REBOUND_DB file, created on launch", async () => {
    assert((await textOf($("data-location-path"))) === opt.db, "data location differs from $REBOUND_DB");
    assert(existsSync(opt.db), `${opt.db} was not created`);
  });

  await check("import screen shows the drop zone and an empty history", async () => {
    await go("import");
    await waitForText($("import-dropzone"), "Drop files or folders here");
    await waitForText($("import-history-empty"), "Nothing imported yet.");
    await shot("02-import-light");
  });

  await check("an unrecognized file is reported, and its hostile name stays text", async () => {
    const name = `<img src=x onerror="window.__pwned=1">notes.txt`;
    const path = join(opt.work, name);
    writeFileSync(path, "just some words, not a bounce\n");
    // The same command a drop or the dialog triggers, called as the window does.
    const err = await wd.executeAsync(
      "const done = arguments[arguments.length - 1];" +
        "window.__TAURI_INTERNALS__.invoke('import_files', { paths: [arguments[0]] }).then(() => done(null), (e) => done(e));",
      [path],
    );
    assert(err === null, `import_files failed: ${JSON.stringify(err)}`);
    const outcome = await waitForText($("import-outcome-0"), "Not imported");
    assert(outcome.includes(name), `file name not shown as text: ${outcome}`);
    assert(outcome.includes("Rebound did not recognize this file"), `no readable error: ${outcome}`);
    const injected = await wd.execute("return [document.querySelectorAll('img[src=x]').length, window.__pwned === undefined]");
    assert(injected[0] === 0 && injected[1] === true, "markup from a file name reached the DOM");
    await waitForText($("import-history-empty"), "Nothing imported yet.");
    await shot("03-import-result-light");
  });

  await check("Spanish and Vietnamese labels", async () => {
    await chooseLanguage("es");
    await waitForText($("nav-dashboard"), "Panel");
    await waitForText($("nav-settings"), "Ajustes");
    await shot("04-settings-es");
    await chooseLanguage("vi");
    await waitForText($("nav-dashboard"), "Tổng quan");
    await go("dashboard");
    await waitForText($("empty-state-text"), "Chưa có thư bị trả lại");
    await shot("05-dashboard-vi");
    await chooseLanguage("en");
    await waitForText($("nav-dashboard"), "Dashboard");
  });

  await check("dark theme can be forced", async () => {
    await go("settings");
    await wd.click(await wd.waitFor($("settings-theme-dark")));
    const theme = await wd.execute("return document.documentElement.dataset.theme");
    assert(theme === "dark", `data-theme is ${theme}`);
    const bg = await wd.execute("return getComputedStyle(document.body).backgroundColor");
    const rgb = (bg.match(/\d+/g) || []).slice(0, 3).map(Number);
    assert(rgb.length === 3 && rgb.every((c) => c < 60), `background is not dark: ${bg}`);
    await go("dashboard");
    await wd.waitFor($("empty-state-text"));
    await shot("06-dashboard-empty-dark");
    await go("help");
    await shot("07-help-dark");
    await go("settings");
    await wd.click(await wd.waitFor($("settings-theme-system")));
  });

  await check("keyboard: Tab moves a visible focus, Enter opens a screen", async () => {
    await go("dashboard");
    await wd.execute("document.activeElement && document.activeElement.blur()");
    const TAB = "\uE004";
    const ENTER = "\uE007";
    await wd.keys(TAB, TAB);
    const [id, ring] = await wd.execute(
      "const a = document.activeElement; return [a && a.dataset.testid, a ? getComputedStyle(a).boxShadow : 'none'];",
    );
    assert(id === "nav-import", `second Tab focused ${id}`);
    assert(ring && ring !== "none", `no visible focus ring on ${id}: ${ring}`);
    await wd.keys(ENTER);
    await wd.waitFor($("screen-import"));
    await shot("08-keyboard-focus");
  });

  await check("the app exits when the session ends", async () => {
    await wd.quit();
    for (let i = 0; i < 50 && appRunning(); i++) await sleep(100);
    assert(!appRunning(), "rebound-app still running after the WebDriver session ended");
  });
}

try {
  await main();
} catch (e) {
  failed++;
  console.log(`  FAIL session: ${e.message}`);
} finally {
  await wd.quit().catch(() => undefined);
}
console.log(`e2e: screenshots in ${opt.shots}`);
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
