// Turns a command failure into words for the user: a translated next step,
// with the library's precise sentence (file name, cause) underneath.
import type { ApiError } from "./api";
import { h } from "./dom";
import { catalogs, t } from "./i18n";

export function errorText(e: ApiError): string {
  const key = `error.${e.code}`;
  return key in catalogs.en ? t(key) : t("error.internal");
}

export function errorBox(e: ApiError, onRetry?: () => void): HTMLElement {
  return h(
    "div",
    { class: "alert alert-error", role: "alert", testid: "error-box" },
    h("strong", {}, errorText(e)),
    h("details", { class: "alert-details" }, h("summary", { testid: "error-details" }, t("error.details")), h("p", {}, e.message)),
    onRetry && h("button", { class: "btn btn-secondary", type: "button", testid: "error-retry", onclick: onRetry }, t("common.retry")),
  );
}
