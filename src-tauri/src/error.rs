//! What the window receives when a command fails: `{ code, message }`.
//! `code` is stable (the UI maps it to a translated next step); `message` is the
//! library's English sentence, shown when no translation exists.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CmdError {
    pub code: String,
    pub message: String,
}

pub type CmdResult<T> = Result<T, CmdError>;

impl CmdError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        CmdError { code: code.to_string(), message: message.into() }
    }
}

impl From<rebound::Error> for CmdError {
    fn from(e: rebound::Error) -> Self {
        CmdError { code: e.code().to_string(), message: e.to_string() }
    }
}

impl std::fmt::Display for CmdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}
