//! Which column holds the email address (and the phone number of SMS lists):
//! the user's choice, else a header name in one of several languages, else the
//! cells' content. The result feeds the "see column detection" screen.

use crate::error::{Error, Result};
use crate::ingest::contacts::{looks_like_email, looks_like_phone, Layout, Sample};
use serde::Serialize;

/// Which column the user named: a header name, or a 1-based position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnChoice {
    Name(String),
    Index(usize),
}

impl ColumnChoice {
    /// `Email`, `E-mail address` or `3` (1-based). A header literally named `3` wins over position 3.
    pub fn parse(s: &str) -> ColumnChoice {
        match s.trim().parse::<usize>() {
            Ok(n) if n > 0 => ColumnChoice::Index(n),
            _ => ColumnChoice::Name(s.trim().to_string()),
        }
    }
}

/// One column as the "see column detection" screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnInfo {
    /// 0-based.
    pub index: usize,
    pub name: Option<String>,
    pub samples: Vec<String>,
    /// Share of sampled cells that look like an email address / a phone number, 0–100.
    pub email_share: u8,
    pub phone_share: u8,
}

/// The chosen column and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnGuess {
    pub index: usize,
    pub name: Option<String>,
    pub why: String,
}

/// Everything the cleaner found about a contact list before reading it all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnDetection {
    pub layout: Layout,
    pub encoding: String,
    /// The delimiter as text (`,`, `;`, `\t`, `|`).
    pub delimiter: String,
    pub columns: Vec<ColumnInfo>,
    pub email: Option<ColumnGuess>,
    pub phone: Option<ColumnGuess>,
}

const EMAIL_NAMES: &[&str] = &[
    "email",
    "emailaddress",
    "mail",
    "emailadres",
    "emailadresse",
    "adresseemail",
    "courriel",
    "correo",
    "correoelectrónico",
    "correoelectronico",
    "direccióndecorreo",
    "direcciondecorreo",
    "direccióndecorreoelectrónico",
    "địachỉemail",
    "diachiemail",
    "thưđiệntử",
    "thudientu",
    "emailaddr",
    "emails",
    "posta",
    "epost",
    "sähköposti",
];
const EMAIL_PARTS: &[&str] = &["email", "correo", "mail", "điệntử"];
const PHONE_NAMES: &[&str] = &[
    "phone",
    "phonenumber",
    "mobile",
    "mobilenumber",
    "mobilephone",
    "cell",
    "cellphone",
    "sms",
    "tel",
    "telephone",
    "teléfono",
    "telefono",
    "móvil",
    "movil",
    "celular",
    "númerodeteléfono",
    "numerodetelefono",
    "sốđiệnthoại",
    "điệnthoại",
    "sodienthoai",
    "dienthoai",
    "sđt",
    "sdt",
    "msisdn",
    "to",
    "number",
];
const PHONE_PARTS: &[&str] = &[
    "phone",
    "mobile",
    "teléfono",
    "telefono",
    "móvil",
    "celular",
    "điệnthoại",
    "sms",
];

fn header_key(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && !"-_.:#*()".contains(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn name_score(h: &str, exact: &[&str], parts: &[&str]) -> u32 {
    let k = header_key(h);
    if exact.contains(&k.as_str()) {
        100
    } else if parts.iter().any(|p| k.contains(p)) {
        60
    } else {
        0
    }
}

/// Finds the email and phone columns by name (several languages) or by content, or takes the user's choice.
pub fn detect_columns(
    sample: &Sample,
    email: Option<&ColumnChoice>,
    phone: Option<&ColumnChoice>,
) -> Result<ColumnDetection> {
    let width = sample
        .rows
        .iter()
        .map(|r| r.len())
        .chain(sample.header.as_ref().map(|h| h.len()))
        .max()
        .unwrap_or(0);
    let columns: Vec<ColumnInfo> = (0..width).map(|i| column_info(sample, i)).collect();
    let email = match email {
        Some(c) => Some(chosen(&columns, c)?),
        None => guess(
            &columns,
            EMAIL_NAMES,
            EMAIL_PARTS,
            |c| c.email_share,
            "email",
            true,
        ),
    };
    let phone = match phone {
        Some(c) => Some(chosen(&columns, c)?),
        // Ids and zip codes look like phone numbers too: in an email list, only a phone-named column counts.
        None => guess(
            &columns,
            PHONE_NAMES,
            PHONE_PARTS,
            |c| c.phone_share,
            "phone number",
            email.is_none(),
        )
        .filter(|g| email.as_ref().is_none_or(|e| e.index != g.index)),
    };
    let delimiter = match sample.layout.delimiter {
        b'\t' => "\\t".to_string(),
        d => (d as char).to_string(),
    };
    Ok(ColumnDetection {
        encoding: sample.layout.encoding.name().into(),
        layout: sample.layout.clone(),
        delimiter,
        columns,
        email,
        phone,
    })
}

fn column_info(sample: &Sample, i: usize) -> ColumnInfo {
    let cells: Vec<&str> = sample
        .rows
        .iter()
        .filter_map(|r| r.get(i))
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    let share = |f: fn(&str) -> bool| {
        (cells.iter().filter(|c| f(c)).count() * 100 / cells.len().max(1)) as u8
    };
    ColumnInfo {
        index: i,
        name: sample
            .header
            .as_ref()
            .and_then(|h| h.get(i))
            .map(|h| h.trim_start_matches('\u{feff}').to_string()),
        samples: cells
            .iter()
            .take(3)
            .map(|c| c.chars().take(80).collect())
            .collect(),
        email_share: share(looks_like_email),
        phone_share: share(looks_like_phone),
    }
}

fn guess(
    columns: &[ColumnInfo],
    exact: &[&str],
    parts: &[&str],
    share: fn(&ColumnInfo) -> u8,
    what: &str,
    by_content_alone: bool,
) -> Option<ColumnGuess> {
    let scored = columns.iter().map(|c| {
        let by_name = c
            .name
            .as_deref()
            .map(|n| name_score(n, exact, parts))
            .unwrap_or(0);
        // A name alone is not enough when the cells say otherwise ("Email opt-in": yes/no).
        let by_content = share(c) as u32;
        let ok = (by_name > 0 && (by_content >= 20 || c.samples.is_empty()))
            || (by_content_alone && by_content >= 50);
        (c, by_name, by_content, ok)
    });
    let (c, by_name, by_content, _) = scored
        .filter(|s| s.3)
        .max_by_key(|s| (s.1 + s.2, std::cmp::Reverse(s.0.index)))?;
    let why = match (by_name, &c.name) {
        (n, Some(name)) if n > 0 => format!("the header '{name}' names the {what} column ({by_content}% of sampled cells look like one)"),
        _ => format!("{by_content}% of the sampled cells in column {} look like an {what}", c.index + 1),
    };
    Some(ColumnGuess {
        index: c.index,
        name: c.name.clone(),
        why,
    })
}

fn chosen(columns: &[ColumnInfo], choice: &ColumnChoice) -> Result<ColumnGuess> {
    let by_name = |n: &str| {
        columns.iter().find(|c| {
            c.name
                .as_deref()
                .is_some_and(|h| h.trim().eq_ignore_ascii_case(n.trim()))
        })
    };
    let col = match choice {
        ColumnChoice::Name(n) => by_name(n),
        ColumnChoice::Index(i) => {
            by_name(&i.to_string()).or_else(|| columns.get(i.saturating_sub(1)))
        }
    };
    match col {
        Some(c) => Ok(ColumnGuess {
            index: c.index,
            name: c.name.clone(),
            why: "chosen by you".into(),
        }),
        // An empty list has no columns to check the choice against, and nothing to clean.
        None if columns.is_empty() => Ok(ColumnGuess {
            index: match choice {
                ColumnChoice::Index(i) => i.saturating_sub(1),
                ColumnChoice::Name(_) => 0,
            },
            name: None,
            why: "chosen by you (the list is empty)".into(),
        }),
        None => {
            let names: Vec<String> = columns
                .iter()
                .map(|c| {
                    c.name
                        .clone()
                        .unwrap_or_else(|| format!("#{}", c.index + 1))
                })
                .collect();
            Err(Error::Invalid(format!(
                "there is no column {} in this list; its columns are: {} (or give a position, 1 = first)",
                match choice {
                    ColumnChoice::Name(n) => format!("named '{n}'"),
                    ColumnChoice::Index(i) => format!("number {i}"),
                },
                names.join(", ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::contacts::{sniff, ShapeHints};

    fn shape(text: &[u8]) -> crate::ingest::contacts::Sample {
        sniff(text, false, ShapeHints::default())
    }

    fn email_column(text: &[u8]) -> Option<usize> {
        detect_columns(&shape(text), None, None)
            .unwrap()
            .email
            .map(|g| g.index)
    }

    #[test]
    fn finds_columns_by_name_in_several_languages_and_by_content() {
        let d = detect_columns(
            &shape(
                "Nombre;Correo electrónico;Teléfono\nAna;ana@example.com;+34 600 000 001\n"
                    .as_bytes(),
            ),
            None,
            None,
        )
        .unwrap();
        assert_eq!(d.email.as_ref().map(|g| g.index), Some(1));
        assert_eq!(d.phone.as_ref().map(|g| g.index), Some(2));
        assert_eq!(
            email_column("Tên,Địa chỉ email\nAn,an@example.com\n".as_bytes()),
            Some(1)
        );
        // The header "Email opt-in" names a yes/no column; the addresses are in "Contact".
        assert_eq!(
            email_column(b"Email opt-in,Contact\nyes,ana@example.com\nno,bob@example.org\n"),
            Some(1)
        );
        // No header: found by content.
        let headless = b"a,ana@example.com\nb,bob@example.org\n";
        assert_eq!(email_column(headless), Some(1));
        let s = shape(headless);
        let d = detect_columns(&s, Some(&ColumnChoice::parse("1")), None).unwrap();
        assert_eq!(d.email.map(|g| g.index), Some(0));
        assert!(detect_columns(&s, Some(&ColumnChoice::parse("Nope")), None).is_err());
    }
}
