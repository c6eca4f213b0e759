// Screens whose library step is not built yet say so plainly: no invented numbers.
import type { Screen } from "../app";
import { h } from "../dom";
import { t } from "../i18n";
import { pageHeader, screenShell } from "./common";

export function laterScreen(id: string): Screen {
  const el = screenShell(
    `screen-${id}`,
    pageHeader(t(`nav.${id}`)),
    h(
      "div",
      { class: "card later", testid: "later" },
      h("h2", { class: "later-title" }, t("later.title")),
      h("p", {}, t(`later.${id}`)),
      h("p", { class: "muted" }, t("later.body")),
    ),
  );
  return { el, ready: Promise.resolve() };
}
