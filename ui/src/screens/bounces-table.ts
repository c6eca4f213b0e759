// The explorer's virtual table: only the rows in view exist in the DOM, pages of
// rows are fetched as the user scrolls (by cursor when the page before is known,
// else by row number), so 1,000,000 rows scroll like 100. Keyboard: arrows,
// Page Up/Down, Home/End move the focused row; Enter opens it.
import * as api from "../api";
import type { EventRow, ExploreFilter, ExploreSort, PageAt } from "../api";
import { h, replace } from "../dom";
import { lang, t } from "../i18n";

export const ROW_H = 40;
export const PAGE = 100;
/** Browsers stop laying out past ~33 million pixels: taller lists scroll on a scale. */
const MAX_PX = 8_000_000;
const OVERSCAN = 6;
/** Pages kept in memory (100 rows each); the oldest used are dropped. */
const KEEP_PAGES = 60;

export const COLUMNS = ["date", "recipient", "class", "reason", "campaign", "provider", "channel"] as const;

let dateFmt: { lang: string; fmt: Intl.DateTimeFormat } | null = null;

/** A compact date and time for a narrow column, in the chosen language (one formatter reused). */
function shortDate(unixSeconds: number): string {
  if (dateFmt?.lang !== lang()) dateFmt = { lang: lang(), fmt: new Intl.DateTimeFormat(lang(), { dateStyle: "short", timeStyle: "short" }) };
  return dateFmt.fmt.format(new Date(unixSeconds * 1000));
}

export interface TableOpts {
  onOpen(row: EventRow, el: HTMLElement): void;
  onError(e: api.ApiError): void;
}

export class VirtualTable {
  readonly el: HTMLElement;
  private viewport: HTMLElement;
  private spacer: HTMLElement;
  private body: HTMLElement;
  private total = 0;
  private filter: ExploreFilter = {};
  private sort: ExploreSort = "newest_first";
  private pages = new Map<number, EventRow[]>();
  private loading = new Set<number>();
  private generation = 0;
  private active = 0;
  private frame = 0;
  /** Resolves when the pages in view have arrived (tests and e2e wait on it). */
  settled: Promise<void> = Promise.resolve();

  constructor(private opts: TableOpts) {
    const head = h(
      "div",
      { class: "vt-row vt-head", role: "row" },
      ...COLUMNS.map((c) => h("div", { class: `vt-cell vt-${c}`, role: "columnheader" }, t(`bounces.col.${c}`))),
    );
    this.spacer = h("div", { class: "vt-spacer" });
    this.body = h("div", { class: "vt-body", role: "rowgroup" });
    this.viewport = h(
      "div",
      { class: "vt-viewport", testid: "bounces-viewport", tabindex: "-1", onscroll: () => this.schedule(), onkeydown: (e: Event) => this.onKey(e as KeyboardEvent) },
      this.spacer,
      this.body,
    );
    this.el = h(
      "div",
      { class: "vt card", role: "grid", "aria-label": t("bounces.table.label"), "aria-rowcount": "0", testid: "bounces-table" },
      h("div", { role: "rowgroup" }, head),
      this.viewport,
    );
  }

  /** New filter or order: forget every page and start at the top. */
  reset(filter: ExploreFilter, sort: ExploreSort, total: number): void {
    this.generation++;
    this.filter = filter;
    this.sort = sort;
    this.total = total;
    this.pages.clear();
    this.loading.clear();
    this.active = 0;
    this.el.setAttribute("aria-rowcount", String(total));
    this.spacer.style.height = `${Math.min(total * ROW_H, MAX_PX)}px`;
    this.viewport.scrollTop = 0;
    this.render();
  }

  private scaled(): boolean {
    return this.total * ROW_H > MAX_PX;
  }

  private visibleCount(): number {
    return Math.max(1, Math.ceil((this.viewport.clientHeight || 600) / ROW_H));
  }

  /** The first row in view and where its top sits inside the viewport's content. */
  private firstRow(): { first: number; top: number } {
    const st = this.viewport.scrollTop;
    if (!this.scaled()) return { first: Math.floor(st / ROW_H), top: Math.floor(st / ROW_H) * ROW_H };
    const range = Math.max(1, MAX_PX - (this.viewport.clientHeight || 600));
    const first = Math.round((Math.min(st, range) / range) * Math.max(0, this.total - this.visibleCount()));
    return { first, top: st };
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const { first, top } = this.firstRow();
    const start = Math.max(0, first - (this.scaled() ? 0 : OVERSCAN));
    const end = Math.min(this.total, first + this.visibleCount() + OVERSCAN);
    const rows: HTMLElement[] = [];
    const missing = new Set<number>();
    for (let i = start; i < end; i++) {
      const row = this.rowAt(i);
      if (!row) missing.add(Math.floor(i / PAGE));
      rows.push(this.rowEl(i, row));
    }
    this.body.style.transform = `translateY(${this.scaled() ? top : start * ROW_H}px)`;
    const hadFocus = this.body.contains(document.activeElement);
    replace(this.body, ...rows);
    if (hadFocus) this.focusActive();
    if (missing.size > 0) this.settled = Promise.all([...missing].map((p) => this.load(p))).then(() => undefined);
  }

  rowAt(i: number): EventRow | undefined {
    return this.pages.get(Math.floor(i / PAGE))?.[i % PAGE];
  }

  private rowEl(i: number, row: EventRow | undefined): HTMLElement {
    const attrs = {
      class: i === this.active ? "vt-row vt-data active" : "vt-row vt-data",
      role: "row",
      "aria-rowindex": String(i + 1),
      tabindex: i === this.active ? "0" : "-1",
      "data-index": String(i),
    };
    if (!row) return h("div", { ...attrs, class: `${attrs.class} vt-loading`, testid: "bounces-row-loading" }, h("div", { class: "vt-cell vt-placeholder", role: "gridcell" }, "…"));
    const campaign = row.campaign_name || row.campaign_key || "—";
    const el = h(
      "div",
      { ...attrs, testid: "bounces-row", onclick: () => this.open(i), onfocus: () => this.setActive(i, false) },
      h("div", { class: "vt-cell vt-date", role: "gridcell" }, row.occurred_at === null ? t("common.unknown") : shortDate(row.occurred_at)),
      h("div", { class: "vt-cell vt-recipient", role: "gridcell", testid: "bounces-cell-recipient" }, row.recipient),
      h("div", { class: "vt-cell vt-class", role: "gridcell" }, h("span", { class: `badge class-pill class-${row.class}`, testid: "bounces-cell-class" }, t(`class.${row.class}`))),
      h("div", { class: "vt-cell vt-reason", role: "gridcell", testid: "bounces-cell-reason" }, t(`bounces.reason.${row.reason}`)),
      h("div", { class: "vt-cell vt-campaign", role: "gridcell" }, campaign),
      h("div", { class: "vt-cell vt-provider", role: "gridcell" }, row.provider ?? "—"),
      h("div", { class: "vt-cell vt-channel", role: "gridcell" }, t(`bounces.channel.${row.channel}`)),
    );
    return el;
  }

  /** Fetches page `p`: after the last row of page p-1 when known (constant cost), else by offset. */
  private async load(p: number): Promise<void> {
    if (this.loading.has(p) || this.pages.has(p)) return;
    this.loading.add(p);
    const gen = this.generation;
    const before = this.pages.get(p - 1);
    const last = before && before.length === PAGE ? before[PAGE - 1] : undefined;
    const at: PageAt = last ? { mode: "after", cursor: { at: last.occurred_at ?? 0, id: last.id } } : { mode: "offset", offset: p * PAGE };
    try {
      const rows = await api.explorePage(this.filter, this.sort, at, PAGE);
      if (gen !== this.generation) return;
      this.pages.set(p, rows);
      this.evict(p);
      this.render();
    } catch (e) {
      if (gen === this.generation) this.opts.onError(e as api.ApiError);
    } finally {
      if (gen === this.generation) this.loading.delete(p);
    }
  }

  private evict(keep: number): void {
    if (this.pages.size <= KEEP_PAGES) return;
    const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - keep) - Math.abs(a - keep));
    for (const p of far.slice(0, this.pages.size - KEEP_PAGES)) this.pages.delete(p);
  }

  private open(i: number): void {
    const row = this.rowAt(i);
    this.setActive(i, false);
    const el = this.body.querySelector<HTMLElement>(`[data-index="${i}"]`);
    if (row && el) this.opts.onOpen(row, el);
  }

  private setActive(i: number, focus: boolean): void {
    const next = Math.max(0, Math.min(this.total - 1, i));
    if (next !== this.active) {
      this.body.querySelectorAll<HTMLElement>(".vt-data").forEach((r) => {
        const me = Number(r.dataset.index) === next;
        r.tabIndex = me ? 0 : -1;
        r.classList.toggle("active", me);
      });
      this.active = next;
    }
    if (focus) this.scrollIntoView(next);
  }

  private scrollIntoView(i: number): void {
    const vh = this.viewport.clientHeight || 600;
    if (this.scaled()) {
      const range = Math.max(1, MAX_PX - vh);
      this.viewport.scrollTop = (i / Math.max(1, this.total - this.visibleCount())) * range;
    } else if (i * ROW_H < this.viewport.scrollTop) {
      this.viewport.scrollTop = i * ROW_H;
    } else if ((i + 1) * ROW_H > this.viewport.scrollTop + vh) {
      this.viewport.scrollTop = (i + 1) * ROW_H - vh;
    }
    this.render();
    this.focusActive();
  }

  private focusActive(): void {
    this.body.querySelector<HTMLElement>(`[data-index="${this.active}"]`)?.focus({ preventScroll: true });
  }

  private onKey(e: KeyboardEvent): void {
    const page = this.visibleCount() - 1;
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) this.setActive(this.active + moves[e.key], true);
    else if (e.key === "Home") this.setActive(0, true);
    else if (e.key === "End") this.setActive(this.total - 1, true);
    else if (e.key === "Enter" && (e.target as HTMLElement).classList.contains("vt-data")) this.open(this.active);
    else return;
    e.preventDefault();
  }

  /** Puts focus back on a row (after the "why?" dialog closes), or on the table. */
  focusRow(el: HTMLElement | null): void {
    if (el?.isConnected) el.focus();
    else this.focusActive();
  }

  dispose(): void {
    this.generation++;
    if (this.frame) cancelAnimationFrame(this.frame);
  }
}
