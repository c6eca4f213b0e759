//! Streaming JSON records: JSON lines, a top-level array, or an API page whose
//! records sit in an array under a known key (`items`, `Bounces`, `data`,
//! `data.results`, …). Records are handed over one at a time, so an array of a
//! million events is never held whole; only the page's other (small) keys are
//! kept, as the summary. A syntax error stops the file at that point but keeps
//! everything read before it.

use crate::error::{Error, Result};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;
use std::io::{BufRead, BufReader, Read};

/// Keys whose array value holds the records of an API page.
const RECORD_KEYS: &[&str] = &[
    "items", "emails", "Bounces", "bounces", "data", "Results", "results", "tracking_activities", "events", "messages", "Records", "records",
];

/// What a reader gets besides the records.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Top-level keys that were not record arrays (paging, totals, summary counts).
    pub summary: Map<String, Value>,
    pub records: u64,
}

/// A record callback: 1-based record index and the value. May return an error to stop.
pub type OnRecord<'c> = dyn FnMut(u64, Value) -> Result<()> + 'c;

/// True when the text starts with one complete JSON value on its first line
/// followed by more content: JSON lines rather than one pretty-printed document.
pub fn looks_like_lines(head_text: &str) -> bool {
    let t = head_text.trim_start_matches('\u{feff}').trim_start();
    let Some(nl) = t.find('\n') else { return false };
    let first = t[..nl].trim();
    let rest = t[nl..].trim();
    !rest.is_empty() && (first.starts_with('{') || first.starts_with('[')) && serde_json::from_str::<Value>(first).is_ok()
}

/// Reads JSON lines; a bad line is reported through `on_bad` and skipped.
pub fn read_lines(r: impl Read, on: &mut OnRecord<'_>, on_bad: &mut dyn FnMut(u64, String) -> Result<()>) -> Result<Outcome> {
    let mut r = BufReader::with_capacity(256 * 1024, r);
    let mut buf = Vec::new();
    let mut out = Outcome::default();
    let mut line_no = 0u64;
    loop {
        buf.clear();
        let n = r.read_until(b'\n', &mut buf).map_err(|e| Error::Invalid(format!("reading failed: {e}")))?;
        if n == 0 {
            break;
        }
        let line = trim_ascii(&buf);
        if line.is_empty() {
            continue;
        }
        line_no += 1;
        match serde_json::from_slice::<Value>(line) {
            Ok(Value::Array(items)) => {
                for v in items {
                    out.records += 1;
                    on(out.records, v)?;
                }
            }
            Ok(v) => {
                out.records += 1;
                on(out.records, v)?;
            }
            Err(e) => on_bad(line_no, format!("line {line_no} is not valid JSON ({e})"))?,
        }
    }
    Ok(out)
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !c.is_ascii_whitespace()).map(|i| i + 1).unwrap_or(start);
    let b = &b[start..end.max(start)];
    b.strip_prefix("\u{feff}".as_bytes()).unwrap_or(b)
}

/// Reads one JSON document, streaming the records it contains. A document with
/// no record array is itself one record (a single saved webhook POST).
pub fn read_document(r: impl Read) -> DocumentReader<impl Read> {
    DocumentReader { r }
}

pub struct DocumentReader<R> {
    r: R,
}

impl<R: Read> DocumentReader<R> {
    pub fn each(self, on: &mut OnRecord<'_>) -> Result<Outcome> {
        let state = State { on: RefCell::new(on), stop: RefCell::new(None), count: RefCell::new(0) };
        let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(256 * 1024, self.r));
        let res = Top { st: &state }.deserialize(&mut de);
        if let Some(e) = state.stop.borrow_mut().take() {
            return Err(e);
        }
        let records = *state.count.borrow();
        match res {
            Ok(summary) => {
                let mut out = Outcome { summary, records };
                if records == 0 && !out.summary.is_empty() {
                    let whole = std::mem::take(&mut out.summary);
                    out.records = 1;
                    (state.on.borrow_mut())(1, Value::Object(whole))?;
                }
                Ok(out)
            }
            Err(e) if records > 0 => Err(Error::Invalid(format!(
                "the JSON breaks off after record {records} ({e}); the records before it were read"
            ))),
            Err(e) => Err(Error::Invalid(format!("not valid JSON ({e})"))),
        }
    }
}

struct State<'a, 'c> {
    on: RefCell<&'a mut OnRecord<'c>>,
    stop: RefCell<Option<Error>>,
    count: RefCell<u64>,
}

impl State<'_, '_> {
    fn emit<E: de::Error>(&self, v: Value) -> std::result::Result<(), E> {
        let n = {
            let mut c = self.count.borrow_mut();
            *c += 1;
            *c
        };
        if let Err(e) = (self.on.borrow_mut())(n, v) {
            *self.stop.borrow_mut() = Some(e);
            return Err(E::custom("stopped"));
        }
        Ok(())
    }
}

/// The top level: an array of records, or an object (API page or single record).
struct Top<'s, 'a, 'c> {
    st: &'s State<'a, 'c>,
}

impl<'de> DeserializeSeed<'de> for Top<'_, '_, '_> {
    type Value = Map<String, Value>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_, '_> {
    type Value = Map<String, Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array or object")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Self::Value, A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            self.st.emit(v)?;
        }
        Ok(Map::new())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
        let mut summary = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            if RECORD_KEYS.contains(&k.as_str()) {
                if let Some(v) = map.next_value_seed(Inner { st: self.st })? {
                    summary.insert(k, v);
                }
            } else {
                let v: Value = map.next_value()?;
                summary.insert(k, v);
            }
        }
        Ok(summary)
    }
}

/// The value under a record key: an array is streamed; an object is searched
/// one level deeper (`data.results`); anything else is kept as summary.
struct Inner<'s, 'a, 'c> {
    st: &'s State<'a, 'c>,
}

impl<'de> DeserializeSeed<'de> for Inner<'_, '_, '_> {
    type Value = Option<Value>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Inner<'_, '_, '_> {
    type Value = Option<Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<Self::Value, A::Error> {
        Top { st: self.st }.visit_seq(seq).map(|_| None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Self::Value, A::Error> {
        let before = *self.st.count.borrow();
        let m = Top { st: self.st }.visit_map(map)?;
        // A nested object that held no records (a single `data` record) is returned whole.
        if *self.st.count.borrow() == before {
            return Ok(Some(Value::Object(m)));
        }
        Ok(Some(Value::Object(m)))
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Self::Value, E> {
        Ok(Some(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Self::Value, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Self::Value, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Self::Value, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Ok(Some(Value::String(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Self::Value, E> {
        Ok(Some(Value::String(v)))
    }
    fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
        Ok(Some(Value::Null))
    }
    fn visit_none<E>(self) -> std::result::Result<Self::Value, E> {
        Ok(Some(Value::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect_doc(s: &str) -> (Vec<Value>, Outcome) {
        let mut got = Vec::new();
        let out = read_document(s.as_bytes()).each(&mut |_, v| {
            got.push(v);
            Ok(())
        });
        (got, out.unwrap())
    }

    #[test]
    fn arrays_pages_and_single_objects() {
        let (v, _) = collect_doc(r#"[{"a":1},{"a":2}]"#);
        assert_eq!(v.len(), 2);
        let (v, o) = collect_doc(r#"{"TotalCount":2,"Bounces":[{"a":1},{"a":2}]}"#);
        assert_eq!(v.len(), 2);
        assert_eq!(o.summary["TotalCount"], 2);
        let (v, o) = collect_doc(r#"{"data":{"results":[{"a":1}],"total":1}}"#);
        assert_eq!(v.len(), 1);
        assert_eq!(o.summary["data"]["total"], 1);
        let (v, _) = collect_doc(r#"{"RecordType":"Bounce","ID":4323372036854775807}"#);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0]["ID"].to_string(), "4323372036854775807");
    }

    #[test]
    fn truncated_document_keeps_earlier_records() {
        let mut n = 0;
        let r = read_document(&br#"[{"a":1},{"a":2},{"a""#[..]).each(&mut |_, _| {
            n += 1;
            Ok(())
        });
        assert_eq!(n, 2);
        assert!(r.unwrap_err().to_string().contains("after record 2"));
    }

    #[test]
    fn callback_errors_stop_the_reader() {
        let r = read_document(&br#"[{"a":1},{"a":2}]"#[..]).each(&mut |_, _| Err(Error::Cancelled));
        assert!(matches!(r, Err(Error::Cancelled)));
    }

    #[test]
    fn json_lines_with_a_bad_line() {
        assert!(looks_like_lines("{\"a\":1}\n{\"a\":2}\n"));
        assert!(!looks_like_lines("{\n \"a\": 1\n}\n"));
        let mut good = 0;
        let mut bad = Vec::new();
        read_lines(&b"{\"a\":1}\n\n{oops\n[{\"a\":2},{\"a\":3}]\n"[..], &mut |_, _| {
            good += 1;
            Ok(())
        }, &mut |n, m| {
            bad.push((n, m));
            Ok(())
        })
        .unwrap();
        assert_eq!(good, 3);
        assert_eq!(bad[0].0, 2);
    }
}
