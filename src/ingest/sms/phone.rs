//! Phone numbers to E.164 (`+<country><number>`), without a phone-metadata crate:
//! reports carry numbers that are already international (Twilio `+1…`, Vonage
//! `msisdn` digits with country code), so the work is cleaning, `00`/`011`
//! prefixes, and — only when the user names a default region — national numbers.
//! We do not validate number ranges per country (that would need libphonenumber's
//! metadata and costs ~5 µs a number, too slow for a million-row log).

/// Calling codes for `--map region=XX` (ISO 3166 alpha-2) and the national trunk prefix to drop.
const REGIONS: &[(&str, &str, &str)] = &[
    ("US", "1", "1"), ("CA", "1", "1"), ("GB", "44", "0"), ("UK", "44", "0"), ("IE", "353", "0"), ("FR", "33", "0"),
    ("DE", "49", "0"), ("ES", "34", ""), ("IT", "39", ""), ("PT", "351", ""), ("NL", "31", "0"), ("BE", "32", "0"),
    ("CH", "41", "0"), ("AT", "43", "0"), ("SE", "46", "0"), ("NO", "47", ""), ("DK", "45", ""), ("FI", "358", "0"),
    ("PL", "48", ""), ("MX", "52", ""), ("AR", "54", "0"), ("BR", "55", "0"), ("CL", "56", ""), ("CO", "57", "0"),
    ("PE", "51", "0"), ("VE", "58", "0"), ("EC", "593", "0"), ("VN", "84", "0"), ("TH", "66", "0"), ("PH", "63", "0"),
    ("ID", "62", "0"), ("MY", "60", "0"), ("SG", "65", ""), ("IN", "91", "0"), ("CN", "86", "0"), ("JP", "81", "0"),
    ("KR", "82", "0"), ("AU", "61", "0"), ("NZ", "64", "0"), ("ZA", "27", "0"), ("NG", "234", "0"), ("KE", "254", "0"),
    ("EG", "20", "0"), ("TR", "90", "0"), ("RU", "7", "8"), ("UA", "380", "0"), ("AE", "971", "0"), ("SA", "966", "0"),
];

/// A default region: `VN`, `+84` or `84`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub calling_code: String,
    pub trunk: String,
}

impl Region {
    pub fn parse(s: &str) -> Option<Region> {
        let t = s.trim();
        if let Some(r) = REGIONS.iter().find(|(iso, _, _)| iso.eq_ignore_ascii_case(t)) {
            return Some(Region { calling_code: r.1.into(), trunk: r.2.into() });
        }
        let digits = t.trim_start_matches('+');
        if !digits.is_empty() && digits.len() <= 3 && digits.bytes().all(|b| b.is_ascii_digit()) {
            let trunk = REGIONS.iter().find(|r| r.1 == digits).map(|r| r.2).unwrap_or("0");
            return Some(Region { calling_code: digits.into(), trunk: trunk.into() });
        }
        None
    }
}

/// Why a value could not be made E.164.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    NotANumber,
    /// A national number and no default region to place it.
    NeedsRegion,
    BadLength,
}

impl PhoneError {
    pub fn describe(&self, raw: &str) -> String {
        let raw = super::super::esp::shorten_pub(raw);
        match self {
            PhoneError::NotANumber => format!("'{raw}' is not a phone number"),
            PhoneError::NeedsRegion => format!("'{raw}' has no country code; give one with --map region=XX (e.g. region=VN)"),
            PhoneError::BadLength => format!("'{raw}' has too few or too many digits for a phone number"),
        }
    }
}

/// Cleans `raw` to E.164. `assume_international` is for fields documented to
/// carry the country code without `+` (Vonage `msisdn`).
pub fn normalize(raw: &str, region: Option<&Region>, assume_international: bool) -> Result<String, PhoneError> {
    let t = raw.trim();
    let t = t.strip_prefix("tel:").or_else(|| t.strip_prefix("sms:")).or_else(|| t.strip_prefix("whatsapp:")).unwrap_or(t).trim();
    let mut plus = false;
    let mut digits = String::with_capacity(t.len());
    for (i, c) in t.chars().enumerate() {
        match c {
            '+' if i == 0 => plus = true,
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' => {}
            _ => return Err(PhoneError::NotANumber),
        }
    }
    if digits.is_empty() {
        return Err(PhoneError::NotANumber);
    }
    let intl = if plus {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else if let (Some(rest), Some(r)) = (digits.strip_prefix("011"), region) {
        if r.calling_code == "1" { rest.to_string() } else { digits.clone() }
    } else if assume_international {
        digits
    } else if let Some(r) = region {
        national(&digits, r)
    } else if digits.len() == 11 && digits.starts_with('1') {
        // NANP written without the plus (12025550142): common in US exports.
        digits
    } else {
        return Err(PhoneError::NeedsRegion);
    };
    if !(8..=15).contains(&intl.len()) || intl.starts_with('0') {
        return Err(PhoneError::BadLength);
    }
    Ok(format!("+{intl}"))
}

fn national(digits: &str, r: &Region) -> String {
    if digits.starts_with(&r.calling_code) && digits.len() > 10 {
        return digits.to_string();
    }
    let national = if !r.trunk.is_empty() { digits.strip_prefix(r.trunk.as_str()).unwrap_or(digits) } else { digits };
    format!("{}{}", r.calling_code, national)
}

/// True when a value looks like a phone number (for guessing columns).
pub fn looks_like_phone(s: &str) -> bool {
    let t = s.trim();
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    let iso_date = t.len() >= 10 && t.as_bytes().get(4) == Some(&b'-') && t.as_bytes().get(7) == Some(&b'-');
    !iso_date && (7..=16).contains(&digits) && t.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) && !t.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn international_forms() {
        assert_eq!(normalize("+1 (202) 555-0142", None, false).unwrap(), "+12025550142");
        assert_eq!(normalize("0044 7700 900123", None, false).unwrap(), "+447700900123");
        assert_eq!(normalize("447700900123", None, true).unwrap(), "+447700900123");
        assert_eq!(normalize("12025550142", None, false).unwrap(), "+12025550142");
        assert_eq!(normalize("tel:+84912345678", None, false).unwrap(), "+84912345678");
    }

    #[test]
    fn national_numbers_need_a_region() {
        assert_eq!(normalize("0912 345 678", None, false), Err(PhoneError::NeedsRegion));
        let vn = Region::parse("VN").unwrap();
        assert_eq!(normalize("0912 345 678", Some(&vn), false).unwrap(), "+84912345678");
        let gb = Region::parse("+44").unwrap();
        assert_eq!(normalize("07700 900123", Some(&gb), false).unwrap(), "+447700900123");
        let us = Region::parse("us").unwrap();
        assert_eq!(normalize("(202) 555-0142", Some(&us), false).unwrap(), "+12025550142");
        assert_eq!(normalize("011 44 7700 900123", Some(&us), false).unwrap(), "+447700900123");
    }

    #[test]
    fn rejects_non_numbers() {
        assert_eq!(normalize("ShopEx", None, false), Err(PhoneError::NotANumber));
        assert_eq!(normalize("+12", None, false), Err(PhoneError::BadLength));
        assert!(looks_like_phone("+1 202-555-0142"));
        assert!(!looks_like_phone("2024-03-02 08:15"));
        assert!(!looks_like_phone("2024-03-02"));
        assert!(!looks_like_phone("ana@example.com"));
    }
}
