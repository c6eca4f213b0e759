//! The mapping screen for reports in a layout Rebound does not know (issue 6's
//! generic mapper): which columns it guessed, with sample values, so the user
//! can correct each field; `import_job::import_mapped` then saves the mapping
//! under the file's header signature and imports the file with it.

use crate::error::{CmdError, CmdResult};
use crate::state::AppState;
use rebound::import::FileOutcome;
use rebound::ingest::esp::generic::proposal::{propose, Proposal};
use rebound::ingest::Family;
use serde::Serialize;
use std::io::Read;
use std::path::Path;
use tauri::State;

#[derive(Debug, Clone, Serialize)]
pub struct MappingView {
    pub file: String,
    pub proposal: Proposal,
    /// A mapping was confirmed earlier for this column layout (it is applied in `proposal`).
    pub remembered: bool,
}

/// The first bytes of a file, as the importer's detection sees them.
pub fn read_head(path: &Path) -> rebound::Result<Vec<u8>> {
    let f = std::fs::File::open(path).map_err(|e| rebound::Error::read(path, e))?;
    let mut head = Vec::with_capacity(rebound::ingest::HEAD_LEN);
    f.take(rebound::ingest::HEAD_LEN as u64).read_to_end(&mut head).map_err(|e| rebound::Error::read(path, e))?;
    Ok(head)
}

/// The proposal for `head`, or a message naming the file and what would work.
pub fn proposal_for(path: &Path, head: &[u8], overrides: &[(String, String)]) -> rebound::Result<Proposal> {
    propose(head, overrides).filter(usable).ok_or_else(|| rebound::Error::BadInput {
        path: path.display().to_string(),
        message: "has no row of column names (or JSON records) whose columns could be mapped; export the report as CSV with a header row, or as JSON".into(),
    })
}

/// At least two named columns and one row of values: a line of prose split at its commas is not a table.
fn usable(p: &Proposal) -> bool {
    p.columns.len() >= 2 && p.columns.iter().any(|c| !c.samples.is_empty())
}

/// Columns, samples and the current mapping (remembered, else guessed) of one file.
#[tauri::command]
pub async fn mapping_proposal(state: State<'_, AppState>, path: String) -> CmdResult<MappingView> {
    let p = Path::new(&path);
    let head = read_head(p)?;
    let first = proposal_for(p, &head, &[])?;
    let remembered = state.with_store(|s| s.load_mapping(&first.signature))?;
    let proposal = match &remembered {
        Some(pairs) => proposal_for(p, &head, pairs)?,
        None => first,
    };
    Ok(MappingView { file: path, proposal, remembered: remembered.is_some() })
}

/// Whether the import screen offers "Map columns" for this outcome: the file was read
/// with the generic mapper, was taken for a contact list, or could not be recognized
/// but has named columns.
pub fn mappable(o: &FileOutcome) -> bool {
    match &o.detection {
        Some(d) => d.format.starts_with("generic") || d.family == Family::Contacts,
        None if o.error_code.as_deref() == Some("unknown_format") => {
            let p = Path::new(&o.file);
            read_head(p).ok().and_then(|h| propose(&h, &[])).is_some_and(|p| usable(&p))
        }
        None => false,
    }
}

/// Checks a mapping the window sends: known fields, existing columns, an address column.
pub fn check_mapping(p: &Proposal, pairs: &[(String, String)]) -> CmdResult<()> {
    for (field, col) in pairs {
        if !p.fields.contains(&field.as_str()) {
            return Err(CmdError::new("invalid", format!("'{field}' is not a field Rebound maps; fields: {}", p.fields.join(", "))));
        }
        if !p.columns.iter().any(|c| c.name.eq_ignore_ascii_case(col)) {
            return Err(CmdError::new("invalid", format!("this file has no column '{col}'")));
        }
    }
    if !pairs.iter().any(|(f, _)| f == "email" || f == "phone") {
        return Err(CmdError::new("invalid", "choose the column that holds the email address or the phone number"));
    }
    Ok(())
}

#[cfg(test)]
#[path = "mapping_tests.rs"]
mod tests;
