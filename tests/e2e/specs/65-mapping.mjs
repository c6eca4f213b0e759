// A provider report with column names Rebound does not know: the import refuses
// it but offers "Map columns"; the user corrects the roles in the mapping screen,
// saves, and the file imports with its events counted.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

// No known column names and no status words: read as a contact list, so refused.
const CSV = [
  "who,what,when",
  "map1@e2e-map.example,550 5.1.1 user unknown,2026-10-01 10:00",
  "map2@e2e-map.example,552 mailbox full,2026-10-01 10:05",
  "map3@e2e-map.example,550 5.1.1 no such user,2026-10-02 09:00",
].join("\n") + "\n";

export default async function ({ wd, opt, $, check, assert, shot, waitForText, go, invoke, textOf }) {
  const file = join(opt.work, "provider-export.csv");
  writeFileSync(file, CSV);
  const pick = async (field, column) => wd.click(await wd.waitFor(`${$(`mapping-field-${field}`)} option[value="${column}"]`));
  const openMapping = async () => {
    await go("import");
    await wd.click(await wd.waitFor($("import-outcome-0-map")));
    await waitForText($("mapping-field-email-samples"), "map1@e2e-map.example");
    await wd.execute(`document.querySelector('[data-testid="mapping"]').scrollIntoView({ block: "start" })`);
  };

  await check("mapping: an unknown layout is refused with Map columns offered", async () => {
    const r = await invoke("import_files", { paths: [file] });
    assert(r.ok, `import_files failed: ${JSON.stringify(r.error)}`);
    await go("import");
    const out = await waitForText($("import-outcome-0"), "Not imported", 60_000);
    assert(out.includes("provider-export.csv"), `another file's outcome: ${out}`);
    await waitForText($("import-outcome-0-map"), "Map columns");
  });

  await check("mapping: the guess is shown with sample values", async () => {
    await openMapping();
    const email = await wd.execute(`return document.querySelector('[data-testid="mapping-field-email"]').value`);
    assert(email === "who", `email guessed as ${email}`);
    assert((await textOf($("mapping-field-email-how"))) === "by its values", "how the email column was found");
    await shot("65-mapping-light");
  });

  await check("mapping: the screen in the dark theme", async () => {
    await go("settings");
    await wd.click(await wd.waitFor($("settings-theme-dark")));
    await openMapping();
    await shot("65-mapping-dark");
    await go("settings");
    await wd.click(await wd.waitFor($("settings-theme-system")));
  });

  await check("mapping: corrected roles are saved and the file imports with its events counted", async () => {
    await openMapping();
    await pick("reason", "what");
    await pick("date", "when");
    await waitForText($("mapping-field-reason-samples"), "550 5.1.1 user unknown");
    await wd.click(await wd.waitFor($("mapping-save")));
    const out = await waitForText($("import-outcome-0"), "3 new events", 60_000);
    assert(out.includes("provider-export.csv"), `outcome: ${out}`);
    const imports = await invoke("list_imports");
    const row = imports.ok && imports.value.find((r) => r.file_path === file);
    assert(row && row.events_added === 3 && row.format === "generic-csv", `history: ${JSON.stringify(row)}`);
    await waitForText($(`import-row-${row.id}`), "provider-export.csv");
    await shot("65-mapping-imported-light");
  });

  await check("mapping: the mapping is remembered for the same columns", async () => {
    const v = await invoke("mapping_proposal", { path: file });
    assert(v.ok && v.value.remembered === true, `not remembered: ${JSON.stringify(v)}`);
    await go("dashboard");
  });
}
