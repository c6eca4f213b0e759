// A short glossary: what each kind of failure means and what to do about it.
import type { Screen } from "../app";
import { h } from "../dom";
import { t } from "../i18n";
import { pageHeader, screenShell } from "./common";

const TERMS = ["hard", "soft", "block", "complaint", "unsubscribe", "rate"];

export function helpScreen(): Screen {
  const el = screenShell(
    "screen-help",
    pageHeader(t("help.title"), t("help.subtitle")),
    h(
      "div",
      { class: "grid glossary" },
      ...TERMS.map((term) =>
        h(
          "article",
          { class: `card term class-${term}`, testid: `help-${term}` },
          h("h2", { class: "term-title" }, h("span", { class: "dot", "aria-hidden": "true" }), t(`help.${term}.title`)),
          h("p", {}, t(`help.${term}.body`)),
        ),
      ),
    ),
  );
  return { el, ready: Promise.resolve() };
}
