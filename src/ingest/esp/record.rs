//! One report record, whether it came from a JSON object or a CSV row, so a
//! provider's mapping is written once for its webhook JSON and its CSV export.

use crate::ingest::text::Header;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Read access to a record's flat fields by name.
pub trait Fields {
    /// The field as text (numbers and booleans rendered exactly, big ids untouched);
    /// None when missing, null or empty. JSON accepts dotted paths (`delivery-status.code`).
    fn s(&self, key: &str) -> Option<Cow<'_, str>>;

    /// The first of several names that is present.
    fn any(&self, keys: &[&str]) -> Option<Cow<'_, str>> {
        keys.iter().find_map(|k| self.s(k))
    }

    /// The JSON value itself, when the record is JSON.
    fn json(&self, _key: &str) -> Option<&Value> {
        None
    }
}

/// Renders a scalar JSON value as text; objects and arrays are not scalars.
pub fn scalar(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then_some(Cow::Borrowed(t))
        }
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        _ => None,
    }
}

fn path<'v>(m: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    if let Some(v) = m.get(key) {
        return Some(v);
    }
    let (first, rest) = key.split_once('.')?;
    match m.get(first)? {
        Value::Object(inner) => path(inner, rest),
        _ => None,
    }
}

impl Fields for Map<String, Value> {
    fn s(&self, key: &str) -> Option<Cow<'_, str>> {
        path(self, key).and_then(scalar)
    }
    fn json(&self, key: &str) -> Option<&Value> {
        path(self, key).filter(|v| !v.is_null())
    }
}

/// A CSV row seen through its header; names match case-insensitively and
/// repeated columns give their last non-empty value.
pub struct CsvRow<'a> {
    pub header: &'a Header,
    pub rec: &'a [String],
}

impl Fields for CsvRow<'_> {
    fn s(&self, key: &str) -> Option<Cow<'_, str>> {
        self.header.value(key, self.rec).map(Cow::Borrowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_fields_keep_big_ids_and_follow_paths() {
        let v: Value = serde_json::from_str(r#"{"MessageID":19421777835146490,"a":{"b":" x "},"e":"","n":null,"t":true}"#).unwrap();
        let m = v.as_object().unwrap();
        assert_eq!(m.s("MessageID").as_deref(), Some("19421777835146490"));
        assert_eq!(m.s("a.b").as_deref(), Some("x"));
        assert_eq!(m.s("e"), None);
        assert_eq!(m.s("n"), None);
        assert_eq!(m.s("t").as_deref(), Some("true"));
        assert_eq!(m.any(&["zz", "t"]).as_deref(), Some("true"));
    }

    #[test]
    fn csv_rows_match_names_in_any_case() {
        let h = Header::new(vec!["Email".into(), "Status".into()]);
        let rec = vec!["a@example.com".to_string(), "bounced".to_string()];
        let row = CsvRow { header: &h, rec: &rec };
        assert_eq!(row.s("email").as_deref(), Some("a@example.com"));
        assert_eq!(row.s("STATUS").as_deref(), Some("bounced"));
    }
}
