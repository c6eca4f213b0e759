// The app shell: welcome, demo switch, last screen, and the settings added for issue 9.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as api from "../src/api";
import { App } from "../src/app";
import { imports } from "../src/import-state";
import { clickTestId, freshRoot, show, startOn } from "./app-harness";
import { byTestId, DEMO_DB, FakeBackend, settle } from "./fake-backend";

let fake: FakeBackend;
let root: HTMLElement;
const DATA = { imports: 1, events: 100, campaigns: 2, recipients: 90, by_class: [{ class: "hard", count: 62 }] };

async function startApp(handlers: ConstructorParameters<typeof FakeBackend>[0] = {}): Promise<App> {
  fake = new FakeBackend(handlers);
  return startOn(root, fake);
}

const click = (id: string) => clickTestId(id);

beforeEach(() => {
  root = freshRoot();
});

afterEach(() => imports.reset());

describe("welcome and demo", () => {
  it("a new data file shows the welcome: both buttons and where the data is", async () => {
    await startApp();
    expect(byTestId(root, "screen-welcome")).not.toBeNull();
    expect(byTestId(root, "empty-import-files")?.textContent).toBe("Import files");
    expect(byTestId(root, "welcome-demo")?.textContent).toBe("Explore demo data");
    expect(byTestId(root, "data-location-path")?.textContent).toBe("/home/ana/.local/share/app.rebound.desktop/rebound.sqlite");
    expect(byTestId(root, "demo-banner")?.hidden).toBe(true);
  });

  it("Explore demo data switches to the demo file with a banner, and Back returns", async () => {
    let demo = false;
    await startApp({ overview: () => (demo ? DATA : { imports: 0, events: 0, campaigns: 0, recipients: 0, by_class: [] }) });
    const open = fake.handlers.open_demo;
    fake.handlers.open_demo = (a) => {
      demo = true;
      return open(a);
    };
    await click("welcome-demo");
    expect(fake.called("open_demo")).toHaveLength(1);
    expect(byTestId(root, "demo-banner")?.hidden).toBe(false);
    expect(byTestId(root, "demo-banner-text")?.textContent).toBe("You are looking at demo data");
    expect(byTestId(root, "screen-dashboard")).not.toBeNull();
    const close = fake.handlers.close_demo;
    fake.handlers.close_demo = (a) => {
      demo = false;
      return close(a);
    };
    await click("demo-back");
    expect(fake.called("close_demo")).toHaveLength(1);
    expect(byTestId(root, "demo-banner")?.hidden).toBe(true);
    expect(byTestId(root, "screen-welcome")).not.toBeNull();
  });

  it("importing while the demo is shown goes back to the user's own data first", async () => {
    const app = await startApp({ overview: () => DATA });
    await app.openDemo();
    await settle();
    fake.nextPick = ["/home/ana/bounces.mbox"];
    await app.pickAndImport(false);
    await settle();
    const order = fake.calls.map((c) => c.cmd).filter((c) => c === "close_demo" || c === "import_files");
    expect(order).toEqual(["close_demo", "import_files"]);
    expect(byTestId(root, "demo-banner")?.hidden).toBe(true);
  });

  it("a demo that cannot be built says why and keeps the welcome", async () => {
    await startApp({ open_demo: () => Promise.reject({ code: "demo_missing", message: "not installed" }) });
    await click("welcome-demo");
    expect(byTestId(document.body, "toast")?.textContent).toBe("The demo data is not installed. Reinstall Rebound, or import your own files.");
    expect(byTestId(root, "welcome-demo")?.hasAttribute("disabled")).toBe(false);
  });

  it("opens on the last screen and remembers a new one", async () => {
    const app = await startApp({ overview: () => DATA, get_settings: () => ({ "ui.last_screen": "settings" }) });
    expect(app.current).toBe("settings");
    await show(app, "help");
    expect(fake.called("remember_screen")).toEqual([{ cmd: "remember_screen", args: { screen: "help" } }]);
  });

  it("saves the screen again when an import ends (during one it is not saved)", async () => {
    const app = await startApp({ overview: () => DATA });
    await show(app, "help");
    const before = fake.called("remember_screen").length;
    fake.emit("import-finished", { outcomes: [], cancelled: false, elapsed_ms: 1, error: null, mappable: [] });
    await settle();
    expect(fake.called("remember_screen").slice(before)).toEqual([{ cmd: "remember_screen", args: { screen: "help" } }]);
  });
});

describe("settings", () => {
  it("saves the time zone and explains a bad one", async () => {
    const app = await startApp({ overview: () => DATA });
    await show(app, "settings");
    const input = byTestId(root, "settings-zone-input") as HTMLInputElement;
    expect(input.value).toBe("UTC");
    input.value = "Europe/Madrid";
    await click("settings-zone-save");
    expect(fake.called("set_time_zone")).toEqual([{ cmd: "set_time_zone", args: { zone: "Europe/Madrid" } }]);
    expect(byTestId(root, "settings-zone-current")?.textContent).toBe("Now: Europe/Madrid");
    input.value = "Mars/Olympus";
    await click("settings-zone-save");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect([...document.querySelectorAll('[data-testid="toast"]')].map((e) => e.textContent)).toContain(
      "Rebound does not know this time zone. Type a name such as Europe/Madrid or Asia/Ho_Chi_Minh, or an offset such as +07:00.",
    );
  });

  it("thresholds are typed in percent and saved as fractions; crossed lines are refused before saving", async () => {
    const app = await startApp({ overview: () => DATA });
    await show(app, "settings");
    const hardRed = byTestId(root, "settings-th-hard_red") as HTMLInputElement;
    expect(hardRed.value).toBe("2");
    hardRed.value = "5";
    await click("settings-th-save");
    const saved = fake.called("set_thresholds")[0].args.thresholds as api.Thresholds;
    expect(saved.hard_red).toBeCloseTo(0.05);
    expect(saved.complaint_amber).toBeCloseTo(0.001);
    hardRed.value = "abc";
    await click("settings-th-save");
    expect(fake.called("set_thresholds")).toHaveLength(1);
    expect(hardRed.getAttribute("aria-invalid")).toBe("true");
  });

  it("a policy switch saves policy.<key>", async () => {
    const app = await startApp({ overview: () => DATA });
    await show(app, "settings");
    const role = byTestId(root, "settings-policy-remove_role") as HTMLInputElement;
    expect(role.checked).toBe(false);
    role.click();
    await settle();
    expect(fake.called("set_policy_value")).toEqual([{ cmd: "set_policy_value", args: { key: "remove_role", value: "true" } }]);
  });

  it("shows one translated switch per on/off field of the policy, none for its numbers", async () => {
    const app = await startApp({ overview: () => DATA });
    await show(app, "settings");
    const card = byTestId(root, "settings-policy") as HTMLElement;
    const boxes = [...card.querySelectorAll("input[type=checkbox]")].map((b) => b.getAttribute("data-testid"));
    expect(boxes).toHaveLength(11);
    expect(boxes).not.toContain("settings-policy-soft_days");
    for (const label of card.querySelectorAll("label.switch")) expect(label.textContent).not.toMatch(/settings\.policy\./);
  });

  it("delete all asks first, then offers Undo which restores the automatic backup", async () => {
    const app = await startApp({ overview: () => DATA });
    await show(app, "settings");
    await click("settings-delete-all");
    expect(byTestId(document.body, "dialog")?.textContent).toContain("Delete all data?");
    await click("dialog-cancel");
    expect(fake.called("delete_all_data")).toHaveLength(0);
    await click("settings-delete-all");
    await click("dialog-confirm");
    expect(fake.called("delete_all_data")).toHaveLength(1);
    expect(byTestId(document.body, "undo-toast")?.textContent).toContain("before-delete-all-");
    await click("undo-delete");
    const backup = "/home/ana/.local/share/app.rebound.desktop/backups/before-delete-all-20261123-140000-000.sqlite";
    expect(fake.called("restore_database")).toEqual([{ cmd: "restore_database", args: { src: backup } }]);
    expect(byTestId(document.body, "undo-toast")).toBeNull();
  });

  it("restore picks a file, confirms, restores and reloads", async () => {
    const app = await startApp({ overview: () => DATA });
    await show(app, "settings");
    fake.nextPick = ["/home/ana/rebound-backup.sqlite"];
    await click("settings-restore");
    expect(byTestId(document.body, "dialog")?.textContent).toContain("/home/ana/rebound-backup.sqlite");
    await click("dialog-confirm");
    expect(fake.called("restore_database")).toEqual([{ cmd: "restore_database", args: { src: "/home/ana/rebound-backup.sqlite" } }]);
    expect([...document.querySelectorAll('[data-testid="toast"]')].map((e) => e.textContent)).toContain("Restored: 100 events from the backup.");
  });

  it("while the demo is shown the data card says the buttons act on the demo file", async () => {
    const app = await startApp({
      overview: () => DATA,
      data_location: () => ({ db_path: DEMO_DB, folder: "/x", size_bytes: 10, app_version: "0.1.0", demo: true, user_db_path: "/x/rebound.sqlite" }),
    });
    await show(app, "settings");
    expect(byTestId(root, "settings-demo-note")).not.toBeNull();
    expect(byTestId(root, "settings-data-path")?.textContent).toBe(DEMO_DB);
  });
});
