import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as api from "../src/api";
import type { FileOutcome, ImportFinished } from "../src/api";
import { App } from "../src/app";
import { imports } from "../src/import-state";
import { freshRoot } from "./app-harness";
import { byTestId, FakeBackend, settle } from "./fake-backend";

let fake: FakeBackend;
let root: HTMLElement;

function outcome(over: Partial<FileOutcome> = {}): FileOutcome {
  return { file: "/home/ana/export.csv", import_id: null, detection: { format: "contacts", family: "contacts", provider: null, confidence: 30, why: "CSV with an address column" }, events_seen: 0, events_added: 0, problems: [], error: "this is a contact list", error_code: "bad_input", ...over };
}

async function importScreenWith(finished: ImportFinished): Promise<App> {
  fake = new FakeBackend();
  api.setBackend(fake);
  const app = new App(root);
  await app.start();
  app.go("import");
  await app.screen?.ready;
  fake.emit("import-finished", finished);
  await settle();
  return app;
}

const text = (id: string) => byTestId(root, id)?.textContent ?? null;

beforeEach(() => {
  root = freshRoot();
});

afterEach(() => imports.reset());

describe("mapping screen", () => {
  it("is offered only for outcomes the backend marks mappable", async () => {
    await importScreenWith({ outcomes: [outcome(), outcome({ file: "/a.mbox" })], cancelled: false, elapsed_ms: 5, error: null, mappable: [true, false] });
    expect(text("import-outcome-0-map")).toBe("Map columns");
    expect(byTestId(root, "import-outcome-1-map")).toBeNull();
    expect(text("import-outcome-0")).toContain("Rebound can read this file if you tell it which column holds what.");
  });

  it("shows the guess with samples, lets each role be corrected, and imports again with it", async () => {
    await importScreenWith({ outcomes: [outcome({ import_id: 7, error: null, error_code: null, detection: { format: "generic-csv", family: "report", provider: null, confidence: 40, why: "unknown CSV" } })], cancelled: false, elapsed_ms: 5, error: null, mappable: [true] });
    expect(text("import-outcome-0")).toContain("Rebound guessed this report's columns.");
    byTestId(root, "import-outcome-0-map")?.click();
    await settle();
    expect(fake.called("mapping_proposal")[0].args).toEqual({ path: "/home/ana/export.csv" });
    expect(text("mapping-file")).toBe("/home/ana/export.csv");
    expect((byTestId(root, "mapping-field-email") as HTMLSelectElement).value).toBe("who");
    expect(text("mapping-field-email-samples")).toBe("ana@example.com · bo@example.net");
    expect(text("mapping-field-email-how")).toBe("by its values");
    expect((byTestId(root, "mapping-field-reason") as HTMLSelectElement).value).toBe("");
    const reason = byTestId(root, "mapping-field-reason") as HTMLSelectElement;
    reason.value = "what";
    reason.dispatchEvent(new Event("change"));
    expect(text("mapping-field-reason-samples")).toBe("gone away · full");
    expect(text("mapping-field-reason-how")).toBe("chosen by you");
    byTestId(root, "mapping-save")?.click();
    await settle();
    expect(fake.called("import_mapped")[0].args).toEqual({ path: "/home/ana/export.csv", mapping: [["email", "who"], ["reason", "what"]], replaceImport: 7 });
    expect(byTestId(root, "mapping")).toBeNull();
  });

  it("needs an address column, keeps email and phone exclusive, and Escape closes it", async () => {
    await importScreenWith({ outcomes: [outcome()], cancelled: false, elapsed_ms: 5, error: null, mappable: [true] });
    byTestId(root, "import-outcome-0-map")?.click();
    await settle();
    const phone = byTestId(root, "mapping-field-phone") as HTMLSelectElement;
    phone.value = "what";
    phone.dispatchEvent(new Event("change"));
    expect((byTestId(root, "mapping-field-email") as HTMLSelectElement).value).toBe("");
    phone.value = "";
    phone.dispatchEvent(new Event("change"));
    expect((byTestId(root, "mapping-save") as HTMLButtonElement).disabled).toBe(true);
    expect(text("mapping-status")).toBe("Choose the column with the email address or the phone number.");
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    await settle();
    expect(byTestId(root, "mapping")).toBeNull();
    expect(byTestId(root, "import-results")).not.toBeNull();
    expect(fake.called("import_mapped")).toEqual([]);
  });

  it("shows a refused mapping as a readable error and hostile column names as text", async () => {
    const evil = `<img src=x onerror="window.__pwned=1">`;
    fake = new FakeBackend();
    await importScreenWith({ outcomes: [outcome()], cancelled: false, elapsed_ms: 5, error: null, mappable: [true] });
    fake.handlers.mapping_proposal = (a) => ({ file: a.path, remembered: true, proposal: { kind: "csv", columns: [{ name: evil, samples: [evil] }, { name: "b", samples: [] }], mapping: [{ field: "email", column: evil, how: "given" }], signature: "s", fields: ["email", "phone"] } });
    fake.handlers.import_mapped = () => {
      throw { code: "locked", message: "busy" };
    };
    byTestId(root, "import-outcome-0-map")?.click();
    await settle();
    expect(root.querySelectorAll("img[src=x]").length).toBe(0);
    expect(text("mapping-remembered")).toContain("earlier choice");
    expect(text("mapping-field-email-how")).toBe("your earlier choice");
    byTestId(root, "mapping-save")?.click();
    await settle();
    expect(text("mapping-problem")).toContain("The data file is busy");
    expect(byTestId(root, "mapping")).not.toBeNull();
  });
});
