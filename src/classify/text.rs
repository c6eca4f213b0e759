//! Bounded normalization of hostile diagnostic text before phrase matching.

/// Only this many bytes of a diagnostic are looked at: the reason is always near the
/// start, and a 10 MB hostile "diagnostic" must cost no more than a short one.
pub const MAX_SCAN: usize = 4096;

/// The longest prefix of `s` that is at most `max` bytes and ends on a char boundary.
pub fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// SMTP multi-line continuation markers such as `550-5.7.26` or `550-` split
/// sentences in the middle; they carry no words, so they are dropped.
fn is_continuation(tok: &str) -> bool {
    let b = tok.as_bytes();
    b.len() >= 4
        && b.iter().take(3).all(u8::is_ascii_digit)
        && b.get(3) == Some(&b'-')
        && b.iter().skip(4).all(|c| c.is_ascii_digit() || *c == b'.')
}

/// Lowercases, folds typographic quotes, collapses whitespace and drops SMTP
/// continuation markers, looking at no more than [`MAX_SCAN`] bytes of input.
pub fn normalize(diag: &str) -> String {
    let head = prefix(diag, MAX_SCAN);
    let mut out = String::with_capacity(head.len());
    for tok in head.split_whitespace() {
        if is_continuation(tok) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        for c in tok.chars() {
            match c {
                '\u{2019}' | '\u{2018}' | '`' => out.push('\''),
                '\u{201c}' | '\u{201d}' => out.push('"'),
                c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
                c => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_lowercases_and_drops_continuations() {
        let n = normalize("550-5.7.26 Unauthenticated  email\r\n550-5.7.26 from X is NOT accepted");
        assert_eq!(n, "unauthenticated email from x is not accepted");
        assert_eq!(normalize("Buzón LLENO"), "buzón lleno");
        assert_eq!(normalize("doesn\u{2019}t"), "doesn't");
        assert_eq!(normalize("550 5.1.1 x"), "550 5.1.1 x");
    }

    #[test]
    fn bounded_and_char_safe() {
        let long = "é".repeat(MAX_SCAN);
        let n = normalize(&long);
        assert!(n.len() <= MAX_SCAN);
        assert_eq!(prefix("aé", 2), "a");
    }
}
