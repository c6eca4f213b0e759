//! Column mappings the user confirmed for unknown report layouts, remembered per
//! header signature (`ingest::esp::generic::signature`) in `column_mappings`.
//!
//! Wiring (importer side): before reading a file whose detection is `generic-csv`
//! and when the user gave no `--map`, look up `load_mapping(signature_of_head(head))`
//! and use it as `ReadOptions::column_map`; after a successful import with a
//! user-given `--map`, `save_mapping` it.

use super::Store;
use crate::error::{Error, Result};
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Remembers `mapping` (field → column pairs) for a header signature, replacing an older one.
    pub fn save_mapping(&self, signature: &str, mapping: &[(String, String)]) -> Result<()> {
        let json = serde_json::to_string(mapping).map_err(|e| Error::Invalid(e.to_string()))?;
        self.conn.execute(
            "INSERT INTO column_mappings(signature, mapping, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(signature) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
            params![signature, json, chrono::Utc::now().timestamp()],
        )?;
        Ok(())
    }

    /// The mapping saved for a header signature, if any. A corrupt row reads as none.
    pub fn load_mapping(&self, signature: &str) -> Result<Option<Vec<(String, String)>>> {
        let raw: Option<String> = self
            .conn
            .query_row("SELECT mapping FROM column_mappings WHERE signature = ?1", [signature], |r| r.get(0))
            .optional()?;
        Ok(raw.and_then(|j| serde_json::from_str(&j).ok()))
    }

    /// Forgets a remembered mapping. Returns false when none was stored.
    pub fn forget_mapping(&self, signature: &str) -> Result<bool> {
        Ok(self.conn.execute("DELETE FROM column_mappings WHERE signature = ?1", [signature])? > 0)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    #[test]
    fn mappings_round_trip_and_replace() {
        let s = Store::open_in_memory().unwrap();
        assert_eq!(s.load_mapping("sig").unwrap(), None);
        let m = vec![("email".to_string(), "Correo".to_string()), ("status".to_string(), "Estado".to_string())];
        s.save_mapping("sig", &m).unwrap();
        assert_eq!(s.load_mapping("sig").unwrap(), Some(m));
        let m2 = vec![("email".to_string(), "Mail".to_string())];
        s.save_mapping("sig", &m2).unwrap();
        assert_eq!(s.load_mapping("sig").unwrap(), Some(m2));
        assert!(s.forget_mapping("sig").unwrap());
        assert!(!s.forget_mapping("sig").unwrap());
    }
}

/// For the importer: the options to read `head`'s file with. When the user gave
/// no `--map` and a mapping was remembered for this header layout, it is used.
pub fn options_with_remembered(store: &Store, head: &[u8], opts: &crate::ingest::ReadOptions) -> Result<crate::ingest::ReadOptions> {
    let mut out = opts.clone();
    let user_columns = opts.column_map.iter().any(|(k, _)| !k.eq_ignore_ascii_case("region"));
    if user_columns {
        return Ok(out);
    }
    if let Some(sig) = crate::ingest::esp::generic::signature_of_head(head) {
        if let Some(saved) = store.load_mapping(&sig)? {
            out.column_map.extend(saved);
        }
    }
    Ok(out)
}

/// For the importer, after a file imported with the generic mapper: remembers the
/// user's `--map` columns for this header layout (nothing when none were given).
pub fn remember_user_mapping(store: &Store, head: &[u8], opts: &crate::ingest::ReadOptions) -> Result<bool> {
    let cols: Vec<(String, String)> = opts.column_map.iter().filter(|(k, _)| !k.eq_ignore_ascii_case("region")).cloned().collect();
    if cols.is_empty() {
        return Ok(false);
    }
    let Some(sig) = crate::ingest::esp::generic::signature_of_head(head) else { return Ok(false) };
    store.save_mapping(&sig, &cols)?;
    Ok(true)
}

#[cfg(test)]
mod wiring_tests {
    use super::*;
    use crate::ingest::ReadOptions;

    #[test]
    fn a_given_mapping_is_remembered_for_the_same_header() {
        let s = Store::open_in_memory().unwrap();
        let head = b"Correo;Estado\nana@example.com;rebote\n";
        let given = ReadOptions { column_map: vec![("email".into(), "Correo".into())], ..Default::default() };
        assert!(remember_user_mapping(&s, head, &given).unwrap());
        let later = options_with_remembered(&s, b"correo;estado\nbob@example.net;rebote\n", &ReadOptions::default()).unwrap();
        assert_eq!(later.column_map, vec![("email".to_string(), "Correo".to_string())]);
        // Another layout gets nothing; a user's own --map always wins.
        assert!(options_with_remembered(&s, b"Mail;Estado\n", &ReadOptions::default()).unwrap().column_map.is_empty());
        let own = ReadOptions { column_map: vec![("email".into(), "Estado".into())], ..Default::default() };
        assert_eq!(options_with_remembered(&s, head, &own).unwrap().column_map, own.column_map);
    }
}
