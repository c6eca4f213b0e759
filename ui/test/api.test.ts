import { beforeEach, describe, expect, it } from "vitest";
import * as api from "../src/api";
import { FakeBackend } from "./fake-backend";

let fake: FakeBackend;
beforeEach(() => {
  fake = new FakeBackend();
  api.setBackend(fake);
});

describe("api.ts", () => {
  it("calls the Rust commands by their names, with camelCase arguments", async () => {
    await api.overview();
    await api.importProblems(7);
    await api.removeImport(7);
    await api.importFiles(["/a.mbox", "/b.csv"]);
    await api.getSettings(["ui.language"]);
    await api.setSetting("ui.theme", "dark");
    await api.backupDatabase("/tmp/copy.sqlite");
    await api.reportSummary();
    await api.reportSummary(4);
    await api.chartSvg("trend", null, 960, 300, "dark");
    expect(fake.calls).toEqual([
      { cmd: "overview", args: {} },
      { cmd: "import_problems", args: { importId: 7 } },
      { cmd: "remove_import", args: { importId: 7 } },
      { cmd: "import_files", args: { paths: ["/a.mbox", "/b.csv"] } },
      { cmd: "get_settings", args: { keys: ["ui.language"] } },
      { cmd: "set_setting", args: { key: "ui.theme", value: "dark" } },
      { cmd: "backup_database", args: { dest: "/tmp/copy.sqlite" } },
      { cmd: "report_summary", args: { campaign: null } },
      { cmd: "report_summary", args: { campaign: 4 } },
      { cmd: "chart_svg", args: { kind: "trend", campaign: null, width: 960, height: 300, theme: "dark" } },
    ]);
  });

  it("passes {code, message} errors through and wraps anything else", async () => {
    fake.handlers.overview = () => {
      throw { code: "locked", message: "the database is busy" };
    };
    await expect(api.overview()).rejects.toEqual({ code: "locked", message: "the database is busy" });
    fake.handlers.overview = () => {
      throw "plain string from the IPC layer";
    };
    await expect(api.overview()).rejects.toEqual({ code: "internal", message: "plain string from the IPC layer" });
  });

  it("delivers backend events to subscribers until they unsubscribe", async () => {
    const seen: number[] = [];
    const stop = await api.onImportProgress((p) => seen.push(p.done_bytes));
    fake.emit("import-progress", { done_bytes: 10 });
    stop();
    fake.emit("import-progress", { done_bytes: 20 });
    expect(seen).toEqual([10]);
  });
});
