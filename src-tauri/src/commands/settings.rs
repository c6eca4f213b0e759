//! Settings: window preferences, time zone, health thresholds, the clean policy,
//! where the data file is, backup, restore and "delete all data" (with an
//! automatic backup first, so the window can offer Undo).

use crate::error::{CmdError, CmdResult};
use crate::state::AppState;
use rebound::clean::Policy;
use rebound::report::{Thresholds, Zone};
use rebound::store::{BackupInfo, Store};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tauri::State;

/// Keys of the window's own preferences: kept in the user's database even while the demo is shown.
fn is_ui_key(key: &str) -> bool {
    key.starts_with("ui.")
}

/// Reads the given settings; a key never set comes back as null.
#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>, keys: Vec<String>) -> CmdResult<BTreeMap<String, Option<String>>> {
    let mut out = BTreeMap::new();
    for k in &keys {
        check_key(k)?;
        let v = if is_ui_key(k) { state.with_user_store(|s| s.setting(k))? } else { state.with_store(|s| s.setting(k))? };
        out.insert(k.clone(), v);
    }
    Ok(out)
}

#[tauri::command]
pub async fn set_setting(state: State<'_, AppState>, key: String, value: String) -> CmdResult<()> {
    check_key(&key)?;
    if value.len() > 4096 {
        return Err(CmdError::new("invalid", "this setting value is too long"));
    }
    if is_ui_key(&key) {
        state.with_user_store(|s| s.set_setting(&key, &value))
    } else {
        state.with_store(|s| s.set_setting(&key, &value))
    }
}

/// Remembers the screen the window shows (`ui.last_screen`), so the next launch opens it.
#[tauri::command]
pub async fn remember_screen(state: State<'_, AppState>, screen: String) -> CmdResult<()> {
    if screen.is_empty() || screen.len() > 32 || !screen.bytes().all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'_') {
        return Err(CmdError::new("invalid", "not a screen name"));
    }
    // An import holds the write lock for a whole file: waiting for it would stall
    // every read command behind the shared connection. The screen is just not saved.
    if state.import.is_running() && !state.is_demo() {
        return Ok(());
    }
    state.with_user_store(|s| s.set_setting("ui.last_screen", &screen))
}

#[derive(Debug, Serialize)]
pub struct DataLocation {
    /// The SQLite file the window shows now, shared with the `rebound` command-line tool.
    pub db_path: String,
    pub folder: String,
    pub size_bytes: Option<u64>,
    pub app_version: String,
    /// True while the demo database is shown; `user_db_path` is the user's own file.
    pub demo: bool,
    pub user_db_path: String,
}

#[tauri::command]
pub async fn data_location(state: State<'_, AppState>) -> CmdResult<DataLocation> {
    let p = state.db_path();
    Ok(DataLocation {
        db_path: p.display().to_string(),
        folder: p.parent().map(|d| d.display().to_string()).unwrap_or_default(),
        size_bytes: std::fs::metadata(&p).ok().map(|m| m.len()),
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        demo: state.is_demo(),
        user_db_path: state.user_db_path().display().to_string(),
    })
}

/// Writes a consistent copy of the database to the path the user chose in a save dialog.
#[tauri::command]
pub async fn backup_database(state: State<'_, AppState>, dest: String) -> CmdResult<BackupInfo> {
    let dest = PathBuf::from(dest);
    if dest == state.db_path() {
        return Err(CmdError::new("invalid", "choose another file than the database itself for the backup"));
    }
    state.with_store(|s| s.backup_verified(&dest))
}

/// Replaces the shown database's contents with a backup (checked first; the
/// replaced data is kept as `<db>.before-restore.bak`). The window reloads after.
#[tauri::command]
pub async fn restore_database(state: State<'_, AppState>, src: String) -> CmdResult<BackupInfo> {
    if state.import.is_running() {
        return Err(CmdError::from(rebound::Error::Locked));
    }
    let info = state.with_store(|s| s.restore_from(Path::new(&src)))?;
    state.reopen()?;
    Ok(info)
}

#[derive(Debug, Serialize)]
pub struct Deleted {
    /// The automatic backup taken first: restoring it undoes the deletion.
    pub backup_path: String,
    pub events: i64,
}

/// Empties the shown database, keeping the settings (language, zone, thresholds,
/// policy). A checked backup is written to `<data folder>/backups/` first; on any
/// failure before the deletion nothing changes.
#[tauri::command]
pub async fn delete_all_data(state: State<'_, AppState>) -> CmdResult<Deleted> {
    if state.import.is_running() {
        return Err(CmdError::from(rebound::Error::Locked));
    }
    let db = state.db_path();
    let backup = auto_backup_path(&db);
    if let Some(dir) = backup.parent() {
        std::fs::create_dir_all(dir).map_err(|e| rebound::Error::write(dir, e))?;
    }
    let info = state.with_store(|s| {
        let info = s.backup_verified(&backup)?;
        erase_keeping_settings(s)?;
        Ok(info)
    })?;
    state.reopen()?;
    Ok(Deleted { backup_path: backup.display().to_string(), events: info.events })
}

fn auto_backup_path(db: &Path) -> PathBuf {
    let dir = db.parent().unwrap_or(Path::new(".")).join("backups");
    let stamp = chrono_stamp();
    dir.join(format!("before-delete-all-{stamp}.sqlite"))
}

/// `YYYYMMDD-HHMMSS-nnn` in UTC, unique enough for two deletions in one second.
fn chrono_stamp() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let secs = now.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}{m:02}{d:02}-{:02}{:02}{:02}-{:03}", rem / 3600, rem % 3600 / 60, rem % 60, now.subsec_millis())
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Replaces every page with a new, empty database of the same schema (the same
/// checked path a restore takes), then puts the settings back.
fn erase_keeping_settings(s: &mut Store) -> rebound::Result<()> {
    let settings: Vec<(String, String)> = {
        let mut st = s.conn().prepare("SELECT key, value FROM settings")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let dir = tempdir_beside(s.path())?;
    let empty = dir.join("empty.sqlite");
    {
        let e = Store::open(&empty)?;
        for (k, v) in &settings {
            e.set_setting(k, v)?;
        }
        e.conn().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    }
    let result = s.restore_from(&empty);
    let _ = std::fs::remove_dir_all(&dir);
    result.map(|_| ())
}

/// A private folder next to the database (same disk, so no space surprise elsewhere).
fn tempdir_beside(db: &Path) -> rebound::Result<PathBuf> {
    let parent = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let dir = parent.join(format!(".rebound-erase-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| rebound::Error::write(&dir, e))?;
    Ok(dir)
}

#[derive(Debug, Serialize)]
pub struct Preferences {
    /// IANA name or offset; "UTC" when never set.
    pub time_zone: String,
    pub thresholds: Thresholds,
    pub policy: Policy,
}

#[tauri::command]
pub async fn preferences(state: State<'_, AppState>) -> CmdResult<Preferences> {
    state.with_store(|s| Ok(Preferences { time_zone: Zone::load(s)?.name(), thresholds: Thresholds::load(s)?, policy: Policy::load(s)? }))
}

/// Saves the report time zone; returns its normalized name (`+7` → `+07:00`).
#[tauri::command]
pub async fn set_time_zone(state: State<'_, AppState>, zone: String) -> CmdResult<String> {
    let z = Zone::parse(&zone)?;
    state.with_store(|s| {
        z.save(s)?;
        Ok(z.name())
    })
}

#[tauri::command]
pub async fn set_thresholds(state: State<'_, AppState>, thresholds: Thresholds) -> CmdResult<()> {
    check_thresholds(&thresholds)?;
    state.with_store(|s| thresholds.save(s))
}

fn check_thresholds(t: &Thresholds) -> CmdResult<()> {
    let rate = |x: f64| x.is_finite() && (0.0..=1.0).contains(&x);
    let ok = [t.hard_red, t.hard_amber, t.complaint_red, t.complaint_amber, t.block_share_rise].iter().all(|&x| rate(x))
        && t.hard_amber <= t.hard_red
        && t.complaint_amber <= t.complaint_red
        && t.block_min >= 0;
    if ok {
        Ok(())
    } else {
        Err(CmdError::new("invalid", "thresholds must be percentages between 0 and 100, and each warning line at or below its danger line"))
    }
}

/// Changes one clean-policy switch (`policy.<key>` in the settings); returns the whole policy.
#[tauri::command]
pub async fn set_policy_value(state: State<'_, AppState>, key: String, value: String) -> CmdResult<Policy> {
    state.with_store(|s| {
        let mut p = Policy::load(s)?;
        p.set(&key, &value)?;
        s.set_setting(&format!("policy.{key}"), &p.get(&key).unwrap_or_default())?;
        Ok(p)
    })
}

/// Settings keys are short identifiers like `ui.language`; anything else is a bug or an attack.
fn check_key(key: &str) -> CmdResult<()> {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(CmdError::new("invalid", format!("'{}' is not a setting name", key.chars().take(64).collect::<String>())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_calendar_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_780), (2026, 11, 23));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn thresholds_out_of_range_or_crossed_are_refused() {
        assert!(check_thresholds(&Thresholds::default()).is_ok());
        let crossed = Thresholds { hard_amber: 0.05, hard_red: 0.02, ..Thresholds::default() };
        assert!(check_thresholds(&crossed).is_err());
        let nan = Thresholds { complaint_red: f64::NAN, ..Thresholds::default() };
        assert!(check_thresholds(&nan).is_err());
    }
}
