// The mapping screen for a report in a layout Rebound does not know: the
// columns the generic mapper guessed for each role, with sample values; the user
// corrects any role with a select, and "Save and import again" remembers the
// mapping for this column layout and imports the file with it (the import
// screen then shows the usual progress and results).
import * as api from "../api";
import type { ApiError, MappingView } from "../api";
import { h, replace } from "../dom";
import { errorBox } from "../errors";
import { t } from "../i18n";

export interface MappingPanel {
  el: HTMLElement;
  ready: Promise<void>;
}

/**
 * `importId`: the earlier import of this file, removed when the new one starts
 * (its events came from the wrong columns). `onClose(started)` is called after
 * Cancel / Escape (false) or once the new import has started (true).
 */
export function mappingPanel(file: string, importId: number | null, onClose: (started: boolean) => void): MappingPanel {
  const el = h("div", { class: "card", testid: "mapping", role: "region", "aria-labelledby": "mapping-title" });
  const onKey = (e: KeyboardEvent) => {
    // The panel was replaced (another screen, a redraw): it no longer listens.
    if (!el.isConnected && el.dataset.shown === "1") {
      document.removeEventListener("keydown", onKey);
      return;
    }
    if (e.key === "Escape" && el.isConnected) {
      e.preventDefault();
      close(false);
    }
  };
  const close = (started: boolean) => {
    document.removeEventListener("keydown", onKey);
    onClose(started);
  };
  document.addEventListener("keydown", onKey);
  replace(el, title(file), h("p", { class: "muted" }, t("common.loading")));
  queueMicrotask(() => (el.dataset.shown = "1"));
  const ready = (async () => {
    let view: MappingView;
    try {
      view = await api.mappingProposal(file);
    } catch (e) {
      replace(el, title(file), errorBox(e as ApiError), cancelButton(() => close(false)));
      return;
    }
    draw(el, view, importId, close);
    el.querySelector<HTMLElement>("select")?.focus();
  })();
  return { el, ready };
}

function title(file: string): HTMLElement {
  return h("div", {}, h("h2", { class: "card-title", id: "mapping-title" }, t("mapping.title")), h("p", { class: "file-name muted small", testid: "mapping-file" }, file));
}

function cancelButton(onClick: () => void): HTMLElement {
  return h("button", { type: "button", class: "btn btn-secondary", testid: "mapping-cancel", onclick: onClick }, t("common.cancel"));
}

function draw(el: HTMLElement, view: MappingView, importId: number | null, close: (started: boolean) => void): void {
  const p = view.proposal;
  const chosen = new Map<string, string>(p.mapping.map((m) => [m.field, m.column]));
  const how = new Map<string, string>(p.mapping.map((m) => [m.field, m.how]));
  const samplesOf = (col: string | undefined) => p.columns.find((c) => c.name === col)?.samples.join(" · ") ?? "";
  const status = h("p", { class: "small", testid: "mapping-status", "aria-live": "polite" });
  const save = h("button", { type: "button", class: "btn btn-primary", testid: "mapping-save" }, t("mapping.save"));
  const problem = h("div", { testid: "mapping-problem" });

  const check = () => {
    const ok = chosen.has("email") || chosen.has("phone");
    save.disabled = !ok;
    replace(status, ok ? "" : t("mapping.needAddress"));
  };

  const rows = p.fields.map((field) => {
    const id = `mapping-field-${field}`;
    const sample = h("td", { class: "muted small", testid: `${id}-samples` }, samplesOf(chosen.get(field)));
    const note = h("td", { class: "muted small", testid: `${id}-how` }, howText(how.get(field)));
    const select = h(
      "select",
      { id, class: "select", testid: id },
      h("option", { value: "", selected: !chosen.has(field) }, t("mapping.none")),
      ...p.columns.map((c) => h("option", { value: c.name, selected: chosen.get(field) === c.name }, c.name)),
    );
    select.value = chosen.get(field) ?? "";
    select.addEventListener("change", () => {
      if (select.value === "") chosen.delete(field);
      else chosen.set(field, select.value);
      // An address is an email or a phone number, never both.
      if (select.value !== "" && (field === "email" || field === "phone")) {
        const other = field === "email" ? "phone" : "email";
        if (chosen.delete(other)) {
          const o = el.querySelector<HTMLSelectElement>(`#mapping-field-${other}`);
          if (o) o.value = "";
          const os = el.querySelector<HTMLElement>(`[data-testid="mapping-field-${other}-samples"]`);
          if (os) os.textContent = "";
        }
      }
      sample.textContent = samplesOf(chosen.get(field));
      note.textContent = select.value === "" ? "" : t("mapping.how.chosen");
      check();
    });
    return h(
      "tr",
      { testid: `mapping-row-${field}` },
      h("th", { scope: "row" }, h("label", { for: id }, t(`mapping.field.${field}`)), h("div", { class: "muted small" }, t(`mapping.field.${field}.hint`))),
      h("td", {}, select),
      sample,
      note,
    );
  });

  save.addEventListener("click", async () => {
    save.disabled = true;
    replace(problem);
    const pairs = p.fields.filter((f) => chosen.has(f)).map((f) => [f, chosen.get(f) as string] as [string, string]);
    try {
      await api.importMapped(view.file, pairs, importId);
      close(true);
    } catch (e) {
      replace(problem, errorBox(e as ApiError));
      check();
    }
  });

  replace(
    el,
    title(view.file),
    h("p", {}, t("mapping.intro")),
    view.remembered && h("p", { class: "notice", testid: "mapping-remembered" }, t("mapping.remembered")),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "table", testid: "mapping-table" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("mapping.role")), h("th", { scope: "col" }, t("mapping.column")), h("th", { scope: "col" }, t("mapping.samples")), h("th", { scope: "col" }, t("mapping.how")))),
        h("tbody", {}, ...rows),
      ),
    ),
    h("p", { class: "muted small" }, importId === null ? t("mapping.saveHint") : t("mapping.replaceHint")),
    status,
    problem,
    h("div", { class: "button-row start" }, save, cancelButton(() => close(false))),
  );
  check();
}

function howText(how: string | undefined): string {
  if (how === undefined) return "";
  if (how === "by content") return t("mapping.how.content");
  if (how === "given") return t("mapping.how.given");
  return t("mapping.how.name");
}
