// The cards of the clean screen: columns found, the policy switches, the preview
// counts and what was saved. Data (column names, samples, addresses, evidence)
// is inserted as text only.
import type { CleanRow, CleanSummary, ColumnDetection, ColumnInfo, ListChoice, PolicyLine } from "../api";
import { h } from "../dom";
import { fmtNumber, t } from "../i18n";

/** Rows of removed / flagged addresses listed on screen (the files have them all). */
const ROWS_SHOWN = 20;

const DAY_KEYS = ["soft_days", "soft_window_days"];

const colName = (c: ColumnInfo) => c.name ?? t("clean.columns.numbered", { n: c.index + 1 });

export function columnsCard(d: ColumnDetection, choice: ListChoice, onChoice: (c: ListChoice) => void): HTMLElement {
  const select = (id: string, current: number | null, allowNone: boolean, change: (v: string) => void) => {
    const el = h(
      "select",
      { id, class: "select", testid: id },
      allowNone && h("option", { value: "", selected: current === null }, t("clean.columns.none")),
      ...d.columns.map((c) => h("option", { value: String(c.index + 1), selected: c.index === current }, colName(c))),
    );
    // Set after the options exist: the `selected` attribute alone is not honoured everywhere.
    el.value = current === null ? "" : String(current + 1);
    el.addEventListener("change", () => change(el.value));
    return el;
  };
  const names: Record<string, string> = { ",": "comma", ";": "semicolon", "\\t": "tab", "|": "pipe" };
  const delimiter = names[d.delimiter] ? t(`clean.columns.${names[d.delimiter]}`) : `“${d.delimiter}”`;
  const field = (label: string, id: string, sel: HTMLElement, note: HTMLElement | null | false) =>
    h("div", {}, h("div", {}, h("label", { class: "setting-label", for: id }, label)), h("div", {}, sel), note);
  return h(
    "div",
    { class: "card", testid: "clean-detection" },
    h("h2", { class: "card-title" }, t("clean.columns.title")),
    h(
      "p",
      { class: "muted small", testid: "clean-layout" },
      t("clean.columns.layout", { encoding: d.encoding, delimiter }),
      " · ",
      d.layout.has_header ? t("clean.columns.header") : t("clean.columns.noHeader"),
    ),
    h(
      "div",
      { class: "grid kpis" },
      field(
        t("clean.columns.email"),
        "clean-email-column",
        select("clean-email-column", d.email?.index ?? null, true, (v) => onChoice({ ...choice, email_column: v || null })),
        d.email && h("p", { class: "muted small", testid: "clean-email-why" }, why(d, d.email.index, "email", d.email.why)),
      ),
      field(
        t("clean.columns.phone"),
        "clean-phone-column",
        select("clean-phone-column", d.phone?.index ?? null, true, (v) => onChoice({ ...choice, phone_column: v || null })),
        d.phone && h("p", { class: "muted small", testid: "clean-phone-why" }, why(d, d.phone.index, "phone", d.phone.why)),
      ),
    ),
    !d.email && !d.phone && h("p", { class: "notice", testid: "clean-no-column" }, t("clean.columns.missing")),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "table", testid: "clean-columns" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("clean.columns.column")), h("th", { scope: "col" }, t("clean.columns.samples")))),
        h("tbody", {}, ...d.columns.map((c) => h("tr", { testid: `clean-column-${c.index}` }, h("td", {}, colName(c)), h("td", { class: "muted small" }, c.samples.join(" · "))))),
      ),
    ),
  );
}

function why(d: ColumnDetection, index: number, what: "email" | "phone", libraryWhy: string): string {
  if (libraryWhy.startsWith("chosen by you")) return t("clean.columns.chosen");
  const info = d.columns.find((c) => c.index === index);
  const share = info ? (what === "email" ? info.email_share : info.phone_share) : 0;
  return t(what === "email" ? "clean.columns.shareEmail" : "clean.columns.sharePhone", { share });
}

export function policyCard(lines: PolicyLine[], busy: boolean, onSet: (key: string, value: string) => void): HTMLElement {
  const value = (k: string) => lines.find((l) => l.key === k)?.value ?? "";
  const vars = { days: value("soft_days"), window: value("soft_window_days") };
  const rows = lines
    .filter((l) => !DAY_KEYS.includes(l.key))
    .map((l) => {
      const on = l.value === "true";
      const input = h("input", { type: "checkbox", id: `clean-policy-${l.key}`, checked: on, disabled: busy, testid: `clean-policy-${l.key}` });
      input.addEventListener("change", () => onSet(l.key, input.checked ? "true" : "false"));
      return h(
        "label",
        { class: "radio", for: `clean-policy-${l.key}`, testid: `clean-policy-row-${l.key}` },
        input,
        h("span", {}, h("strong", {}, on ? t("clean.policy.remove") : t("clean.policy.flag")), " ", t(`clean.policy.${l.key}`, vars)),
      );
    });
  const days = (key: string) => {
    const input = h("input", { type: "number", min: "1", max: "3650", class: "select", id: `clean-policy-${key}`, value: value(key), disabled: busy, testid: `clean-policy-${key}` });
    input.addEventListener("change", () => {
      const n = Number(input.value);
      if (Number.isInteger(n) && n >= 1 && n <= 3650) onSet(key, String(n));
    });
    return h("label", { class: "radio", for: `clean-policy-${key}` }, h("span", {}, t(`clean.policy.${key}`)), input);
  };
  return h(
    "div",
    { class: "card", testid: "clean-policy" },
    h("h2", { class: "card-title" }, t("clean.policy.title")),
    h("p", { class: "muted small" }, t("clean.policy.hint")),
    h("div", { class: "stack" }, ...rows, h("div", { class: "radio-row" }, days("soft_days"), days("soft_window_days"))),
  );
}

function count(id: string, label: string, n: number): HTMLElement {
  return h("div", { class: "card kpi", testid: `clean-count-${id}` }, h("div", { class: "kpi-label" }, label), h("div", { class: "kpi-value", testid: `clean-count-${id}-value` }, fmtNumber(n)));
}

function reasonTable(id: string, title: string, counts: Record<string, number>): HTMLElement | null {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return null;
  return h(
    "div",
    {},
    h("h3", { class: "card-subtitle" }, title),
    h(
      "table",
      { class: "table", testid: `clean-${id}-reasons` },
      h("tbody", {}, ...entries.map(([k, n]) => h("tr", { testid: `clean-${id}-${k}` }, h("td", {}, t(`clean.reason.${k}`)), h("td", { class: "num", testid: `clean-${id}-${k}-count` }, fmtNumber(n))))),
    ),
  );
}

function rowsTable(id: string, title: string, rows: CleanRow[]): HTMLElement | null {
  if (rows.length === 0) return null;
  return h(
    "details",
    { class: "problems", testid: `clean-${id}-rows` },
    h("summary", {}, title),
    h(
      "table",
      { class: "table" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("clean.rows.row")), h("th", { scope: "col" }, t("clean.rows.address")), h("th", { scope: "col" }, t("clean.rows.why")))),
      h(
        "tbody",
        {},
        ...rows.slice(0, ROWS_SHOWN).map((r) =>
          h(
            "tr",
            {},
            h("td", { class: "num" }, fmtNumber(r.row)),
            h("td", {}, r.address),
            h("td", {}, ...r.findings.map((f) => h("div", {}, h("strong", {}, t(`clean.reason.${f.why}`)), " — ", h("span", { class: "muted small" }, f.evidence)))),
          ),
        ),
      ),
    ),
  );
}

export function previewCard(s: CleanSummary): HTMLElement {
  return h(
    "div",
    { class: "card", testid: "clean-preview" },
    h("h2", { class: "card-title" }, t("clean.preview.title")),
    h("p", { class: "muted small", testid: "clean-known" }, t("clean.preview.known", { count: fmtNumber(s.known_addresses) })),
    h("div", { class: "grid kpis" }, count("rows", t("clean.preview.rows"), s.rows), count("kept", t("clean.preview.kept"), s.kept), count("removed", t("clean.preview.removed"), s.removed), count("flagged", t("clean.preview.flagged"), s.flagged)),
    s.rows_without_address > 0 && h("p", { class: "notice", testid: "clean-no-address" }, t("clean.preview.noAddress", { count: fmtNumber(s.rows_without_address) })),
    ...s.warnings.map((w) => h("p", { class: "notice", testid: "clean-warning" }, w)),
    reasonTable("removed", t("clean.preview.removedBy"), s.removed_by_reason),
    reasonTable("flagged", t("clean.preview.flaggedBy"), s.flagged_by_reason),
    rowsTable("removed", t("clean.preview.removedRows", { count: fmtNumber(Math.min(ROWS_SHOWN, s.removed_rows.length)) }), s.removed_rows),
    rowsTable("flagged", t("clean.preview.flaggedRows", { count: fmtNumber(Math.min(ROWS_SHOWN, s.flagged_rows.length)) }), s.flagged_rows),
  );
}

export function savedCard(s: CleanSummary): HTMLElement {
  return h(
    "div",
    { class: "card", testid: "clean-saved", role: "status" },
    h("h2", { class: "card-title" }, t("clean.saved.title")),
    h("p", { testid: "clean-saved-summary" }, t("clean.saved.summary", { kept: fmtNumber(s.kept), removed: fmtNumber(s.removed) })),
    h("ul", {}, ...s.written.map((p, i) => h("li", {}, h("code", { class: "path", testid: `clean-saved-file-${i}` }, p)))),
  );
}
