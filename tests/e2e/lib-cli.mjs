// The `rebound` command-line tool from the e2e specs: the library's own answer to
// compare the window with, on the same database file.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = join(ROOT, "target/release/rebound");

export function cli(db, ...args) {
  return execFileSync(CLI, ["--db", db, ...args], { encoding: "utf8", timeout: 120_000, maxBuffer: 64 << 20 });
}

/** `rebound report --format json` on `db`. */
export function report(db) {
  return JSON.parse(cli(db, "report", "--format", "json"));
}

/** The numbers the window must show, formatted as the window formats them in English (report-view.ts fmtRate). */
export const fmtInt = (n) => new Intl.NumberFormat("en").format(n);
export function fmtRate(r) {
  if (r === null || r === undefined || !Number.isFinite(r)) return "unknown";
  return new Intl.NumberFormat("en", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: r !== 0 && Math.abs(r) < 0.001 ? 2 : 1 }).format(r);
}

/** Forces a theme for a screenshot without saving it (the user's choice is untouched). */
export async function withTheme(wd, theme, fn) {
  await wd.execute(`document.documentElement.dataset.theme = ${JSON.stringify(theme)}`);
  try {
    await fn();
  } finally {
    await wd.execute("delete document.documentElement.dataset.theme");
  }
}

/**
 * Waits until the element's text contains `expected`, reading it in the page: the
 * import progress is redrawn every 100 ms, so WebDriver element handles go stale.
 */
export async function pageText(wd, testid, expected, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < until) {
    last = await wd.execute("const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); return e ? e.textContent : null;", [testid]);
    if (last !== null && last.includes(expected)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${testid}: expected "${expected}", saw ${JSON.stringify(last)}`);
}

/** Clicks a control that is being redrawn (see pageText); false when it is not there. */
export async function pageClick(wd, testid) {
  return wd.execute("const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); if (!e) return false; e.click(); return true;", [testid]);
}

/** Waits for a toast (any of them: the undo toast has its own host) containing `expected`. */
export async function toastWith(wd, expected, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  let seen = [];
  while (Date.now() < until) {
    seen = await wd.execute("return [...document.querySelectorAll('.toast')].map((e) => e.textContent);");
    const hit = seen.find((s) => s.includes(expected));
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no toast with "${expected}"; toasts: ${JSON.stringify(seen)}`);
}

/** Types into an input by test id (value + input event), as a user's typing ends up. */
export async function setInput(wd, testid, value) {
  await wd.waitFor(`[data-testid="${testid}"]`);
  await wd.execute("const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); e.value = arguments[1]; e.dispatchEvent(new Event('input'));", [testid, value]);
}

/** Waits until the app lists `n` imports (the CLI would wait on an import's write lock). */
export async function waitImports(invoke, n, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < until) {
    last = await invoke("list_imports");
    if (last.ok && last.value.length >= n) return last.value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`expected ${n} imports, app says ${JSON.stringify(last)}`);
}
