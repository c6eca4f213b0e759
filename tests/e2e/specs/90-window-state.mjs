// Window state across a relaunch: the size and position the user gave the window
// (tauri-plugin-window-state, file in $XDG_CONFIG_HOME), the last screen and the
// explorer's filters (settings in the database) come back in a new app process.
// The window is resized the way a window manager does it (an X ConfigureWindow
// request through xdotool); the first session is ended by the driver, which kills
// the app, so nothing depends on a clean exit.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../lib-cli.mjs";

const SENDGRID = join(ROOT, "assets/demo/sendgrid");
const STATE_FILE = "app.rebound.desktop/.window-state.json";

function xdotool(...args) {
  return execFileSync("xdotool", args, { encoding: "utf8", timeout: 20_000 }).trim();
}

function appWindow() {
  const ids = xdotool("search", "--onlyvisible", "--name", "^Rebound$").split("\n").filter(Boolean);
  if (ids.length === 0) throw new Error("no visible Rebound window");
  return ids[ids.length - 1];
}

function geometry(win) {
  return Object.fromEntries(
    xdotool("getwindowgeometry", "--shell", win)
      .split("\n")
      .map((l) => l.split("="))
      .map(([k, v]) => [k, Number(v)]),
  );
}

function appRunning(app) {
  try {
    execFileSync("pgrep", ["-f", `^${app}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export default async function ({ wd, opt, $, check, assert, shot, waitForText, go, invoke, sleep }) {
  const stateFile = join(opt.work, "config", STATE_FILE);
  const want = { w: 1000, h: 680, x: 40, y: 30 };

  await check("window state: size, position, last screen and filters are set and saved", async () => {
    const res = await invoke("import_files", { paths: [SENDGRID] });
    assert(res.ok || res.error?.code === "locked", `import_files: ${JSON.stringify(res.error)}`);
    await go("bounces");
    // Retry: the class options are redrawn with fresh counts after each change.
    for (let i = 0; ; i++) {
      try {
        await wd.click(await wd.waitFor(`${$("bounces-filter-class")} option[value="hard"]`));
        break;
      } catch (e) {
        if (i >= 6) throw e;
        await sleep(400);
      }
    }
    // The screen is saved at once, or when the import above ends (it holds the write lock).
    let saved = null;
    for (const until = Date.now() + 30_000; Date.now() < until; await sleep(300)) {
      saved = await invoke("get_settings", { keys: ["ui.bounces.filters", "ui.last_screen"] });
      if (saved.ok && saved.value["ui.last_screen"] === "bounces" && String(saved.value["ui.bounces.filters"]).includes("hard")) break;
    }
    assert(saved.ok && String(saved.value["ui.bounces.filters"]).includes("hard"), `filters not saved: ${JSON.stringify(saved)}`);
    assert(saved.value["ui.last_screen"] === "bounces", `last screen not saved: ${JSON.stringify(saved.value)}`);
    const win = appWindow();
    xdotool("windowsize", "--sync", win, String(want.w), String(want.h));
    xdotool("windowmove", "--sync", win, String(want.x), String(want.y));
    const until = Date.now() + 10_000;
    let state = null;
    while (Date.now() < until) {
      try {
        state = JSON.parse(readFileSync(stateFile, "utf8")).main;
        if (state && state.width === want.w && state.height === want.h) break;
      } catch {
        // not written yet
      }
      await sleep(200);
    }
    assert(state && state.width === want.w && state.height === want.h, `window state file ${stateFile}: ${JSON.stringify(state)} (exists: ${existsSync(stateFile)})`);
    console.log(`  saved ${JSON.stringify({ width: state.width, height: state.height, x: state.x, y: state.y })}`);
  });

  await check("window state: a relaunched app comes back at that size and position, on that screen, with that filter", async () => {
    await wd.quit();
    for (let i = 0; i < 50 && appRunning(opt.app); i++) await sleep(100);
    assert(!appRunning(opt.app), "the first app process is still running");
    await wd.start(opt.app);
    await wd.waitFor($("screen-bounces"), 20_000);
    await waitForText($("bounces-count"), "", 20_000);
    const selected = await wd.execute(`return document.querySelector('${$("bounces-filter-class")}').value`);
    assert(selected === "hard", `class filter after relaunch: "${selected}"`);
    const g = geometry(appWindow());
    console.log(`  relaunched at ${g.WIDTH}x${g.HEIGHT}+${g.X}+${g.Y}`);
    assert(g.WIDTH === want.w && g.HEIGHT === want.h, `size after relaunch ${g.WIDTH}x${g.HEIGHT}, want ${want.w}x${want.h}`);
    assert(Math.abs(g.X - want.x) <= 2 && Math.abs(g.Y - want.y) <= 2, `position after relaunch ${g.X},${g.Y}, want ${want.x},${want.y}`);
    await shot("90-relaunched-bounces-light");
  });

  // Leave the app as the next spec expects it: full screen size, no filter, the dashboard.
  try {
    const win = appWindow();
    xdotool("windowmove", "--sync", win, "0", "0");
    xdotool("windowsize", "--sync", win, "1200", "800");
  } catch {
    // no window: the checks above already failed
  }
  try {
    await wd.click(await wd.waitFor($("bounces-clear"), 3000));
  } catch {
    // not on the explorer: nothing to clear
  }
  await go("dashboard");
}
