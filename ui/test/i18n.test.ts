import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogs, fmtBytes, preferredLang, setLang, t, type Lang } from "../src/i18n";

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
