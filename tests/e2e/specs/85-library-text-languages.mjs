// Text that comes from the library in English is worded by the window in the user's
// language from its stable ids: the "why?" rule (the classifier's rule id) and the
// import's detected format (the detection's format id). Spanish and Vietnamese,
// light and dark; the id itself stays visible as the technical detail.
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { pageText, ROOT, withTheme } from "../lib-cli.mjs";

const EML = join(ROOT, "tests/fixtures/explore/hostile-why.eml");

const WORDS = {
  es: { rule: "El mensaje del servidor contiene las palabras", detect: "Reconocido como un correo individual" },
  vi: { rule: "Thông báo của máy chủ có chứa cụm từ", detect: "Được nhận dạng là một email riêng lẻ" },
};

export default async function ({ wd, opt, $, check, assert, shot, waitForText, go: goOnce, invoke, sleep }) {
  // A language change redraws the frame and the settings screen redraws once its data
  // is in: retry a click that lands on an element just replaced.
  const retry = async (fn) => {
    for (let i = 0; ; i++) {
      try {
        return await fn();
      } catch (e) {
        if (i >= 6) throw e;
        await sleep(400);
      }
    }
  };
  const go = (screen) => retry(() => goOnce(screen));
  const chooseLanguage = async (code) => {
    await go("settings");
    await retry(async () => wd.click(await wd.waitFor(`${$("settings-language")} option[value="${code}"]`)));
    await sleep(500);
  };
  for (const lang of ["es", "vi"]) {
    await check(`${lang}: the import's detected format and the why? rule are in ${lang}`, async () => {
      await chooseLanguage(lang);
      // A copy under a new name: a new import whose outcome shows its detection (its events are already stored or new, either is fine).
      const file = join(opt.work, `why-${lang}.eml`);
      copyFileSync(EML, file);
      await go("import");
      const res = await invoke("import_files", { paths: [file] });
      assert(res.ok, `import_files: ${JSON.stringify(res.error)}`);
      const det = await pageText(wd, "import-outcome-0-detection", WORDS[lang].detect, 30_000);
      assert(!det.includes("starts with RFC 5322"), `the English detector sentence is shown: ${det}`);
      await shot(`85-import-detection-${lang}-light`);

      await go("bounces");
      await retry(async () => wd.click(await wd.waitFor($("bounces-search"))));
      await wd.keys(..."hostile.victim".split(""));
      await waitForText($("bounces-count"), "1", 15_000);
      await sleep(300);
      await retry(async () => wd.click(await wd.waitFor($("bounces-row"))));
      const rule = await waitForText($("why-rule-text-0"), WORDS[lang].rule);
      assert(rule.includes("user unknown"), `the matched phrase is missing: ${rule}`);
      await waitForText($("why-rule"), "phrase:");
      await shot(`85-why-${lang}-light`);
      await withTheme(wd, "dark", () => shot(`85-why-${lang}-dark`));
      await wd.keys("\uE00C");
      await sleep(200);
      await retry(async () => wd.click(await wd.waitFor($("bounces-clear"))));
    });
  }
  await chooseLanguage("en");
  await go("dashboard");
}
