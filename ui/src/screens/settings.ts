// Settings: language, theme, time zone, health thresholds, the clean policy,
// where the data file is, backup, restore and "delete all data" (with Undo).
import * as api from "../api";
import type { ApiError, DataLocation, Preferences, Thresholds } from "../api";
import type { Ctx, Screen } from "../app";
import { confirmDialog, toast } from "../dialog";
import { h, replace } from "../dom";
import { errorBox, errorText } from "../errors";
import { fmtBytes, fmtNumber, isLang, lang, languages, t } from "../i18n";
import { isThemePref, type ThemePref } from "../theme";
import { pageHeader, screenShell } from "./common";

const THEMES: ThemePref[] = ["system", "light", "dark"];
/** The thresholds a marketer tunes, shown in percent. */
const TH_KEYS = ["hard_amber", "hard_red", "complaint_amber", "complaint_red"] as const;
const TH_DEFAULTS: Thresholds = { hard_red: 0.02, hard_amber: 0.01, complaint_red: 0.003, complaint_amber: 0.001, block_share_rise: 0.1, block_min: 5 };
const UNDO_MS = 10_000;

export function settingsScreen(ctx: Ctx): Screen {
  const loading = () => h("p", { class: "muted" }, t("common.loading"));
  const dataCard = h("div", { class: "card setting", testid: "settings-data" }, loading());
  const prefs = h("div", { class: "stack", testid: "settings-prefs" }, loading());
  const el = screenShell(
    "screen-settings",
    pageHeader(t("settings.title")),
    h("div", { class: "stack" }, languageCard(ctx), themeCard(ctx), prefs, dataCard),
  );
  const ready = Promise.all([loadData(ctx, dataCard), loadPrefs(prefs)]).then(() => undefined);
  return { el, ready };
}

function languageCard(ctx: Ctx): HTMLElement {
  const select = h(
    "select",
    { id: "setting-language", class: "select", testid: "settings-language" },
    ...languages.map((l) => h("option", { value: l.code, selected: l.code === lang() }, l.name)),
  );
  select.addEventListener("change", () => {
    if (isLang(select.value)) void ctx.setLanguage(select.value);
  });
  return h(
    "div",
    { class: "card setting" },
    h("label", { class: "setting-label", for: "setting-language" }, t("settings.language")),
    h("p", { class: "muted small" }, t("settings.language.hint")),
    select,
  );
}

function themeCard(ctx: Ctx): HTMLElement {
  const name = "setting-theme";
  const options = THEMES.map((th) => {
    const input = h("input", { type: "radio", name, value: th, id: `${name}-${th}`, checked: ctx.theme === th, testid: `settings-theme-${th}` });
    input.addEventListener("change", () => {
      if (input.checked && isThemePref(input.value)) void ctx.setTheme(input.value);
    });
    return h("label", { class: "radio", for: `${name}-${th}` }, input, h("span", {}, t(`settings.theme.${th}`)));
  });
  return h(
    "div",
    { class: "card setting" },
    h("div", { class: "setting-label", id: "setting-theme-label" }, t("settings.theme")),
    h("div", { class: "radio-row", role: "radiogroup", "aria-labelledby": "setting-theme-label" }, ...options),
  );
}

async function loadPrefs(box: HTMLElement): Promise<void> {
  let p: Preferences;
  try {
    p = await api.preferences();
  } catch (e) {
    replace(box, errorBox(e as ApiError, () => void loadPrefs(box)));
    return;
  }
  replace(box, zoneCard(p.time_zone), thresholdsCard(p.thresholds), policyCard(p.policy));
}

function zoneCard(current: string): HTMLElement {
  const input = h("input", { type: "text", class: "input", id: "setting-zone", value: current, placeholder: t("settings.zone.placeholder"), testid: "settings-zone-input", autocomplete: "off", spellcheck: "false" });
  const shown = h("p", { class: "muted small", testid: "settings-zone-current" }, t("settings.zone.current", { zone: current }));
  const save = async (zone: string) => {
    try {
      const name = await api.setTimeZone(zone.trim());
      input.value = name;
      input.removeAttribute("aria-invalid");
      replace(shown, t("settings.zone.current", { zone: name }));
      toast(t("settings.zone.saved", { zone: name }));
    } catch (e) {
      input.setAttribute("aria-invalid", "true");
      toast((e as ApiError).code === "invalid" ? t("settings.zone.invalid") : errorText(e as ApiError), "error");
    }
  };
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") void save(input.value);
  });
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  return h(
    "div",
    { class: "card setting" },
    h("label", { class: "setting-label", for: "setting-zone" }, t("settings.zone")),
    h("p", { class: "muted small" }, t("settings.zone.hint")),
    h(
      "div",
      { class: "field-row" },
      input,
      h("button", { type: "button", class: "btn btn-primary", testid: "settings-zone-save", onclick: () => void save(input.value) }, t("settings.zone.save")),
      h("button", { type: "button", class: "btn btn-secondary", testid: "settings-zone-local", onclick: () => void save(local) }, t("settings.zone.local", { zone: local })),
    ),
    shown,
  );
}

/** Fractions → percent with up to 2 decimals, for the inputs. */
const pct = (x: number) => String(Math.round(x * 10000) / 100);

function thresholdsCard(th: Thresholds): HTMLElement {
  const inputs = Object.fromEntries(
    TH_KEYS.map((k) => [k, h("input", { type: "number", class: "input", id: `setting-th-${k}`, min: "0", max: "100", step: "0.01", value: pct(th[k]), testid: `settings-th-${k}` })]),
  ) as Record<(typeof TH_KEYS)[number], HTMLInputElement>;
  const fill = (v: Thresholds) => TH_KEYS.forEach((k) => (inputs[k].value = pct(v[k])));
  const save = async () => {
    const next: Thresholds = { ...th };
    for (const k of TH_KEYS) {
      const v = Number(inputs[k].value.replace(",", "."));
      if (!Number.isFinite(v) || v < 0 || v > 100 || inputs[k].value.trim() === "") {
        inputs[k].setAttribute("aria-invalid", "true");
        toast(t("settings.thresholds.invalid"), "error");
        return;
      }
      inputs[k].removeAttribute("aria-invalid");
      next[k] = v / 100;
    }
    try {
      await api.setThresholds(next);
      th = next;
      toast(t("settings.thresholds.saved"));
    } catch (e) {
      toast((e as ApiError).code === "invalid" ? t("settings.thresholds.invalid") : errorText(e as ApiError), "error");
    }
  };
  return h(
    "div",
    { class: "card setting", testid: "settings-thresholds" },
    h("div", { class: "setting-label" }, t("settings.thresholds")),
    h("p", { class: "muted small" }, t("settings.thresholds.hint")),
    h("div", { class: "field-grid" }, ...TH_KEYS.map((k) => h("label", { class: "field", for: `setting-th-${k}` }, t(`settings.th.${k}`), inputs[k]))),
    h(
      "div",
      { class: "button-row start" },
      h("button", { type: "button", class: "btn btn-primary", testid: "settings-th-save", onclick: () => void save() }, t("settings.thresholds.save")),
      h("button", { type: "button", class: "btn btn-secondary", testid: "settings-th-reset", onclick: () => fill(TH_DEFAULTS) }, t("settings.thresholds.reset")),
    ),
  );
}

/** One switch per on/off field of rebound::clean::Policy, in its order (the soft-bounce day
 *  counts, its numbers, stay on the Clean screen): a new switch in the library shows here. */
function policyCard(policy: api.Policy): HTMLElement {
  const keys = Object.keys(policy).filter((k) => typeof policy[k] === "boolean");
  const switches = keys.map((key) => {
    const box = h("input", { type: "checkbox", id: `setting-policy-${key}`, checked: policy[key] === true, testid: `settings-policy-${key}` });
    box.addEventListener("change", async () => {
      try {
        await api.setPolicyValue(key, String(box.checked));
      } catch (e) {
        box.checked = !box.checked;
        toast(errorText(e as ApiError), "error");
      }
    });
    return h("label", { class: "switch", for: `setting-policy-${key}` }, box, h("span", {}, t(`settings.policy.${key}`)));
  });
  return h(
    "div",
    { class: "card setting", testid: "settings-policy" },
    h("div", { class: "setting-label" }, t("settings.policy")),
    h("p", { class: "muted small" }, t("settings.policy.hint")),
    h("div", { class: "switch-list" }, ...switches),
  );
}

async function loadData(ctx: Ctx, card: HTMLElement): Promise<void> {
  let loc: DataLocation;
  try {
    loc = await api.dataLocation();
  } catch (e) {
    replace(card, errorBox(e as ApiError, () => void loadData(ctx, card)));
    return;
  }
  const refresh = async () => {
    await ctx.reload();
  };
  replace(
    card,
    h("div", { class: "setting-label" }, t("settings.data")),
    h("p", { class: "muted small" }, t("settings.data.hint")),
    loc.demo && h("p", { class: "notice small", testid: "settings-demo-note" }, t("settings.demo.note")),
    h("code", { class: "path", testid: "settings-data-path" }, loc.db_path),
    h("p", { class: "muted small", testid: "settings-data-size" }, loc.size_bytes === null ? t("settings.data.missing") : t("settings.data.size", { size: fmtBytes(loc.size_bytes) })),
    h(
      "div",
      { class: "button-row start" },
      h("button", { type: "button", class: "btn btn-secondary", testid: "settings-backup", onclick: () => void backup() }, t("settings.backup")),
      h("button", { type: "button", class: "btn btn-secondary", testid: "settings-restore", onclick: () => void restore(loc, refresh) }, t("settings.restore")),
      h("button", { type: "button", class: "btn btn-danger", testid: "settings-delete-all", onclick: () => void deleteAll(loc, refresh) }, t("settings.delete")),
    ),
    h("p", { class: "muted small", testid: "settings-version" }, t("settings.version", { version: loc.app_version })),
  );
}

async function backup(): Promise<void> {
  const day = new Date().toISOString().slice(0, 10);
  const dest = await api.pickSavePath(t("settings.backup.dialog"), `rebound-backup-${day}.sqlite`, [{ name: "SQLite", extensions: ["sqlite"] }]);
  if (!dest) return;
  try {
    await api.backupDatabase(dest);
    toast(t("settings.backup.done", { path: dest }));
  } catch (e) {
    toast(errorText(e as ApiError), "error");
  }
}

async function restore(loc: DataLocation, refresh: () => Promise<void>): Promise<void> {
  const src = await api.pickOpenFile(t("settings.restore.dialog"), [{ name: "SQLite", extensions: ["sqlite", "db", "bak"] }]);
  if (!src) return;
  const ok = await confirmDialog({
    title: t("settings.restore.confirm.title"),
    body: t("settings.restore.confirm.body", { file: src, copy: `${loc.db_path}.before-restore.bak` }),
    confirmLabel: t("settings.restore.confirm.ok"),
    danger: true,
  });
  if (!ok) return;
  try {
    const info = await api.restoreDatabase(src);
    await refresh();
    toast(t("settings.restore.done", { events: fmtNumber(info.events) }));
  } catch (e) {
    toast(errorText(e as ApiError), "error");
  }
}

async function deleteAll(loc: DataLocation, refresh: () => Promise<void>): Promise<void> {
  const ok = await confirmDialog({
    title: t("settings.delete.confirm.title"),
    body: t("settings.delete.confirm.body", { file: loc.db_path, folder: `${loc.folder}/backups` }),
    confirmLabel: t("settings.delete.confirm.ok"),
    danger: true,
  });
  if (!ok) return;
  let done: api.Deleted;
  try {
    done = await api.deleteAllData();
  } catch (e) {
    toast(errorText(e as ApiError), "error");
    return;
  }
  await refresh();
  undoToast(t("settings.delete.done", { path: done.backup_path }), async () => {
    try {
      await api.restoreDatabase(done.backup_path);
      await refresh();
      toast(t("settings.delete.undone"));
    } catch (e) {
      toast(errorText(e as ApiError), "error");
    }
  });
}

/** A toast with an Undo button, gone after UNDO_MS (the backup file stays on disk). */
function undoToast(message: string, undo: () => Promise<void>): void {
  const host = document.querySelector<HTMLElement>(".toasts") ?? document.body.appendChild(h("div", { class: "toasts", role: "status", "aria-live": "polite", testid: "toasts" }));
  const btn = h("button", { type: "button", class: "btn btn-secondary", testid: "undo-delete" }, t("settings.delete.undo"));
  const el = h("div", { class: "toast toast-action", testid: "undo-toast" }, h("span", {}, message), btn);
  const timer = setTimeout(() => el.remove(), UNDO_MS);
  btn.addEventListener("click", () => {
    clearTimeout(timer);
    el.remove();
    void undo();
  });
  host.appendChild(el);
  btn.focus();
}
