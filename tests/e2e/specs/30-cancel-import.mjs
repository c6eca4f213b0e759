// Cancel an import midway: the window says so and the database is exactly as before
// (the CLI reads the same file: same imports, same counts).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { CLI, cli, pageClick, pageText, report } from "../lib-cli.mjs";

/** Big enough to take seconds to import, so Cancel lands midway (~1.3 GB, 2% with 1 MB attachments).
 * 20,000 messages (~430 MB) stopped being enough once the importer read them in under a second. */
const MESSAGES = 60_000;

export default async function ({ wd, opt, $, check, assert, shot, waitForText, go, invoke, sleep }) {
  const mbox = join(opt.work, "cancel-gen", "mbox", "bounces.mbox");

  await check("cancel an import midway: the window says so and the database is unchanged", async () => {
    execFileSync(CLI, ["gen", "--out", join(opt.work, "cancel-gen"), "--mbox", String(MESSAGES), "--seed", "30"], { stdio: "ignore", timeout: 300_000 });
    const before = { imports: cli(opt.db, "imports", "list"), total: report(opt.db).total };
    await go("import");
    const res = await invoke("import_files", { paths: [mbox] });
    assert(res.ok, `import_files: ${JSON.stringify(res.error)}`);
    // Let it get into the file before cancelling.
    await pageText(wd, "import-progress-bytes", "MB", 30_000);
    await sleep(200);
    await shot("30-import-progress-light");
    const bytes = await pageText(wd, "import-progress-bytes", "of");
    assert(await pageClick(wd, "import-cancel"), "no Cancel button while importing");
    const msg = await waitForText($("import-results-cancelled"), "Cancelled", 60_000);
    console.log(`  cancelled at ${bytes}: ${msg}`);
    await shot("31-import-cancelled-light");
    const after = { imports: cli(opt.db, "imports", "list"), total: report(opt.db).total };
    assert(after.imports === before.imports, `imports differ:\nbefore ${before.imports}\nafter ${after.imports}`);
    assert(JSON.stringify(after.total.counts) === JSON.stringify(before.total.counts), `counts differ: ${JSON.stringify(before.total.counts)} → ${JSON.stringify(after.total.counts)}`);
    assert(after.total.sent === before.total.sent, "sent differs");
  });

  await go("dashboard");
}
