// A scripted stand-in for the Rust side: records every call, answers from
// handlers, and lets a test fire the events the backend would send.
import type { Backend, Check, DropEvent, Overview, Report, Summary } from "../src/api";

type Handler = (args: Record<string, unknown>) => unknown;

export class FakeBackend implements Backend {
  calls: { cmd: string; args: Record<string, unknown> }[] = [];
  handlers: Record<string, Handler> = {};
  listeners = new Map<string, Set<(p: unknown) => void>>();
  dropHandlers = new Set<(ev: DropEvent) => void>();
  nextPick: string[] | null = null;
  nextSave: string | null = null;

  constructor(handlers: Record<string, Handler> = {}) {
    this.handlers = { ...defaultHandlers(), ...shellHandlers(this), ...handlers };
  }

  async invoke<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    this.calls.push({ cmd, args });
    const handler = this.handlers[cmd];
    if (!handler) throw { code: "internal", message: `the fake backend has no command ${cmd}` };
    return (await handler(args)) as T;
  }

  async listen<T>(event: string, cb: (payload: T) => void): Promise<() => void> {
    const set = this.listeners.get(event) ?? new Set();
    set.add(cb as (p: unknown) => void);
    this.listeners.set(event, set);
    return () => set.delete(cb as (p: unknown) => void);
  }

  emit(event: string, payload: unknown): void {
    this.listeners.get(event)?.forEach((cb) => cb(payload));
  }

  async pickPaths(): Promise<string[] | null> {
    return this.nextPick;
  }

  async pickSavePath(): Promise<string | null> {
    return this.nextSave;
  }

  async onDrop(cb: (ev: DropEvent) => void): Promise<() => void> {
    this.dropHandlers.add(cb);
    return () => this.dropHandlers.delete(cb);
  }

  drop(ev: DropEvent): void {
    this.dropHandlers.forEach((cb) => cb(ev));
  }

  called(cmd: string) {
    return this.calls.filter((c) => c.cmd === cmd);
  }
}

export const EMPTY: Overview = { imports: 0, events: 0, campaigns: 0, recipients: 0, by_class: [] };

const RATES0 = { delivered: null, hard: null, soft: null, block: null, bounce: null, complaint: null, unsubscribe: null, deferred: null };

export function check(metric: string, level: Check["level"], params: Record<string, string>): Check {
  const key = `health.${metric}.${level}`;
  return { metric, level, value: null, key, action_key: `${key}.action`, params, text: `EN ${key}`, action: `EN ${key}.action` };
}

export function summary(over: Partial<Summary> = {}): Summary {
  return { campaign_id: null, campaign_key: null, campaign_name: null, channel: null, sent: null, counts: {}, rates: { ...RATES0 }, block_share: null, health: { level: "unknown", checks: [] }, ...over };
}

/** A report as rebound::report::report serialises it (the fields the window reads). */
export const REPORT: Report = {
  campaign: null,
  total: summary({
    sent: 20000,
    rates: { ...RATES0, hard: 0.031, soft: 0.012, complaint: 0.0004 },
    block_share: 0.25,
    health: {
      level: "red",
      checks: [
        check("hard_rate", "red", { value: "3.1%", threshold: "2.0%" }),
        check("complaint_rate", "amber", { value: "0.04%", threshold: "0.03%" }),
        check("block_share", "ok", { value: "25.0%" }),
      ],
    },
  }),
  campaigns: [
    summary({ campaign_id: 1, campaign_key: "spring", campaign_name: "Spring sale", channel: "email", sent: 20000, rates: { ...RATES0, hard: 0.031, soft: 0.012 }, health: { level: "red", checks: [] } }),
    summary({ campaign_id: 2, campaign_key: "sms-1", campaign_name: null, channel: "sms", sent: null }),
  ],
};

export const CHART_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="960" height="300"><rect width="10" height="10"/></svg>';

function defaultHandlers(): Record<string, Handler> {
  const settings = new Map<string, string>();
  return {
    overview: () => EMPTY,
    data_location: () => ({ db_path: "/home/ana/.local/share/app.rebound.desktop/rebound.sqlite", folder: "/home/ana/.local/share/app.rebound.desktop", size_bytes: null, app_version: "0.1.0" }),
    list_imports: () => [],
    import_problems: () => [],
    get_settings: (a) => Object.fromEntries((a.keys as string[]).map((k) => [k, settings.get(k) ?? null])),
    set_setting: (a) => {
      settings.set(a.key as string, a.value as string);
    },
    import_files: () => undefined,
    cancel_import: () => true,
    remove_import: () => true,
    backup_database: () => undefined,
    report_summary: () => REPORT,
    chart_svg: () => CHART_SVG,
  };
}

/** Lets pending promises and their DOM updates run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}

export const byTestId = (root: ParentNode, id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);

// ---- app shell: welcome, demo, settings ------------------------------------

export const DEMO_DB = "/home/ana/.local/share/app.rebound.desktop/demo.sqlite";

/** Demo switch, preferences, restore and delete-all, in memory. `app_status` follows `overview`. */
function shellHandlers(fake: FakeBackend): Record<string, Handler> {
  let demo = false;
  const prefs = {
    time_zone: "UTC",
    thresholds: { hard_red: 0.02, hard_amber: 0.01, complaint_red: 0.003, complaint_amber: 0.001, block_share_rise: 0.1, block_min: 5 },
    policy: { remove_hard: true, remove_complaints: true, remove_unsubscribes: true, remove_repeated_soft: true, soft_days: 3, soft_window_days: 30, remove_sms_invalid: true, remove_sms_opted_out: true, remove_invalid: false, remove_duplicates: false, remove_role: false, remove_typos: false, remove_blocked: false } as Record<string, boolean | number>,
  };
  const status = async () => {
    const ov = (await fake.handlers.overview({})) as Overview;
    return { demo, has_data: ov.events > 0, db_path: demo ? DEMO_DB : "/home/ana/.local/share/app.rebound.desktop/rebound.sqlite" };
  };
  return {
    app_status: status,
    open_demo: () => {
      demo = true;
      return status();
    },
    close_demo: () => {
      demo = false;
      return status();
    },
    remember_screen: () => undefined,
    preferences: () => structuredClone(prefs),
    set_time_zone: (a) => {
      if (String(a.zone).startsWith("Mars")) throw { code: "invalid", message: "unknown time zone" };
      prefs.time_zone = String(a.zone);
      return prefs.time_zone;
    },
    set_thresholds: (a) => {
      prefs.thresholds = a.thresholds as typeof prefs.thresholds;
    },
    set_policy_value: (a) => {
      prefs.policy[String(a.key)] = a.value === "true";
      return structuredClone(prefs.policy);
    },
    restore_database: () => ({ schema_version: 5, imports: 1, events: 100 }),
    delete_all_data: () => ({ backup_path: "/home/ana/.local/share/app.rebound.desktop/backups/before-delete-all-20261123-140000-000.sqlite", events: 100 }),
  };
}
