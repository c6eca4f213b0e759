//! The "Explore demo data" set (assets/demo, see its README): imported into a
//! database of its own next to the user's (`demo.sqlite`), never into theirs, so
//! made-up numbers cannot mix with real ones and leaving the demo is just
//! switching files. The campaigns whose sent count is in no file get the count
//! from expected.json, entered as a user would type it (`counts_source = 'entered'`).

use crate::error::{Error, Result};
use crate::import::{import_paths, CancelFlag, FileOutcome, Progress};
use crate::ingest::ReadOptions;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The demo database's file name, beside the user's own database.
pub const DEMO_DB_FILE_NAME: &str = "demo.sqlite";
/// Setting that marks a finished demo database and which demo set it holds.
pub const DEMO_SETTING: &str = "demo.seed";

/// The parts of assets/demo/expected.json the loader needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    pub seed: i64,
    pub import_files: Vec<String>,
    pub campaigns: Vec<ManifestCampaign>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ManifestCampaign {
    pub key: String,
    pub name: String,
    pub sent: i64,
    #[serde(default)]
    pub sent_in_files: bool,
}

/// What loading the demo did.
#[derive(Debug, Clone, Serialize)]
pub struct DemoLoad {
    pub outcomes: Vec<FileOutcome>,
    /// (campaign key, sent) entered by hand because no file carries the count.
    pub sent_entered: Vec<(String, i64)>,
}

/// Where the demo database lives for a given user database: the same folder.
pub fn demo_db_path(user_db: &Path) -> PathBuf {
    match user_db.parent() {
        Some(dir) => dir.join(DEMO_DB_FILE_NAME),
        None => PathBuf::from(DEMO_DB_FILE_NAME),
    }
}

pub fn read_manifest(demo_dir: &Path) -> Result<Manifest> {
    let path = demo_dir.join("expected.json");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::read(&path, e))?;
    serde_json::from_str(&text).map_err(|e| Error::BadInput {
        path: path.display().to_string(),
        message: format!("is not the demo manifest ({e}); reinstall Rebound"),
    })
}

/// Imports every demo file into `store` and enters the missing sent counts.
/// Fails (with every failing file named) when any demo file did not import.
pub fn load_demo(
    store: &mut Store,
    demo_dir: &Path,
    cancel: &CancelFlag,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<DemoLoad> {
    let manifest = read_manifest(demo_dir)?;
    let paths: Vec<PathBuf> = manifest.import_files.iter().map(|f| demo_dir.join(f)).collect();
    let outcomes = import_paths(store, &paths, &ReadOptions::default(), cancel, on_progress);
    if cancel.is_cancelled() {
        return Err(Error::Cancelled);
    }
    let failed: Vec<String> = outcomes
        .iter()
        .filter(|o| o.error.is_some())
        .map(|o| format!("{}: {}", o.file, o.error.as_deref().unwrap_or("")))
        .collect();
    if !failed.is_empty() || outcomes.len() != manifest.import_files.len() {
        return Err(Error::BadInput {
            path: demo_dir.display().to_string(),
            message: format!("the demo data did not import ({}); reinstall Rebound", failed.join("; ")),
        });
    }
    let sent_entered = enter_sent_counts(store, &manifest.campaigns)?;
    store.set_setting(DEMO_SETTING, &manifest.seed.to_string())?;
    Ok(DemoLoad { outcomes, sent_entered })
}

/// Types in the sent counts no file carries, matching a campaign by its key as the
/// source wrote it (maybe with a provider prefix such as `mailchimp:`) or by name.
fn enter_sent_counts(store: &Store, campaigns: &[ManifestCampaign]) -> Result<Vec<(String, i64)>> {
    let mut entered = Vec::new();
    for c in campaigns.iter().filter(|c| !c.sent_in_files) {
        let n = store.conn().execute(
            "UPDATE campaigns SET sent_count = ?1, counts_source = 'entered'
             WHERE key = ?2 OR key LIKE '%:' || ?2 OR name = ?3",
            rusqlite::params![c.sent, c.key, c.name],
        )?;
        if n > 0 {
            entered.push((c.key.clone(), c.sent));
        }
    }
    Ok(entered)
}

/// True when `db` is a finished demo database of the set in `demo_dir`.
pub fn is_current(db: &Path, demo_dir: &Path) -> bool {
    if !db.is_file() {
        return false;
    }
    let (Ok(manifest), Ok(store)) = (read_manifest(demo_dir), Store::open(db)) else {
        return false;
    };
    matches!(store.setting(DEMO_SETTING), Ok(Some(s)) if s == manifest.seed.to_string())
}

/// Makes sure `db` holds the demo set: reuses a finished one, else builds it in a
/// side file and moves it into place, so a crash never leaves half a demo behind.
/// Returns true when it was (re)built.
pub fn ensure_demo_db(db: &Path, demo_dir: &Path, cancel: &CancelFlag, on_progress: &mut dyn FnMut(&Progress)) -> Result<bool> {
    if is_current(db, demo_dir) {
        return Ok(false);
    }
    let mut building = db.as_os_str().to_owned();
    building.push(".building");
    let building = PathBuf::from(building);
    remove_db_files(&building);
    {
        let mut store = Store::open(&building)?;
        if let Err(e) = load_demo(&mut store, demo_dir, cancel, on_progress) {
            drop(store);
            remove_db_files(&building);
            return Err(e);
        }
        // Fold the WAL into the file so the single file can be moved.
        store.conn().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    }
    remove_db_files(db);
    std::fs::rename(&building, db).map_err(|e| Error::write(db, e))?;
    remove_db_files(&building);
    Ok(true)
}

fn remove_db_files(db: &Path) {
    for ext in ["", "-wal", "-shm", "-journal"] {
        let mut p = db.as_os_str().to_owned();
        p.push(ext);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo")
    }

    fn expected() -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(demo_dir().join("expected.json")).unwrap()).unwrap()
    }

    #[test]
    fn the_demo_db_sits_beside_the_users_database() {
        assert_eq!(demo_db_path(Path::new("/data/app/rebound.sqlite")), PathBuf::from("/data/app/demo.sqlite"));
    }

    #[test]
    fn building_the_demo_imports_every_file_and_enters_the_missing_sent_counts() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join(DEMO_DB_FILE_NAME);
        assert!(ensure_demo_db(&db, &demo_dir(), &CancelFlag::default(), &mut |_| {}).unwrap());
        assert!(is_current(&db, &demo_dir()));
        assert!(!dir.path().join("demo.sqlite.building").exists());
        let store = Store::open(&db).unwrap();
        let exp = expected();
        let want_events: i64 = exp["import_files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| exp["files"][f.as_str().unwrap()]["events_total"].as_i64().unwrap())
            .sum();
        assert_eq!(store.overview().unwrap().events, want_events);
        assert_eq!(store.imports().unwrap().len(), 5);
        // Every email campaign whose sent count is in no file got the shop's number, marked as entered.
        for c in exp["campaigns"].as_array().unwrap().iter().filter(|c| c["sent_in_files"] == false && c["channel"] == "email") {
            let (sent, src): (Option<i64>, Option<String>) = store
                .conn()
                .query_row(
                    "SELECT sent_count, counts_source FROM campaigns WHERE key = ?1 OR key LIKE '%:' || ?1 OR name = ?2",
                    rusqlite::params![c["key"].as_str().unwrap(), c["name"].as_str().unwrap()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!(sent, c["sent"].as_i64(), "{}", c["key"]);
            assert_eq!(src.as_deref(), Some("entered"));
        }
        // A second call reuses the finished database.
        drop(store);
        assert!(!ensure_demo_db(&db, &demo_dir(), &CancelFlag::default(), &mut |_| {}).unwrap());
    }

    #[test]
    fn a_missing_demo_folder_is_a_read_error_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join(DEMO_DB_FILE_NAME);
        let e = ensure_demo_db(&db, &dir.path().join("nowhere"), &CancelFlag::default(), &mut |_| {}).unwrap_err();
        assert_eq!(e.code(), "read_failed");
        assert!(!db.exists() && !dir.path().join("demo.sqlite.building").exists());
    }
}
