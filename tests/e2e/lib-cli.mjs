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
