// Clean a list: choose the contact CSV, check the columns Rebound found, set the
// policy with switches, look at the preview (kept / removed / flagged by reason),
// then save the cleaned list, the removed rows and a suppression file where the
// user chooses in save dialogs. The last list chosen is remembered (setting
// `clean.last_file`), so coming back to the screen shows it again.
import * as api from "../api";
import type { ApiError, CleanProgress, CleanSummary, ColumnDetection, ListChoice, PolicyLine } from "../api";
import type { Screen } from "../app";
import { toast } from "../dialog";
import { h, replace } from "../dom";
import { errorText } from "../errors";
import { fmtBytes, fmtNumber, t } from "../i18n";
import { pageHeader, progressBar, screenShell } from "./common";
import { columnsCard, policyCard, previewCard, savedCard } from "./clean-parts";

export const SETTING_LAST_FILE = "clean.last_file";

/** Suppression layouts `rebound::clean::suppression` writes; "" = none. */
export const SUPPRESSION_FORMATS = ["", "plain", "mailchimp", "sendgrid", "mailgun", "mailgun-bounces", "mailgun-unsubscribes", "mailgun-complaints", "brevo", "klaviyo"];

interface State {
  path: string | null;
  choice: ListChoice;
  detection: ColumnDetection | null;
  policy: PolicyLine[];
  summary: CleanSummary | null;
  saved: CleanSummary | null;
  busy: "" | "preview" | "save";
  error: ApiError | null;
  suppression: string;
  /** Rows read so far by the running preview or save (event `clean-progress`). */
  progress: CleanProgress | null;
  /** The last preview or save was stopped with Cancel. */
  cancelled: boolean;
  cancelling: boolean;
}

export function cleanScreen(): Screen {
  const s: State = { path: null, choice: {}, detection: null, policy: [], summary: null, saved: null, busy: "", error: null, suppression: "", progress: null, cancelled: false, cancelling: false };
  const body = h("div", { class: "stack" });
  const choose = h("button", { type: "button", class: "btn btn-primary", testid: "clean-choose", onclick: () => void pick() }, t("clean.choose"));
  const el = screenShell("screen-clean", pageHeader(t("clean.title"), t("clean.subtitle"), choose), body);
  let alive = true;

  const draw = () => {
    if (!alive) return;
    choose.disabled = s.busy !== "";
    replace(
      body,
      s.path === null
        ? h("div", { class: "card", testid: "clean-start" }, h("p", {}, t("clean.start")), h("p", { class: "muted small" }, t("clean.start.hint")))
        : h("div", { class: "card", testid: "clean-file-card" }, h("div", { class: "setting-label" }, t("clean.file")), h("code", { class: "path", testid: "clean-file" }, s.path)),
      s.error && errorCard(s.error, s.path),
      // Progress and its Cancel sit right under the file, where the eye is while it runs.
      s.busy === "preview" && busyCard("clean-busy", t("clean.busy.preview")),
      s.cancelled && s.busy === "" && h("p", { class: "notice", role: "status", testid: "clean-cancelled" }, t("clean.cancelled")),
      s.detection && columnsCard(s.detection, s.choice, (c) => void setChoice(c)),
      s.summary && previewCard(s.summary),
      s.path !== null && s.policy.length > 0 && policyCard(s.policy, s.busy !== "", (k, v) => void setPolicy(k, v)),
      s.summary && saveCard(),
      s.busy === "save" && busyCard("clean-busy-save", t("clean.busy.save")),
      s.saved && savedCard(s.saved),
    );
  };

  /** What runs, a bar over the list's bytes, rows read so far and Cancel. */
  const busyCard = (testid: string, title: string) => {
    const p = s.progress;
    return h(
      "div",
      { class: "card progress-card", testid, "aria-busy": "true" },
      h("p", {}, title),
      progressBar(p?.done_bytes ?? 0, p?.total_bytes ?? 0, "clean-progress-bar", title),
      p &&
        h(
          "div",
          { class: "progress-stats" },
          h("span", { testid: "clean-progress-rows" }, t("clean.progress.rows", { count: fmtNumber(p.rows) })),
          h("span", { testid: "clean-progress-bytes" }, t("clean.progress.bytes", { done: fmtBytes(p.done_bytes), total: fmtBytes(p.total_bytes) })),
        ),
      h(
        "button",
        { type: "button", class: "btn btn-secondary", testid: "clean-cancel", disabled: s.cancelling, onclick: () => void cancel() },
        s.cancelling ? t("clean.cancelling") : t("clean.cancel"),
      ),
    );
  };

  async function cancel(): Promise<void> {
    s.cancelling = true;
    draw();
    await api.cleanCancel().catch(() => false);
  }

  /** Runs a preview or save with the progress card; a Cancel is a notice, not an error. */
  async function running<T>(kind: "preview" | "save", work: () => Promise<T>): Promise<T | null> {
    s.busy = kind;
    s.progress = null;
    s.cancelled = false;
    s.cancelling = false;
    draw();
    try {
      return await work();
    } catch (e) {
      const err = e as ApiError;
      if (err.code === "cancelled") s.cancelled = true;
      else s.error = err;
      return null;
    } finally {
      s.busy = "";
      s.cancelling = false;
      s.progress = null;
    }
  }

  const saveCard = () => {
    const select = h(
      "select",
      { id: "clean-suppression", class: "select", testid: "clean-suppression-format" },
      ...SUPPRESSION_FORMATS.map((f) => h("option", { value: f, selected: f === s.suppression }, f === "" ? t("clean.save.noSuppression") : f === "plain" ? t("clean.save.plain") : f)),
    );
    select.value = s.suppression;
    select.addEventListener("change", () => (s.suppression = select.value));
    return h(
      "div",
      { class: "card", testid: "clean-save" },
      h("h2", { class: "card-title" }, t("clean.save.title")),
      h("p", { class: "muted small" }, t("clean.save.hint")),
      h("label", { class: "setting-label", for: "clean-suppression" }, t("clean.save.suppression")),
      h("p", { class: "muted small" }, t("clean.save.suppressionHint")),
      select,
      h(
        "div",
        { class: "button-row start" },
        h("button", { type: "button", class: "btn btn-primary", testid: "clean-save-button", disabled: s.busy !== "", onclick: () => void save() }, t("clean.save.button")),
      ),
    );
  };

  /** Detection, then the preview; each failure is shown with the file it concerns. */
  async function load(): Promise<void> {
    if (s.path === null) return;
    const path = s.path;
    s.error = null;
    s.summary = null;
    s.saved = null;
    const summary = await running("preview", async () => {
      s.detection = await api.cleanDetect(path, s.choice);
      draw();
      return api.cleanPreview(path, s.choice);
    });
    if (s.path !== path) {
      s.error = null;
      s.cancelled = false;
    } else if (summary) {
      s.summary = summary;
    }
    draw();
  }

  async function pick(): Promise<void> {
    const path = await api.pickContactList(t("clean.dialog.open"));
    if (!path) return;
    s.path = path;
    s.choice = {};
    s.detection = null;
    void api.setSetting(SETTING_LAST_FILE, path).catch(() => undefined);
    await load();
  }

  async function setChoice(c: ListChoice): Promise<void> {
    s.choice = c;
    await load();
  }

  async function setPolicy(key: string, value: string): Promise<void> {
    try {
      s.policy = await api.cleanSetPolicy(key, value);
    } catch (e) {
      toast(errorText(e as ApiError), "error");
      draw();
      return;
    }
    await load();
  }

  async function save(): Promise<void> {
    const path = s.path;
    if (path === null || s.busy !== "") return;
    let defaults: [string, string];
    try {
      defaults = await api.cleanDefaultPaths(path);
    } catch (e) {
      s.error = e as ApiError;
      draw();
      return;
    }
    const csv = [{ name: "CSV", extensions: ["csv"] }];
    const cleaned = await api.pickSavePath(t("clean.dialog.cleaned"), defaults[0], csv);
    if (!cleaned) return;
    // The next dialogs open in the folder the user just chose.
    const nextTo = (name: string) => cleaned.replace(/[^/\\]*$/, "") + (name.split(/[/\\]/).pop() ?? name);
    const removed = await api.pickSavePath(t("clean.dialog.removed"), nextTo(defaults[1]), csv);
    if (!removed) return;
    const suppressions: api.SuppressionOut[] = [];
    if (s.suppression !== "") {
      const ext = s.suppression === "plain" ? "txt" : "csv";
      const dest = await api.pickSavePath(t("clean.dialog.suppression"), nextTo(defaults[0].replace(/\.cleaned\.[^./\\]+$/, `.suppression-${s.suppression}.${ext}`)), [{ name: ext.toUpperCase(), extensions: [ext] }]);
      if (!dest) return;
      suppressions.push({ format: s.suppression, path: dest });
    }
    s.error = null;
    const saved = await running("save", () => api.cleanSave(path, s.choice, cleaned, removed, suppressions));
    if (saved) {
      s.saved = saved;
      toast(t("clean.saved.toast", { count: saved.written.length }));
    }
    draw();
  }

  const ready = (async () => {
    try {
      s.policy = await api.cleanPolicy();
      const last = (await api.getSettings([SETTING_LAST_FILE]))[SETTING_LAST_FILE];
      if (last) s.path = last;
    } catch (e) {
      s.error = e as ApiError;
    }
    draw();
    await load();
  })();
  // Progress redraws only the bar's card: the rest of the screen keeps focus and scroll.
  let unlisten: (() => void) | null = null;
  void api
    .onCleanProgress((p) => {
      if (!alive || s.busy === "") return;
      s.progress = p;
      const old = body.querySelector(`[data-testid="${s.busy === "save" ? "clean-busy-save" : "clean-busy"}"]`);
      const focused = old?.contains(document.activeElement) ?? false;
      if (old) {
        const fresh = busyCard(s.busy === "save" ? "clean-busy-save" : "clean-busy", s.busy === "save" ? t("clean.busy.save") : t("clean.busy.preview"));
        old.replaceWith(fresh);
        if (focused) fresh.querySelector<HTMLElement>('[data-testid="clean-cancel"]')?.focus();
      }
    })
    .then((u) => {
      if (alive) unlisten = u;
      else u();
    })
    .catch(() => undefined);
  draw();
  return {
    el,
    ready,
    dispose: () => {
      alive = false;
      unlisten?.();
    },
  };
}

/** The error in words, the file it is about, the library's exact sentence, and what to do. */
function errorCard(e: ApiError, path: string | null): HTMLElement {
  return h(
    "div",
    { class: "alert alert-error", role: "alert", testid: "clean-error" },
    h("strong", {}, errorText(e)),
    path !== null && h("p", {}, t("clean.error.file"), " ", h("code", { class: "path", testid: "clean-error-file" }, path)),
    h("p", {}, t(`clean.error.next.${e.code === "read_failed" ? "read" : e.code === "bad_input" || e.code === "invalid" ? "columns" : "other"}`)),
    h("details", { class: "alert-details" }, h("summary", { testid: "clean-error-details" }, t("error.details")), h("p", { testid: "clean-error-message" }, e.message)),
  );
}
