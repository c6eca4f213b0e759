//! Row progress of a clean, for the window's progress bar: rows read and how far
//! into the list's bytes they reach, and a way to stop. A callback hears it every
//! few thousand rows (a counter check per row; nothing measurable at a million rows)
//! and once at the end; returning `false` stops the clean with `Error::Cancelled`,
//! before anything is written (the output files are only renamed into place at the end).

use crate::error::{Error, Result};
use serde::Serialize;

/// How far a clean has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CleanProgress {
    pub rows: u64,
    /// Bytes of the list behind the rows read so far (estimated for UTF-16 lists,
    /// which are read as UTF-8), never more than `total_bytes`.
    pub done_bytes: u64,
    pub total_bytes: u64,
}

/// The callback: `true` to go on, `false` to stop.
pub type OnProgress<'a> = &'a mut dyn FnMut(&CleanProgress) -> bool;

/// Rows between two calls of the callback.
pub(crate) const EVERY_ROWS: u64 = 4096;

pub(crate) struct Meter<'a> {
    cb: Option<OnProgress<'a>>,
    p: CleanProgress,
    /// Bytes of the file per byte of a row as read (2 for UTF-16 lists).
    units: u64,
}

impl<'a> Meter<'a> {
    pub(crate) fn new(cb: Option<OnProgress<'a>>, total_bytes: u64, units: u64) -> Self {
        Meter { cb, p: CleanProgress { rows: 0, done_bytes: 0, total_bytes }, units: units.max(1) }
    }

    /// One more row of `raw_len` bytes as read.
    pub(crate) fn row(&mut self, raw_len: usize) -> Result<()> {
        self.p.rows += 1;
        let add = (raw_len as u64).saturating_mul(self.units);
        self.p.done_bytes = self.p.done_bytes.saturating_add(add).min(self.p.total_bytes);
        if self.p.rows.is_multiple_of(EVERY_ROWS) {
            self.tell()?;
        }
        Ok(())
    }

    /// The last call: every byte read.
    pub(crate) fn end(&mut self) -> Result<()> {
        self.p.done_bytes = self.p.total_bytes;
        self.tell()
    }

    fn tell(&mut self) -> Result<()> {
        let go_on = match self.cb.as_mut() {
            Some(cb) => cb(&self.p),
            None => true,
        };
        if go_on {
            Ok(())
        } else {
            Err(Error::Cancelled)
        }
    }
}
