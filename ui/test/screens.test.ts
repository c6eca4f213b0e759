import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileOutcome, ImportFinished, ImportRecord } from "../src/api";
import { App } from "../src/app";
import { catalogs, setLang } from "../src/i18n";
import { imports } from "../src/import-state";
import { freshRoot, show, startOn } from "./app-harness";
import { byTestId, check, FakeBackend, REPORT, settle, summary } from "./fake-backend";

let fake: FakeBackend;
let root: HTMLElement;

async function startApp(handlers: ConstructorParameters<typeof FakeBackend>[0] = {}): Promise<App> {
  fake = new FakeBackend(handlers);
  return startOn(root, fake);
}

const DATA = { imports: 1, events: 100, campaigns: 2, recipients: 90, by_class: [{ class: "hard", count: 62 }] };

const HOSTILE = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>=HYPERLINK("x")`;

function record(id: number, over: Partial<ImportRecord> = {}): ImportRecord {
  return { id, file_name: `export-${id}.mbox`, file_path: `/home/ana/export-${id}.mbox`, size_bytes: 1000, sha256: "ab", format: "mbox", provider: null, started_at: 1_760_000_000, finished_at: 1_760_000_010, events_seen: 12, events_added: 10, problems: 2, ...over };
}

function outcome(over: Partial<FileOutcome> = {}): FileOutcome {
  return { file: "/home/ana/a.mbox", import_id: 1, detection: { format: "mbox", family: "mailbox", provider: null, confidence: 90, why: "starts with a From_ line" }, events_seen: 5, events_added: 4, problems: [], error: null, error_code: null, ...over };
}

beforeEach(() => {
  root = freshRoot();
});

afterEach(() => imports.reset());

describe("dashboard", () => {
  it("with no data shows the empty state, the import buttons and the data file", async () => {
    await startApp();
    expect(byTestId(root, "empty-state-text")?.textContent).toBe(
      "No bounces yet. Import a mailbox export (mbox, maildir, .eml, .zip) or a provider report (CSV/JSON).",
    );
    expect(byTestId(root, "empty-import-files")?.textContent).toBe("Import files");
    expect(byTestId(root, "data-location-path")?.textContent).toBe("/home/ana/.local/share/app.rebound.desktop/rebound.sqlite");
    expect(byTestId(root, "dashboard-filled")).toBeNull();
  });

  it("shows the store's real counts per class when there is data", async () => {
    await startApp({
      overview: () => ({ imports: 3, events: 12345, campaigns: 4, recipients: 9000, by_class: [{ class: "hard", count: 321 }, { class: "soft", count: 1000 }, { class: "block", count: 7 }] }),
    });
    expect(byTestId(root, "empty-state")).toBeNull();
    expect(byTestId(root, "kpi-events-value")?.textContent).toBe("12,345");
    expect(byTestId(root, "class-hard-value")?.textContent).toBe("321");
    expect(byTestId(root, "class-soft-value")?.textContent).toBe("1,000");
    expect(byTestId(root, "class-complaint-value")?.textContent).toBe("0");
    expect(byTestId(root, "charts-later")).toBeNull();
  });

  it("shows the report: KPI cards with health levels and advice, the trend chart, the campaigns table", async () => {
    await startApp({ overview: () => DATA });
    expect(fake.called("report_summary")).toEqual([{ cmd: "report_summary", args: { campaign: null } }]);
    expect(byTestId(root, "kpi-sent-value")?.textContent).toBe("20,000");
    expect(byTestId(root, "kpi-hard-rate-value")?.textContent).toBe("3.1%");
    expect(byTestId(root, "kpi-hard-rate")?.dataset.level).toBe("red");
    expect(byTestId(root, "kpi-hard-rate-level")?.textContent).toBe("Danger");
    expect(byTestId(root, "kpi-hard-rate-text")?.textContent).toBe("The hard bounce rate is 3.1%, above the 2.0% danger line.");
    expect(byTestId(root, "kpi-hard-rate-action")?.textContent).toContain("Stop sending to this list");
    expect(byTestId(root, "kpi-soft-rate-value")?.textContent).toBe("1.2%");
    expect(byTestId(root, "kpi-block-share-value")?.textContent).toBe("25.0%");
    expect(byTestId(root, "kpi-block-share")?.dataset.level).toBe("ok");
    expect(byTestId(root, "kpi-complaint-rate-value")?.textContent).toBe("0.04%");
    expect(byTestId(root, "kpi-complaint-rate")?.dataset.level).toBe("amber");
    const svg = byTestId(root, "trend-chart-svg");
    expect(svg?.tagName).toBe("svg");
    expect(svg?.querySelector("rect")).not.toBeNull();
    expect(fake.called("chart_svg")[0].args).toMatchObject({ kind: "trend", campaign: null, width: 960, height: 300 });
    expect(byTestId(root, "campaign-row-0-name")?.textContent).toBe("Spring sale · email");
    expect(byTestId(root, "campaign-row-0-sent")?.textContent).toBe("20,000");
    expect(byTestId(root, "campaign-row-0-hard")?.textContent).toBe("3.1%");
    expect(byTestId(root, "campaign-row-0-health")?.textContent).toBe("Danger");
    expect(byTestId(root, "campaign-row-1-name")?.textContent).toBe("sms-1 · sms");
    expect(byTestId(root, "campaign-row-1-sent")?.textContent).toBe("unknown");
    expect(byTestId(root, "campaign-row-1-hard")?.textContent).toBe("unknown");
  });

  it("says unknown for rates without a sent count, and translates the health text", async () => {
    setLang("es");
    await startApp({
      overview: () => DATA,
      get_settings: () => ({ "ui.language": "es" }),
      report_summary: () => ({ ...REPORT, total: summary({ health: { level: "unknown", checks: [check("hard_rate", "unknown", {})] } }) }),
    });
    expect(byTestId(root, "kpi-sent-value")?.textContent).toBe("desconocido");
    expect(byTestId(root, "kpi-hard-rate-value")?.textContent).toBe("desconocido");
    expect(byTestId(root, "kpi-hard-rate-text")?.textContent).toBe(catalogs.es["health.hard_rate.unknown"]);
    expect(byTestId(root, "kpi-hard-rate-level")?.textContent).toBe("Desconocido");
  });

  it("shows hostile campaign names and chart text as inert text or image", async () => {
    const evil = `<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"><script>window.__pwned=1</script></svg>`;
    await startApp({
      overview: () => DATA,
      report_summary: () => ({ ...REPORT, campaigns: [summary({ campaign_name: HOSTILE, sent: 5 })] }),
      chart_svg: () => evil,
    });
    expect(byTestId(root, "campaign-row-0-name")?.textContent).toBe(HOSTILE);
    expect(root.querySelector("script")).toBeNull();
    expect(root.querySelector("svg[onload]")).toBeNull();
    expect(root.querySelector('img[src="x"]')).toBeNull();
    expect(byTestId(root, "trend-chart-svg")?.tagName).toBe("svg");
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("a failing chart shows an error box with retry and keeps the rest", async () => {
    await startApp({
      overview: () => DATA,
      chart_svg: () => {
        throw { code: "internal", message: "font missing" };
      },
    });
    expect(byTestId(byTestId(root, "trend-chart")!, "error-box")).not.toBeNull();
    expect(byTestId(root, "kpi-sent-value")?.textContent).toBe("20,000");
  });

  it("turns a backend error into words and retries", async () => {
    let fail = true;
    await startApp({
      overview: () => {
        if (fail) throw { code: "newer_schema", message: "the database /x was written by a newer Rebound" };
        return { imports: 0, events: 0, campaigns: 0, recipients: 0, by_class: [] };
      },
    });
    const box = byTestId(root, "error-box");
    expect(box?.textContent).toContain("made by a newer Rebound. Update Rebound");
    expect(box?.textContent).toContain("/x was written by a newer Rebound");
    fail = false;
    byTestId(root, "error-retry")?.click();
    await settle();
    expect(byTestId(root, "empty-state")).not.toBeNull();
  });

  it("Import files opens the dialog and starts an import of what was picked", async () => {
    const app = await startApp();
    fake.nextPick = ["/home/ana/Takeout/bounces.mbox"];
    byTestId(root, "empty-import-files")?.click();
    await settle();
    expect(fake.called("import_files")).toEqual([{ cmd: "import_files", args: { paths: ["/home/ana/Takeout/bounces.mbox"] } }]);
    expect(app.current).toBe("import");
    expect(byTestId(root, "import-progress")).not.toBeNull();
  });

  it("a cancelled dialog starts nothing", async () => {
    await startApp();
    fake.nextPick = null;
    byTestId(root, "empty-import-files")?.click();
    await settle();
    expect(fake.called("import_files")).toEqual([]);
  });
});

describe("import screen", () => {
  it("follows progress events and shows bytes, rate and a Cancel button", async () => {
    const app = await startApp();
    fake.drop({ type: "drop", paths: ["/data/big.mbox"] });
    await settle();
    expect(app.current).toBe("import");
    fake.emit("import-progress", { file: "/data/big.mbox", file_index: 0, file_count: 2, done_bytes: 5_000_000, total_bytes: 20_000_000, events: 2000, elapsed_ms: 1000 });
    await settle();
    expect(byTestId(root, "import-progress-bytes")?.textContent).toBe("5 MB of 20 MB");
    expect(byTestId(root, "import-progress-rate")?.textContent).toBe("2,000 events per second");
    expect(byTestId(root, "import-progress-bar")?.getAttribute("aria-valuenow")).toBe("25");
    byTestId(root, "import-cancel")?.click();
    await settle();
    expect(fake.called("cancel_import")).toHaveLength(1);
    expect(byTestId(root, "import-cancel")?.textContent).toBe("Cancelling…");
  });

  it("summarises every file, with readable errors and problems", async () => {
    const app = await startApp();
    await show(app, "import");
    await imports.start(["/x"]);
    const finished: ImportFinished = {
      cancelled: false,
      elapsed_ms: 1500,
      error: null,
      outcomes: [
        outcome({ problems: [{ locator: "#12", message: "no recipient found" }], notes: ["dates had no zone; read as Europe/Madrid"] }),
        outcome({ file: "/home/ana/photo.jpg", import_id: null, detection: null, events_added: 0, events_seen: 0, error: "/home/ana/photo.jpg: the format was not recognized", error_code: "unknown_format" }),
      ],
    };
    fake.emit("import-finished", finished);
    await settle();
    expect(byTestId(root, "import-results-summary")?.textContent).toBe("Files: 2 · new events: 4 · time: 1.5 s");
    expect(byTestId(root, "import-outcome-0")?.textContent).toContain("4 new events (5 read)");
    expect(byTestId(root, "import-outcome-0-problems")?.textContent).toContain("#12 no recipient found");
    // A note is what the reader assumed, shown beside the file but not counted as a problem.
    expect(byTestId(root, "import-outcome-0-note-0")?.textContent).toBe("Note: dates had no zone; read as Europe/Madrid");
    expect(byTestId(root, "import-outcome-0-problems")?.textContent).not.toContain("Europe/Madrid");
    expect(byTestId(root, "import-outcome-1")?.textContent).toContain("Rebound did not recognize this file");
  });

  it("renders hostile file names and problem texts as text", async () => {
    const app = await startApp({ list_imports: () => [record(1, { file_name: HOSTILE })] });
    await show(app, "import");
    await imports.start(["/x"]);
    fake.emit("import-finished", { cancelled: false, elapsed_ms: 1, error: null, outcomes: [outcome({ file: HOSTILE, problems: [{ locator: HOSTILE, message: HOSTILE }] })] });
    await settle();
    expect(root.textContent).toContain(HOSTILE);
    expect(root.querySelector("img[src=x]")).toBeNull();
    expect(root.querySelector("script")).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("history: Escape cancels the remove dialog, Remove confirms it", async () => {
    let rows = [record(4)];
    const app = await startApp({
      list_imports: () => rows,
      remove_import: () => {
        rows = [];
        return true;
      },
    });
    await show(app, "import");
    byTestId(root, "import-remove-4")?.click();
    await settle();
    expect(byTestId(document.body, "dialog")?.textContent).toContain("export-4.mbox");
    expect(document.activeElement).toBe(byTestId(document.body, "dialog-cancel"));
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    await settle();
    expect(byTestId(document.body, "dialog")).toBeNull();
    expect(fake.called("remove_import")).toEqual([]);

    byTestId(root, "import-remove-4")?.click();
    await settle();
    byTestId(document.body, "dialog-confirm")?.click();
    await settle();
    expect(fake.called("remove_import")).toEqual([{ cmd: "remove_import", args: { importId: 4 } }]);
    expect(byTestId(root, "import-history-empty")).not.toBeNull();
  });

  it("history: shows an import's problems on request", async () => {
    const app = await startApp({ list_imports: () => [record(9)], import_problems: () => [{ locator: "row 1,204", message: "no email column value" }] });
    await show(app, "import");
    byTestId(root, "import-problems-9")?.click();
    await settle();
    expect(byTestId(root, "import-history-detail")?.textContent).toContain("row 1,204 no email column value");
  });
});

describe("settings and language", () => {
  it("switching to Spanish relabels the window and is saved", async () => {
    const app = await startApp();
    await show(app, "settings");
    const select = byTestId(root, "settings-language") as HTMLSelectElement;
    select.value = "es";
    select.dispatchEvent(new Event("change"));
    await settle();
    expect(byTestId(root, "nav-dashboard")?.textContent).toContain("Panel");
    expect(fake.called("set_setting")).toEqual([{ cmd: "set_setting", args: { key: "ui.language", value: "es" } }]);
    expect(document.documentElement.lang).toBe("es");
  });

  it("starts in the saved language and theme", async () => {
    fake = new FakeBackend();
    await startApp({ get_settings: () => ({ "ui.language": "vi", "ui.theme": "dark" }) });
    expect(byTestId(root, "nav-dashboard")?.textContent).toContain("Tổng quan");
    expect(document.documentElement.dataset.theme).toBe("dark");
  });

  it("the theme can follow the OS or be forced", async () => {
    const app = await startApp();
    await show(app, "settings");
    (byTestId(root, "settings-theme-dark") as HTMLInputElement).click();
    await settle();
    expect(document.documentElement.dataset.theme).toBe("dark");
    (byTestId(root, "settings-theme-system") as HTMLInputElement).click();
    await settle();
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(fake.called("set_setting").map((c) => c.args.value)).toEqual(["dark", "system"]);
  });

  it("backs up through the save dialog", async () => {
    const app = await startApp();
    await show(app, "settings");
    fake.nextSave = "/home/ana/backup.sqlite";
    byTestId(root, "settings-backup")?.click();
    await settle();
    expect(fake.called("backup_database")).toEqual([{ cmd: "backup_database", args: { dest: "/home/ana/backup.sqlite" } }]);
  });
});

describe("every screen", () => {
  const screens = ["dashboard", "import", "campaigns", "bounces", "clean", "settings", "help"] as const;

  it("gives every control a data-testid and shows no raw translation keys", async () => {
    const app = await startApp({ list_imports: () => [record(1)] });
    for (const lang of ["en", "es", "vi"] as const) {
      await app.setLanguage(lang);
      for (const s of screens) {
        await show(app, s);
        const untagged = [...root.querySelectorAll("button, input, select, textarea, a")].filter((el) => !(el as HTMLElement).dataset.testid);
        expect(untagged.map((el) => el.outerHTML), `${s} (${lang})`).toEqual([]);
        const raw = Object.keys(catalogs.en).filter((k) => root.textContent?.includes(k));
        expect(raw, `${s} (${lang}) shows raw keys`).toEqual([]);
      }
    }
  });
});
