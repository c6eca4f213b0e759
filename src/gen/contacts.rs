//! A contact list as a marketer exports it from their CRM: some addresses are
//! ones the generated bounces and reports name (so cleaning has work to do),
//! a few are repeated with different case, the rest never failed.

use super::rng::Rng;
use super::world;
use super::{create, file_size, GenFile, Truth, TruthRow};
use crate::error::{Error, Result};
use std::path::Path;

pub(crate) fn write_contacts(
    out: &Path,
    mut rng: Rng,
    rows: usize,
    truth: &mut Truth,
) -> Result<GenFile> {
    let rel = "contacts/contacts.csv";
    let path = out.join(rel);
    let mut cw = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(create(&path)?);
    let err = |e: csv::Error| Error::write(&path, e.into());
    cw.write_record([
        "Email",
        "First Name",
        "Last Name",
        "Phone",
        "Country",
        "Notes",
    ])
    .map_err(err)?;
    let known = truth.emails.len() as u64;
    let mut last = String::new();
    for i in 1..=rows as u64 {
        let email = if !last.is_empty() && rng.chance(1.0) {
            // The same person typed twice with different case.
            last.to_uppercase()
        } else if known > 0 && rng.chance(35.0) {
            truth.emails[rng.below(known) as usize].clone()
        } else {
            // Far above any generated pool: these addresses never failed.
            world::recipient(50_000_000 + i)
        };
        let idx = i + 7;
        let (first, lastname) = world::first_last(idx);
        let note = if i % 13 == 0 {
            "=HYPERLINK(\"http://x.example\")"
        } else if i % 17 == 0 {
            "VIP, \"gold\""
        } else {
            ""
        };
        cw.write_record([
            email.as_str(),
            first,
            lastname,
            &world::phone(idx),
            *rng.pick(&["US", "ES", "VN", "MX", "GB"]),
            note,
        ])
        .map_err(err)?;
        let class = truth.worst(&email);
        truth.row(TruthRow {
            file: rel,
            locator: &format!("#{i}"),
            recipient: &email,
            kind: "contact",
            class,
            reason: "",
            status: "",
            campaign: "",
        })?;
        last = email;
    }
    cw.flush().map_err(|e| Error::write(&path, e))?;
    Ok(GenFile {
        bytes: file_size(&path),
        path,
        records: rows as u64,
        expected_events: 0,
    })
}
