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
  /** What the reader assumed about the whole file (zone of zone-less times, day/month order); not problems. */
  notes?: string[];
  error: string | null;
  error_code: string | null;
}

/** Event `import-finished` (src-tauri/src/import_job.rs) */
export interface ImportFinished {
  outcomes: FileOutcome[];
  cancelled: boolean;
  elapsed_ms: number;
  error: ApiError | null;
  /** Per outcome: offer "Map columns" (read by the generic mapper, or not recognized but has named columns). */
  mappable?: boolean[];
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
  /** rebound::report::SentSource: "summary" (a report or typed in), "sent_events", "mixed", "unknown". */
  sent_source?: string;
  delivered?: number | null;
  recipients_affected?: number;
  first_event?: number | null;
  last_event?: number | null;
}

/** rebound::report::Report (the fields the window reads). */
export interface Report {
  campaign: number | null;
  campaigns: Summary[];
  total: Summary;
  reasons?: Breakdown;
  domains?: Breakdown;
  delay?: DelayHistogram;
  comparison?: Comparison | null;
}

/** rebound::report::BreakdownRow / Breakdown (by reason, domain, provider, MTA). */
export interface BreakdownRow {
  value: string;
  counts: Record<string, number>;
  total: number;
  share: number | null;
}

export interface Breakdown {
  dimension: string;
  rows: BreakdownRow[];
  other: BreakdownRow | null;
  total: number;
}

export interface DelayHistogram {
  buckets: { key: string; label: string; count: number }[];
  unknown: number;
}

/** rebound::report::Comparison: each rate against the mean of up to 3 earlier campaigns. */
export interface Comparison {
  campaign_id: number;
  previous: number[];
  deltas: { metric: string; current: number | null; previous: number | null; delta: number | null }[];
}

/** rebound::report::Sparkline: bounces per local day (or per `days_per_point` days). */
export interface Sparkline {
  campaign_id: number;
  start: string;
  days_per_point: number;
  hard: number[];
  soft: number[];
  block: number[];
}

/** rebound::explore::CampaignRecipient */
export interface CampaignRecipient {
  recipient: string;
  class: string;
  reason: string;
  last_at: number | null;
  events: number;
}

export interface RecipientsPage {
  total: number;
  offset: number;
  rows: CampaignRecipient[];
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

// ---- report, charts, campaigns (src-tauri/src/commands/report.rs) ---------

export const reportSummary = (campaign: number | null = null) => call<Report>("report_summary", { campaign });
/**
 * An SVG document drawn by rebound::chart, its text from `labels` (chart text by key, in the
 * window's language). Show it through report-view's svg copy, never innerHTML.
 */
export const chartSvg = (kind: ChartKind, campaign: number | null, width: number, height: number, theme: "light" | "dark", labels?: Record<string, string>) =>
  call<string>("chart_svg", { kind, campaign, width, height, theme, ...(labels ? { labels } : {}) });
export const campaignSparklines = (points: number) => call<Sparkline[]>("campaign_sparklines", { points });
export const campaignRecipients = (campaign: number, offset: number, limit: number) =>
  call<RecipientsPage>("campaign_recipients", { campaign, offset, limit });
/** Stores the sent count the user typed in (null clears a typed-in count). */
export const setCampaignSent = (campaign: number, sent: number | null) => call<void>("set_campaign_sent", { campaign, sent });

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

// ---- bounce explorer (src-tauri/src/commands/explore.rs, rebound::explore) ----

/** rebound::explore::Filter: empty lists / null mean "any". Times are Unix seconds, `to` exclusive. */
export interface ExploreFilter {
  campaign_id?: number | null;
  classes?: string[];
  reasons?: string[];
  domain?: string | null;
  provider?: string | null;
  channel?: string | null;
  from?: number | null;
  to?: number | null;
  search?: string | null;
  kinds?: string[];
}

export type ExploreSort = "newest_first" | "oldest_first";

/** Where a page starts: a row number, or just after a row already shown (cheap at any depth). */
export type PageAt = { mode: "offset"; offset: number } | { mode: "after"; cursor: { at: number; id: number } };

/** rebound::explore::EventRow: text fields come from strangers' mail; insert as text only. */
export interface EventRow {
  id: number;
  occurred_at: number | null;
  recipient: string;
  domain: string;
  channel: string;
  kind: string;
  campaign_id: number | null;
  campaign_key: string | null;
  campaign_name: string | null;
  class: string;
  reason: string;
  status: string | null;
  reply_code: number | null;
  provider: string | null;
  diagnostic_preview: string | null;
}

/** rebound::model::OriginalMessage: headers of the message that bounced (hostile text). */
export interface OriginalMessage {
  message_id: string | null;
  subject: string | null;
  from: string | null;
  date: string | null;
  list_id: string | null;
  campaign_header: string | null;
}

/** rebound::explore::EventDetail: everything the "why?" dialog shows. */
export interface EventDetail {
  id: number;
  import_id: number;
  import_file_name: string | null;
  channel: string;
  kind: string;
  recipient: string;
  domain: string;
  campaign_id: number | null;
  campaign_key: string | null;
  campaign_name: string | null;
  occurred_at: number | null;
  sent_at: number | null;
  class: string;
  reason: string;
  rule: string;
  evidence: string;
  status: string | null;
  reply_code: number | null;
  diagnostic: string | null;
  remote_mta: string | null;
  provider: string | null;
  provider_label: string | null;
  original: OriginalMessage | null;
  source_file: string;
  source_locator: string;
  source_offset: number | null;
  explain_key: string;
  explain_en: string;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface CampaignFacet {
  id: number | null;
  key: string | null;
  name: string | null;
  count: number;
}

/** rebound::explore::Facets: each dimension counted without its own filter. */
export interface Facets {
  campaigns: CampaignFacet[];
  classes: FacetCount[];
  reasons: FacetCount[];
  domains: FacetCount[];
  providers: FacetCount[];
  channels: FacetCount[];
}

export const exploreCount = (filter: ExploreFilter) => call<number>("explore_count", { filter });
export const explorePage = (filter: ExploreFilter, sort: ExploreSort, at: PageAt, limit: number) =>
  call<EventRow[]>("explore_page", { filter, sort, at, limit });
export const exploreFacets = (filter: ExploreFilter) => call<Facets>("explore_facets", { filter });
export const exploreDetail = (id: number) => call<EventDetail>("explore_detail", { id });

// ---- clean a list (src-tauri/src/commands/clean.rs over rebound::clean) ----

/** rebound::clean::columns::ColumnInfo */
export interface ColumnInfo {
  index: number;
  name: string | null;
  samples: string[];
  email_share: number;
  phone_share: number;
}

/** rebound::clean::ColumnGuess (`why` is English; the window words it itself) */
export interface ColumnGuess {
  index: number;
  name: string | null;
  why: string;
}

/** rebound::clean::ColumnDetection */
export interface ColumnDetection {
  layout: { encoding: string; delimiter: number; has_header: boolean; line_ending: string };
  encoding: string;
  delimiter: string;
  columns: ColumnInfo[];
  email: ColumnGuess | null;
  phone: ColumnGuess | null;
}

/** rebound::clean::PolicyLine: `value` is "true"/"false" or a number of days. */
export interface PolicyLine {
  key: string;
  value: string;
  text_key: string;
  text: string;
}

export interface CleanFinding {
  why: string;
  remove: boolean;
  evidence: string;
}

export interface CleanRow {
  row: number;
  address: string;
  removed: boolean;
  findings: CleanFinding[];
}

/** rebound::clean::Summary (the fields the window reads). */
export interface CleanSummary {
  input: string;
  detection: ColumnDetection;
  rows: number;
  kept: number;
  removed: number;
  flagged: number;
  rows_without_address: number;
  removed_by_reason: Record<string, number>;
  flagged_by_reason: Record<string, number>;
  known_addresses: number;
  removed_rows: CleanRow[];
  flagged_rows: CleanRow[];
  warnings: string[];
  written: string[];
  dry_run: boolean;
}

/** What the user corrected about the list; null/undefined = detected. */
export interface ListChoice {
  email_column?: string | null;
  phone_column?: string | null;
  has_header?: boolean | null;
  delimiter?: string | null;
}

export interface SuppressionOut {
  format: string;
  path: string;
}

export const cleanDetect = (path: string, choice: ListChoice = {}) => call<ColumnDetection>("clean_detect", { path, choice });
export const cleanPolicy = () => call<PolicyLine[]>("clean_policy");
export const cleanSetPolicy = (key: string, value: string) => call<PolicyLine[]>("clean_set_policy", { key, value });
export const cleanPreview = (path: string, choice: ListChoice = {}) => call<CleanSummary>("clean_preview", { path, choice });
export const cleanSave = (path: string, choice: ListChoice, cleaned: string, removed: string, suppressions: SuppressionOut[]) =>
  call<CleanSummary>("clean_save", { path, choice, cleaned, removed, suppressions });
/** [cleaned, removed] names next to the list, proposed in the save dialogs. */
export const cleanDefaultPaths = (path: string) => call<[string, string]>("clean_default_paths", { path });
/** rebound::clean::CleanProgress (event `clean-progress`, throttled). */
export interface CleanProgress {
  rows: number;
  done_bytes: number;
  total_bytes: number;
}
export const onCleanProgress = (cb: (p: CleanProgress) => void) => backend.listen<CleanProgress>("clean-progress", cb);
/** Stops the running preview or save (it then fails with code "cancelled", nothing written). */
export const cleanCancel = () => call<boolean>("clean_cancel");
export const CONTACT_FILTERS: FileFilter[] = [{ name: "CSV", extensions: ["csv", "tsv", "txt"] }];
/** The native open dialog for one contact list; null when cancelled. */
export const pickContactList = async (title: string): Promise<string | null> => {
  const picked = await backend.pickPaths({ directory: false, title, filters: [...CONTACT_FILTERS, { name: "*", extensions: ["*"] }] });
  return picked && picked.length > 0 ? picked[0] : null;
};

// ---- column mapping for unknown reports (src-tauri/src/commands/mapping.rs, import_job.rs) ----

/** rebound::ingest::esp::generic::proposal::Proposal */
export interface MappingProposal {
  kind: "csv" | "json";
  columns: { name: string; samples: string[] }[];
  /** how: "" (by its name), "by content", "given" (remembered or chosen) */
  mapping: { field: string; column: string; how: string }[];
  signature: string;
  fields: string[];
}

export interface MappingView {
  file: string;
  proposal: MappingProposal;
  remembered: boolean;
}

export const mappingProposal = (path: string) => call<MappingView>("mapping_proposal", { path });
/** Remembers the mapping for this column layout and imports the file again with it (replacing `replaceImport`); follow it with the import events. */
export const importMapped = (path: string, mapping: [string, string][], replaceImport: number | null) =>
  call<void>("import_mapped", { path, mapping, replaceImport });

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
