// A modal confirm dialog (Escape or Cancel says no, focus stays inside) and
// short status messages (toasts) read out by screen readers.
import { h } from "./dom";
import { t } from "./i18n";

export interface ConfirmOptions {
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
}

export function confirmDialog(opts: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const previous = document.activeElement as HTMLElement | null;
    const titleId = `dlg-title-${Date.now()}`;
    const cancelBtn = h("button", { class: "btn btn-secondary", type: "button", testid: "dialog-cancel" }, t("common.cancel"));
    const okBtn = h(
      "button",
      { class: opts.danger ? "btn btn-danger" : "btn btn-primary", type: "button", testid: "dialog-confirm" },
      opts.confirmLabel,
    );
    const box = h(
      "div",
      { class: "dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": titleId, testid: "dialog" },
      h("h2", { id: titleId, class: "dialog-title" }, opts.title),
      h("p", { class: "dialog-body" }, opts.body),
      h("div", { class: "dialog-actions" }, cancelBtn, okBtn),
    );
    const overlay = h("div", { class: "overlay", testid: "dialog-overlay" }, box);

    const close = (answer: boolean) => {
      document.removeEventListener("keydown", onKey, true);
      overlay.remove();
      previous?.focus?.();
      resolve(answer);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        close(false);
      } else if (e.key === "Tab") {
        // Keep focus on the two buttons while the dialog is open.
        const order = [cancelBtn, okBtn];
        const i = order.indexOf(document.activeElement as HTMLButtonElement);
        e.preventDefault();
        order[(i + (e.shiftKey ? order.length - 1 : 1)) % order.length].focus();
      }
    };
    cancelBtn.addEventListener("click", () => close(false));
    okBtn.addEventListener("click", () => close(true));
    overlay.addEventListener("click", (e) => {
      if (e.target === overlay) close(false);
    });
    document.addEventListener("keydown", onKey, true);
    document.body.appendChild(overlay);
    cancelBtn.focus();
  });
}

let toastHost: HTMLElement | null = null;

export function toast(message: string, kind: "info" | "error" = "info"): void {
  if (!toastHost || !toastHost.isConnected) {
    toastHost = h("div", { class: "toasts", role: "status", "aria-live": "polite", testid: "toasts" });
    document.body.appendChild(toastHost);
  }
  const el = h("div", { class: `toast toast-${kind}`, testid: "toast" }, message);
  toastHost.appendChild(el);
  setTimeout(() => el.remove(), 5000);
}
