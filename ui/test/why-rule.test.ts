import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../src/i18n";
import { detectionSentence, ruleSentences } from "../src/screens/why-rule";

afterEach(() => setLang("en"));

describe("the rule that decided, in plain words", () => {
  it("words each kind of rule id, with its parameters", () => {
    expect(ruleSentences("phrase:user_unknown:no such user")).toEqual(["The server's message contains the words “no such user”."]);
    expect(ruleSentences("status:5.1.1")).toEqual(["The delivery status code 5.1.1 decided."]);
    expect(ruleSentences("reply:550")).toEqual(["The server's reply code 550 decided."]);
    expect(ruleSentences("provider:mailgun:bounced")).toEqual(["The provider's own label decided: mailgun said “bounced”."]);
    expect(ruleSentences("sms:twilio:30003")).toEqual(["The error code 30003 from twilio decided."]);
    expect(ruleSentences("kind:complaint")[0]).toContain("spam complaint");
    expect(ruleSentences("smtp:rcpt")).toEqual(["The server refused at the RCPT step of the conversation."]);
  });

  it("adds one sentence per modifier it knows and skips the others", () => {
    const s = ruleSentences("phrase:user_unknown:user unknown+smtp:data+status:5.2.0+something_new");
    expect(s).toEqual([
      "The server's message contains the words “user unknown”.",
      "It happened at the DATA step, which settled it.",
      "The status code 5.2.0 beside the words settled it.",
    ]);
  });

  it("says nothing for an id of an unknown kind (the window shows the id)", () => {
    expect(ruleSentences("sendgrid:dropped")).toEqual([]);
    expect(ruleSentences("kind:never_heard_of")).toEqual([]);
    expect(ruleSentences("")).toEqual([]);
  });

  it("speaks Spanish and Vietnamese", () => {
    setLang("es");
    expect(ruleSentences("status:5.1.1")).toEqual(["Decidió el código de estado de entrega 5.1.1."]);
    setLang("vi");
    expect(ruleSentences("phrase:mailbox_full:over quota")).toEqual(["Thông báo của máy chủ có chứa cụm từ “over quota”."]);
  });
});

describe("the import's detected format, in plain words", () => {
  const mbox = { format: "mbox", provider: null, why: "first line is an mbox 'From ' separator" };
  const mailgun = { format: "mailgun", provider: "mailgun", why: "header is address,code,error,created_at: Mailgun bounce list" };
  const odd = { format: "someday", provider: null, why: "a detector's English sentence" };

  it("keeps the detector's own sentence in English", () => {
    expect(detectionSentence(mbox)).toBe(mbox.why);
    expect(detectionSentence({ ...mailgun, why: "format 'mailgun' chosen with --format" })).toBe("Read with the columns you chose.");
  });

  it("translates by the format id in Spanish and Vietnamese, the English sentence as fallback", () => {
    setLang("es");
    expect(detectionSentence(mbox)).toBe("Reconocido como exportación de buzón mbox por su primera línea.");
    expect(detectionSentence(mailgun)).toBe("Reconocido como exportación de mailgun por sus columnas o campos.");
    expect(detectionSentence({ format: "generic-csv", provider: null, why: "x" })).toContain("Ningún proveedor conocido");
    expect(detectionSentence(odd)).toBe(odd.why);
    setLang("vi");
    expect(detectionSentence(mbox)).toContain("mbox");
    expect(detectionSentence(mbox)).not.toBe(mbox.why);
  });
});
