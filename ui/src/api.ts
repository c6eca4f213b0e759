// The ONE place that talks to the Rust side: every `invoke`, every event and
// every native dialog goes through here, with its types. Tests swap the backend
// for a fake with `setBackend`.
import { invoke as tauriInvoke } from "@tauri-apps/api/core";
import { listen as tauriListen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";

// ---- types mirrored from the Rust library (serde) -------------------------

/** Every command failure: `code` is stable, `message` is the library's sentence. */
export interface ApiError {
  code: string;
  message: string;
}

export interface ClassCount {
  class: string;
  count: number;
}

/** rebound::store::Overview */
export interface Overview {
  imports: number;
  events: number;
  campaigns: number;
  recipients: number;
  by_class: ClassCount[];
}

/** rebound::store::ImportRecord */
export interface ImportRecord {
  id: number;
  file_name: string;
  file_path: string;
  size_bytes: number;
  sha256: string;
  format: string;
  provider: string | null;
  started_at: number;
  finished_at: number | null;
  events_seen: number;
  events_added: number;
  problems: number;
}

/** rebound::store::ProblemRow */
export interface ProblemRow {
  locator: string;
  message: string;
}

/** rebound::ingest::Detection */
export interface Detection {
  format: string;
  family: "mailbox" | "report" | "contacts";
  provider: string | null;
  confidence: number;
  why: string;
}

/** rebound::import::Progress (event `import-progress`) */
export interface Progress {
  file: string;
  file_index: number;
  file_count: number;
  done_bytes: number;
  total_bytes: number;
  events: number;
  elapsed_ms: number;
}

/** rebound::import::FileOutcome */
export interface FileOutcome {
  file: string;
  import_id: number | null;
  detection: Detection | null;
  events_seen: number;
  events_added: number;
  problems: ProblemRow[];
  error: string | null;
  error_code: string | null;
}

/** Event `import-finished` (src-tauri/src/import_job.rs) */
export interface ImportFinished {
  outcomes: FileOutcome[];
  cancelled: boolean;
  elapsed_ms: number;
  error: ApiError | null;
}

export interface DataLocation {
  db_path: string;
  folder: string;
  size_bytes: number | null;
  app_version: string;
  /** True while the demo database is shown; user_db_path is the user's own file. */
  demo?: boolean;
  user_db_path?: string;
}

/** rebound::report::Level */
export type Level = "unknown" | "ok" | "amber" | "red";

/** rebound::report::Check: `key`/`action_key` are translation keys, `text`/`action` English. */
export interface Check {
  metric: string;
  level: Level;
  value: number | null;
  key: string;
  action_key: string;
  params: Record<string, string>;
  text: string;
  action: string;
}

export interface Health {
  level: Level;
  checks: Check[];
}

/** rebound::report::Rates: each count ÷ sent; null when sent is unknown. */
export interface Rates {
  delivered: number | null;
  hard: number | null;
  soft: number | null;
  block: number | null;
  bounce: number | null;
  complaint: number | null;
  unsubscribe: number | null;
  deferred: number | null;
}

/** rebound::report::Summary (the fields the window reads). */
export interface Summary {
  campaign_id: number | null;
  campaign_key: string | null;
  campaign_name: string | null;
  channel: string | null;
  sent: number | null;
  counts: Record<string, number>;
  rates: Rates;
  block_share: number | null;
  health: Health;
}

/** rebound::report::Report (the fields the window reads). */
export interface Report {
  campaign: number | null;
  campaigns: Summary[];
  total: Summary;
}

export type ChartKind = "trend" | "rates" | "reasons" | "domains" | "delay" | "campaigns";

export type DropEvent = { type: "enter"; paths: string[] } | { type: "over" } | { type: "drop"; paths: string[] } | { type: "leave" };

export interface FileFilter {
  name: string;
  extensions: string[];
}

// ---- the backend seam -----------------------------------------------------

export interface Backend {
  invoke<T>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  listen<T>(event: string, cb: (payload: T) => void): Promise<() => void>;
  pickPaths(opts: { directory: boolean; title: string; filters?: FileFilter[] }): Promise<string[] | null>;
  pickSavePath(opts: { title: string; defaultPath?: string; filters?: FileFilter[] }): Promise<string | null>;
  onDrop(cb: (ev: DropEvent) => void): Promise<() => void>;
}

export const tauriBackend: Backend = {
  invoke: (cmd, args) => tauriInvoke(cmd, args),
  listen: async (event, cb) => tauriListen(event, (e) => cb(e.payload as never)),
  pickPaths: async ({ directory, title, filters }) => {
    const picked = await openDialog({ multiple: true, directory, title, filters });
    if (picked === null) return null;
    return Array.isArray(picked) ? picked : [picked];
  },
  pickSavePath: ({ title, defaultPath, filters }) => saveDialog({ title, defaultPath, filters }),
  onDrop: (cb) =>
    getCurrentWebview().onDragDropEvent((e) => {
      const p = e.payload;
      if (p.type === "enter" || p.type === "drop") cb({ type: p.type, paths: p.paths });
      else cb({ type: p.type });
    }),
};

let backend: Backend = tauriBackend;

export function setBackend(b: Backend): void {
  backend = b;
}

/** Whatever a command rejected with, as `{code, message}`. */
export function toApiError(e: unknown): ApiError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const o = e as { code: unknown; message: unknown };
    return { code: String(o.code), message: String(o.message) };
  }
  return { code: "internal", message: e instanceof Error ? e.message : String(e) };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await backend.invoke<T>(cmd, args);
  } catch (e) {
    throw toApiError(e);
  }
}

// ---- commands (src-tauri/src/commands/, import_job.rs) ------------------

export const overview = () => call<Overview>("overview");
export const listImports = () => call<ImportRecord[]>("list_imports");
export const importProblems = (importId: number) => call<ProblemRow[]>("import_problems", { importId });
export const removeImport = (importId: number) => call<boolean>("remove_import", { importId });
export const getSettings = (keys: string[]) => call<Record<string, string | null>>("get_settings", { keys });
export const setSetting = (key: string, value: string) => call<void>("set_setting", { key, value });
export const dataLocation = () => call<DataLocation>("data_location");
export const backupDatabase = (dest: string) => call<BackupInfo>("backup_database", { dest });
/** Starts an import in the background; follow it with onImportProgress / onImportFinished. */
export const importFiles = (paths: string[]) => call<void>("import_files", { paths });
export const cancelImport = () => call<boolean>("cancel_import");
export const reportSummary = (campaign: number | null = null) => call<Report>("report_summary", { campaign });
/** An SVG document drawn by rebound::chart; show it with svgNode/an <img>, never innerHTML. */
export const chartSvg = (kind: ChartKind, campaign: number | null, width: number, height: number, theme: "light" | "dark") =>
  call<string>("chart_svg", { kind, campaign, width, height, theme });

// ---- events ---------------------------------------------------------------

export const onImportProgress = (cb: (p: Progress) => void) => backend.listen<Progress>("import-progress", cb);
export const onImportFinished = (cb: (f: ImportFinished) => void) => backend.listen<ImportFinished>("import-finished", cb);
export const onDrop = (cb: (ev: DropEvent) => void) => backend.onDrop(cb);

// ---- native dialogs ---------------------------------------------------------

export const IMPORT_FILTERS: FileFilter[] = [
  { name: "mbox, eml, zip, csv, json", extensions: ["mbox", "mbx", "eml", "msg", "zip", "csv", "tsv", "txt", "json", "jsonl", "ndjson"] },
];

export const pickImportFiles = (title: string, filterName: string) =>
  backend.pickPaths({ directory: false, title, filters: [{ ...IMPORT_FILTERS[0], name: filterName }, { name: "*", extensions: ["*"] }] });
export const pickImportFolder = (title: string) => backend.pickPaths({ directory: true, title });
export const pickSavePath = (title: string, defaultPath?: string, filters?: FileFilter[]) =>
  backend.pickSavePath({ title, defaultPath, filters });

// ---- app shell: welcome, demo, settings (src-tauri/src/commands/{demo,settings}.rs) ----

/** commands::demo::AppStatus */
export interface AppStatus {
  demo: boolean;
  has_data: boolean;
  db_path: string;
}

/** rebound::store::BackupInfo */
export interface BackupInfo {
  schema_version: number;
  imports: number;
  events: number;
}

/** rebound::report::Thresholds: rates as fractions (0.02 = 2 %). */
export interface Thresholds {
  hard_red: number;
  hard_amber: number;
  complaint_red: number;
  complaint_amber: number;
  block_share_rise: number;
  block_min: number;
}

/** rebound::clean::Policy (switches and the two soft-bounce numbers). */
export type Policy = Record<string, boolean | number>;

/** commands::settings::Preferences */
export interface Preferences {
  time_zone: string;
  thresholds: Thresholds;
  policy: Policy;
}

/** commands::settings::Deleted */
export interface Deleted {
  backup_path: string;
  events: number;
}

export const appStatus = () => call<AppStatus>("app_status");
/** Builds the demo database if needed (about a second) and shows it. */
export const openDemo = () => call<AppStatus>("open_demo");
export const closeDemo = () => call<AppStatus>("close_demo");
export const preferences = () => call<Preferences>("preferences");
/** Returns the zone's normalized name. */
export const setTimeZone = (zone: string) => call<string>("set_time_zone", { zone });
export const setThresholds = (thresholds: Thresholds) => call<void>("set_thresholds", { thresholds });
export const setPolicyValue = (key: string, value: string) => call<Policy>("set_policy_value", { key, value });
export const restoreDatabase = (src: string) => call<BackupInfo>("restore_database", { src });
export const deleteAllData = () => call<Deleted>("delete_all_data");
/** Saves `ui.last_screen` in the user's own data file (also while the demo is shown). */
export const rememberScreen = (screen: string) => call<void>("remember_screen", { screen });
/** One existing file chosen in the native open dialog, or null. */
export const pickOpenFile = async (title: string, filters?: FileFilter[]) => {
  const picked = await backend.pickPaths({ directory: false, title, filters });
  return picked && picked.length > 0 ? picked[0] : null;
};
