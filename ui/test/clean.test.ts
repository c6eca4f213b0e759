import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as api from "../src/api";
import { App } from "../src/app";
import { imports } from "../src/import-state";
import { freshRoot, startOn } from "./app-harness";
import { byTestId, cleanSummary, FakeBackend, settle } from "./fake-backend";

let fake: FakeBackend;
let root: HTMLElement;

async function openClean(handlers: ConstructorParameters<typeof FakeBackend>[0] = {}, lastFile: string | null = null): Promise<App> {
  fake = new FakeBackend({ ...(lastFile ? { get_settings: (a: Record<string, unknown>) => Object.fromEntries((a.keys as string[]).map((k) => [k, k === "clean.last_file" ? lastFile : null])) } : {}), ...handlers });
  return startOn(root, fake, "clean");
}

const text = (id: string) => byTestId(root, id)?.textContent ?? null;

beforeEach(() => {
  root = freshRoot();
});

afterEach(() => imports.reset());

describe("clean a list", () => {
  it("starts by asking for a list and chooses it with the native open dialog", async () => {
    await openClean();
    expect(byTestId(root, "later")).toBeNull();
    expect(byTestId(root, "clean-start")).not.toBeNull();
    expect(fake.called("clean_preview")).toEqual([]);
    fake.nextPick = ["/home/ana/contacts.csv"];
    byTestId(root, "clean-choose")?.click();
    await settle(10);
    expect(text("clean-file")).toBe("/home/ana/contacts.csv");
    expect(fake.called("set_setting").map((c) => c.args)).toContainEqual({ key: "clean.last_file", value: "/home/ana/contacts.csv" });
    expect(fake.called("clean_detect")[0].args).toEqual({ path: "/home/ana/contacts.csv", choice: {} });
    expect((byTestId(root, "clean-email-column") as HTMLSelectElement).value).toBe("2");
    expect(text("clean-email-why")).toBe("100% of the first rows look like an email address here.");
    expect(text("clean-column-1")).toContain("ana@example.com · gone@example.com");
  });

  it("shows the preview counts by reason in words, and the policy in plain words", async () => {
    await openClean({}, "/home/ana/contacts.csv");
    expect(text("clean-count-rows-value")).toBe("4");
    expect(text("clean-count-kept-value")).toBe("2");
    expect(text("clean-count-removed-value")).toBe("2");
    expect(text("clean-count-flagged-value")).toBe("1");
    expect(text("clean-removed-hard_bounce")).toBe("Hard bounce1");
    expect(text("clean-removed-invalid_address-count")).toBe("1");
    expect(text("clean-flagged-role_account")).toBe("Team address1");
    expect(text("clean-policy-row-remove_hard")).toBe("Remove: addresses that hard-bounced (the address or its domain does not exist or is disabled).");
    expect(text("clean-policy-row-remove_role")).toContain("Keep, flag: team addresses");
    expect(text("clean-policy-row-remove_repeated_soft")).toContain("at least 3 different days within 30 days");
    expect((byTestId(root, "clean-policy-remove_hard") as HTMLInputElement).checked).toBe(true);
  });

  it("a switch stores the policy key and runs the preview again", async () => {
    await openClean({}, "/home/ana/contacts.csv");
    const before = fake.called("clean_preview").length;
    const box = byTestId(root, "clean-policy-remove_role") as HTMLInputElement;
    box.checked = true;
    box.dispatchEvent(new Event("change"));
    await settle(10);
    expect(fake.called("clean_set_policy").map((c) => c.args)).toEqual([{ key: "remove_role", value: "true" }]);
    expect(fake.called("clean_preview").length).toBe(before + 1);
    expect(text("clean-policy-row-remove_role")).toContain("Remove: team addresses");
  });

  it("a corrected column goes to detection and preview as the user's choice", async () => {
    await openClean({}, "/home/ana/contacts.csv");
    const sel = byTestId(root, "clean-email-column") as HTMLSelectElement;
    sel.value = "1";
    sel.dispatchEvent(new Event("change"));
    await settle(10);
    expect(fake.called("clean_preview").slice(-1)[0]?.args).toEqual({ path: "/home/ana/contacts.csv", choice: { email_column: "1" } });
  });

  it("saves through three save dialogs and lists the files written", async () => {
    await openClean({}, "/home/ana/contacts.csv");
    const fmt = byTestId(root, "clean-suppression-format") as HTMLSelectElement;
    fmt.value = "mailchimp";
    fmt.dispatchEvent(new Event("change"));
    fake.nextSave = "/home/ana/out.csv";
    byTestId(root, "clean-save-button")?.click();
    await settle(10);
    const save = fake.called("clean_save");
    expect(save.length).toBe(1);
    expect(save[0].args).toEqual({ path: "/home/ana/contacts.csv", choice: {}, cleaned: "/home/ana/out.csv", removed: "/home/ana/out.csv", suppressions: [{ format: "mailchimp", path: "/home/ana/out.csv" }] });
    expect(text("clean-saved-summary")).toBe("2 rows kept, 2 removed. Files written:");
    expect(text("clean-saved-file-0")).toBe("/home/ana/out.csv");
  });

  it("a cancelled save dialog writes nothing", async () => {
    await openClean({}, "/home/ana/contacts.csv");
    fake.nextSave = null;
    byTestId(root, "clean-save-button")?.click();
    await settle(10);
    expect(fake.called("clean_save")).toEqual([]);
  });

  it("a bad list shows the error in words, the file, and what to do", async () => {
    await openClean(
      {
        clean_preview: () => {
          throw { code: "bad_input", message: "/home/ana/words.csv: no column of email addresses or phone numbers was found" };
        },
      },
      "/home/ana/words.csv",
    );
    expect(text("clean-error-file")).toBe("/home/ana/words.csv");
    expect(text("clean-error")).toContain("This file could not be used as it is.");
    expect(text("clean-error")).toContain("Choose the email (or phone) column below");
    expect(text("clean-error-message")).toContain("no column of email addresses");
    expect(byTestId(root, "clean-preview")).toBeNull();
  });

  it("hostile addresses and evidence are shown as text", async () => {
    const evil = `<img src=x onerror="window.__pwned=1">`;
    await openClean({ clean_preview: () => cleanSummary({ removed_rows: [{ row: 1, address: evil, removed: true, findings: [{ why: "hard_bounce", remove: true, evidence: evil }] }] }) }, "/x.csv");
    expect(root.querySelectorAll("img[src=x]").length).toBe(0);
    expect(byTestId(root, "clean-removed-rows")?.textContent).toContain(evil);
  });

  it("shows row progress while the preview runs, and Cancel stops it with a notice instead of an error", async () => {
    let finish: (v: unknown) => void = () => undefined;
    const pending = new Promise((resolve) => (finish = resolve));
    fake = new FakeBackend({
      get_settings: (a: Record<string, unknown>) => Object.fromEntries((a.keys as string[]).map((k) => [k, k === "clean.last_file" ? "/home/ana/contacts.csv" : null])),
      clean_preview: () => pending,
      clean_cancel: () => (finish(Promise.reject({ code: "cancelled", message: "the operation was cancelled" })), true),
    });
    api.setBackend(fake);
    const app = new App(root);
    await app.start();
    app.go("clean");
    await settle(10);
    expect(byTestId(root, "clean-busy")).not.toBeNull();
    fake.emit("clean-progress", { rows: 250000, done_bytes: 5_000_000, total_bytes: 20_000_000 });
    await settle();
    expect(text("clean-progress-rows")).toBe("250,000 rows read");
    expect(text("clean-progress-bytes")).toBe("5 MB of 20 MB");
    expect(byTestId(root, "clean-progress-bar")?.getAttribute("aria-valuenow")).toBe("25");
    byTestId(root, "clean-cancel")?.click();
    await settle(10);
    expect(fake.called("clean_cancel").length).toBe(1);
    expect(byTestId(root, "clean-busy")).toBeNull();
    expect(text("clean-cancelled")).toContain("Nothing was saved");
    expect(byTestId(root, "clean-error")).toBeNull();
    await app.screen?.ready;
  });
});
