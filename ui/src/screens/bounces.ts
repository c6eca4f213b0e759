// The bounce explorer: every failure in a fast virtual table, filtered by campaign,
// class, reason, domain, date, provider, channel and a search box; dropdowns show
// how many rows each value would give (facets). Filters are remembered across
// restarts in the setting `ui.bounces.filters`. A row opens "why?".
import * as api from "../api";
import type { ApiError, ExploreFilter, Facets } from "../api";
import type { Screen } from "../app";
import { h, replace } from "../dom";
import { errorBox } from "../errors";
import { fmtNumber, t } from "../i18n";
import { VirtualTable } from "./bounces-table";
import { pageHeader, screenShell } from "./common";
import { openWhy } from "./why";
import "./bounces.css";

export const SETTING_FILTERS = "ui.bounces.filters";
const SEARCH_DEBOUNCE_MS = 250;

/** The filters the screen keeps; dates as the date inputs' yyyy-mm-dd text. */
export interface SavedFilters {
  campaign: number | null;
  class: string;
  reason: string;
  domain: string;
  provider: string;
  channel: string;
  from: string;
  to: string;
  search: string;
}

export const NO_FILTERS: SavedFilters = { campaign: null, class: "", reason: "", domain: "", provider: "", channel: "", from: "", to: "", search: "" };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the saved JSON defensively: a broken or old value gives the fields it can. */
export function parseSaved(json: string | null | undefined): SavedFilters {
  const out = { ...NO_FILTERS };
  if (!json) return out;
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return out;
  }
  if (!v || typeof v !== "object") return out;
  const o = v as Record<string, unknown>;
  if (typeof o.campaign === "number" && Number.isSafeInteger(o.campaign)) out.campaign = o.campaign;
  for (const k of ["class", "reason", "domain", "provider", "channel", "search"] as const) {
    if (typeof o[k] === "string") out[k] = (o[k] as string).slice(0, 200);
  }
  for (const k of ["from", "to"] as const) {
    if (typeof o[k] === "string" && DATE.test(o[k] as string)) out[k] = o[k] as string;
  }
  return out;
}

/** Local midnight of a yyyy-mm-dd date in Unix seconds; `plusDays` 1 gives the exclusive end. */
export function dayStart(date: string, plusDays = 0): number | null {
  if (!DATE.test(date)) return null;
  const [y, m, d] = date.split("-").map(Number);
  const ms = new Date(y, m - 1, d + plusDays).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

export function toFilter(s: SavedFilters): ExploreFilter {
  return {
    campaign_id: s.campaign,
    classes: s.class ? [s.class] : [],
    reasons: s.reason ? [s.reason] : [],
    domain: s.domain || null,
    provider: s.provider || null,
    channel: s.channel || null,
    from: s.from ? dayStart(s.from) : null,
    to: s.to ? dayStart(s.to, 1) : null,
    search: s.search.trim() || null,
  };
}

export function bouncesScreen(): Screen {
  const body = h("div", { class: "stack" }, h("p", { class: "muted" }, t("common.loading")));
  const el = screenShell("screen-bounces", pageHeader(t("bounces.title"), t("bounces.subtitle")), body);
  const view = new Explorer(body);
  return { el, ready: view.start(), dispose: () => view.dispose() };
}

class Explorer {
  private saved: SavedFilters = { ...NO_FILTERS };
  private table: VirtualTable;
  private filtersEl = h("div", { class: "bx-filters card", role: "search", testid: "bounces-filters" });
  private countEl = h("p", { class: "bx-count", role: "status", "aria-live": "polite", testid: "bounces-count" });
  private errorEl = h("div", {});
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private selects = new Map<string, HTMLSelectElement>();
  private dates = new Map<string, HTMLInputElement>();
  private searchEl = h("input", {
    type: "search",
    class: "input bx-search",
    id: "bx-search",
    placeholder: t("bounces.search.placeholder"),
    testid: "bounces-search",
    maxlength: "200",
    oninput: (e: Event) => {
      const v = (e.target as HTMLInputElement).value;
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.change({ search: v }), SEARCH_DEBOUNCE_MS);
    },
  });
  private clearBtn = h(
    "button",
    { type: "button", class: "btn btn-secondary", testid: "bounces-clear", onclick: () => this.change({ ...NO_FILTERS }) },
    t("bounces.filter.clear"),
  );
  private generation = 0;
  private disposed = false;
  /** Resolves when the current filter's count, facets and first rows are shown. */
  loaded: Promise<void> = Promise.resolve();

  constructor(private body: HTMLElement) {
    this.table = new VirtualTable({
      onOpen: (row, rowEl) => void openWhy(row.id, () => this.table.focusRow(rowEl)),
      onError: (e) => this.showError(e),
    });
  }

  async start(): Promise<void> {
    try {
      const s = await api.getSettings([SETTING_FILTERS]);
      this.saved = parseSaved(s[SETTING_FILTERS]);
    } catch {
      // Without the setting the explorer starts unfiltered; the query below shows any database error.
    }
    replace(this.body, this.filtersEl, this.countEl, this.errorEl, this.table.el);
    this.buildFilters();
    this.drawFilters(null);
    await this.refresh();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.searchTimer);
    this.table.dispose();
  }

  /** Count, facets and the first page for the current filters; a newer change wins. */
  refresh(): Promise<void> {
    const gen = ++this.generation;
    const filter = toFilter(this.saved);
    this.loaded = (async () => {
      try {
        const [total, facets] = await Promise.all([api.exploreCount(filter), api.exploreFacets(filter)]);
        if (gen !== this.generation || this.disposed) return;
        replace(this.errorEl);
        this.countEl.textContent = total === 0 ? t("bounces.count.none") : t("bounces.count", { count: fmtNumber(total) });
        this.drawFilters(facets);
        this.table.reset(filter, "newest_first", total);
        await this.table.settled;
      } catch (e) {
        if (gen === this.generation) this.showError(e as ApiError);
      }
    })();
    return this.loaded;
  }

  private showError(e: ApiError): void {
    replace(this.errorEl, errorBox(e, () => void this.refresh()));
  }

  private change(patch: Partial<SavedFilters>): void {
    // A pending search is applied with any other change instead of being lost.
    clearTimeout(this.searchTimer);
    if (patch.search === undefined) patch = { ...patch, search: this.searchEl.value };
    else if (patch.search !== this.searchEl.value) this.searchEl.value = patch.search;
    this.saved = { ...this.saved, ...patch };
    void api.setSetting(SETTING_FILTERS, JSON.stringify(this.saved)).catch(() => undefined);
    void this.refresh();
  }

  /** Builds the filter bar once: its controls stay in place (focus, caret) while counts change. */
  private buildFilters(): void {
    const field = (name: string, control: HTMLElement, extra = "") =>
      h("div", { class: `bx-field ${extra}` }, h("label", { for: `bx-${name}` }, t(`bounces.filter.${name}`)), control);
    const selects = (["campaign", "class", "reason", "domain", "provider", "channel"] as const).map((name) => {
      const el = h("select", {
        class: "select",
        id: `bx-${name}`,
        testid: `bounces-filter-${name}`,
        onchange: (e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          this.change(name === "campaign" ? { campaign: v ? Number(v) : null } : { [name]: v });
        },
      });
      this.selects.set(name, el);
      return field(name, el);
    });
    const dates = (["from", "to"] as const).map((name) => {
      const el = h("input", {
        type: "date",
        class: "input",
        id: `bx-${name}`,
        testid: `bounces-filter-${name}`,
        onchange: (e: Event) => {
          const v = (e.target as HTMLInputElement).value;
          this.change({ [name]: DATE.test(v) ? v : "" });
        },
      });
      this.dates.set(name, el);
      return field(name, el);
    });
    replace(this.filtersEl, field("search", this.searchEl, "bx-search-field"), ...selects, ...dates, h("div", { class: "bx-field bx-clear" }, this.clearBtn));
  }

  /** Puts the saved values and the facet counts into the controls; `facets` null while loading. */
  private drawFilters(facets: Facets | null): void {
    const s = this.saved;
    const count = (n: number) => ` (${fmtNumber(n)})`;
    const opts = (list: { value: string; count: number }[] | undefined, label: (v: string) => string) =>
      (list ?? []).map((f) => ({ value: f.value, label: label(f.value) + count(f.count) }));
    const options: Record<string, { value: string; label: string }[]> = {
      campaign: (facets?.campaigns ?? [])
        .filter((c) => c.id !== null)
        .map((c) => ({ value: String(c.id), label: (c.name || c.key || `#${c.id}`) + count(c.count) })),
      class: opts(facets?.classes, (v) => t(`class.${v}`)),
      reason: opts(facets?.reasons, (v) => t(`bounces.reason.${v}`)),
      domain: opts(facets?.domains, (v) => v),
      provider: opts(facets?.providers, (v) => v),
      channel: opts(facets?.channels, (v) => t(`bounces.channel.${v}`)),
    };
    for (const [name, el] of this.selects) {
      const value = name === "campaign" ? (s.campaign === null ? "" : String(s.campaign)) : s[name as "class"];
      fillSelect(el, value, options[name]);
    }
    for (const [name, el] of this.dates) {
      if (document.activeElement !== el) el.value = s[name as "from" | "to"];
    }
    if (document.activeElement !== this.searchEl && this.searchEl.value !== s.search) this.searchEl.value = s.search;
    this.clearBtn.disabled = JSON.stringify(s) === JSON.stringify(NO_FILTERS);
  }
}

function fillSelect(el: HTMLSelectElement, value: string, options: { value: string; label: string }[]): void {
  replace(el, h("option", { value: "" }, t("bounces.filter.any")), ...options.map((o) => h("option", { value: o.value }, o.label)));
  // A saved value with no rows under the other filters stays selected (and shows 0).
  if (value && !options.some((o) => o.value === value)) el.appendChild(h("option", { value }, `${value} (0)`));
  el.value = value;
}
