//! Mailbox exports: mbox (From_ lines, >From quoting), maildir, single .eml, zip.
//! Not written yet: issue "Bounce engine" fills this in.

use super::{Detection, Input, ReadOptions, Sink};
use crate::error::{Error, Result};

/// Formats this module reads, for `--format`.
pub const FORMATS: &[&str] = &["mbox", "eml", "zip"];

pub fn detect(_name: &str, _head: &[u8]) -> Option<Detection> {
    None
}

pub fn read(_det: &Detection, _input: Input<'_>, _opts: &ReadOptions, _sink: &mut dyn Sink) -> Result<()> {
    Err(Error::NotImplemented("reading mailbox files"))
}
