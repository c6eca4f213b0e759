//! What can be said about an address without any bounce: its syntax (RFC 5321
//! lengths, RFC 5322 dot-atom shape, RFC 6531 UTF-8 and IDN domains allowed),
//! role accounts, likely domain typos, and phone numbers in E.164.

/// The key two addresses are "the same" by: trimmed, brackets removed, whole address lowercased.
pub fn match_key(raw: &str) -> String {
    crate::model::normalize_email(raw).to_lowercase()
}

/// Why an address is not syntactically valid, as a stable key (`invalid_address.<key>` in the UI).
pub fn syntax_problem(addr: &str) -> Option<&'static str> {
    let a = addr.trim();
    if a.is_empty() {
        return Some("empty");
    }
    if a.chars().any(|c| c.is_whitespace() && !a.starts_with('"')) || a.chars().any(char::is_control) {
        return Some("spaces_or_control_characters");
    }
    let Some((local, domain)) = a.rsplit_once('@') else { return Some("no_at_sign") };
    if local.is_empty() {
        return Some("empty_local_part");
    }
    if local.len() > 64 {
        return Some("local_part_too_long");
    }
    if !local_ok(local) {
        return Some("bad_local_part");
    }
    let ascii_len = ascii_domain_len(domain);
    if ascii_len > 255 {
        return Some("domain_too_long");
    }
    if local.len() + 1 + ascii_len > 254 {
        return Some("address_too_long");
    }
    if !domain_ok(domain) {
        return Some("bad_domain");
    }
    None
}

fn local_ok(local: &str) -> bool {
    if let Some(inner) = local.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
        // Quoted string: printable characters, with `"` and `\` escaped.
        let mut esc = false;
        for c in inner.chars() {
            match (esc, c) {
                (true, _) => esc = false,
                (false, '\\') => esc = true,
                (false, '"') => return false,
                _ => {}
            }
        }
        return !esc;
    }
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c) || !c.is_ascii();
    !local.starts_with('.') && !local.ends_with('.') && !local.contains("..") && local.chars().all(|c| c == '.' || atext(c))
}

fn domain_ok(domain: &str) -> bool {
    if let Some(lit) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        return lit.parse::<std::net::Ipv4Addr>().is_ok()
            || lit.strip_prefix("IPv6:").is_some_and(|v6| v6.parse::<std::net::Ipv6Addr>().is_ok());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let label_ok = |l: &&str| {
        !l.is_empty()
            && ascii_label_len(l) <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c == '-' || c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric()))
    };
    let tld_ok = labels.last().is_some_and(|t| !t.chars().all(|c| c.is_ascii_digit()));
    labels.iter().all(label_ok) && tld_ok
}

/// Length of a label in its ASCII (punycode) form. Approximation: `xn--` plus one
/// byte per character, which is what punycode produces for mostly-ASCII labels;
/// the exact figure would need the IDNA tables (the `idna` crate) — not worth its
/// build cost for a flag that only warns.
fn ascii_label_len(l: &str) -> usize {
    if l.is_ascii() {
        l.len()
    } else {
        4 + l.chars().count()
    }
}

fn ascii_domain_len(d: &str) -> usize {
    d.split('.').map(ascii_label_len).sum::<usize>() + d.matches('.').count()
}

/// Local parts that reach a team or a machine, not a person: mail to them
/// complains and bounces more, and many providers refuse them in imports.
const ROLE_LOCALS: &[&str] = &[
    "abuse", "accounts", "accounting", "admin", "administrator", "billing", "careers", "compliance", "contact",
    "contacto", "customerservice", "donotreply", "do-not-reply", "enquiries", "enquiry", "help", "helpdesk",
    "hostmaster", "hr", "info", "inquiries", "jobs", "legal", "mail", "mailer-daemon", "marketing", "media",
    "news", "newsletter", "no-reply", "noreply", "office", "postmaster", "press", "privacy", "root", "sales",
    "security", "service", "soporte", "support", "team", "hello", "ventas", "webmaster", "lienhe", "hotro",
];

pub fn is_role_account(addr: &str) -> bool {
    let Some((local, _)) = addr.trim().rsplit_once('@') else { return false };
    let base = local.split('+').next().unwrap_or(local).to_lowercase();
    ROLE_LOCALS.contains(&base.as_str())
}

/// Mailbox providers most lists are full of; a domain one edit away from one of
/// them (and not itself on the list) is probably a typo.
const COMMON_DOMAINS: &[&str] = &[
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.es", "yahoo.fr", "yahoo.com.vn", "yahoo.com.mx",
    "ymail.com", "rocketmail.com", "hotmail.com", "hotmail.co.uk", "hotmail.es", "hotmail.fr", "outlook.com",
    "outlook.es", "live.com", "live.co.uk", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "mail.com",
    "gmx.com", "gmx.de", "gmx.net", "web.de", "protonmail.com", "proton.me", "zoho.com", "yandex.ru", "mail.ru",
    "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "btinternet.com", "orange.fr", "free.fr",
    "t-online.de", "libero.it", "qq.com", "163.com", "naver.com", "fpt.vn", "vnn.vn", "telefonica.net",
];

/// `gmial.com` → `gmail.com`. None when the domain is a known one or nothing is close.
pub fn domain_typo(domain: &str) -> Option<&'static str> {
    let d = domain.trim().trim_end_matches('.').to_lowercase();
    if d.is_empty() || COMMON_DOMAINS.contains(&d.as_str()) {
        return None;
    }
    let limit = if d.chars().count() >= 10 { 2 } else { 1 };
    COMMON_DOMAINS
        .iter()
        .map(|c| (edit_distance(&d, c), *c))
        .filter(|(dist, _)| *dist <= limit)
        .min_by_key(|(dist, _)| *dist)
        .map(|(_, c)| c)
}

/// Damerau-Levenshtein (optimal string alignment): a swapped pair counts as one edit.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 2 {
        return 3;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1).min(d[i * w + j - 1] + 1).min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// A phone number in E.164 (`+12025550101`), or None when it cannot be one.
/// Without a `+` or `00` prefix the number is taken as already carrying its
/// country code when it has 11–15 digits and no trunk `0`; national numbers
/// (`0912 345 678`) cannot be matched without knowing the country.
pub fn normalize_phone(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || " +-().\u{a0}/".contains(c)) {
        return None;
    }
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    let plus = t.starts_with('+');
    let digits = match (plus, digits.strip_prefix("00")) {
        (false, Some(rest)) => rest.to_string(),
        _ if plus || (digits.len() >= 11 && !digits.starts_with('0')) => digits,
        _ => return None,
    };
    ((8..=15).contains(&digits.len()) && !digits.starts_with('0')).then(|| format!("+{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_follows_rfc_5321_lengths_and_allows_idn() {
        assert_eq!(syntax_problem("ana@example.com"), None);
        assert_eq!(syntax_problem("o'brien+tag@example.co.uk"), None);
        assert_eq!(syntax_problem("josé@bücher.example"), None);
        assert_eq!(syntax_problem("user@[192.0.2.1]"), None);
        assert_eq!(syntax_problem("\"a b\"@example.com"), None);
        assert_eq!(syntax_problem("ana.example.com"), Some("no_at_sign"));
        assert_eq!(syntax_problem("ana@localhost"), Some("bad_domain"));
        assert_eq!(syntax_problem("a..b@example.com"), Some("bad_local_part"));
        assert_eq!(syntax_problem("ana@-x.example.com"), Some("bad_domain"));
        assert_eq!(syntax_problem("ana@example.123"), Some("bad_domain"));
        assert_eq!(syntax_problem("ana @example.com"), Some("spaces_or_control_characters"));
        assert_eq!(syntax_problem(&format!("{}@example.com", "a".repeat(64))), None);
        assert_eq!(syntax_problem(&format!("{}@example.com", "a".repeat(65))), Some("local_part_too_long"));
        let long_domain = format!("{}.com", vec!["b".repeat(63); 3].join("."));
        assert_eq!(syntax_problem(&format!("{}@{}", "a".repeat(60), long_domain)), Some("address_too_long"));
        assert_eq!(syntax_problem(&format!("a@{}.com", "b".repeat(64))), Some("bad_domain"));
    }

    #[test]
    fn roles_typos_and_phones() {
        assert!(is_role_account("Info@example.com"));
        assert!(is_role_account("noreply+x@example.com"));
        assert!(!is_role_account("ana@example.com"));
        assert_eq!(domain_typo("gmial.com"), Some("gmail.com"));
        assert_eq!(domain_typo("hotmial.com"), Some("hotmail.com"));
        assert_eq!(domain_typo("yaho.com"), Some("yahoo.com"));
        assert_eq!(domain_typo("outlok.com"), Some("outlook.com"));
        assert_eq!(domain_typo("gmail.con"), Some("gmail.com"));
        assert_eq!(domain_typo("gmail.com"), None);
        assert_eq!(domain_typo("mail.com"), None);
        assert_eq!(domain_typo("example.com"), None);
        assert_eq!(normalize_phone("+1 (202) 555-0101").as_deref(), Some("+12025550101"));
        assert_eq!(normalize_phone("0044 7700 900123").as_deref(), Some("+447700900123"));
        assert_eq!(normalize_phone("12025550101").as_deref(), Some("+12025550101"));
        assert_eq!(normalize_phone("0912 345 678"), None);
        assert_eq!(normalize_phone("abc"), None);
    }
}
