// Import: pick or drop files, watch the progress, read the per-file summary,
// and manage the import history (remove an import again).
import * as api from "../api";
import type { ApiError, FileOutcome, ImportRecord, ProblemRow } from "../api";
import type { Ctx, Screen } from "../app";
import { confirmDialog, toast } from "../dialog";
import { h, replace } from "../dom";
import { errorBox, errorText } from "../errors";
import { fmtBytes, fmtDateTime, fmtNumber, t } from "../i18n";
import { imports, type ImportState } from "../import-state";
import { pageHeader, progressBar, screenShell } from "./common";
import { mappingPanel } from "./mapping";
import { detectionSentence } from "./why-rule";

/** The file whose columns the user is mapping, and its earlier import (replaced by the new one). */
interface Mapping {
  file: string;
  importId: number | null;
}

/** Problems listed inline per file; the rest stay in the database and history. */
const PROBLEMS_INLINE = 50;

export function importScreen(ctx: Ctx): Screen {
  const live = h("div", { class: "stack" });
  const history = h("div", { class: "card", testid: "import-history" });
  const drop = h(
    "div",
    { class: "card dropzone", testid: "import-dropzone" },
    h("div", { class: "dropzone-icon", "aria-hidden": "true" }, "⇪"),
    h("h2", { class: "dropzone-title" }, t("import.drop.title")),
    h("p", { class: "muted" }, t("import.drop.body")),
    h(
      "div",
      { class: "button-row" },
      h("button", { type: "button", class: "btn btn-primary", testid: "import-choose-files", onclick: () => void ctx.pickAndImport(false) }, t("import.chooseFiles")),
      h("button", { type: "button", class: "btn btn-secondary", testid: "import-choose-folder", onclick: () => void ctx.pickAndImport(true) }, t("import.chooseFolder")),
    ),
  );
  const el = screenShell("screen-import", pageHeader(t("import.title"), t("import.subtitle")), drop, live, history);

  let wasRunning = imports.state.running;
  let mapping: Mapping | null = null;
  const openMapping = (m: Mapping) => {
    mapping = m;
    draw(imports.state);
  };
  const draw = (s: ImportState) => {
    if (s.running) mapping = null;
    if (mapping && !s.running) {
      const panel = mappingPanel(mapping.file, mapping.importId, () => {
        mapping = null;
        draw(imports.state);
      });
      replace(live, panel.el);
    } else {
      drawLive(live, s, openMapping);
    }
    for (const b of drop.querySelectorAll("button")) b.disabled = s.running;
    if (wasRunning && !s.running) void loadHistory(history);
    wasRunning = s.running;
  };
  const unsubscribe = imports.subscribe(draw);
  draw(imports.state);
  const ready = loadHistory(history);
  return { el, ready, dispose: unsubscribe };
}

function drawLive(live: HTMLElement, s: ImportState, onMap: (m: Mapping) => void): void {
  replace(live, s.error && errorBox(s.error), s.running ? progressCard(s) : s.last && resultsCard(s, onMap));
}

function progressCard(s: ImportState): HTMLElement {
  const p = s.progress;
  return h(
    "div",
    { class: "card progress-card", testid: "import-progress", "aria-busy": "true" },
    h("h2", { class: "card-title" }, t("import.progress.title")),
    p && h("p", { class: "file-name", testid: "import-progress-file" }, p.file),
    p && h("p", { class: "muted small" }, t("import.progress.file", { index: p.file_index + 1, count: p.file_count })),
    progressBar(p?.done_bytes ?? 0, p?.total_bytes ?? 0, "import-progress-bar"),
    h(
      "div",
      { class: "progress-stats" },
      p && h("span", { testid: "import-progress-bytes" }, t("import.progress.bytes", { done: fmtBytes(p.done_bytes), total: fmtBytes(p.total_bytes) })),
      p && h("span", {}, t("import.progress.events", { count: fmtNumber(p.events) })),
      s.rate !== null && h("span", { testid: "import-progress-rate" }, t("import.progress.rate", { rate: fmtNumber(Math.round(s.rate)) })),
    ),
    h(
      "button",
      { type: "button", class: "btn btn-secondary", testid: "import-cancel", disabled: s.cancelling, onclick: () => void imports.cancel() },
      s.cancelling ? t("import.cancelling") : t("import.cancel"),
    ),
  );
}

function resultsCard(s: ImportState, onMap: (m: Mapping) => void): HTMLElement | null {
  const f = s.last;
  if (!f) return null;
  const added = f.outcomes.reduce((n, o) => n + o.events_added, 0);
  return h(
    "div",
    { class: "card", testid: "import-results" },
    h("h2", { class: "card-title" }, t("import.result.title")),
    h(
      "p",
      { testid: "import-results-summary" },
      t("import.result.summary", { files: fmtNumber(f.outcomes.length), added: fmtNumber(added), seconds: fmtNumber(f.elapsed_ms / 1000, { maximumFractionDigits: 1 }) }),
    ),
    f.cancelled && h("p", { class: "notice", testid: "import-results-cancelled" }, t("import.result.cancelled")),
    h("ul", { class: "outcomes" }, ...f.outcomes.map((o, i) => outcomeItem(o, i, f.mappable?.[i] === true, onMap))),
  );
}

function outcomeItem(o: FileOutcome, i: number, mappable: boolean, onMap: (m: Mapping) => void): HTMLElement {
  const failed = o.error_code !== null;
  const status = failed
    ? h("span", { class: "badge badge-error" }, t("import.result.failed"))
    : h("span", { class: "badge badge-ok" }, t("import.result.added", { added: fmtNumber(o.events_added), seen: fmtNumber(o.events_seen) }));
  return h(
    "li",
    { class: failed ? "outcome outcome-failed" : "outcome", testid: `import-outcome-${i}` },
    h("div", { class: "outcome-head" }, h("span", { class: "file-name" }, o.file || "—"), status),
    o.detection &&
      h("p", { class: "muted small", testid: `import-outcome-${i}-detection` }, t("import.result.format", { format: o.detection.provider ?? o.detection.format }), " — ", detectionSentence(o.detection)),
    ...(o.notes ?? []).map((n, j) => h("p", { class: "muted small", testid: `import-outcome-${i}-note-${j}` }, t("import.result.note"), " ", n)),
    failed && h("p", { class: "outcome-error" }, errorText({ code: o.error_code ?? "internal", message: "" })),
    failed && o.error && h("details", { class: "alert-details" }, h("summary", { testid: `import-outcome-${i}-details` }, t("error.details")), h("p", {}, o.error)),
    problemsList(o.problems, `import-outcome-${i}-problems`),
    mappable &&
      h(
        "div",
        { class: "map-offer" },
        h("p", { class: "muted small" }, failed ? t("import.map.hintFailed") : t("import.map.hintGuessed")),
        h("button", { type: "button", class: "btn btn-secondary", testid: `import-outcome-${i}-map`, onclick: () => onMap({ file: o.file, importId: o.import_id }) }, t("import.map.button")),
      ),
  );
}

function problemsList(problems: ProblemRow[], testid: string): HTMLElement | null {
  if (problems.length === 0) return null;
  return h(
    "details",
    { class: "problems", testid },
    h("summary", {}, t("import.result.problems", { count: fmtNumber(problems.length) })),
    h(
      "ol",
      {},
      ...problems.slice(0, PROBLEMS_INLINE).map((p) => h("li", {}, h("code", {}, p.locator), " ", p.message)),
    ),
  );
}

async function loadHistory(card: HTMLElement): Promise<void> {
  let rows: ImportRecord[];
  try {
    rows = await api.listImports();
  } catch (e) {
    replace(card, h("h2", { class: "card-title" }, t("import.history.title")), errorBox(e as ApiError, () => void loadHistory(card)));
    return;
  }
  const detail = h("div", { testid: "import-history-detail" });
  replace(
    card,
    h("h2", { class: "card-title" }, t("import.history.title")),
    rows.length === 0 ? h("p", { class: "muted", testid: "import-history-empty" }, t("import.history.empty")) : historyTable(rows, card, detail),
    detail,
  );
}

function historyTable(rows: ImportRecord[], card: HTMLElement, detail: HTMLElement): HTMLElement {
  const th = (key: string) => h("th", { scope: "col" }, t(key));
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "table" },
      h("thead", {}, h("tr", {}, th("import.history.file"), th("import.history.format"), th("import.history.date"), th("import.history.events"), th("import.history.problems"), th("import.history.actions"))),
      h(
        "tbody",
        {},
        ...rows.map((r) =>
          h(
            "tr",
            { testid: `import-row-${r.id}` },
            h("td", { class: "file-name", title: r.file_path }, r.file_name),
            h("td", {}, r.provider ?? r.format),
            h("td", {}, fmtDateTime(r.started_at)),
            h("td", { class: "num" }, fmtNumber(r.events_added)),
            h("td", { class: "num" }, fmtNumber(r.problems)),
            h(
              "td",
              { class: "actions" },
              r.problems > 0 &&
                h("button", { type: "button", class: "btn btn-link", testid: `import-problems-${r.id}`, onclick: () => void showProblems(r, detail) }, t("import.history.showProblems")),
              h("button", { type: "button", class: "btn btn-link danger", testid: `import-remove-${r.id}`, onclick: () => void remove(r, card) }, t("import.history.remove")),
            ),
          ),
        ),
      ),
    ),
  );
}

async function showProblems(r: ImportRecord, detail: HTMLElement): Promise<void> {
  try {
    const problems = await api.importProblems(r.id);
    replace(
      detail,
      h("h3", { class: "card-subtitle" }, t("import.history.problemsTitle", { file: r.file_name })),
      problems.length === 0 ? h("p", { class: "muted" }, t("import.history.noProblems")) : problemsList(problems, `import-history-problems-${r.id}`),
    );
    detail.querySelector("details")?.setAttribute("open", "");
  } catch (e) {
    replace(detail, errorBox(e as ApiError));
  }
}

async function remove(r: ImportRecord, card: HTMLElement): Promise<void> {
  const ok = await confirmDialog({
    title: t("import.confirmRemove.title"),
    body: t("import.confirmRemove.body", { file: r.file_name }),
    confirmLabel: t("common.remove"),
    danger: true,
  });
  if (!ok) return;
  try {
    await api.removeImport(r.id);
    toast(t("import.removed"));
  } catch (e) {
    toast(errorText(e as ApiError), "error");
  }
  await loadHistory(card);
}
