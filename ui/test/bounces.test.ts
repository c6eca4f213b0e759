import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as api from "../src/api";
import { App } from "../src/app";
import { imports } from "../src/import-state";
import { dayStart, parseSaved, SETTING_FILTERS, toFilter } from "../src/screens/bounces";
import { freshRoot, startOn } from "./app-harness";
import { byTestId, exploreHandlers, fakeDetail, fakeRow, FakeBackend, settle } from "./fake-backend";

let fake: FakeBackend;
let root: HTMLElement;

const HOSTILE = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;

async function openExplorer(handlers: ConstructorParameters<typeof FakeBackend>[0] = {}): Promise<App> {
  fake = new FakeBackend(handlers);
  return startOn(root, fake, "bounces", 10);
}

const last = <T>(xs: T[]): T | undefined => xs[xs.length - 1];
const frame = () => new Promise((r) => setTimeout(r, 30));
const rows = () => root.querySelectorAll<HTMLElement>('[data-testid="bounces-row"]');
const lastFilter = (cmd: string) => last(fake.called(cmd))?.args.filter as api.ExploreFilter;

beforeEach(() => {
  root = freshRoot();
});

afterEach(() => imports.reset());

describe("bounce explorer table", () => {
  it("shows the total and renders only the rows in view of 1,000,000", async () => {
    await openExplorer(exploreHandlers(1_000_000));
    expect(byTestId(root, "bounces-count")?.textContent).toBe("Matching rows: 1,000,000");
    expect(byTestId(root, "bounces-table")?.getAttribute("aria-rowcount")).toBe("1000000");
    const n = rows().length;
    expect(n).toBeGreaterThan(5);
    expect(n).toBeLessThan(60);
    expect(fake.called("explore_page")).toHaveLength(1);
    expect(fake.called("explore_page")[0].args).toMatchObject({ sort: "newest_first", at: { mode: "offset", offset: 0 }, limit: 100 });
    const first = rows()[0];
    expect(first.textContent).toContain("user0@example.com");
    expect(first.textContent).toContain("Hard bounces");
    expect(first.textContent).toContain("Mailbox does not exist");
    expect(first.textContent).toContain("Spring sale");
    expect(first.textContent).toContain("postfix");
    expect(first.textContent).toContain("Email");
  });

  it("scrolling far jumps by row number, the next page follows by cursor", async () => {
    await openExplorer(exploreHandlers(1_000_000));
    const vp = byTestId(root, "bounces-viewport")!;
    vp.scrollTop = 4_000_000; // about the middle of the scaled scroll range
    vp.dispatchEvent(new Event("scroll"));
    await frame();
    await settle(10);
    const far = last(fake.called("explore_page"))!.args.at as api.PageAt;
    expect(far.mode).toBe("offset");
    const offset = (far as { offset: number }).offset;
    expect(offset).toBeGreaterThan(400_000);
    expect(offset).toBeLessThan(600_000);
    expect(rows().length).toBeLessThan(60);
    expect(rows()[0].textContent).toMatch(/user\d{6}@example.com/);
  });

  it("a page after a loaded one is fetched after the last row's cursor", async () => {
    await openExplorer(exploreHandlers(1000));
    const vp = byTestId(root, "bounces-viewport")!;
    vp.scrollTop = 40 * 95; // rows 95.. need page 1
    vp.dispatchEvent(new Event("scroll"));
    await frame();
    await settle(10);
    const next = last(fake.called("explore_page"))!.args.at;
    expect(next).toEqual({ mode: "after", cursor: { at: fakeRow(99).occurred_at, id: fakeRow(99).id } });
    expect(root.textContent).toContain("user105@example.com");
  });

  it("says so when nothing matches", async () => {
    await openExplorer(exploreHandlers(0));
    expect(byTestId(root, "bounces-count")?.textContent).toBe("No bounces match these filters.");
    expect(rows()).toHaveLength(0);
  });

  it("shows a readable error with a retry", async () => {
    await openExplorer({ explore_count: () => { throw { code: "locked", message: "database is locked" }; } });
    expect(byTestId(root, "error-box")).not.toBeNull();
    expect(byTestId(root, "error-retry")).not.toBeNull();
  });
});

describe("bounce explorer filters", () => {
  it("offers facet values with counts, filters and remembers the choice", async () => {
    await openExplorer(exploreHandlers(300));
    const cls = byTestId(root, "bounces-filter-class") as HTMLSelectElement;
    expect([...cls.options].map((o) => o.textContent)).toEqual(["Any", "Hard bounces (100)", "Soft bounces (100)"]);
    cls.value = "hard";
    cls.dispatchEvent(new Event("change"));
    await settle(10);
    expect(lastFilter("explore_count").classes).toEqual(["hard"]);
    expect(lastFilter("explore_facets").classes).toEqual(["hard"]);
    expect(lastFilter("explore_page").classes).toEqual(["hard"]);
    const saved = last(fake.called("set_setting"))!.args;
    expect(saved.key).toBe(SETTING_FILTERS);
    expect(JSON.parse(saved.value as string)).toMatchObject({ class: "hard" });
    expect((byTestId(root, "bounces-filter-class") as HTMLSelectElement).value).toBe("hard");
  });

  it("restores saved filters on open and ignores a broken setting", async () => {
    const saved = JSON.stringify({ campaign: 1, class: "soft", search: "gmail", from: "2026-03-01", to: "2026-03-31", domain: 5 });
    await openExplorer({ ...exploreHandlers(10), get_settings: () => ({ [SETTING_FILTERS]: saved, "ui.language": null, "ui.theme": null }) });
    const f = fake.called("explore_count")[0].args.filter as api.ExploreFilter;
    expect(f).toMatchObject({ campaign_id: 1, classes: ["soft"], search: "gmail", domain: null, from: dayStart("2026-03-01"), to: dayStart("2026-04-01") });
    expect((byTestId(root, "bounces-search") as HTMLInputElement).value).toBe("gmail");
    expect(parseSaved("{not json")).toEqual(parseSaved(null));
    expect(parseSaved('{"from":"<script>","class":7}')).toMatchObject({ from: "", class: "" });
  });

  it("debounces the search box", async () => {
    await openExplorer(exploreHandlers(10));
    const before = fake.called("explore_count").length;
    const box = byTestId(root, "bounces-search") as HTMLInputElement;
    for (const v of ["a", "an", "ana"]) {
      box.value = v;
      box.dispatchEvent(new Event("input"));
    }
    await new Promise((r) => setTimeout(r, 320));
    await settle(10);
    expect(fake.called("explore_count").length).toBe(before + 1);
    expect(lastFilter("explore_count").search).toBe("ana");
  });

  it("keeps the search box and its focus while counts refresh, and a select change applies a pending search", async () => {
    await openExplorer(exploreHandlers(10));
    const box = byTestId(root, "bounces-search") as HTMLInputElement;
    box.focus();
    box.value = "an";
    box.dispatchEvent(new Event("input"));
    await new Promise((r) => setTimeout(r, 320));
    await settle(10);
    expect(byTestId(root, "bounces-search")).toBe(box);
    expect(document.activeElement).toBe(box);
    box.value = "ana";
    box.dispatchEvent(new Event("input"));
    const cls = byTestId(root, "bounces-filter-class") as HTMLSelectElement;
    cls.value = "soft";
    cls.dispatchEvent(new Event("change"));
    await settle(10);
    expect(lastFilter("explore_count")).toMatchObject({ search: "ana", classes: ["soft"] });
  });

  it("clear resets every filter", async () => {
    await openExplorer({ ...exploreHandlers(10), get_settings: () => ({ [SETTING_FILTERS]: '{"class":"hard"}' }) });
    byTestId(root, "bounces-clear")!.click();
    await settle(10);
    expect(lastFilter("explore_count")).toMatchObject({ classes: [], search: null, campaign_id: null });
  });

  it("turns dates into local day bounds, the end day included", () => {
    expect(dayStart("2026-03-01")).toBe(new Date(2026, 2, 1).getTime() / 1000);
    expect(dayStart("nope")).toBeNull();
    const f = toFilter({ campaign: null, class: "", reason: "", domain: "", provider: "", channel: "", from: "", to: "2026-12-31", search: "  " });
    expect(f.to).toBe(new Date(2027, 0, 1).getTime() / 1000);
    expect(f.search).toBeNull();
  });
});

describe("why? dialog", () => {
  it("explains the bounce and shows hostile text as text only", async () => {
    const row = fakeRow(0, { recipient: `x${HOSTILE}@example.com` });
    const detail = fakeDetail(row, {
      diagnostic: `550 5.1.1\n${HOSTILE}`,
      original: { message_id: HOSTILE, subject: `Sale ${HOSTILE}`, from: `${HOSTILE} <news@shop.example>`, date: "2026-03-03T08:00:00Z", list_id: HOSTILE, campaign_header: null },
      rule: "phrase:user_unknown:user unknown",
      evidence: "user unknown",
    });
    await openExplorer({ ...exploreHandlers(5, (i) => (i === 0 ? row : fakeRow(i))), explore_detail: () => detail });
    rows()[0].click();
    await settle(10);
    const dlg = byTestId(document.body, "why-dialog")!;
    expect(dlg.getAttribute("role")).toBe("dialog");
    expect(byTestId(dlg, "why-class")?.textContent).toBe("Hard bounces");
    expect(byTestId(dlg, "why-reason")?.textContent).toBe("Mailbox does not exist");
    expect(byTestId(dlg, "why-explain")?.textContent).toContain("Remove the address");
    expect(byTestId(dlg, "why-rule")?.textContent).toBe("phrase:user_unknown:user unknown");
    expect(byTestId(dlg, "why-evidence")?.textContent).toBe("user unknown");
    const pre = byTestId(dlg, "why-diagnostic")!;
    expect(pre.tagName).toBe("PRE");
    expect(pre.textContent).toBe(`550 5.1.1\n${HOSTILE}`);
    expect(pre.childElementCount).toBe(0);
    expect(byTestId(dlg, "why-subject")?.textContent).toBe(`Sale ${HOSTILE}`);
    expect(byTestId(dlg, "why-from")?.textContent).toBe(`${HOSTILE} <news@shop.example>`);
    expect(byTestId(dlg, "why-status")?.textContent).toBe("5.1.1");
    expect(byTestId(dlg, "why-reply-code")?.textContent).toBe("550");
    expect(byTestId(dlg, "why-remote-mta")?.textContent).toBe("mx.example.com");
    expect(byTestId(dlg, "why-source-file")?.textContent).toBe("/home/ana/bounces.mbox");
    expect(byTestId(dlg, "why-source-index")?.textContent).toBe("12");
    expect(document.querySelectorAll("img[src=x], script").length).toBe(0);
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("Escape closes it and gives focus back to the row; Enter on a row opens it", async () => {
    await openExplorer(exploreHandlers(5));
    const row = rows()[1];
    row.focus();
    row.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await settle(10);
    expect(byTestId(document.body, "why-dialog")).not.toBeNull();
    expect(last(fake.called("explore_detail"))!.args.id).toBe(fakeRow(1).id);
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await settle(5);
    expect(byTestId(document.body, "why-dialog")).toBeNull();
    expect(document.activeElement?.getAttribute("data-index")).toBe("1");
  });

  it("arrow keys move the focused row", async () => {
    await openExplorer(exploreHandlers(50));
    rows()[0].focus();
    rows()[0].dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    rows()[0].dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    await frame();
    expect(document.activeElement?.getAttribute("data-index")).toBe("2");
    expect(root.querySelectorAll('[tabindex="0"][data-index]')).toHaveLength(1);
  });
});
