import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogFiles, catalogs, fmtBytes, preferredLang, setLang, t, type Lang } from "../src/i18n";

const LANGS = Object.keys(catalogs) as Lang[];
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("translations", () => {
  it("has English, Spanish and Vietnamese", () => {
    expect(LANGS.sort()).toEqual(["en", "es", "vi"]);
  });

  it("each area file exists in every language with the same keys, and no key lives in two files", () => {
    const areas = new Map<string, Map<string, string[]>>();
    for (const [path, msgs] of Object.entries(catalogFiles)) {
      const [, l, area] = path.match(/\.\/i18n\/(\w+)\/([\w-]+)\.json$/) ?? [];
      if (!areas.has(area)) areas.set(area, new Map());
      areas.get(area)!.set(l, Object.keys(msgs).sort());
    }
    for (const [area, byLang] of areas) {
      expect([...byLang.keys()].sort(), `languages of ${area}.json`).toEqual(["en", "es", "vi"]);
      for (const l of LANGS) expect(byLang.get(l), `${l}/${area}.json keys`).toEqual(byLang.get("en"));
    }
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [path, msgs] of Object.entries(catalogFiles)) {
      if (!path.includes("/en/")) continue;
      for (const k of Object.keys(msgs)) {
        if (seen.has(k)) twice.push(`${k} in ${seen.get(k)} and ${path}`);
        seen.set(k, path);
      }
    }
    expect(twice).toEqual([]);
  });

  for (const lang of LANGS) {
    it(`${lang} has every key of every other language, none empty`, () => {
      for (const other of LANGS) {
        const missing = Object.keys(catalogs[other]).filter((k) => !(k in catalogs[lang]));
        expect(missing, `keys in ${other}.json missing from ${lang}.json`).toEqual([]);
      }
      const empty = Object.entries(catalogs[lang]).filter(([, v]) => v.trim() === "");
      expect(empty, `empty strings in ${lang}.json`).toEqual([]);
    });

    it(`${lang} uses the same {placeholders} as English`, () => {
      const wrong = Object.keys(catalogs.en).filter((k) => placeholders(catalogs.en[k]).join() !== placeholders(catalogs[lang][k] ?? "").join());
      expect(wrong).toEqual([]);
    });
  }

  it("every literal key used in the code exists", () => {
    const used = new Set<string>();
    for (const f of sourceFiles(join(__dirname, "../src"))) {
      for (const m of readFileSync(f, "utf8").matchAll(/\bt\(\s*"([\w.]+)"/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(40);
    expect([...used].filter((k) => !(k in catalogs.en))).toEqual([]);
  });

  it("fills placeholders and formats for the language", () => {
    setLang("es");
    expect(t("import.progress.file", { index: 2, count: 5 })).toBe("Archivo 2 de 5");
    expect(fmtBytes(1_500_000)).toBe("1,5 MB");
    setLang("en");
    expect(fmtBytes(1_500_000)).toBe("1.5 MB");
    expect(t("no.such.key")).toBe("no.such.key");
  });

  it("picks the OS language when we speak it", () => {
    expect(preferredLang(["vi-VN", "en"])).toBe("vi");
    expect(preferredLang(["de-DE", "es-MX"])).toBe("es");
    expect(preferredLang(["fr"])).toBe("en");
  });
});
