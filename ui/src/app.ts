// The window's frame: sidebar navigation, the current screen, drag and drop
// onto the whole window, language and theme from the settings, the last screen
// remembered, and the demo banner while the demo database is shown.
import * as api from "./api";
import { h, replace } from "./dom";
import { errorText } from "./errors";
import { isLang, preferredLang, setLang, t, type Lang } from "./i18n";
import { imports } from "./import-state";
import { toast } from "./dialog";
import { applyTheme, isThemePref, type ThemePref } from "./theme";
import { homeScreen } from "./screens/welcome";
import "./shell.css";
import { importScreen } from "./screens/importer";
import { settingsScreen } from "./screens/settings";
import { helpScreen } from "./screens/help";
import { campaignsScreen } from "./screens/campaign";
import { bouncesScreen } from "./screens/bounces";
import { cleanScreen } from "./screens/clean";
import logoUrl from "../../assets/icons/icon.svg";

export type ScreenId = "dashboard" | "import" | "campaigns" | "bounces" | "clean" | "settings" | "help";

export interface Screen {
  el: HTMLElement;
  /** Resolves when the screen has its data (tests wait on it). */
  ready: Promise<void>;
  dispose?: () => void;
}

export interface Ctx {
  go(id: ScreenId): void;
  /** Opens the native dialog and starts importing what was chosen. */
  pickAndImport(directory: boolean): Promise<void>;
  setLanguage(lang: Lang): Promise<void>;
  setTheme(pref: ThemePref): Promise<void>;
  theme: ThemePref;
  /** Shows the demo database (built on first use) / the user's own again. */
  openDemo(): Promise<void>;
  closeDemo(): Promise<void>;
  /** Redraws after the data file changed underneath (restore, delete all). */
  reload(): Promise<void>;
  demo: boolean;
}

const NAV: { id: ScreenId; key: string; icon: string }[] = [
  { id: "dashboard", key: "nav.dashboard", icon: "◧" },
  { id: "import", key: "nav.import", icon: "⇪" },
  { id: "campaigns", key: "nav.campaigns", icon: "▤" },
  { id: "bounces", key: "nav.bounces", icon: "☰" },
  { id: "clean", key: "nav.clean", icon: "✓" },
  { id: "settings", key: "nav.settings", icon: "⚙" },
  { id: "help", key: "nav.help", icon: "?" },
];

export const SETTING_LANGUAGE = "ui.language";
export const SETTING_THEME = "ui.theme";
export const SETTING_LAST_SCREEN = "ui.last_screen";

function isScreenId(x: unknown): x is ScreenId {
  return typeof x === "string" && NAV.some((n) => n.id === x);
}

export class App implements Ctx {
  current: ScreenId = "dashboard";
  screen: Screen | null = null;
  theme: ThemePref = "system";
  demo = false;
  private main = h("main", { class: "main", id: "main", tabindex: "-1", testid: "main" });
  private nav = h("nav", { class: "nav" });
  private dropHint = h("div", { class: "drop-hint", "aria-hidden": "true", testid: "drop-hint" });
  private banner = h("div", { class: "demo-banner", role: "status", testid: "demo-banner", hidden: true });

  constructor(private root: HTMLElement) {}

  /** Reads language, theme and the last screen, draws the frame and that screen. */
  async start(): Promise<void> {
    let lang: Lang = preferredLang();
    try {
      const s = await api.getSettings([SETTING_LANGUAGE, SETTING_THEME, SETTING_LAST_SCREEN]);
      if (isLang(s[SETTING_LANGUAGE])) lang = s[SETTING_LANGUAGE] as Lang;
      if (isThemePref(s[SETTING_THEME])) this.theme = s[SETTING_THEME] as ThemePref;
      if (isScreenId(s[SETTING_LAST_SCREEN])) this.current = s[SETTING_LAST_SCREEN] as ScreenId;
    } catch {
      // The dashboard shows the database error; the frame still draws.
    }
    setLang(lang);
    applyTheme(this.theme);
    await imports.attach();
    // A screen chosen while an import held the write lock was not saved (remember_screen
    // skips it rather than wait): save the current one when any import ends.
    let seen = imports.state.last;
    imports.subscribe((st) => {
      if (st.running || st.last === seen) return;
      seen = st.last;
      void api.rememberScreen(this.current).catch(() => undefined);
    });
    await api.onDrop((ev) => this.onDrop(ev)).catch(() => undefined);
    this.drawFrame();
    this.go(this.current);
  }

  private drawFrame(): void {
    const brand = h(
      "div",
      { class: "brand" },
      h("img", { src: logoUrl, alt: "", class: "brand-logo", width: "32", height: "32" }),
      h("div", {}, h("div", { class: "brand-name" }, t("app.name")), h("div", { class: "brand-tagline" }, t("app.tagline"))),
    );
    this.nav.setAttribute("aria-label", t("nav.label"));
    replace(this.root, h("div", { class: "shell" }, h("aside", { class: "sidebar" }, brand, this.nav), h("div", { class: "main-col" }, this.banner, this.main)), this.dropHint);
    this.drawBanner();
    replace(this.dropHint, h("div", { class: "drop-hint-box" }, t("import.drop.active")));
    this.drawNav();
  }

  private drawNav(): void {
    replace(
      this.nav,
      h(
        "ul",
        {},
        ...NAV.map((n) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                class: n.id === this.current ? "nav-item active" : "nav-item",
                "aria-current": n.id === this.current ? "page" : undefined,
                testid: `nav-${n.id}`,
                onclick: () => this.go(n.id),
              },
              h("span", { class: "nav-icon", "aria-hidden": "true" }, n.icon),
              t(n.key),
            ),
          ),
        ),
      ),
    );
  }

  private drawBanner(): void {
    this.banner.hidden = !this.demo;
    replace(
      this.banner,
      this.demo && h("strong", { testid: "demo-banner-text" }, t("demo.banner")),
      this.demo && h("span", { class: "muted small" }, t("demo.banner.hint")),
      this.demo && h("button", { type: "button", class: "btn btn-primary", testid: "demo-back", onclick: () => void this.closeDemo() }, t("demo.back")),
    );
  }

  go(id: ScreenId): void {
    // A keyboard user who chose a screen from the sidebar keeps their place in it.
    const navFocused = this.nav.contains(document.activeElement);
    this.screen?.dispose?.();
    if (id !== this.current) void api.rememberScreen(id).catch(() => undefined);
    this.current = id;
    this.screen = this.make(id);
    replace(this.main, this.screen.el);
    this.drawNav();
    if (navFocused) this.nav.querySelector<HTMLElement>(`[data-testid="nav-${id}"]`)?.focus();
  }

  private make(id: ScreenId): Screen {
    switch (id) {
      case "dashboard":
        return homeScreen(this);
      case "import":
        return importScreen(this);
      case "settings":
        return settingsScreen(this);
      case "help":
        return helpScreen();
      case "campaigns":
        return campaignsScreen(this);
      case "bounces":
        return bouncesScreen();
      case "clean":
        return cleanScreen();
    }
  }

  async pickAndImport(directory: boolean): Promise<void> {
    const paths = directory
      ? await api.pickImportFolder(t("import.dialog.folder"))
      : await api.pickImportFiles(t("import.dialog.files"), t("import.filter.all"));
    if (!paths || paths.length === 0) return;
    if (!(await this.ownData())) return;
    this.go("import");
    await imports.start(paths);
  }

  private onDrop(ev: api.DropEvent): void {
    if (ev.type === "enter" || ev.type === "over") {
      this.dropHint.classList.add("visible");
      return;
    }
    this.dropHint.classList.remove("visible");
    if (ev.type === "drop" && ev.paths.length > 0) {
      const paths = ev.paths;
      void this.ownData().then((ok) => {
        if (!ok) return;
        this.go("import");
        void imports.start(paths);
      });
    }
  }

  async setLanguage(lang: Lang): Promise<void> {
    setLang(lang);
    await this.save(SETTING_LANGUAGE, lang);
    this.drawFrame();
    this.go(this.current);
  }

  async setTheme(pref: ThemePref): Promise<void> {
    this.theme = pref;
    applyTheme(pref);
    await this.save(SETTING_THEME, pref);
  }

  async openDemo(): Promise<void> {
    const st = await api.openDemo();
    this.demo = st.demo;
    this.drawBanner();
    this.go("dashboard");
  }

  async closeDemo(): Promise<void> {
    try {
      const st = await api.closeDemo();
      this.demo = st.demo;
    } catch (e) {
      toast(errorText(e as api.ApiError), "error");
      return;
    }
    this.drawBanner();
    this.go("dashboard");
  }

  /** The user's own files go into the user's own database: leave the demo first. */
  private async ownData(): Promise<boolean> {
    if (!this.demo) return true;
    try {
      this.demo = (await api.closeDemo()).demo;
    } catch (e) {
      toast(errorText(e as api.ApiError), "error");
      return false;
    }
    this.drawBanner();
    return true;
  }

  async reload(): Promise<void> {
    this.go(this.current);
    await this.screen?.ready;
  }

  private async save(key: string, value: string): Promise<void> {
    try {
      await api.setSetting(key, value);
    } catch (e) {
      toast(errorText(e as api.ApiError), "error");
    }
  }
}
