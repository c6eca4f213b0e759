// Clean a list: choose the contact CSV, check the columns Rebound found, set the
// policy with switches, look at the preview (kept / removed / flagged by reason),
// then save the cleaned list, the removed rows and a suppression file where the
// user chooses in save dialogs. The last list chosen is remembered (setting
// `clean.last_file`), so coming back to the screen shows it again.
import * as api from "../api";
import type { ApiError, CleanSummary, ColumnDetection, ListChoice, PolicyLine } from "../api";
import type { Screen } from "../app";
import { toast } from "../dialog";
import { h, replace } from "../dom";
import { errorText } from "../errors";
import { t } from "../i18n";
import { pageHeader, screenShell } from "./common";
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
}

export function cleanScreen(): Screen {
  const s: State = { path: null, choice: {}, detection: null, policy: [], summary: null, saved: null, busy: "", error: null, suppression: "" };
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
      s.detection && columnsCard(s.detection, s.choice, (c) => void setChoice(c)),
      s.busy === "preview" && h("div", { class: "card", testid: "clean-busy", "aria-busy": "true" }, h("p", {}, t("clean.busy.preview"))),
      s.summary && previewCard(s.summary),
      s.path !== null && s.policy.length > 0 && policyCard(s.policy, s.busy !== "", (k, v) => void setPolicy(k, v)),
      s.summary && saveCard(),
      s.busy === "save" && h("div", { class: "card", testid: "clean-busy-save", "aria-busy": "true" }, h("p", {}, t("clean.busy.save"))),
      s.saved && savedCard(s.saved),
    );
  };

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
    s.busy = "preview";
    draw();
    try {
      s.detection = await api.cleanDetect(path, s.choice);
      draw();
      const summary = await api.cleanPreview(path, s.choice);
      if (s.path === path) s.summary = summary;
    } catch (e) {
      if (s.path === path) s.error = e as ApiError;
    }
    s.busy = "";
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
    s.busy = "save";
    s.error = null;
    draw();
    try {
      s.saved = await api.cleanSave(path, s.choice, cleaned, removed, suppressions);
      toast(t("clean.saved.toast", { count: s.saved.written.length }));
    } catch (e) {
      s.error = e as ApiError;
    }
    s.busy = "";
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
  draw();
  return {
    el,
    ready,
    dispose: () => {
      alive = false;
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
