// A new user's first look: the empty dashboard, where the data lives, the import screen.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const EMPTY_TEXT = "No bounces yet. Import a mailbox export (mbox, maildir, .eml, .zip) or a provider report (CSV/JSON).";

export default async function ({ wd, opt, $, check, assert, shot, textOf, waitForText, go, invoke }) {
  await check("dashboard shows the empty state", async () => {
    const text = await waitForText($("empty-state-text"), EMPTY_TEXT, 20_000);
    assert(text.trim() === EMPTY_TEXT, `empty-state text was "${text}"`);
    assert((await textOf($("empty-import-files"))) === "Import files", "no Import files button");
    await shot("01-dashboard-empty-light");
  });

  await check("data location is the REBOUND_DB file, created on launch", async () => {
    assert((await textOf($("data-location-path"))) === opt.db, "data location differs from $REBOUND_DB");
    assert(existsSync(opt.db), `${opt.db} was not created`);
  });

  await check("import screen shows the drop zone and an empty history", async () => {
    await go("import");
    await waitForText($("import-dropzone"), "Drop files or folders here");
    await waitForText($("import-history-empty"), "Nothing imported yet.");
    await shot("02-import-light");
  });

  await check("an unrecognized file is reported, and its hostile name stays text", async () => {
    const name = `<img src=x onerror="window.__pwned=1">notes.txt`;
    const path = join(opt.work, name);
    writeFileSync(path, "just some words, not a bounce\n");
    // The same command a drop or the dialog triggers, called as the window does.
    const res = await invoke("import_files", { paths: [path] });
    assert(res.ok, `import_files failed: ${JSON.stringify(res.error)}`);
    const outcome = await waitForText($("import-outcome-0"), "Not imported");
    assert(outcome.includes(name), `file name not shown as text: ${outcome}`);
    assert(outcome.includes("Rebound did not recognize this file"), `no readable error: ${outcome}`);
    const injected = await wd.execute("return [document.querySelectorAll('img[src=x]').length, window.__pwned === undefined]");
    assert(injected[0] === 0 && injected[1] === true, "markup from a file name reached the DOM");
    await waitForText($("import-history-empty"), "Nothing imported yet.");
    await shot("03-import-result-light");
  });
}
