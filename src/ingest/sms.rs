//! SMS delivery logs: Twilio, Vonage, SMPP DLR.
//! Not written yet: issue "Provider reports".

use super::{Detection, Input, ReadOptions, Sink};
use crate::error::{Error, Result};

pub fn is_format(_format: &str) -> bool {
    false
}

pub fn detect(_name: &str, _head: &[u8]) -> Option<Detection> {
    None
}

pub fn read(_det: &Detection, _input: Input<'_>, _opts: &ReadOptions, _sink: &mut dyn Sink) -> Result<()> {
    Err(Error::NotImplemented("reading SMS logs"))
}
