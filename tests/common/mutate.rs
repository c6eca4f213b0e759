//! Input generators for the fuzz harness: seeded mutations of real files, and a
//! fixed list of structural monsters (10 MB lines, 10,000-level MIME nesting, …).
//! Everything is a pure function of (seed files, seed, index), so a finding can
//! be regenerated from its index alone.
#![allow(dead_code)]

use super::Rng;

/// One seed file, loaded once.
pub struct Seed {
    pub name: String,
    pub bytes: Vec<u8>,
    /// The format detection picks for the unmutated file: mutated copies are
    /// also read with it forced, so the reader sees what detection might refuse.
    pub format: Option<String>,
}

/// One generated input.
pub struct Case {
    pub name: String,
    pub bytes: Vec<u8>,
    pub forced: Option<String>,
    /// What was done, for the report.
    pub recipe: String,
}

/// Mutated inputs are capped so a million of them stay fast.
const MAX_MUTATED: usize = 4 << 20;

/// Input `idx` of the mutation stream.
pub fn mutated(seeds: &[Seed], seed: u64, idx: u64) -> Case {
    let mut rng = Rng::new(seed ^ idx.wrapping_mul(0xA24B_AED4_963E_E407));
    let base = &seeds[rng.below(seeds.len())];
    let mut bytes = base.bytes.clone();
    let mut recipe = vec![format!("base={}", base.name)];
    let ops = 1 + rng.below(3);
    for _ in 0..ops {
        let op = rng.below(17);
        recipe.push(apply(op, &mut bytes, &mut rng, seeds));
        bytes.truncate(MAX_MUTATED);
    }
    let forced = if rng.chance(5) { Some(["mbox", "eml", "zip"][rng.below(3)].to_string()) } else { base.format.clone() };
    Case { name: base.name.clone(), bytes, forced, recipe: recipe.join(" ") }
}

fn apply(op: usize, b: &mut Vec<u8>, rng: &mut Rng, seeds: &[Seed]) -> String {
    match op {
        0 => bit_flips(b, rng),
        1 => interesting_bytes(b, rng),
        2 | 3 => truncate_at_boundary(b, rng),
        4 => splice(b, rng, seeds),
        5 => repeat_header(b, rng),
        6 => long_line(b, rng),
        7 => nul_bytes(b, rng),
        8 => line_endings(b, rng),
        9 => invalid_utf8(b, rng),
        10 => utf16(b, rng),
        11 => chunk_edit(b, rng),
        12 => {
            let depth = 1 + rng.below(300);
            nest_mime(b, rng, depth)
        }
        13 => syntax_chars(b, rng),
        14 => mbox_lines(b, rng),
        15 => huge_numbers(b, rng),
        _ => hostile_header_value(b, rng),
    }
}

fn pos(b: &[u8], rng: &mut Rng) -> usize {
    rng.below(b.len() + 1)
}

fn bit_flips(b: &mut [u8], rng: &mut Rng) -> String {
    if b.is_empty() {
        return "flip(empty)".into();
    }
    let n = 1 + rng.below(8);
    for _ in 0..n {
        let i = rng.below(b.len());
        b[i] ^= 1 << rng.below(8);
    }
    format!("flip{n}")
}

const INTERESTING: &[u8] = b"\x00\xff\x80\r\n-:=\",{}<>[] \t\xc3\xe2;@+\\";

fn interesting_bytes(b: &mut [u8], rng: &mut Rng) -> String {
    if b.is_empty() {
        return "interesting(empty)".into();
    }
    let n = 1 + rng.below(16);
    for _ in 0..n {
        let i = rng.below(b.len());
        b[i] = INTERESTING[rng.below(INTERESTING.len())];
    }
    format!("interesting{n}")
}

/// Truncation points by class; falls back to a random point when a class has none.
fn truncate_at_boundary(b: &mut Vec<u8>, rng: &mut Rng) -> String {
    let classes = ["header", "boundary", "utf8", "crlf", "base64", "end-of-headers", "random"];
    let class = classes[rng.below(classes.len())];
    let cands = boundary_points(b, class);
    let at = if cands.is_empty() { pos(b, rng) } else { cands[rng.below(cands.len())] };
    b.truncate(at);
    format!("trunc:{class}@{at}")
}

fn boundary_points(b: &[u8], class: &str) -> Vec<usize> {
    let header_end = find(b, b"\n\n").or_else(|| find(b, b"\r\n\r\n")).unwrap_or(b.len());
    let mut out = Vec::new();
    match class {
        "header" => out.extend((1..header_end).filter(|&i| b[i - 1] != b'\n')),
        "boundary" => {
            for (start, line) in lines(b) {
                if line.starts_with(b"--") {
                    out.extend(start + 1..start + line.len());
                }
            }
        }
        "utf8" => out.extend((0..b.len()).filter(|&i| b[i] >= 0xC0).map(|i| i + 1)),
        "crlf" => out.extend((1..b.len()).filter(|&i| b[i - 1] == b'\r' && b[i] == b'\n')),
        "base64" => {
            for (start, line) in lines(b) {
                let is_b64 = line.len() >= 40 && line.iter().all(|c| c.is_ascii_alphanumeric() || b"+/=\r".contains(c));
                if is_b64 {
                    out.extend(start + 1..start + line.len());
                }
            }
        }
        "end-of-headers" => out.extend([header_end, header_end + 1, (header_end + 2).min(b.len())]),
        _ => {}
    }
    out.retain(|&i| i <= b.len());
    out
}

fn lines(b: &[u8]) -> Vec<(usize, &[u8])> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in b.iter().enumerate() {
        if *c == b'\n' {
            out.push((start, &b[start..i]));
            start = i + 1;
        }
    }
    if start < b.len() {
        out.push((start, &b[start..]));
    }
    out
}

pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn splice(b: &mut Vec<u8>, rng: &mut Rng, seeds: &[Seed]) -> String {
    let other = &seeds[rng.below(seeds.len())];
    let cut = pos(b, rng);
    let from = rng.below(other.bytes.len() + 1);
    b.truncate(cut);
    b.extend_from_slice(&other.bytes[from..]);
    format!("splice:{}@{cut}+{from}", other.name)
}

fn repeat_header(b: &mut Vec<u8>, rng: &mut Rng) -> String {
    let header_end = find(b, b"\n\n").unwrap_or(b.len());
    let hdrs: Vec<(usize, usize)> = lines(&b[..header_end])
        .into_iter()
        .filter(|(_, l)| l.contains(&b':'))
        .map(|(s, l)| (s, l.len()))
        .collect();
    if hdrs.is_empty() {
        return "repeat(none)".into();
    }
    let (s, len) = hdrs[rng.below(hdrs.len())];
    // Bounded so the generator, not the reader, never dominates memory.
    let n = [2, 10, 100, 2000][rng.below(4)].min(MAX_MUTATED / (len + 1)).max(1);
    let mut line = b[s..s + len].to_vec();
    line.push(b'\n');
    let rep: Vec<u8> = line.repeat(n);
    b.splice(s..s, rep);
    format!("repeat-header x{n}")
}

fn long_line(b: &mut Vec<u8>, rng: &mut Rng) -> String {
    let len = [1_000, 20_000, 200_000][rng.below(3)];
    let at = line_start(b, rng);
    let mut line = if rng.chance(50) { b"X-Long: ".to_vec() } else { Vec::new() };
    line.extend(std::iter::repeat_n(b'A', len));
    line.push(b'\n');
    b.splice(at..at, line);
    format!("long-line {len}")
}

fn line_start(b: &[u8], rng: &mut Rng) -> usize {
    let starts: Vec<usize> = lines(b).into_iter().map(|(s, _)| s).collect();
    if starts.is_empty() {
        0
    } else {
        starts[rng.below(starts.len())]
    }
}

fn nul_bytes(b: &mut Vec<u8>, rng: &mut Rng) -> String {
    let n = 1 + rng.below(64);
    for _ in 0..n {
        let at = pos(b, rng);
        b.insert(at, 0);
    }
    format!("nul x{n}")
}

fn line_endings(b: &mut Vec<u8>, rng: &mut Rng) -> String {
    let lf_only: Vec<u8> = b.iter().copied().filter(|&c| c != b'\r').collect();
    let (out, how): (Vec<u8>, &str) = match rng.below(3) {
        0 => (lf_only.iter().map(|&c| if c == b'\n' { b'\r' } else { c }).collect(), "cr-only"),
        1 => (lf_only.iter().flat_map(|&c| if c == b'\n' { vec![b'\r', b'\n'] } else { vec![c] }).collect(), "crlf"),
        _ => {
            let mut r = rng.clone();
            let v = lf_only
                .iter()
                .flat_map(|&c| match (c, r.below(3)) {
                    (b'\n', 0) => vec![b'\r'],
                    (b'\n', 1) => vec![b'\r', b'\n'],
                    _ => vec![c],
                })
                .collect();
            (v, "mixed")
        }
    };
    *b = out;
    format!("eol:{how}")
}

const BAD_UTF8: &[&[u8]] = &[b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\x80", b"\xf8\x88\x80\x80\x80", b"\xff\xfe", b"\xf4\x90\x80\x80", b"\xef\xbf"];

fn invalid_utf8(b: &mut Vec<u8>, rng: &mut Rng) -> String {
    let n = 1 + rng.below(8);
    for _ in 0..n {
        let seq = BAD_UTF8[rng.below(BAD_UTF8.len())];
        let at = pos(b, rng);
        b.splice(at..at, seq.iter().copied());
    }
    format!("bad-utf8 x{n}")
}

fn utf16(b: &mut Vec<u8>, rng: &mut Rng) -> String {
    let text = String::from_utf8_lossy(b).into_owned();
    let le = rng.chance(50);
    let mut out = Vec::with_capacity(b.len() * 2 + 2);
    let bom = rng.chance(70);
    if bom {
        out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
    }
    for u in text.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    if rng.chance(30) && !out.is_empty() {
        out.pop(); // odd length: a cut UTF-16 code unit
    }
    if rng.chance(20) {
        out.extend_from_slice(&[0x00, 0xD8, 0x41]); // lone surrogate
    }
    *b = out;
    format!("utf16 le={le} bom={bom}")
}

fn chunk_edit(b: &mut Vec<u8>, rng: &mut Rng) -> String {
    let a = pos(b, rng);
    let z = (a + rng.below(4096)).min(b.len());
    if rng.chance(50) {
        b.drain(a..z);
        format!("delete {a}..{z}")
    } else {
        let chunk = b[a..z].to_vec();
        let times = 1 + rng.below(20);
        for _ in 0..times {
            b.splice(z..z, chunk.iter().copied());
        }
        format!("dup {a}..{z} x{times}")
    }
}

/// Wraps the message in `depth` multipart layers.
pub fn nest_mime(b: &mut Vec<u8>, rng: &mut Rng, depth: usize) -> String {
    let rfc822 = rng.chance(30);
    *b = nested(b, depth, rfc822);
    format!("nest{depth} rfc822={rfc822}")
}

pub fn nested(inner: &[u8], depth: usize, rfc822: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(inner.len() + depth * 120);
    for i in 0..depth {
        if rfc822 {
            out.extend_from_slice(b"Content-Type: message/rfc822\n\n");
        } else {
            out.extend_from_slice(format!("Content-Type: multipart/mixed; boundary=\"b{i}\"\n\n--b{i}\n").as_bytes());
        }
    }
    out.extend_from_slice(inner);
    for i in (0..depth).rev() {
        if !rfc822 {
            out.extend_from_slice(format!("\n--b{i}--\n").as_bytes());
        }
    }
    out
}

fn syntax_chars(b: &mut Vec<u8>, rng: &mut Rng) -> String {
    let n = 1 + rng.below(10);
    for _ in 0..n {
        let c = b"\"[]{},;\t\\:"[rng.below(10)];
        let at = pos(b, rng);
        b.insert(at, c);
    }
    format!("syntax x{n}")
}

fn mbox_lines(b: &mut Vec<u8>, rng: &mut Rng) -> String {
    let at = line_start(b, rng);
    let line: &[u8] = match rng.below(4) {
        0 => b"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n",
        1 => b">From quoted Mon Jan  1 00:00:00 2024\n",
        2 => b"From \n",
        _ => b"From x\n\n",
    };
    b.splice(at..at, line.iter().copied());
    "mbox-line".into()
}

fn huge_numbers(b: &mut Vec<u8>, rng: &mut Rng) -> String {
    let digits: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_digit()).collect();
    if digits.is_empty() {
        return "numbers(none)".into();
    }
    let at = digits[rng.below(digits.len())];
    let end = (at..b.len()).find(|&i| !b[i].is_ascii_digit()).unwrap_or(b.len());
    let v: &[u8] = [&b"99999999999999999999999"[..], b"-1", b"0", b"18446744073709551616", b"1e309", b"NaN"][rng.below(6)];
    b.splice(at..end, v.iter().copied());
    "huge-number".into()
}

fn hostile_header_value(b: &mut Vec<u8>, rng: &mut Rng) -> String {
    let header_end = find(b, b"\n\n").unwrap_or(b.len());
    let Some((s, l)) = lines(&b[..header_end]).into_iter().filter(|(_, l)| l.contains(&b':')).map(|(s, l)| (s, l.to_vec())).nth(rng.below(20))
    else {
        return "hostile-value(none)".into();
    };
    let colon = l.iter().position(|&c| c == b':').unwrap_or(0);
    let values: [&[u8]; 8] = [
        b" =?utf-8?B?////?=",
        b" =?x-unknown?Q?=FF=FE?=",
        b" =?utf-8?Q?",
        b" \"unterminated",
        b" <<<<<<>>>>",
        b" rfc822; ",
        b" multipart/report; boundary=",
        b"",
    ];
    let v = values[rng.below(values.len())];
    b.splice(s + colon + 1..s + l.len(), v.iter().copied());
    "hostile-value".into()
}
