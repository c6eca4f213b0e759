//! The fixed list of structural monsters every fuzz run feeds once: inputs no
//! small mutation reaches (10 MB lines, 10,000 levels of MIME, 100,000 columns).
#![allow(dead_code)]

use super::mutate::{nested, Case, Seed};
use super::{zipgen, Rng};

const MB: usize = 1 << 20;

/// How many structural cases exist (a test checks it matches `case`).
pub fn count(_seeds: &[Seed]) -> u64 {
    31
}

fn dsn(seeds: &[Seed]) -> Vec<u8> {
    seeds
        .iter()
        .find(|s| s.name.contains("rfc3464") && s.name.ends_with(".eml"))
        .or_else(|| seeds.iter().find(|s| s.name.ends_with(".eml")))
        .map(|s| s.bytes.clone())
        .unwrap_or_else(|| b"From: MAILER-DAEMON@example.org\nSubject: Undelivered\n\nbody\n".to_vec())
}

fn csv(seeds: &[Seed]) -> Vec<u8> {
    seeds.iter().find(|s| s.name.ends_with(".csv")).map(|s| s.bytes.clone()).unwrap_or_else(|| b"email,status\na@b.c,bounce\n".to_vec())
}

fn c(name: &str, bytes: Vec<u8>, forced: Option<&str>, recipe: &str) -> Option<Case> {
    Some(Case { name: name.into(), bytes, forced: forced.map(str::to_string), recipe: recipe.into() })
}

/// Structural case `k`, or None past the end of the list.
pub fn case(seeds: &[Seed], k: u64) -> Option<Case> {
    let from = b"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n".to_vec();
    match k {
        0 => {
            let mut m = b"Subject: Undelivered Mail\nX-Long: ".to_vec();
            m.extend(std::iter::repeat_n(b'a', 10 * MB));
            m.extend_from_slice(b"\n\n");
            m.extend(dsn(seeds));
            c("long-header.eml", m, Some("eml"), "10 MB header line")
        }
        1 => {
            let mut m = b"Subject:".to_vec();
            while m.len() < 10 * MB {
                m.extend_from_slice(b" =?UTF-8?B?w6k=?=");
            }
            m.extend_from_slice(b"\nFrom: x@example.org\n\nbody\n");
            c("encoded-words.eml", m, Some("eml"), "10 MB of encoded words in Subject")
        }
        2 => c("one-line.mbox", vec![b'A'; 10 * MB], Some("mbox"), "10 MB without a newline"),
        3 => {
            let mut m = b"Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n".to_vec();
            m.extend(std::iter::repeat(b"QUJD").flatten().take(10 * MB));
            c("base64-line.eml", m, Some("eml"), "10 MB base64 line")
        }
        4 => c("nest-multipart.eml", nested(&dsn(seeds), 10_000, false), Some("eml"), "10,000 multipart levels"),
        5 => c("nest-rfc822.eml", nested(&dsn(seeds), 10_000, true), Some("eml"), "10,000 message/rfc822 levels"),
        6 => {
            let mut m = from.clone();
            m.extend(nested(&dsn(seeds), 10_000, false));
            c("nest.mbox", m, Some("mbox"), "10,000 multipart levels in an mbox")
        }
        7 => c("nest-1000.eml", nested(&dsn(seeds), 1_000, false), None, "1,000 multipart levels"),
        8 => {
            let mut m = Vec::new();
            for i in 0..200_000 {
                m.extend_from_slice(format!("X-H{i}: v\n").as_bytes());
            }
            m.extend(dsn(seeds));
            c("many-headers.eml", m, Some("eml"), "200,000 header lines")
        }
        9 => {
            let mut r = Rng::new(9);
            c("random.mbox", (0..MB).map(|_| r.next_u64() as u8).collect(), Some("mbox"), "1 MB random bytes")
        }
        10 => {
            let mut m = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0".to_vec();
            let mut r = Rng::new(10);
            m.extend((0..MB).map(|_| r.next_u64() as u8));
            c("Inbox.mbox", m, Some("mbox"), "ELF binary named .mbox")
        }
        11 => c("zeros.eml", vec![0; MB], Some("eml"), "1 MB of NUL"),
        12 => c("ff.csv", vec![0xFF; MB], None, "1 MB of 0xFF"),
        13 => {
            let text = String::from_utf8_lossy(&csv(seeds)).into_owned();
            let mut m = vec![0xFF, 0xFE];
            m.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
            c("utf16le.csv", m, None, "CSV as UTF-16LE with BOM")
        }
        14 => {
            let text = String::from_utf8_lossy(&dsn(seeds)).into_owned();
            let m: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
            c("utf16be.eml", m, Some("eml"), "DSN as UTF-16BE without BOM")
        }
        15 => {
            let mut m = Vec::new();
            for s in seeds.iter().filter(|s| s.name.ends_with(".eml")).take(400) {
                m.extend_from_slice(&from);
                m.extend(s.bytes.iter().map(|&b| if b == b'\n' { b'\r' } else { b }));
                m.push(b'\r');
            }
            c("cr-only.mbox", m, Some("mbox"), "every .eml seed as one CR-only mbox")
        }
        16 => c("deep.json", vec![b'['; 100_000], None, "100,000 nested JSON arrays"),
        17 => {
            let mut m = b"{".to_vec();
            for i in 0..100_000 {
                m.extend_from_slice(format!("\"k{i}\":{i},").as_bytes());
            }
            m.extend_from_slice(b"\"email\":\"a@b.c\"}\n");
            c("wide.json", m, None, "JSON object with 100,000 keys")
        }
        18 => {
            let mut m = b"{\"event\":\"bounce\",\"email\":\"a@b.c\",\"reason\":\"".to_vec();
            m.extend(std::iter::repeat_n(b'x', 10 * MB));
            m.extend_from_slice(b"\"}\n");
            c("long.jsonl", m, None, "10 MB JSONL line")
        }
        19 => {
            let mut m: Vec<u8> = (0..100_000).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",").into_bytes();
            m.extend_from_slice(b"\n");
            m.extend((0..100_000).map(|_| "x").collect::<Vec<_>>().join(",").into_bytes());
            m.extend_from_slice(b"\n");
            c("wide.csv", m, None, "CSV with 100,000 columns")
        }
        20 => {
            let mut m = b"Email Address,Status\n\"".to_vec();
            m.extend(std::iter::repeat_n(b'q', 10 * MB));
            c("unterminated.csv", m, None, "10 MB unterminated quoted CSV field")
        }
        21 => {
            let b = "b".repeat(10_000);
            let m = format!("Content-Type: multipart/report; report-type=delivery-status; boundary=\"{b}\"\n\n--{b}\nContent-Type: text/plain\n\nx\n--{b}--\n");
            c("long-boundary.eml", m.into_bytes(), Some("eml"), "10,000-char boundary")
        }
        22 => {
            let m = "Content-Type: multipart/report; boundary=\"\"\n\n--\n\n--\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@b.c\nAction: failed\nStatus: 5.1.1\n\n----\n";
            c("empty-boundary.eml", m.as_bytes().to_vec(), Some("eml"), "empty boundary")
        }
        23 => {
            let mut m = b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n".to_vec();
            // 10,000: far above what an SMTP server accepts per message; reading is
            // linear (100,000 took 1.4 s in release, 14 µs a recipient).
            for i in 0..10_000 {
                m.extend_from_slice(format!("Final-Recipient: rfc822; u{i}@example.com\nAction: failed\nStatus: 5.1.1\n\n").as_bytes());
            }
            m.extend_from_slice(b"--B--\n");
            c("many-recipients.eml", m, Some("eml"), "DSN with 10,000 recipients")
        }
        24 => {
            let files: Vec<(String, Vec<u8>)> =
                seeds.iter().filter(|s| s.name.ends_with(".eml")).take(50).map(|s| (s.name.clone(), s.bytes.clone())).collect();
            let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
            c("seeds.zip", zipgen::stored_zip(&refs), Some("zip"), "zip of 50 seed messages")
        }
        25 => {
            let mut z = dsn(seeds);
            for i in 0..50 {
                z = zipgen::stored_zip(&[(&format!("level{i}.zip"), &z)]);
            }
            c("nested.zip", z, Some("zip"), "zip nested 50 levels")
        }
        26 => c("bomb.zip", zipgen::zip_bomb(16, 16 * MB as u64, None), Some("zip"), "16 entries x 16 MB overlapping zip bomb"),
        27 => c("liar.zip", zipgen::zip_bomb(1, 16 * MB as u64, Some(100)), Some("zip"), "zip entry declaring 100 bytes, inflating to 16 MB"),
        28 => {
            let mut z = zipgen::stored_zip(&[("a.eml", &dsn(seeds))]);
            let n = z.len();
            z.truncate(n - 10);
            c("cut.zip", z, Some("zip"), "zip with its end record cut")
        }
        29 => {
            let mut m = b"Content-Type: multipart/mixed; boundary=\"a\"\n\n".to_vec();
            for _ in 0..100_000 {
                m.extend_from_slice(b"--a\nContent-Type: text/plain\n\nx\n");
            }
            c("many-parts.eml", m, Some("eml"), "100,000 sibling parts, no closing boundary")
        }
        30 => {
            let mut m = from.clone();
            m.extend(nested(&dsn(seeds), 100_000, true));
            c("nest-rfc822.mbox", m, Some("mbox"), "100,000 message/rfc822 levels in an mbox")
        }
        _ => None,
    }
}
