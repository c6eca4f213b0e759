// Clean a list: demo bounces in, a contact list checked in the window (columns,
// policy switch, preview counts), then the files the save dialogs would name
// written by the same command and read back row by row.
// The native open/save dialogs cannot be driven by WebDriver: the list is handed to
// the screen as the remembered last list (setting clean.last_file), and the save
// calls `clean_save` with real paths exactly as the window does after its dialogs.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const DEMO = resolve("assets/demo");
const HEADER = "Name,Email,City";
const ROWS = [
  "J Sanchez,jsanchez@gmail.example,Leeds", // hard bounce in the SendGrid demo events
  "Thomas Harris,thomas.harris45@outlook.example,York", // hard bounce in the SendGrid demo events
  "Fine One,fine.one@e2e-clean.example,Bath",
  "Fine Two,fine.two@e2e-clean.example,Hull",
  "Shop,info@e2e-clean.example,Derby", // role account: flagged, kept
  "Broken,not an address@,Ely", // bad syntax: flagged, or removed once the switch is on
];

export default async function ({ wd, opt, $, check, assert, shot, waitForText, go, invoke, textOf, sleep }) {
  const list = join(opt.work, "customers-e2e.csv");
  const words = join(opt.work, "no-addresses.csv");
  writeFileSync(list, [HEADER, ...ROWS].join("\n") + "\n");
  writeFileSync(words, "Name,City\nAna,Lima\nBo,Hue\n");
  // A one-row list whose preview says how many failing addresses the database knows
  // (clean_preview opens its own connection, so it sees every committed import).
  const probe = join(opt.work, "probe.csv");
  writeFileSync(probe, "email\nprobe@e2e-clean.example\n");
  const setTheme = async (th) => {
    await go("settings");
    await wd.click(await wd.waitFor($(`settings-theme-${th}`)));
  };
  const openList = async (path) => {
    const r = await invoke("set_setting", { key: "clean.last_file", value: path });
    assert(r.ok, `set_setting failed: ${JSON.stringify(r.error)}`);
    await go("dashboard");
    await go("clean");
  };
  const scrollTo = (id) => wd.execute(`document.querySelector('[data-testid="${id}"]').scrollIntoView({ block: "start" })`);
  const count = async (id) => (await textOf($(`clean-count-${id}-value`))).trim();

  await check("clean: the demo bounces are imported", async () => {
    // The SendGrid demo events hold the hard bounces the list below is checked against.
    // Seen in 4 of 6 runs of this spec (not yet understood, reported to the coordinator):
    // the first import_files right after launch returns ok but nothing reaches the
    // database and no result reaches the window; a second call imports at once. Asking
    // again is safe (a re-import adds nothing) and lets this spec test the clean screen.
    const paths = [join(DEMO, "sendgrid")];
    const t0 = Date.now();
    let done = null;
    for (let attempt = 0; !done && attempt < 4; attempt++) {
      const r = await invoke("import_files", { paths });
      if (!r.ok && r.error?.code !== "locked") assert(false, `import_files failed: ${JSON.stringify(r.error)}`);
      for (let i = 0; !done && i < 40; i++) {
        await sleep(500);
        const p = await invoke("clean_preview", { path: probe });
        done = p.ok && p.value.known_addresses > 0;
      }
    }
    assert(done, "the demo bounces did not reach the database");
    console.log(`       demo bounces stored after ${Date.now() - t0} ms`);
    await go("import");
    await waitForText($("import-results-summary"), "Files: 1", 30_000);
  });

  await check("clean: a list without addresses is refused, naming the file and what to do", async () => {
    await openList(words);
    const err = await waitForText($("clean-error"), "This file could not be used as it is.", 30_000);
    assert((await textOf($("clean-error-file"))) === words, "the error does not name the file");
    assert(err.includes("Choose the email (or phone) column below"), `no next step: ${err}`);
    await shot("60-clean-error-light");
  });

  await check("clean: columns found and preview counts in the window", async () => {
    await openList(list);
    await waitForText($("clean-count-rows-value"), "6", 30_000);
    assert((await textOf($("clean-file"))) === list, "the chosen list is not shown");
    const emailCol = await wd.execute(`return document.querySelector('[data-testid="clean-email-column"]').value`);
    assert(emailCol === "2", `email column is ${emailCol}, not the 2nd`);
    assert((await count("kept")) === "4", `kept ${await count("kept")}`);
    assert((await count("removed")) === "2", `removed ${await count("removed")}`);
    assert((await count("flagged")) === "2", `flagged ${await count("flagged")}`);
    assert((await textOf($("clean-removed-hard_bounce-count"))) === "2", "hard bounces by reason");
    assert((await textOf($("clean-flagged-role_account-count"))) === "1", "role account flag");
    assert((await textOf($("clean-flagged-invalid_address-count"))) === "1", "invalid address flag");
    await waitForText($("clean-policy-row-remove_invalid"), "Keep, flag: addresses that are not valid email addresses.");
    await shot("60-clean-columns-light");
    await scrollTo("clean-preview");
    await shot("60-clean-preview-light");
  });

  await check("clean: a policy switch changes the preview", async () => {
    await wd.click(await wd.waitFor($("clean-policy-remove_invalid")));
    await waitForText($("clean-count-removed-value"), "3", 30_000);
    assert((await count("kept")) === "3", `kept ${await count("kept")}`);
    assert((await textOf($("clean-removed-invalid_address-count"))) === "1", "invalid address now removed");
    await waitForText($("clean-policy-row-remove_invalid"), "Remove: addresses that are not valid email addresses.");
    const stored = await invoke("get_settings", { keys: ["policy.remove_invalid"] });
    assert(stored.ok && stored.value["policy.remove_invalid"] === "true", `policy not stored: ${JSON.stringify(stored)}`);
  });

  await check("clean: the saved files hold exactly the right rows", async () => {
    const cleaned = join(opt.work, "cleaned.csv");
    const removed = join(opt.work, "removed.csv");
    const supp = join(opt.work, "suppression.txt");
    const r = await invoke("clean_save", { path: list, choice: {}, cleaned, removed, suppressions: [{ format: "plain", path: supp }] });
    assert(r.ok, `clean_save failed: ${JSON.stringify(r.error)}`);
    assert(r.value.kept === 3 && r.value.removed === 3, `saved counts differ from the window: ${r.value.kept}/${r.value.removed}`);
    const out = readFileSync(cleaned, "utf8").split("\n");
    const want = [HEADER, ROWS[2], ROWS[3], ROWS[4], ""];
    assert(out.length === want.length && out.every((l, i) => l === want[i]), `cleaned.csv is\n${out.join("\n")}`);
    const gone = readFileSync(removed, "utf8").split("\n");
    assert(gone[0] === `${HEADER},rebound_action,rebound_reason,rebound_evidence`, `removed header: ${gone[0]}`);
    const expect = [
      [ROWS[0], "hard_bounce"],
      [ROWS[1], "hard_bounce"],
      [ROWS[5], "invalid_address"],
    ];
    assert(gone.length === expect.length + 2 && gone[gone.length - 1] === "", `removed.csv has ${gone.length - 2} rows`);
    expect.forEach(([row, why], i) => {
      const line = gone[i + 1];
      assert(line.startsWith(`${row},removed,${why},`), `removed row ${i + 1}: ${line}`);
    });
    const s = readFileSync(supp, "utf8");
    assert(s.includes("jsanchez@gmail.example") && s.includes("thomas.harris45@outlook.example"), `suppression file: ${s}`);
  });

  await check("clean: the screen in the dark theme", async () => {
    await setTheme("dark");
    await go("clean");
    await waitForText($("clean-count-rows-value"), "6", 30_000);
    await shot("60-clean-columns-dark");
    await scrollTo("clean-preview");
    await shot("60-clean-preview-dark");
    await scrollTo("clean-policy");
    await shot("60-clean-policy-dark");
    await setTheme("system");
  });

  await check("clean: the switch goes back, and the app returns to the dashboard", async () => {
    await go("clean");
    await waitForText($("clean-count-removed-value"), "3", 30_000);
    await wd.click(await wd.waitFor($("clean-policy-remove_invalid")));
    await waitForText($("clean-count-removed-value"), "2", 30_000);
    await go("dashboard");
  });
}
