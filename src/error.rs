//! Typed library errors. Each says what happened, to which file, and what to do;
//! `code()` is the stable identifier the desktop app sends to the window.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}. Check that the file exists and that you may read it.")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("cannot write {path}: {source}. Check the folder exists, is writable and the disk is not full.")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("database {path}: {message}")]
    Database { path: PathBuf, message: String },

    #[error("the database {path} was written by a newer Rebound (schema {found}, this version knows up to {known}). Update Rebound, or open another database file.")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error("the database is busy: another Rebound window or command is writing to it. Wait for it to finish and try again.")]
    Locked,

    /// [`Error::Locked`] once the file is known (see [`Error::at`]).
    #[error("the database {path} is busy: another Rebound window or the rebound command is writing to it. Wait for it to finish (or close the other window) and try again.")]
    LockedFile { path: PathBuf },

    #[error("the database {path} is read-only: Rebound cannot save anything in it. Check that you may write to the file and its folder (is it on a read-only disk, or a copy from a backup?), or move it to a writable folder and set REBOUND_DB to it.")]
    ReadOnly { path: PathBuf },

    #[error("{path}: the format was not recognized ({detail}). Choose a mailbox export (mbox, maildir, .eml, .zip) or a provider report, or name the format with --format.")]
    UnknownFormat { path: String, detail: String },

    #[error("{path}: {message}")]
    BadInput { path: String, message: String },

    #[error("the operation was cancelled; nothing from the unfinished file was kept")]
    Cancelled,

    #[error("{0} is not available yet in this version of Rebound")]
    NotImplemented(&'static str),

    #[error("{0}")]
    Invalid(String),

    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl Error {
    /// Stable machine-readable code for the window and for tests.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Read { .. } => "read_failed",
            Error::Write { .. } => "write_failed",
            Error::Database { .. } => "database",
            Error::NewerSchema { .. } => "newer_schema",
            Error::Locked | Error::LockedFile { .. } => "locked",
            Error::ReadOnly { .. } => "read_only",
            Error::UnknownFormat { .. } => "unknown_format",
            Error::BadInput { .. } => "bad_input",
            Error::Cancelled => "cancelled",
            Error::NotImplemented(_) => "not_implemented",
            Error::Invalid(_) => "invalid",
            Error::Sqlite(e) if is_locked(e) => "locked",
            Error::Sqlite(e) if is_read_only(e) => "read_only",
            Error::Sqlite(_) => "database",
        }
    }

    /// Exit code for the CLI: 2 for bad input or usage, 3 for database trouble, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::UnknownFormat { .. } | Error::BadInput { .. } | Error::Invalid(_) => 2,
            Error::Database { .. }
            | Error::NewerSchema { .. }
            | Error::Locked
            | Error::LockedFile { .. }
            | Error::ReadOnly { .. }
            | Error::Sqlite(_) => 3,
            Error::NotImplemented(_) => 4,
            Error::Cancelled => 130,
            _ => 1,
        }
    }

    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Read {
            path: path.into(),
            source,
        }
    }

    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Write {
            path: path.into(),
            source,
        }
    }

    /// Names the database file in a busy or read-only error (SQLite's own errors
    /// do not know it), so the user learns which file and what to do.
    pub fn at(self, db: &std::path::Path) -> Self {
        match self {
            Error::Locked => Error::LockedFile { path: db.to_path_buf() },
            Error::Sqlite(e) if is_read_only(&e) => Error::ReadOnly { path: db.to_path_buf() },
            other => other,
        }
    }
}

/// A busy or locked database becomes [`Error::Locked`], whose message says what to do.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if is_locked(&e) {
            Error::Locked
        } else {
            Error::Sqlite(e)
        }
    }
}

fn is_read_only(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::ReadOnly))
}

fn is_locked(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_database_reads_as_locked_with_a_next_step() {
        let busy = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None);
        let e = Error::from(busy);
        assert_eq!(e.code(), "locked");
        assert!(e.to_string().contains("try again"), "{e}");
        let other = Error::from(rusqlite::Error::QueryReturnedNoRows);
        assert_eq!(other.code(), "database");
    }

    #[test]
    fn busy_and_read_only_name_the_file_once_it_is_known() {
        let db = std::path::Path::new("/data/rebound.sqlite");
        let busy = Error::from(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None)).at(db);
        assert_eq!(busy.code(), "locked");
        assert!(busy.to_string().contains("/data/rebound.sqlite") && busy.to_string().contains("try again"), "{busy}");
        let ro = Error::from(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY), None));
        assert_eq!(ro.code(), "read_only");
        let ro = ro.at(db);
        assert_eq!(ro.code(), "read_only");
        assert!(ro.to_string().contains("/data/rebound.sqlite is read-only"), "{ro}");
        assert_eq!(Error::Cancelled.at(db).code(), "cancelled");
    }
}
