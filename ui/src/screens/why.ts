// "Why?": one bounce explained — the class and reason in plain words, the rule
// that decided with its evidence, the server's own words, the headers of the
// message that bounced and where it came from. Everything from the mail is hostile
// text: it is inserted as text nodes only (the diagnostic in a <pre>), never as HTML.
import * as api from "../api";
import type { ApiError, EventDetail } from "../api";
import { h, replace, type Child } from "../dom";
import { errorBox } from "../errors";
import { fmtDateTime, fmtNumber, t } from "../i18n";
import { ruleSentences } from "./why-rule";

/** Opens the dialog for event `id`; `restoreFocus` runs when it closes (Escape, Close, backdrop). */
export async function openWhy(id: number, restoreFocus: () => void): Promise<HTMLElement> {
  const titleId = `why-title-${id}`;
  const content = h("div", { class: "why-content", testid: "why-content" }, h("p", { class: "muted" }, t("common.loading")));
  const closeBtn = h("button", { type: "button", class: "btn btn-secondary", testid: "why-close" }, t("common.close"));
  const box = h(
    "div",
    { class: "dialog why-dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": titleId, testid: "why-dialog" },
    h("div", { class: "why-head" }, h("h2", { id: titleId, class: "dialog-title" }, t("bounces.why.title")), closeBtn),
    content,
  );
  const overlay = h("div", { class: "overlay why-overlay", testid: "why-overlay" }, box);
  const close = () => {
    document.removeEventListener("keydown", onKey, true);
    overlay.remove();
    restoreFocus();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === "Tab") {
      trapTab(box, e);
    }
  };
  closeBtn.addEventListener("click", close);
  overlay.addEventListener("click", (e) => {
    if (e.target === overlay) close();
  });
  document.addEventListener("keydown", onKey, true);
  document.body.appendChild(overlay);
  closeBtn.focus();
  try {
    const d = await api.exploreDetail(id);
    replace(content, ...whyBody(d));
  } catch (e) {
    replace(content, errorBox(e as ApiError));
  }
  return overlay;
}

/** Keeps Tab and Shift+Tab on the dialog's own focusable elements. */
function trapTab(box: HTMLElement, e: KeyboardEvent): void {
  const items = [...box.querySelectorAll<HTMLElement>("button, summary, [tabindex='0']")];
  if (items.length === 0) return;
  const i = items.indexOf(document.activeElement as HTMLElement);
  e.preventDefault();
  items[(i + (e.shiftKey ? items.length - 1 : 1) + items.length) % items.length].focus();
}

function field(label: string, value: Child, testid?: string): HTMLElement[] {
  return [h("dt", {}, label), h("dd", { testid }, value === null || value === undefined || value === "" ? "—" : value)];
}

/** The rule in plain words (from its stable id), then the id itself as the technical detail. */
function ruleCell(rule: string): HTMLElement {
  return h(
    "div",
    { class: "why-rule" },
    ...ruleSentences(rule).map((s, i) => h("p", { class: "why-rule-text", testid: `why-rule-text-${i}` }, s)),
    h("code", { testid: "why-rule", title: t("why.rule.technical") }, rule),
  );
}

export function whyBody(d: EventDetail): HTMLElement[] {
  const o = d.original;
  const headers: [string, string | null | undefined, string][] = [
    ["Subject", o?.subject, "why-subject"],
    ["From", o?.from, "why-from"],
    ["Message-ID", o?.message_id, "why-message-id"],
    ["Date", o?.date ? fmtDateTime(Date.parse(o.date) / 1000) : null, "why-date"],
    ["List-Id", o?.list_id, "why-list-id"],
    [t("bounces.why.campaignHeader"), o?.campaign_header, "why-campaign-header"],
  ];
  const index = d.source_locator.startsWith("#") ? d.source_locator.slice(1) : d.source_locator;
  return [
    h(
      "div",
      { class: `why-verdict class-${d.class}` },
      h("span", { class: `badge class-pill class-${d.class}`, testid: "why-class" }, t(`class.${d.class}`)),
      h("strong", { class: "why-reason", testid: "why-reason" }, t(`bounces.reason.${d.reason}`)),
      h("span", { class: "muted", testid: "why-recipient" }, d.recipient),
    ),
    h("p", { class: "why-explain", testid: "why-explain" }, t(`bounces.reason.${d.reason}.explain`)),
    h("p", { class: "muted small" }, t(`class.${d.class}.hint`)),
    h("h3", { class: "why-section" }, t("bounces.why.decided")),
    h(
      "dl",
      { class: "why-fields" },
      ...field(t("bounces.why.rule"), ruleCell(d.rule)),
      ...field(t("bounces.why.evidence"), h("code", {}, d.evidence), "why-evidence"),
      ...field(t("bounces.why.status"), d.status, "why-status"),
      ...field(t("bounces.why.replyCode"), d.reply_code === null ? null : String(d.reply_code), "why-reply-code"),
      ...field(t("bounces.why.remoteMta"), d.remote_mta, "why-remote-mta"),
      ...field(t("bounces.why.provider"), [d.provider, d.provider_label].filter(Boolean).join(" · "), "why-provider"),
      ...field(t("bounces.why.when"), d.occurred_at === null ? null : fmtDateTime(d.occurred_at), "why-when"),
    ),
    h("h3", { class: "why-section" }, t("bounces.why.diagnostic")),
    d.diagnostic
      ? h("pre", { class: "why-diagnostic", testid: "why-diagnostic", tabindex: "0" }, d.diagnostic)
      : h("p", { class: "muted", testid: "why-diagnostic-none" }, t("bounces.why.noDiagnostic")),
    h("h3", { class: "why-section" }, t("bounces.why.original")),
    o
      ? h("dl", { class: "why-fields", testid: "why-headers" }, ...headers.flatMap(([label, value, id]) => field(label, value ?? null, id)))
      : h("p", { class: "muted", testid: "why-headers-none" }, t("bounces.why.noOriginal")),
    h("h3", { class: "why-section" }, t("bounces.why.source")),
    h(
      "dl",
      { class: "why-fields" },
      ...field(t("bounces.why.file"), h("code", { class: "path" }, d.source_file || d.import_file_name || ""), "why-source-file"),
      ...field(t("bounces.why.index"), index, "why-source-index"),
      ...field(t("bounces.why.offset"), d.source_offset === null ? null : fmtNumber(d.source_offset), "why-source-offset"),
    ),
  ];
}
