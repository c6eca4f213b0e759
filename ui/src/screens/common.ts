// Pieces every screen uses: the page header and the data location line.
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
