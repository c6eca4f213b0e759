//! Property: for random lists (random cells with quotes, delimiters, line breaks
//! and non-ASCII text; every encoding, delimiter and line ending; with and
//! without header, blank lines and final newline), cleaned ∪ removed = the input
//! rows, none lost, none duplicated, order kept, cells unchanged; and with no
//! evidence the cleaned file is the input, byte for byte.
//!
//! A seeded xorshift generator instead of proptest: no extra build time on a
//! shared machine, and any failure prints its seed to replay.

mod clean_support;

use clean_support::*;
use rebound::clean::{self, ColumnChoice, Options, Outputs};
use rebound::model::{Class, Kind, Reason};
use std::collections::HashSet;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Enc {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Win1252,
}

const ASCII: &[char] = &[
    'a', 'b', 'z', 'Q', '0', '7', ' ', '"', ',', ';', '\t', '|', '\n', '\r', '=', '@', '\'', '.',
];
const LATIN: &[char] = &['é', 'ñ', 'ü', '€', 'ß', 'Å'];
const WIDE: &[char] = &['Đ', 'ữ', 'ệ', '😀', '中', '\u{feff}'];

fn random_cell(rng: &mut Rng, enc: Enc) -> String {
    let len = rng.below(10);
    (0..len)
        .map(|_| match rng.below(10) {
            0..=6 => *rng.pick(ASCII),
            7 | 8 => *rng.pick(LATIN),
            _ if enc == Enc::Win1252 => *rng.pick(LATIN),
            _ => *rng.pick(WIDE),
        })
        .collect()
}

fn write_cell(rng: &mut Rng, out: &mut String, cell: &str, delimiter: char) {
    let must = cell.contains([delimiter, '"', '\r', '\n']) || cell.starts_with(' ');
    if must || rng.chance(10) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

struct Case {
    enc: Enc,
    bytes: Vec<u8>,
    delimiter: u8,
    has_header: bool,
    /// The cells of every record, header first when there is one.
    rows: Vec<Vec<String>>,
    /// Each record's text as written: blank lines before it, its cells, its line ending.
    raw: Vec<String>,
}

fn generate(rng: &mut Rng) -> Case {
    let enc = *rng.pick(&[
        Enc::Utf8,
        Enc::Utf8Bom,
        Enc::Utf16Le,
        Enc::Utf16Be,
        Enc::Win1252,
    ]);
    let delimiter = *rng.pick(&[',', ';', '\t', '|']);
    let eol = *rng.pick(&["\n", "\r\n", "\r\n", "\r"]);
    let has_header = rng.chance(70);
    let ncols = 3 + rng.below(4);
    let nrows = rng.below(40);
    let mut rows = Vec::new();
    if has_header {
        let mut h = vec!["id".to_string(), "Email".to_string()];
        h.extend((2..ncols).map(|i| format!("col{i} {}", random_cell(rng, enc))));
        rows.push(h);
    }
    for n in 0..nrows {
        let email = match rng.below(6) {
            0 => random_cell(rng, enc),
            1 => format!(" A{}@Example.com ", rng.below(10)),
            _ => format!("a{}@example.com", rng.below(10)),
        };
        let mut r = vec![format!("r{n}"), email];
        // Some rows are ragged: shorter or longer than the header.
        let width = if rng.chance(10) {
            1 + rng.below(ncols + 2)
        } else {
            ncols
        };
        r.extend((2..width).map(|_| random_cell(rng, enc)));
        r.truncate(width);
        rows.push(r);
    }
    let mut raw = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let mut text = String::new();
        if i > 0 && rng.chance(5) {
            text.push_str(eol); // a blank line
        }
        for (j, c) in r.iter().enumerate() {
            if j > 0 {
                text.push(delimiter);
            }
            write_cell(rng, &mut text, c, delimiter);
        }
        if i + 1 < rows.len() || rng.chance(70) {
            text.push_str(eol);
        }
        raw.push(text);
    }
    let bytes = encode(enc, &raw.concat());
    Case {
        enc,
        bytes,
        delimiter: delimiter as u8,
        has_header,
        rows,
        raw,
    }
}

fn encode(enc: Enc, text: &str) -> Vec<u8> {
    match enc {
        Enc::Utf8 => text.as_bytes().to_vec(),
        Enc::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
        Enc::Utf16Le => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        Enc::Utf16Be => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        Enc::Win1252 => encoding_rs::WINDOWS_1252.encode(text).0.into_owned(),
    }
}

/// Outputs keep the input's encoding, so they decode as the generator encoded the input.
fn decode_as(enc: Enc, bytes: &[u8]) -> String {
    if enc == Enc::Win1252 {
        return encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned();
    }
    decode(bytes)
}

#[test]
fn cleaned_and_removed_partition_the_input_rows() {
    let dir = tempfile::tempdir().unwrap();
    let bounced: Vec<_> = (0..4)
        .map(|i| hard(&format!("a{i}@example.com"), "550 5.1.1 =1+2 no such user"))
        .collect();
    let mut with_unsub = bounced.clone();
    with_unsub.push(event(
        "a4@example.com",
        Kind::Unsubscribe,
        Class::Unsubscribe,
        Reason::Unsubscribe,
        Some(1_700_000_000),
    ));
    let full = store_with(&dir.path().join("full.sqlite"), &with_unsub);
    let empty = store_with(&dir.path().join("empty.sqlite"), &[]);
    let seeds = std::env::var("CLEAN_PROPERTY_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300u64);
    let mut misdetected = 0;
    for seed in 1..=seeds {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let case = generate(&mut rng);
        let use_full = rng.chance(70);
        let store = if use_full { &full } else { &empty };
        let input = dir.path().join(format!("case{seed}.csv"));
        std::fs::write(&input, &case.bytes).unwrap();
        // Half the cases name the delimiter: a tiny random list can be honestly ambiguous.
        let delimiter = if rng.chance(50) {
            Some(case.delimiter)
        } else {
            None
        };
        let opts = Options {
            email_column: Some(ColumnChoice::Index(2)),
            has_header: Some(case.has_header),
            delimiter,
            ..Default::default()
        };
        let s = clean::run(store, &input, &opts, &Outputs::default())
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let (cleaned_path, removed_path) = Outputs::defaults(&input);
        let cleaned_bytes = std::fs::read(&cleaned_path).unwrap();
        let removed_bytes = std::fs::read(&removed_path).unwrap();
        if std::env::var("CLEAN_PROPERTY_DUMP").ok() == Some(seed.to_string()) {
            std::fs::write("/tmp/clean-prop-input", &case.bytes).unwrap();
            std::fs::write("/tmp/clean-prop-removed", &removed_bytes).unwrap();
        }
        if s.detection.layout.delimiter != case.delimiter {
            // Detection guessed another delimiter (only possible when not named): the rows still
            // partition the file byte for byte, but cells cannot be compared.
            assert!(delimiter.is_none(), "seed {seed}");
            if !use_full {
                assert_eq!(cleaned_bytes, case.bytes, "seed {seed}");
            }
            misdetected += 1;
        } else {
            check(seed, &case, &cleaned_bytes, &removed_bytes);
            let data_rows = case.rows.len() as u64 - u64::from(case.has_header);
            assert_eq!(
                (s.rows, s.kept + s.removed),
                (data_rows, data_rows),
                "seed {seed}"
            );
        }
        if !use_full {
            assert_eq!(
                cleaned_bytes, case.bytes,
                "seed {seed}: untouched list not byte-identical"
            );
        }
        for p in [input, cleaned_path, removed_path] {
            std::fs::remove_file(p).unwrap();
        }
    }
    // Detection must be right on nearly every random list it was left to guess.
    eprintln!("delimiter misdetected in {misdetected} of {seeds} random lists");
    assert!(
        misdetected * 20 < seeds,
        "delimiter misdetected in {misdetected} of {seeds} cases"
    );
}

fn check(seed: u64, case: &Case, cleaned: &[u8], removed: &[u8]) {
    let input_rows = records(&decode_as(case.enc, &case.bytes), case.delimiter);
    assert_eq!(
        input_rows, case.rows,
        "seed {seed}: the generator and the csv crate disagree"
    );
    let mut kept = records(&decode_as(case.enc, cleaned), case.delimiter);
    let mut gone = records(&decode_as(case.enc, removed), case.delimiter);
    let mut data = case.rows.clone();
    if case.has_header {
        let header = data.remove(0);
        assert_eq!(kept.remove(0), header, "seed {seed}: cleaned header");
        let h = gone.remove(0);
        assert_eq!(h[..header.len()], header[..], "seed {seed}: removed header");
        assert_eq!(
            h[header.len()..],
            ["rebound_action", "rebound_reason", "rebound_evidence"],
            "seed {seed}"
        );
    }
    let width = if case.has_header {
        case.rows[0].len()
    } else {
        0
    };
    for r in &mut gone {
        assert!(r.len() >= 3, "seed {seed}: {r:?}");
        let added = r.split_off(r.len() - 3);
        assert_eq!(added[0], "removed", "seed {seed}");
        assert_no_formula(&added[2..], &format!("seed {seed}"));
        // Short rows were padded so the added columns line up under their header.
        let original_len = data
            .iter()
            .find(|d| d[0] == r[0])
            .map(|d| d.len())
            .unwrap_or(r.len());
        if original_len < width {
            assert!(
                r[original_len..].iter().all(String::is_empty) && r.len() == width,
                "seed {seed}: padding {r:?}"
            );
            r.truncate(original_len);
        }
    }
    let kept_ids: HashSet<&str> = kept.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        kept_ids.len(),
        kept.len(),
        "seed {seed}: a kept row is duplicated"
    );
    // Byte level: the cleaned file is the header and the kept records exactly as they were written.
    let expect_text: String = case
        .rows
        .iter()
        .zip(&case.raw)
        .enumerate()
        .filter(|(i, (r, _))| (*i == 0 && case.has_header) || kept_ids.contains(r[0].as_str()))
        .map(|(_, (_, raw))| raw.as_str())
        .collect();
    assert_eq!(
        cleaned,
        encode(case.enc, &expect_text),
        "seed {seed}: cleaned bytes are not the kept records' original bytes"
    );
    let expect_kept: Vec<Vec<String>> = data
        .iter()
        .filter(|r| kept_ids.contains(r[0].as_str()))
        .cloned()
        .collect();
    let expect_gone: Vec<Vec<String>> = data
        .iter()
        .filter(|r| !kept_ids.contains(r[0].as_str()))
        .cloned()
        .collect();
    assert_eq!(kept, expect_kept, "seed {seed}: cleaned rows");
    assert_eq!(gone, expect_gone, "seed {seed}: removed rows");
    for r in &gone {
        let key = r[1].trim().to_lowercase();
        assert!(
            ["a0", "a1", "a2", "a3", "a4"]
                .iter()
                .any(|a| key == format!("{a}@example.com")),
            "seed {seed}: {r:?} removed without evidence"
        );
    }
}
