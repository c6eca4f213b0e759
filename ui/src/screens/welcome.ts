// The first thing a new user sees (and what an empty data file shows): import
// your own files, or explore the demo set in a database of its own.
// The dashboard route shows this while the data file holds no event.
import * as api from "../api";
import type { ApiError, DataLocation } from "../api";
import type { Ctx, Screen } from "../app";
import { toast } from "../dialog";
import { h, replace } from "../dom";
import { errorBox, errorText } from "../errors";
import { t } from "../i18n";
import { dashboardScreen } from "./dashboard";
import { dataLocationLine, screenShell } from "./common";

/** The dashboard when there is data, else the welcome. `app_status` is an EXISTS query: instant at any size. */
export function homeScreen(ctx: Ctx): Screen {
  // `screen-dashboard` on the wrapper too: whoever navigates to the dashboard finds it
  // at once, welcome or not (the dashboard inside carries the same id).
  const el = h("div", { class: "home", testid: "screen-dashboard" });
  let inner: Screen | null = null;
  const ready = (async () => {
    let status: api.AppStatus;
    try {
      status = await api.appStatus();
    } catch (e) {
      // A broken database: the dashboard shows the error with its next step.
      status = { demo: false, has_data: true, db_path: "" };
      void e;
    }
    inner = status.has_data ? dashboardScreen(ctx) : welcomeScreen(ctx);
    replace(el, inner.el);
    await inner.ready;
  })();
  return { el, ready, dispose: () => inner?.dispose?.() };
}

export function welcomeScreen(ctx: Ctx): Screen {
  const loc = h("div", { testid: "welcome-location" });
  const demoBtn = h(
    "button",
    { type: "button", class: "btn btn-secondary btn-lg", testid: "welcome-demo", onclick: () => void explore() },
    t("welcome.demo"),
  );
  const demoStatus = h("p", { class: "muted small", testid: "welcome-demo-hint" }, t("welcome.demo.hint"));
  async function explore(): Promise<void> {
    demoBtn.setAttribute("disabled", "");
    demoBtn.setAttribute("aria-busy", "true");
    replace(demoStatus, t("welcome.demo.loading"));
    try {
      await ctx.openDemo();
    } catch (e) {
      toast(errorText(e as ApiError), "error");
      demoBtn.removeAttribute("disabled");
      demoBtn.removeAttribute("aria-busy");
      replace(demoStatus, t("welcome.demo.hint"));
    }
  }
  const card = h(
    "div",
    // `empty-state*` test ids are the ones the dashboard's empty state had: first-launch checks rely on them.
    { class: "card empty-state welcome", testid: "empty-state" },
    h("div", { class: "empty-illustration", "aria-hidden": "true" }, "✉"),
    h("h1", { class: "empty-title", testid: "welcome-title" }, t("welcome.title")),
    h("p", { class: "empty-body welcome-lead" }, t("welcome.lead")),
    h("p", { class: "empty-body", testid: "empty-state-text" }, t("dash.empty.body")),
    h(
      "div",
      { class: "button-row" },
      h("button", { type: "button", class: "btn btn-primary btn-lg", testid: "empty-import-files", onclick: () => void ctx.pickAndImport(false) }, t("dash.importFiles")),
      h("button", { type: "button", class: "btn btn-secondary btn-lg", testid: "empty-import-folder", onclick: () => void ctx.pickAndImport(true) }, t("dash.importFolder")),
      demoBtn,
    ),
    demoStatus,
    h("p", { class: "muted small" }, t("dash.empty.hint")),
    loc,
  );
  const ready = loadLocation(loc);
  return { el: screenShell("screen-welcome", card), ready };
}

async function loadLocation(box: HTMLElement): Promise<void> {
  let loc: DataLocation;
  try {
    loc = await api.dataLocation();
  } catch (e) {
    replace(box, errorBox(e as ApiError, () => void loadLocation(box)));
    return;
  }
  replace(box, dataLocationLine(loc));
}
