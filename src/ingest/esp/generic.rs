//! The generic column mapper: a CSV or JSON report from an unknown provider.
//! Columns are guessed by header name (English, Spanish, Vietnamese, French,
//! German, Portuguese) and by content (emails, phones, dates); `--map FIELD=Column`
//! overrides any guess. The header signature lets the caller remember a mapping
//! (see `store::mappings`).

use super::common::{plausible_email, shorten, smtp_from_text};
use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::ingest::dates::DateReader;
use crate::ingest::sms::{self, phone};
use crate::ingest::text::{self, Header};
use crate::ingest::{Detection, Family};
use crate::model::{normalize_email, Channel, Kind, Reason};
use sha2::{Digest, Sha256};

#[path = "generic_proposal.rs"]
pub mod proposal;

/// The fields the mapper fills, in the order the guess is shown.
pub const FIELDS: &[&str] = &[
    "email", "phone", "status", "reason", "code", "date", "campaign",
];

const NAMES: &[(&str, &[&str])] = &[
    (
        "email",
        &[
            "email",
            "emailaddress",
            "mail",
            "correo",
            "correoelectronico",
            "correoelectrónico",
            "direcciondecorreo",
            "direccióndecorreo",
            "địachỉemail",
            "địachỉthư",
            "thư",
            "courriel",
            "adressecourriel",
            "adresseemail",
            "emailadresse",
            "endereçodeemail",
            "enderecodeemail",
            "recipient",
            "recipientemail",
            "destinatario",
            "ngườinhận",
            "address",
            "to",
        ],
    ),
    (
        "phone",
        &[
            "phone",
            "phonenumber",
            "mobile",
            "mobilenumber",
            "msisdn",
            "cell",
            "telefono",
            "teléfono",
            "celular",
            "movil",
            "móvil",
            "sốđiệnthoại",
            "điệnthoại",
            "sđt",
            "sdt",
            "telephone",
            "téléphone",
            "handy",
            "number",
            "to",
        ],
    ),
    (
        "status",
        &[
            "status",
            "event",
            "eventtype",
            "type",
            "bouncetype",
            "result",
            "outcome",
            "action",
            "estado",
            "tipo",
            "resultado",
            "evento",
            "trạngthái",
            "loại",
            "kếtquả",
            "statut",
            "ergebnis",
            "deliverystatus",
        ],
    ),
    (
        "reason",
        &[
            "reason",
            "bouncereason",
            "error",
            "errormessage",
            "diagnostic",
            "diagnosticcode",
            "description",
            "details",
            "response",
            "smtpresponse",
            "message",
            "motivo",
            "razon",
            "razón",
            "causa",
            "descripcion",
            "descripción",
            "lýdo",
            "nguyênnhân",
            "lỗi",
            "chitiết",
            "chitiet",
            "raison",
            "grund",
        ],
    ),
    (
        "code",
        &[
            "code",
            "statuscode",
            "smtpcode",
            "errorcode",
            "bouncecode",
            "replycode",
            "codigo",
            "código",
            "mãlỗi",
            "mã",
        ],
    ),
    (
        "date",
        &[
            "date",
            "time",
            "timestamp",
            "datetime",
            "created",
            "createdat",
            "eventtime",
            "bouncedat",
            "sentat",
            "fecha",
            "hora",
            "fechayhora",
            "ngày",
            "thờigian",
            "ngàygiờ",
            "datum",
            "data",
        ],
    ),
    (
        "campaign",
        &[
            "campaign",
            "campaignname",
            "campaignid",
            "campaigntitle",
            "mailing",
            "newsletter",
            "campaña",
            "campana",
            "nombredecampaña",
            "chiếndịch",
            "tênchiếndịch",
            "campagne",
            "kampagne",
            "list",
            "tag",
        ],
    ),
];

/// Lowercase letters and digits only: `E-Mail Address` → `emailaddress`.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A guessed or given column per field, with how it was found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping {
    pub cols: Vec<(String, String, &'static str)>,
}

impl Mapping {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.cols
            .iter()
            .find(|(f, _, _)| f == field)
            .map(|(_, c, _)| c.as_str())
    }
    fn set(&mut self, field: &str, col: &str, how: &'static str) {
        self.cols.retain(|(f, _, _)| f != field);
        self.cols.push((field.to_string(), col.to_string(), how));
    }
    /// `email=Correo, status=Estado (by content)` for messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for f in FIELDS {
            if let Some((_, c, how)) = self.cols.iter().find(|(x, _, _)| x == f) {
                parts.push(if how.is_empty() {
                    format!("{f}={c}")
                } else {
                    format!("{f}={c} ({how})")
                });
            }
        }
        parts.join(", ")
    }
    /// Field → column pairs, as `--map` takes them and the store keeps them.
    pub fn pairs(&self) -> Vec<(String, String)> {
        self.cols
            .iter()
            .map(|(f, c, _)| (f.clone(), c.clone()))
            .collect()
    }
}

/// Guesses columns from header names, then from sample values for what names did not settle.
pub fn guess(names: &[String], samples: &[Vec<String>]) -> Mapping {
    let mut m = Mapping::default();
    let squashed: Vec<String> = names.iter().map(|n| squash(n)).collect();
    let mut used = vec![false; names.len()];
    for (field, syn) in NAMES {
        // Exact synonym first, then a header that contains one (`Bounce Reason`).
        let exact = syn.iter().find_map(|s| {
            squashed
                .iter()
                .enumerate()
                .find(|(i, h)| !used[*i] && h == s)
                .map(|(i, _)| i)
        });
        let partial = || {
            syn.iter().filter(|s| s.len() >= 4).find_map(|s| {
                squashed
                    .iter()
                    .enumerate()
                    .find(|(i, h)| !used[*i] && h.contains(*s))
                    .map(|(i, _)| i)
            })
        };
        if let Some(i) = exact.or_else(partial) {
            let col = |i: usize| {
                samples
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            };
            let vals = col(i);
            // A name is only trusted for addresses when the values agree (a `to` column of phones is a phone column).
            let ok = match *field {
                "email" => {
                    vals.is_empty() || share(&vals, |v| plausible_email(&normalize_email(v))) >= 0.5
                }
                "phone" => vals.is_empty() || share(&vals, phone::looks_like_phone) >= 0.5,
                _ => true,
            };
            if ok {
                used[i] = true;
                m.set(field, &names[i], "");
            }
        }
    }
    for i in 0..names.len() {
        if used[i] {
            continue;
        }
        let vals: Vec<&str> = samples
            .iter()
            .filter_map(|r| r.get(i))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if vals.is_empty() {
            continue;
        }
        if m.get("email").is_none() && share(&vals, |v| plausible_email(&normalize_email(v))) >= 0.6
        {
            m.set("email", &names[i], "by content");
        } else if m.get("phone").is_none()
            && m.get("email").is_none()
            && share(&vals, phone::looks_like_phone) >= 0.6
        {
            m.set("phone", &names[i], "by content");
        } else if m.get("date").is_none()
            && share(&vals, |v| {
                DateReader::new(Some("UTC"), None)
                    .ok()
                    .and_then(|mut d| d.parse(v))
                    .is_some()
            }) >= 0.8
            && vals.iter().any(|v| v.len() > 6)
        {
            m.set("date", &names[i], "by content");
        } else if m.get("status").is_none() && share(&vals, |v| status_kind(v).is_some()) >= 0.8 {
            m.set("status", &names[i], "by content");
        }
    }
    m
}

fn share(vals: &[&str], f: impl Fn(&str) -> bool) -> f64 {
    if vals.is_empty() {
        return 0.0;
    }
    vals.iter().filter(|v| f(v)).count() as f64 / vals.len() as f64
}

/// Words providers and spreadsheets use for an outcome, in several languages → kind (None = skip the row).
pub fn status_kind(v: &str) -> Option<Option<(Kind, Option<Reason>)>> {
    let l = v.trim().to_lowercase();
    let has = |ws: &[&str]| ws.iter().any(|w| l.contains(w));
    Some(
        if has(&[
            "unsub",
            "opt-out",
            "optout",
            "opted out",
            "dado de baja",
            "darse de baja",
            "baja",
            "desuscri",
            "hủy đăng ký",
            "huỷ đăng ký",
            "désinscri",
            "abgemeldet",
        ]) || l == "stop"
        {
            Some((Kind::Unsubscribe, Some(Reason::Unsubscribe)))
        } else if has(&[
            "complain",
            "spam",
            "abuse",
            "queja",
            "denuncia",
            "báo cáo",
            "thư rác",
            "plainte",
            "junk",
        ]) {
            Some((Kind::Complaint, Some(Reason::Complaint)))
        } else if has(&[
            "undeliver",
            "not delivered",
            "no entregado",
            "non distribué",
            "không gửi được",
        ]) {
            Some((Kind::Bounce, None))
        } else if has(&[
            "defer",
            "delay",
            "retry",
            "diferido",
            "retrasado",
            "trì hoãn",
            "tạm hoãn",
            "différé",
        ]) {
            Some((Kind::Deferred, None))
        } else if has(&["dropped", "suppress", "suprimido", "omitido"]) {
            Some((Kind::Suppressed, Some(Reason::Suppressed)))
        } else if has(&[
            "block",
            "bloquead",
            "bị chặn",
            "chặn",
            "bloqué",
            "blockiert",
        ]) {
            Some((Kind::Bounce, Some(Reason::Blocked)))
        } else if has(&[
            "bounce",
            "hard",
            "soft",
            "rebot",
            "rebote",
            "duro",
            "suave",
            "fail",
            "fallid",
            "error",
            "invalid",
            "inválid",
            "trả lại",
            "thất bại",
            "lỗi",
            "cứng",
            "mềm",
            "rebond",
            "échec",
            "unzustellbar",
            "permanent",
            "temporar",
            "transient",
        ]) {
            Some((Kind::Bounce, None))
        } else if has(&[
            "delivered",
            "entregado",
            "đã nhận",
            "đã giao",
            "livré",
            "zugestellt",
            "success",
        ]) {
            Some((Kind::Delivered, None))
        } else if has(&[
            "sent",
            "enviado",
            "processed",
            "đã gửi",
            "envoyé",
            "accepted",
            "queued",
        ]) {
            Some((Kind::Sent, None))
        } else if has(&["open", "click", "abiert", "clic", "mở", "nhấp", "ouvert"])
            // Subscriber-status exports (MailerLite, ActiveCampaign) list the healthy ones too.
            || ["active", "subscribed", "unconfirmed", "confirmed", "activo", "suscrito"].contains(&l.as_str())
        {
            None
        } else {
            return None;
        },
    )
}

/// Stable identity of a header layout: the same columns in the same order hash the same.
pub fn signature(names: &[String]) -> String {
    let mut h = Sha256::new();
    for n in names {
        h.update(squash(n).as_bytes());
        h.update([0x1f]);
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The header signature of a CSV file's head, for looking up a remembered mapping
/// before reading (`store::mappings::load_mapping`). For JSON, the keys of the first record; None for headerless text.
pub fn signature_of_head(head: &[u8]) -> Option<String> {
    let t = text::decode_head(head);
    let t = t.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        // The keys of the first record: a mapping chosen for a JSON layout is remembered too.
        return json_sample(t).map(|(names, _)| signature(&names));
    }
    text::head_header(t).map(|(names, _)| signature(&names))
}

fn sample_rows(t: &str, delim: u8, n: usize) -> Vec<Vec<String>> {
    let mut rdr = text::csv_builder(delim).from_reader(t.as_bytes());
    let mut out = Vec::new();
    let skip = text::header_offset(t, delim) + 1;
    for rec in rdr
        .byte_records()
        .flatten()
        .filter(|r| r.iter().any(|f| !f.is_empty()))
        .skip(skip)
        .take(n)
    {
        let mut cells = Vec::new();
        text::record_to_strings(&rec, &mut cells);
        out.push(cells);
    }
    out
}

fn bounce_file_name(name: &str) -> bool {
    let n = name.to_lowercase();
    [
        "bounce",
        "rebote",
        "rebot",
        "trả lại",
        "tra-lai",
        "tralai",
        "suppress",
        "failed",
        "fallid",
        "undeliver",
        "complaint",
        "unsub",
        "blocked",
        "invalid",
        "spam",
    ]
    .iter()
    .any(|w| n.contains(w))
}

pub fn detect_csv(name: &str, names: &[String], t: &str, delim: u8) -> Option<Detection> {
    if looks_like_mail(t) || names.len() < 2 {
        return None;
    }
    let m = guess(names, &sample_rows(t, delim, 50));
    detection(name, &m, "CSV", "generic-csv")
}

pub fn detect_json(name: &str, t: &str) -> Option<Detection> {
    let (names, samples) = json_sample(t)?;
    let m = guess(&names, &samples);
    detection(name, &m, "JSON", "generic-json")
}

/// Mail (mbox `From ` line or an RFC 5322 header block) is the mailbox reader's, never a table.
fn looks_like_mail(t: &str) -> bool {
    let first = t.lines().next().unwrap_or("");
    if first.starts_with("From ") {
        return true;
    }
    match first.split_once(':') {
        Some((name, _)) => {
            !name.is_empty()
                && name.len() < 40
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !first.contains(',')
                && !first.contains(';')
                && !first.contains('\t')
        }
        None => false,
    }
}

fn detection(name: &str, m: &Mapping, kind: &str, format: &str) -> Option<Detection> {
    if m.get("email").is_none() && m.get("phone").is_none() {
        return None;
    }
    let outcome = m.get("status").is_some() || m.get("reason").is_some() || m.get("code").is_some();
    if !outcome && !bounce_file_name(name) {
        return Some(Detection {
            format: "contacts".into(),
            family: Family::Contacts,
            provider: None,
            confidence: 30,
            why: format!("{kind} with an address column but no status, reason or code column ({}): a contact list, not a report; name the format with --format {format} to import every row as a bounce", m.describe()),
        });
    }
    let confidence = if outcome { 40 } else { 25 };
    Some(Detection {
        format: format.into(),
        family: Family::Report,
        provider: None,
        confidence,
        why: format!(
            "unknown {kind} report; columns guessed: {} (correct with --map FIELD=Column)",
            m.describe()
        ),
    })
}

/// Keys and values of the first flat records in a JSON head.
fn json_sample(t: &str) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let mut records: Vec<serde_json::Map<String, serde_json::Value>> = Vec::new();
    let mut push = |_: u64, v: serde_json::Value| {
        if let serde_json::Value::Object(o) = v {
            if records.len() < 50 {
                records.push(o);
            }
        }
        Ok(())
    };
    if super::json::looks_like_lines(t) {
        let _ = super::json::read_lines(t.as_bytes(), &mut push, &mut |_, _| Ok(()));
    } else {
        let _ = super::json::read_document(t.as_bytes()).each(&mut push);
    }
    let first = records.first()?;
    let names: Vec<String> = first.keys().cloned().collect();
    let rows = records
        .iter()
        .map(|r| {
            names
                .iter()
                .map(|k| {
                    r.get(k)
                        .and_then(super::record::scalar)
                        .map(|s| s.into_owned())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    Some((names, rows))
}

/// The reader for unknown layouts.
pub struct Generic {
    overrides: Vec<(String, String)>,
    head_text: String,
    map: Option<Mapping>,
    region: Option<phone::Region>,
    json: bool,
}

impl Generic {
    pub fn new(_file: &str, column_map: &[(String, String)], head_text: &str) -> Self {
        let region = column_map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("region"))
            .and_then(|(_, v)| phone::Region::parse(v));
        let overrides = column_map
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("region"))
            .cloned()
            .collect();
        Generic {
            overrides,
            head_text: head_text.to_string(),
            map: None,
            region,
            json: false,
        }
    }

    fn apply_overrides(
        &self,
        m: &mut Mapping,
        names: &[String],
    ) -> std::result::Result<(), String> {
        for (field, col) in &self.overrides {
            let f = field.to_lowercase();
            if !FIELDS.contains(&f.as_str()) {
                return Err(format!(
                    "--map {field}=…: unknown field; use one of {}",
                    FIELDS.join(", ")
                ));
            }
            let Some(real) = names.iter().find(|n| n.eq_ignore_ascii_case(col.trim())) else {
                return Err(format!(
                    "--map {field}={col}: no such column; the columns are: {}",
                    names.join(", ")
                ));
            };
            if f == "email" {
                m.cols.retain(|(x, _, _)| x != "phone");
            }
            if f == "phone" {
                m.cols.retain(|(x, _, _)| x != "email");
            }
            m.set(&f, real, "given");
        }
        Ok(())
    }
}

impl Reader for Generic {
    fn header(&mut self, h: &Header) -> std::result::Result<(), String> {
        let t = self.head_text.trim_start();
        let samples = sample_rows(t, text::sniff_delimiter(t), 200);
        let mut m = guess(&h.names, &samples);
        self.apply_overrides(&mut m, &h.names)?;
        if m.get("email").is_none() && m.get("phone").is_none() {
            return Err(format!(
                "no email or phone column found among: {}; name it with --map email=Column",
                h.names.join(", ")
            ));
        }
        self.map = Some(m);
        Ok(())
    }

    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        if self.map.is_none() {
            self.json = true;
            let (names, samples) = json_sample(self.head_text.trim_start()).unwrap_or_default();
            let mut m = guess(&names, &samples);
            self.apply_overrides(&mut m, &names)
                .map_err(|message| crate::Error::BadInput {
                    path: ctx.file.clone(),
                    message,
                })?;
            self.map = Some(m);
        }
        let m = self.map.clone().unwrap_or_default();
        let val = |field: &str| m.get(field).and_then(|c| f.s(c)).map(|s| s.into_owned());
        let status = val("status");
        let (kind, hint) = match status.as_deref().map(status_kind) {
            None => (Kind::Bounce, None),
            Some(Some(Some(k))) => k,
            Some(Some(None)) => {
                ctx.skip();
                return Ok(());
            }
            // A value we do not know: the file is a bounce report, so a bounce it is; the label keeps the word.
            Some(None) => (Kind::Bounce, None),
        };
        let mut ev = if m.get("email").is_some() {
            match ctx.email_event(kind, val("email").as_deref(), row)? {
                Some(e) => e,
                None => return Ok(()),
            }
        } else {
            let mut k = kind;
            if ctx.events == 0 && ctx.problems == 0 {
                k = kind;
            }
            match sms::phone_event(
                ctx,
                k,
                val("phone").as_deref(),
                row,
                self.region.as_ref(),
                false,
            )? {
                Some(e) => e,
                None => return Ok(()),
            }
        };
        if ev.channel == Channel::Sms && hint == Some(Reason::Unsubscribe) {
            ev.reason_hint = Some(Reason::SmsOptedOut);
        } else {
            ev.reason_hint = hint;
        }
        ev.occurred_at = ctx.time(val("date").as_deref(), row)?;
        ev.provider_label = status;
        let reason = val("reason");
        if let Some(code) = val("code") {
            if super::common::is_status(&code) {
                ev.status = Some(code);
            } else if let Ok(c) = code.parse::<u32>() {
                ev.reply_code = Some(c);
            } else if reason.is_none() {
                ev.diagnostic = Some(code);
            }
        }
        if let Some(r) = &reason {
            smtp_from_text(&mut ev, r);
            ev.diagnostic = Some(r.clone());
        }
        if let Some(c) = val("campaign") {
            ev.campaign = Some(ctx.campaign(&c, Some(&c)));
        }
        let _ = shorten;
        ctx.emit(ev)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn guesses_by_name_in_several_languages() {
        let m = guess(
            &names(&["Correo electrónico", "Estado", "Motivo", "Fecha", "Campaña"]),
            &[],
        );
        assert_eq!(m.get("email"), Some("Correo electrónico"));
        assert_eq!(m.get("status"), Some("Estado"));
        assert_eq!(m.get("reason"), Some("Motivo"));
        assert_eq!(m.get("date"), Some("Fecha"));
        assert_eq!(m.get("campaign"), Some("Campaña"));
        let m = guess(
            &names(&["Địa chỉ email", "Trạng thái", "Lý do", "Ngày"]),
            &[],
        );
        assert_eq!(m.get("email"), Some("Địa chỉ email"));
        assert_eq!(m.get("status"), Some("Trạng thái"));
        assert_eq!(m.get("reason"), Some("Lý do"));
        assert_eq!(m.get("date"), Some("Ngày"));
    }

    #[test]
    fn guesses_by_content_when_names_say_nothing() {
        let rows = vec![
            vec![
                "x1".to_string(),
                "ana@example.com".to_string(),
                "2024-03-02 08:15".to_string(),
                "rebotado".to_string(),
            ],
            vec![
                "x2".to_string(),
                "bob@example.net".to_string(),
                "2024-03-03 09:00".to_string(),
                "entregado".to_string(),
            ],
        ];
        let m = guess(&names(&["id", "col_a", "col_b", "col_c"]), &rows);
        assert_eq!(m.get("email"), Some("col_a"));
        assert_eq!(m.get("date"), Some("col_b"));
        assert_eq!(m.get("status"), Some("col_c"));
        assert!(m.describe().contains("email=col_a (by content)"));
    }

    #[test]
    fn mail_is_not_a_table() {
        assert!(detect_csv(
            "x",
            &names(&["From a@b.c Mon", "x"]),
            "From a@b.c Mon Jan  1 00:00:00 2024\nTo: ana@example.com, bob@example.net\n",
            b','
        )
        .is_none());
        assert!(looks_like_mail("Return-Path: <>\nReceived: from x"));
        assert!(!looks_like_mail("email,status\nana@example.com,bounced"));
    }

    #[test]
    fn status_words() {
        assert_eq!(status_kind("Hard bounce"), Some(Some((Kind::Bounce, None))));
        assert_eq!(
            status_kind("Dado de baja"),
            Some(Some((Kind::Unsubscribe, Some(Reason::Unsubscribe))))
        );
        assert_eq!(status_kind("undelivered"), Some(Some((Kind::Bounce, None))));
        assert_eq!(
            status_kind("Delivered"),
            Some(Some((Kind::Delivered, None)))
        );
        assert_eq!(status_kind("opened"), Some(None));
        assert_eq!(status_kind("zzz"), None);
    }

    #[test]
    fn signature_ignores_case_and_punctuation_but_not_order() {
        assert_eq!(
            signature(&names(&["E-mail", "Status"])),
            signature(&names(&["email", "STATUS"]))
        );
        assert_ne!(
            signature(&names(&["email", "status"])),
            signature(&names(&["status", "email"]))
        );
    }
}
