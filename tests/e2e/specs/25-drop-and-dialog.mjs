// Import the two ways a person does, with nothing faked inside the app:
// - the native dialog: "Choose files" opens GTK's file chooser (tauri-plugin-dialog → rfd),
//   a keyboard types the path into it and presses Enter (xdotool on the Xvfb screen);
// - a drop: a small GTK window (xdnd-source.py) offers the files as text/uri-list and the X
//   pointer drags them onto Rebound (XTEST), so the drop reaches the window through XDND →
//   WebKitGTK → wry → tauri's `tauri://drag-drop` event, exactly as from a file manager.
// Both end with the per-file counts on the import screen, compared with the CLI's
// `imports list` on the same database. Numbered after 20-demo: that spec is the new
// user's first launch (the welcome shows only while the user's file is empty).
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cli, ROOT, withTheme } from "../lib-cli.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const FIX = join(ROOT, "tests/fixtures");

function xdotool(...args) {
  return execFileSync("xdotool", args, { encoding: "utf8", timeout: 20_000 }).trim();
}

/** Waits for a visible X window whose title is `name`; its id. */
async function xWindow(name, sleep, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const ids = xdotool("search", "--onlyvisible", "--name", `^${name}$`).split("\n").filter(Boolean);
      if (ids.length > 0) return ids[ids.length - 1];
    } catch {
      // none yet (xdotool exits 1)
    }
    await sleep(200);
  }
  throw new Error(`no X window titled "${name}" within ${timeoutMs} ms`);
}

/** events_added per file name from `rebound imports list` (tab-separated, with a header). */
function addedByFile(db) {
  const out = new Map();
  for (const line of cli(db, "imports", "list").trim().split("\n").slice(1)) {
    const cols = line.split("\t");
    out.set(cols[1].split("/").pop(), Number(cols[3]));
  }
  return out;
}

export default async function ({ wd, opt, $, check, assert, shot, waitForText, go, sleep }) {
  const dir = join(opt.work, "drop-dialog");
  mkdirSync(dir, { recursive: true });
  const picked = join(dir, "two-messages.mbox");
  copyFileSync(join(FIX, "mail/two-messages.mbox"), picked);
  // Files without sent or delivered events: a later spec (40) expects no campaign with a known sent count.
  const dropped = ["esp/mailgun_bounces.csv", "esp/mailjet_grouped_array.json"].map((f) => {
    const to = join(dir, f.split("/").pop());
    copyFileSync(join(FIX, f), to);
    return to;
  });

  await check("import through the native file dialog: its counts appear", async () => {
    await go("import");
    await wd.click(await wd.waitFor($("import-choose-files")));
    const win = await xWindow("Choose bounce files to import", sleep);
    await shot("25-import-dialog");
    xdotool("windowfocus", "--sync", win);
    // GTK's chooser opens its location field when a path is typed.
    xdotool("key", "--window", win, "ctrl+l");
    xdotool("type", "--window", win, "--delay", "20", picked);
    await sleep(300);
    xdotool("key", "--window", win, "Return");
    const outcome = await waitForText($("import-outcome-0"), "two-messages.mbox", 30_000);
    const summary = await waitForText($("import-results-summary"), "Files: 1");
    const cliAdded = addedByFile(opt.db).get("two-messages.mbox");
    assert(cliAdded > 0, `the CLI sees no import of two-messages.mbox: ${cli(opt.db, "imports", "list")}`);
    assert(outcome.includes(`${cliAdded} new events`), `window says "${outcome}", CLI says ${cliAdded} added`);
    assert(outcome.includes("Read as mbox"), `no detected format: ${outcome}`);
    console.log(`  dialog: ${summary.trim()}`);
  });

  await check("import by dropping two files on the window: their counts appear", async () => {
    await go("dashboard");
    const src = spawn("/usr/bin/python3", [join(HERE, "../xdnd-source.py"), "20,640", ...dropped], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const srcWin = await xWindow("rebound-e2e-drag-source", sleep);
      const geo = Object.fromEntries(
        xdotool("getwindowgeometry", "--shell", srcWin)
          .split("\n")
          .map((l) => l.split("="))
          .map(([k, v]) => [k, Number(v)]),
      );
      const [sx, sy] = [geo.X + Math.floor(geo.WIDTH / 2), geo.Y + Math.floor(geo.HEIGHT / 2)];
      // Press, move in steps (GTK starts a drag after a few pixels of motion), hover, release.
      xdotool("mousemove", "--sync", String(sx), String(sy));
      xdotool("mousedown", "1");
      for (let i = 1; i <= 12; i++) {
        xdotool("mousemove", String(sx + i * 45), String(sy - i * 25));
        await sleep(60);
      }
      xdotool("mousemove", "600", "360");
      await sleep(400);
      await shot("25-drop-hover");
      xdotool("mousemove", "604", "362");
      await sleep(200);
      xdotool("mouseup", "1");
      await waitForText($("import-outcome-1"), dropped[1].split("/").pop(), 30_000);
      const summary = await waitForText($("import-results-summary"), "Files: 2");
      const cliAdded = addedByFile(opt.db);
      for (const [i, path] of dropped.entries()) {
        const name = path.split("/").pop();
        const outcome = await waitForText($(`import-outcome-${i}`), name);
        const n = cliAdded.get(name);
        assert(n > 0, `the CLI sees no import of ${name}`);
        assert(outcome.includes(`${n} new events`), `window says "${outcome}", CLI says ${n} added`);
      }
      console.log(`  drop: ${summary.trim()}`);
      await shot("25-drop-imported-light");
      await withTheme(wd, "dark", () => shot("25-drop-imported-dark"));
    } finally {
      src.kill("SIGTERM");
    }
  });

  await go("dashboard");
}
