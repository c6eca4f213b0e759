// Every visible string comes from i18n/<lang>/<area>.json (one file per area of
// the window, so screens can grow without touching each other's strings);
// numbers, sizes and dates are formatted for the chosen language.

export type Lang = "en" | "es" | "vi";
export type Messages = Record<string, string>;

/** Every translation file, by path ("./i18n/en/core.json" → its keys). */
export const catalogFiles: Record<string, Messages> = import.meta.glob<Messages>("./i18n/*/*.json", {
  eager: true,
  import: "default",
});

function merged(lang: Lang): Messages {
  const out: Messages = {};
  for (const [path, msgs] of Object.entries(catalogFiles)) {
    if (path.startsWith(`./i18n/${lang}/`)) Object.assign(out, msgs);
  }
  return out;
}

export const catalogs: Record<Lang, Messages> = { en: merged("en"), es: merged("es"), vi: merged("vi") };
export const languages: { code: Lang; name: string }[] = [
  { code: "en", name: "English" },
  { code: "es", name: "Español" },
  { code: "vi", name: "Tiếng Việt" },
];

let current: Lang = "en";

export function isLang(x: unknown): x is Lang {
  return x === "en" || x === "es" || x === "vi";
}

/** The OS/browser language when it is one we speak, else English. */
export function preferredLang(navLangs: readonly string[] = navigator.languages ?? []): Lang {
  for (const l of navLangs) {
    const code = l.slice(0, 2).toLowerCase();
    if (isLang(code)) return code;
  }
  return "en";
}

export function setLang(lang: Lang): void {
  current = lang;
  document.documentElement.lang = lang;
}

export function lang(): Lang {
  return current;
}

/** Translates `key`, filling `{name}` placeholders. A missing key shows the key itself (tests forbid that). */
export function t(key: string, vars: Record<string, string | number> = {}): string {
  const msg = catalogs[current][key] ?? catalogs.en[key] ?? key;
  return msg.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function fmtNumber(n: number, opts: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(current, opts).format(n);
}

export function fmtBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${fmtNumber(v, { maximumFractionDigits: i === 0 ? 0 : 1 })} ${units[i]}`;
}

/** Unix seconds → a date and time in the user's zone and language. */
export function fmtDateTime(unixSeconds: number): string {
  return new Intl.DateTimeFormat(current, { dateStyle: "medium", timeStyle: "short" }).format(new Date(unixSeconds * 1000));
}
