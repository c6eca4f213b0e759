// Issue 9 acceptance: time from launch to a dashboard with 5,000,000 events on
// screen. scripts/e2e.sh starts tauri-driver with REBOUND_DB on the big database;
// this starts the app and times until the KPI cards hold numbers.
// Prints the figure; fails only when it could not be measured (slow is reported, not failed).
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { WebDriver } from "./webdriver.mjs";

const { values: opt } = parseArgs({ options: { port: { type: "string" }, app: { type: "string" }, events: { type: "string" } } });
const GOAL_MS = 1500;
const wd = new WebDriver(`http://127.0.0.1:${opt.port}`);

async function filled(id) {
  try {
    return (await wd.text(await wd.find(`[data-testid="${id}"]`))).trim();
  } catch {
    return "";
  }
}

let status = 1;
try {
  const t0 = Date.now();
  await wd.start(opt.app);
  let sent = "";
  let events = "";
  while (Date.now() - t0 < 120_000) {
    sent = await filled("kpi-sent-value");
    if (sent) break;
    await sleep(20);
  }
  const ms = Date.now() - t0;
  events = await filled("kpi-events-value");
  if (!sent) {
    console.log(`e2e: launch to dashboard with ${opt.events} events: not measured (no KPI card after ${ms} ms)`);
  } else {
    const n = Number(events.replace(/\D/g, "")) || Number(opt.events);
    console.log(`e2e: launch to dashboard with ${n} events: ${ms} ms (goal ${GOAL_MS} ms)${ms > GOAL_MS ? " — over the goal" : ""}`);
    status = 0;
  }
} catch (e) {
  console.log(`e2e: launch to dashboard: not measured: ${e.message}`);
} finally {
  await wd.quit().catch(() => undefined);
}
process.exit(status);
