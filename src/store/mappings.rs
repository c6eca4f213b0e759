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
