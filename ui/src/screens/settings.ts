// Settings: language, theme, where the data file is, and a backup of it.
import * as api from "../api";
import type { ApiError, DataLocation } from "../api";
import type { Ctx, Screen } from "../app";
import { toast } from "../dialog";
import { h, replace } from "../dom";
import { errorBox, errorText } from "../errors";
import { fmtBytes, isLang, lang, languages, t } from "../i18n";
import { isThemePref, type ThemePref } from "../theme";
import { pageHeader, screenShell } from "./common";

const THEMES: ThemePref[] = ["system", "light", "dark"];

export function settingsScreen(ctx: Ctx): Screen {
  const dataCard = h("div", { class: "card setting", testid: "settings-data" }, h("p", { class: "muted" }, t("common.loading")));
  const el = screenShell("screen-settings", pageHeader(t("settings.title")), h("div", { class: "stack" }, languageCard(ctx), themeCard(ctx), dataCard));
  const ready = loadData(dataCard);
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

async function loadData(card: HTMLElement): Promise<void> {
  let loc: DataLocation;
  try {
    loc = await api.dataLocation();
  } catch (e) {
    replace(card, errorBox(e as ApiError, () => void loadData(card)));
    return;
  }
  replace(
    card,
    h("div", { class: "setting-label" }, t("settings.data")),
    h("p", { class: "muted small" }, t("settings.data.hint")),
    h("code", { class: "path", testid: "settings-data-path" }, loc.db_path),
    h("p", { class: "muted small", testid: "settings-data-size" }, loc.size_bytes === null ? t("settings.data.missing") : t("settings.data.size", { size: fmtBytes(loc.size_bytes) })),
    h(
      "div",
      { class: "button-row start" },
      h("button", { type: "button", class: "btn btn-secondary", testid: "settings-backup", onclick: () => void backup() }, t("settings.backup")),
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
