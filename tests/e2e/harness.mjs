// What every e2e spec gets: the WebDriver session and small helpers that wait
// the way a person would (for text to appear), check, assert and screenshot.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export function makeHarness(wd, opt) {
  const $ = (id) => `[data-testid="${id}"]`;
  const tally = { passed: 0, failed: 0 };

  /**
   * The X screen as a person would see it (the screen is the window's size).
   * WebKitWebDriver's own screenshot command hangs under Xvfb (WebKitGTK 2.50),
   * so ImageMagick grabs the screen instead.
   */
  async function shot(name) {
    await sleep(300); // let transitions and fonts settle
    execFileSync("import", ["-window", "root", join(opt.shots, `${name}.png`)], { stdio: "ignore", timeout: 15_000 });
  }

  async function check(name, fn) {
    const t0 = Date.now();
    try {
      await fn();
      tally.passed++;
      console.log(`  ok   ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      tally.failed++;
      console.log(`  FAIL ${name}: ${e.message}`);
      await shot(`FAIL-${name.replace(/\W+/g, "-")}`).catch(() => undefined);
    }
  }

  function assert(cond, msg) {
    if (!cond) throw new Error(msg);
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

  /** Calls a Tauri command exactly as the window does; resolves to {ok, value} or {ok:false, error}. */
  async function invoke(command, args = {}) {
    return wd.executeAsync(
      "const done = arguments[arguments.length - 1];" +
        "window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])" +
        ".then((v) => done({ ok: true, value: v }), (e) => done({ ok: false, error: e }));",
      [command, args],
    );
  }

  return { wd, opt, $, tally, shot, check, assert, textOf, waitForText, go, chooseLanguage, invoke, sleep };
}
