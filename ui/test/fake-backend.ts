// A scripted stand-in for the Rust side: records every call, answers from
// handlers, and lets a test fire the events the backend would send.
import type { Backend, CampaignRecipient, Check, CleanSummary, ColumnDetection, DropEvent, EventDetail, EventRow, MappingView, Overview, PolicyLine, Report, Sparkline, Summary } from "../src/api";

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
    ...campaignHandlers(),
    ...exploreHandlers(0),
    ...cleanHandlers(settings),
    ...mappingHandlers(),
  };
}

// ---- report, charts, campaigns (src-tauri/src/commands/report.rs) ---------

export function sparkline(campaign_id: number, hard: number[], soft: number[] = hard.map(() => 0)): Sparkline {
  return { campaign_id, start: "2026-03-01", days_per_point: 1, hard, soft, block: hard.map(() => 0) };
}

/** `n` bounced recipients, newest first, as rebound::explore::recipients_for_campaign lists them. */
export function recipients(n: number): CampaignRecipient[] {
  return Array.from({ length: n }, (_, i) => ({ recipient: `person${i}@example.com`, class: i % 3 === 0 ? "soft" : "hard", reason: "user_unknown", last_at: 1_760_000_000 - i * 60, events: 1 + (i % 2) }));
}

function campaignHandlers(): Record<string, Handler> {
  const all = recipients(120);
  return {
    campaign_sparklines: () => [sparkline(1, [0, 3, 1, 0, 2], [1, 1, 0, 0, 0])],
    campaign_recipients: (a) => {
      const offset = a.offset as number;
      return { total: all.length, offset, rows: all.slice(offset, offset + (a.limit as number)) };
    },
    set_campaign_sent: () => undefined,
  };
}

// ---- clean a list (src-tauri/src/commands/clean.rs) ----

export const DETECTION: ColumnDetection = {
  layout: { encoding: "utf-8", delimiter: 44, has_header: true, line_ending: "\n" },
  encoding: "utf-8",
  delimiter: ",",
  columns: [
    { index: 0, name: "Name", samples: ["Ana", "Bo"], email_share: 0, phone_share: 0 },
    { index: 1, name: "Email", samples: ["ana@example.com", "gone@example.com"], email_share: 100, phone_share: 0 },
  ],
  email: { index: 1, name: "Email", why: "the header 'Email' names the email column (100% of sampled cells look like one)" },
  phone: null,
};

export const POLICY: PolicyLine[] = ["remove_hard", "remove_complaints", "remove_unsubscribes", "remove_repeated_soft", "soft_days", "soft_window_days", "remove_sms_invalid", "remove_sms_opted_out", "remove_invalid", "remove_duplicates", "remove_role", "remove_typos", "remove_blocked"].map((key) => ({
  key,
  value: key === "soft_days" ? "3" : key === "soft_window_days" ? "30" : String(["remove_hard", "remove_complaints", "remove_unsubscribes", "remove_repeated_soft", "remove_sms_invalid", "remove_sms_opted_out"].includes(key)),
  text_key: `policy.${key}`,
  text: `EN ${key}`,
}));

export function cleanSummary(over: Partial<CleanSummary> = {}): CleanSummary {
  return {
    input: "/home/ana/contacts.csv",
    detection: DETECTION,
    rows: 4,
    kept: 2,
    removed: 2,
    flagged: 1,
    rows_without_address: 0,
    removed_by_reason: { hard_bounce: 1, invalid_address: 1 },
    flagged_by_reason: { role_account: 1 },
    known_addresses: 12,
    removed_rows: [{ row: 2, address: "gone@example.com", removed: true, findings: [{ why: "hard_bounce", remove: true, evidence: "2024-03-02: 550 5.1.1 user unknown" }] }],
    flagged_rows: [{ row: 3, address: "info@example.com", removed: false, findings: [{ why: "role_account", remove: false, evidence: "info@ is a team address, not a person" }] }],
    warnings: [],
    written: [],
    dry_run: true,
    ...over,
  };
}

function cleanHandlers(settings: Map<string, string>): Record<string, Handler> {
  let policy = POLICY.map((l) => ({ ...l }));
  return {
    clean_detect: () => DETECTION,
    clean_policy: () => policy,
    clean_set_policy: (a) => {
      policy = policy.map((l) => (l.key === a.key ? { ...l, value: String(a.value) } : l));
      settings.set(`policy.${a.key}`, String(a.value));
      return policy;
    },
    clean_preview: () => cleanSummary(),
    clean_save: (a) => cleanSummary({ dry_run: false, written: [a.cleaned as string, a.removed as string, ...((a.suppressions as { path: string }[]) ?? []).map((x) => x.path)] }),
    clean_default_paths: (a) => [String(a.path).replace(/\.csv$/, ".cleaned.csv"), String(a.path).replace(/\.csv$/, ".removed.csv")],
  };
}

// ---- column mapping (src-tauri/src/commands/mapping.rs, import_job.rs) ----

export const MAPPING_VIEW: MappingView = {
  file: "/home/ana/export.csv",
  remembered: false,
  proposal: {
    kind: "csv",
    columns: [
      { name: "who", samples: ["ana@example.com", "bo@example.net"] },
      { name: "what", samples: ["gone away", "full"] },
      { name: "when", samples: ["2024-03-02 10:00"] },
    ],
    mapping: [{ field: "email", column: "who", how: "by content" }],
    signature: "abc",
    fields: ["email", "phone", "status", "reason", "code", "date", "campaign"],
  },
};

function mappingHandlers(): Record<string, Handler> {
  return {
    mapping_proposal: (a) => ({ ...MAPPING_VIEW, file: a.path }),
    import_mapped: () => undefined,
  };
}

/** Lets pending promises and their DOM updates run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}

export const byTestId = (root: ParentNode, id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);

// ---- bounce explorer fakes (explore_count / explore_page / explore_facets / explore_detail) ----

/** Row `i` of a made-up table, newest first: deterministic, so tests can name what they expect. */
export function fakeRow(i: number, over: Partial<EventRow> = {}): EventRow {
  const classes = ["hard", "soft", "block"];
  return {
    id: 1_000_000_000 - i,
    occurred_at: 1_760_000_000 - i * 60,
    recipient: `user${i}@example.com`,
    domain: "example.com",
    channel: "email",
    kind: "bounce",
    campaign_id: 1,
    campaign_key: "spring",
    campaign_name: "Spring sale",
    class: classes[i % 3],
    reason: "user_unknown",
    status: "5.1.1",
    reply_code: 550,
    provider: "postfix",
    diagnostic_preview: "550 5.1.1 user unknown",
    ...over,
  };
}

export function fakeDetail(row: EventRow, over: Partial<EventDetail> = {}): EventDetail {
  return {
    ...row,
    import_id: 1,
    import_file_name: "bounces.mbox",
    sent_at: null,
    rule: "status:5.1.1",
    evidence: "5.1.1",
    diagnostic: "550 5.1.1 user unknown",
    remote_mta: "mx.example.com",
    provider_label: null,
    original: { message_id: "<m1@example.com>", subject: "Spring sale", from: "news@shop.example", date: "2026-03-03T08:00:00Z", list_id: null, campaign_header: "spring" },
    source_file: "/home/ana/bounces.mbox",
    source_locator: "#12",
    source_offset: 4096,
    explain_key: `reason.${row.reason}.explain`,
    explain_en: "The mailbox does not exist.",
    ...over,
  };
}

/** Handlers over `total` made-up rows (row i as fakeRow(i), paging by offset or cursor). */
export function exploreHandlers(total: number, rowOf: (i: number) => EventRow = fakeRow): Record<string, Handler> {
  const index = (id: number) => 1_000_000_000 - id;
  return {
    explore_count: () => total,
    explore_facets: () => ({
      campaigns: total ? [{ id: 1, key: "spring", name: "Spring sale", count: total }] : [],
      classes: total ? [{ value: "hard", count: Math.ceil(total / 3) }, { value: "soft", count: Math.floor(total / 3) }] : [],
      reasons: total ? [{ value: "user_unknown", count: total }] : [],
      domains: total ? [{ value: "example.com", count: total }] : [],
      providers: total ? [{ value: "postfix", count: total }] : [],
      channels: total ? [{ value: "email", count: total }] : [],
    }),
    explore_page: (a) => {
      const at = a.at as { mode: string; offset?: number; cursor?: { id: number } };
      const start = at.mode === "offset" ? (at.offset ?? 0) : index(at.cursor?.id ?? 0) + 1;
      const end = Math.min(total, start + (a.limit as number));
      const rows: EventRow[] = [];
      for (let i = start; i < end; i++) rows.push(rowOf(i));
      return rows;
    },
    explore_detail: (a) => fakeDetail(rowOf(index(a.id as number))),
  };
}

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
