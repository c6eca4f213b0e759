// Pieces every screen uses: the page header, the data location line, a progress bar.
import type { DataLocation } from "../api";
import { h, type Child } from "../dom";
import { t } from "../i18n";

export function pageHeader(title: string, subtitle?: string, ...actions: Child[]): HTMLElement {
  return h(
    "header",
    { class: "page-header" },
    h("div", {}, h("h1", { class: "page-title" }, title), subtitle && h("p", { class: "page-subtitle" }, subtitle)),
    actions.length > 0 && h("div", { class: "page-actions" }, ...actions),
  );
}

export function dataLocationLine(loc: DataLocation): HTMLElement {
  return h(
    "p",
    { class: "data-location", testid: "data-location" },
    h("span", { class: "muted" }, t("dash.dataLocation")),
    " ",
    h("code", { class: "path", testid: "data-location-path" }, loc.db_path),
  );
}

export function screenShell(testid: string, ...children: Child[]): HTMLElement {
  return h("section", { class: "screen", testid }, ...children);
}

/** A bar over bytes done of bytes total (0% while the total is unknown), for screens that read files. */
export function progressBar(doneBytes: number, totalBytes: number, testid: string, label?: string): HTMLElement {
  const pct = totalBytes > 0 ? Math.min(100, (100 * doneBytes) / totalBytes) : 0;
  const fill = h("div", { class: "progress-fill" });
  fill.style.width = `${pct.toFixed(1)}%`;
  return h(
    "div",
    { class: "progress", role: "progressbar", "aria-label": label, "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": pct.toFixed(0), testid },
    fill,
  );
}
