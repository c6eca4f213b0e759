// The rule that decided a bounce, in plain words in the window's language. The
// classifier's rule ids are stable ("phrase:user_unknown:no such user",
// "status:5.1.1", "provider:mailgun:bounced", "status:5.1.1+smtp:data" …); the
// window words each kind of id itself and keeps the id as the technical detail.
// Parameters taken from the id (a matched phrase, a code) are inserted as text by
// the caller like any other data.
import { lang, t } from "../i18n";

/** Sentences for `rule`: the base rule first, then one per modifier the window knows. Empty when the id is of an unknown kind (the caller shows the id). */
export function ruleSentences(rule: string): string[] {
  const [base, ...mods] = rule.split("+");
  const out: string[] = [];
  const first = baseSentence(base);
  if (first === null) return [];
  out.push(first);
  for (const m of mods) {
    const s = modSentence(m);
    if (s !== null) out.push(s);
  }
  return out;
}

/** The key exists in the English catalog (t() would otherwise show the key). */
function has(key: string): boolean {
  return t(key) !== key;
}

function baseSentence(base: string): string | null {
  const parts = base.split(":");
  const head = parts[0];
  const rest = (n: number) => parts.slice(n).join(":");
  switch (head) {
    case "kind":
      return has(`why.rule.kind.${rest(1)}`) ? t(`why.rule.kind.${rest(1)}`) : null;
    case "status":
      return t("why.rule.status", { code: rest(1) });
    case "reply":
      return t("why.rule.reply", { code: rest(1) });
    case "hint":
      return t("why.rule.hint");
    case "phrase":
      return parts.length >= 3 ? t("why.rule.phrase", { phrase: rest(2) }) : null;
    case "provider":
      return parts.length >= 3 ? t("why.rule.provider", { provider: parts[1], label: rest(2) }) : null;
    case "smtp":
      return t("why.rule.smtp", { command: rest(1).toUpperCase() });
    case "sms":
      return smsSentence(parts);
    case "default":
      return t("why.rule.default");
    default:
      return null;
  }
}

function smsSentence(parts: string[]): string | null {
  const [, fam, ...more] = parts;
  const value = more.join(":");
  if (fam === "default") return t("why.rule.sms.default");
  if (fam === "text") return t("why.rule.sms.text", { phrase: value });
  if (fam === "smpp") return t("why.rule.sms.smpp", { status: value });
  if (fam && value) return t("why.rule.sms.code", { provider: fam, code: value });
  return null;
}

function modSentence(m: string): string | null {
  if (m.startsWith("status:")) return t("why.rule.mod.status", { code: m.slice("status:".length) });
  if (m.startsWith("smtp:")) return t("why.rule.mod.smtp", { command: m.slice("smtp:".length).toUpperCase() });
  const key = `why.rule.mod.${m}`;
  return has(key) ? t(key) : null;
}

/**
 * The import's "read as … because …" from the detection's stable ids (format, provider) in the
 * window's language; the library's English `why` in English and when no sentence fits.
 */
export function detectionSentence(d: { format: string; provider: string | null; why: string }): string {
  if (d.why.startsWith("format '")) return t("import.detect.chosen");
  // English readers get the detector's own sentence: it names the exact signature.
  if (lang() === "en") return d.why;
  const own = `import.detect.${d.format}`;
  if (has(own)) return t(own);
  if (d.format.startsWith("generic-")) return t("import.detect.generic");
  if (d.provider && has("import.detect.provider")) return t("import.detect.provider", { provider: d.provider });
  return d.why;
}
