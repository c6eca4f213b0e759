//! What the mapping screen shows for a file the generic mapper reads (or cannot
//! read): its columns with a few sample values, the guess per field, and the
//! header signature a confirmed mapping is remembered under.

use super::{guess, json_sample, sample_rows, signature, Generic, FIELDS};
use crate::ingest::text;
use serde::Serialize;

/// Sample values shown per column.
const SAMPLES: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposedColumn {
    pub name: String,
    pub samples: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposedField {
    pub field: String,
    pub column: String,
    /// "" (by its name), "by content", or "given" (a remembered or chosen mapping).
    pub how: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    /// "csv" or "json": the format to read the file with (`generic-csv` / `generic-json`).
    pub kind: &'static str,
    pub columns: Vec<ProposedColumn>,
    pub mapping: Vec<ProposedField>,
    pub signature: String,
    /// Every field the mapper fills, in display order.
    pub fields: Vec<&'static str>,
}

impl Proposal {
    pub fn format(&self) -> &'static str {
        if self.kind == "json" {
            "generic-json"
        } else {
            "generic-csv"
        }
    }
}

/// Columns, samples and the guess for a file's head, with `overrides` (field → column,
/// e.g. a remembered mapping) applied over the guess; overrides naming no column are ignored.
/// None when the head is neither a CSV with a header row nor JSON records.
pub fn propose(head: &[u8], overrides: &[(String, String)]) -> Option<Proposal> {
    let decoded = text::decode_head(head);
    let t = decoded.trim_start();
    let json = t.starts_with('{') || t.starts_with('[');
    let (names, rows) = if json {
        json_sample(t)?
    } else {
        let (names, delim) = text::head_header(t)?;
        (names, sample_rows(t, delim, 200))
    };
    if names.is_empty() {
        return None;
    }
    let mut m = guess(&names, &rows);
    for (field, col) in overrides {
        let one = Generic::new("", &[(field.clone(), col.clone())], "");
        // A stale override (its column is gone) keeps the guess.
        let _ = one.apply_overrides(&mut m, &names);
    }
    let columns = names
        .iter()
        .enumerate()
        .map(|(i, n)| ProposedColumn {
            name: n.clone(),
            samples: rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .take(SAMPLES)
                .map(|s| s.chars().take(80).collect())
                .collect(),
        })
        .collect();
    let mapping = FIELDS
        .iter()
        .filter_map(|f| {
            m.cols.iter().find(|(x, _, _)| x == f).map(|(f, c, how)| ProposedField {
                field: f.clone(),
                column: c.clone(),
                how: how.to_string(),
            })
        })
        .collect();
    Some(Proposal {
        kind: if json { "json" } else { "csv" },
        columns,
        mapping,
        signature: signature(&names),
        fields: FIELDS.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_columns_samples_and_the_guess_with_overrides_on_top() {
        let head = b"Cliente,Resultado,Cuando\nana@example.com,rebotado,2024-03-02 08:15\nbob@example.net,entregado,2024-03-03 09:00\n";
        let p = propose(head, &[]).unwrap();
        assert_eq!(p.kind, "csv");
        assert_eq!(p.columns.len(), 3);
        assert_eq!(p.columns[0].samples, vec!["ana@example.com", "bob@example.net"]);
        let get = |p: &Proposal, f: &str| p.mapping.iter().find(|x| x.field == f).map(|x| (x.column.clone(), x.how.clone()));
        assert_eq!(get(&p, "email"), Some(("Cliente".into(), "by content".into())));
        assert_eq!(get(&p, "status"), Some(("Resultado".into(), "".into())));
        assert_eq!(p.signature, signature(&["cliente".into(), "resultado".into(), "cuando".into()]));
        let p = propose(head, &[("date".into(), "cuando".into()), ("reason".into(), "Gone".into())]).unwrap();
        assert_eq!(get(&p, "date"), Some(("Cuando".into(), "given".into())));
        assert_eq!(get(&p, "reason"), None, "an override naming no column is ignored");
    }

    #[test]
    fn reads_json_records_and_refuses_plain_text() {
        let p = propose(br#"[{"who":"ana@example.com","what":"bounced"}]"#, &[]).unwrap();
        assert_eq!((p.kind, p.format()), ("json", "generic-json"));
        assert_eq!(p.columns.len(), 2);
        assert!(p.mapping.iter().any(|f| f.field == "email" && f.column == "who"));
        assert!(propose(b"", &[]).is_none());
    }
}
