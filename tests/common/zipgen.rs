//! Hand-built zip files for hostile tests: stored entries with any name (`../`),
//! and deflate bombs (small file, huge expansion) written bit by bit, so no big
//! file is committed and no compressor crate is needed.
#![allow(dead_code)]

pub fn crc32(data: &[u8]) -> u32 {
    crc32_update(0xFFFF_FFFF, data) ^ 0xFFFF_FFFF
}

fn crc_table() -> [u32; 256] {
    let mut t = [0u32; 256];
    for (i, slot) in t.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
        *slot = c;
    }
    t
}

fn crc32_update(mut crc: u32, data: &[u8]) -> u32 {
    let t = crc_table();
    for &b in data {
        crc = t[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    crc
}

/// CRC-32 of `n` zero bytes without allocating them.
pub fn crc32_zeros(n: u64) -> u32 {
    let t = crc_table();
    let mut crc = 0xFFFF_FFFFu32;
    for _ in 0..n {
        crc = t[(crc & 0xFF) as usize] ^ (crc >> 8);
    }
    crc ^ 0xFFFF_FFFF
}

struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, bits: u32) {
        self.acc |= (value as u64) << self.n;
        self.n += bits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// Huffman codes go most significant bit first.
    fn put_code(&mut self, code: u32, bits: u32) {
        let mut rev = 0;
        for i in 0..bits {
            rev |= ((code >> i) & 1) << (bits - 1 - i);
        }
        self.put(rev, bits);
    }
    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A raw deflate stream that expands to `1 + 258 * matches` zero bytes
/// (fixed Huffman: one literal, then back-references of length 258, distance 1).
pub fn deflate_zeros(matches: u64) -> (Vec<u8>, u64) {
    let mut b = Bits { out: Vec::new(), acc: 0, n: 0 };
    b.put(1, 1); // BFINAL
    b.put(1, 2); // BTYPE = fixed Huffman
    b.put_code(0x30, 8); // literal 0
    for _ in 0..matches {
        b.put_code(0xC0 + (285 - 280), 8); // length 258
        b.put_code(0, 5); // distance 1
    }
    b.put_code(0, 7); // end of block
    (b.finish(), 1 + 258 * matches)
}

/// A raw deflate stream of `prefix` (a stored block) followed by `1 + 258 *
/// matches` zeros in a dynamic-Huffman block whose length-258 and distance-1
/// codes are one bit each: about 1,000:1, the most deflate allows.
pub fn deflate_bomb(prefix: &[u8], matches: u64) -> (Vec<u8>, u64) {
    let mut b = Bits { out: Vec::new(), acc: 0, n: 0 };
    if !prefix.is_empty() {
        b.put(0, 1); // not final
        b.put(0, 2); // stored
        let n = b.n;
        if n > 0 {
            b.put(0, 8 - n); // align to a byte
        }
        let len = prefix.len().min(65_535) as u32;
        b.put(len, 16);
        b.put(!len & 0xFFFF, 16);
        for &c in &prefix[..len as usize] {
            b.put(c as u32, 8);
        }
    }
    b.put(1, 1); // final
    b.put(2, 2); // dynamic Huffman
    b.put(286 - 257, 5); // HLIT: 286 codes, 0..=285
    b.put(0, 5); // HDIST: one distance code
    b.put(18 - 4, 4); // HCLEN: 18 code-length codes, up to symbol 1 in the permuted order
    // Code-length code lengths in the order 16,17,18,0,8,7,9,6,10,5,11,4,12,3,13,2,14,1: 18→1 bit, 2→2, 1→2.
    for len in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
        b.put(len, 3);
    }
    // Canonical code-length codes: 18 = 0, 1 = 10, 2 = 11.
    let (cl1, cl2, cl18) = ((0b10, 2), (0b11, 2), (0b0, 1));
    let zeros = |b: &mut Bits, mut n: u32| {
        while n > 0 {
            let k = n.min(138);
            b.put_code(cl18.0, cl18.1);
            b.put(k - 11, 7);
            n -= k;
        }
    };
    b.put_code(cl2.0, cl2.1); // literal 0: 2 bits
    zeros(&mut b, 255); // literals 1..=255 unused
    b.put_code(cl2.0, cl2.1); // 256 end of block: 2 bits
    zeros(&mut b, 28); // 257..=284 unused
    b.put_code(cl1.0, cl1.1); // 285 (length 258): 1 bit
    b.put_code(cl1.0, cl1.1); // distance code 0 (distance 1): 1 bit
    // Canonical literal/length codes: 285 = 0, literal 0 = 10, end = 11; distance 0 = 0.
    b.put_code(0b10, 2);
    for _ in 0..matches {
        b.put_code(0, 1);
        b.put_code(0, 1);
    }
    b.put_code(0b11, 2);
    (b.finish(), prefix.len() as u64 + 1 + 258 * matches)
}

/// CRC-32 of `prefix` followed by `zeros` zero bytes.
pub fn crc32_prefix_zeros(prefix: &[u8], zeros: u64) -> u32 {
    let t = crc_table();
    let mut crc = crc32_update(0xFFFF_FFFF, prefix);
    for _ in 0..zeros {
        crc = t[(crc & 0xFF) as usize] ^ (crc >> 8);
    }
    crc ^ 0xFFFF_FFFF
}

/// One central-directory entry; several may point at the same local data.
pub struct Entry {
    pub name: String,
    pub method: u16,
    pub crc: u32,
    pub compressed: u64,
    pub declared_size: u64,
    pub offset: u64,
}

/// A zip of stored (uncompressed) entries with exactly these names.
pub fn stored_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut entries = Vec::new();
    for (name, data) in files {
        let e = local(&mut out, name, 0, crc32(data), data, data.len() as u64);
        entries.push(e);
    }
    finish(out, &entries)
}

/// Writes a local header and its data; returns the entry for the central directory.
pub fn local(out: &mut Vec<u8>, name: &str, method: u16, crc: u32, data: &[u8], declared_size: u64) -> Entry {
    let offset = out.len() as u64;
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    out.extend_from_slice(&20u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&method.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0x21u16.to_le_bytes());
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&(declared_size.min(u32::MAX as u64) as u32).to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(data);
    Entry { name: name.to_string(), method, crc, compressed: data.len() as u64, declared_size, offset }
}

/// Appends the central directory and its end record.
pub fn finish(mut out: Vec<u8>, entries: &[Entry]) -> Vec<u8> {
    let cd_start = out.len() as u64;
    for e in entries {
        out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&e.method.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&0x21u16.to_le_bytes());
        out.extend_from_slice(&e.crc.to_le_bytes());
        out.extend_from_slice(&(e.compressed as u32).to_le_bytes());
        out.extend_from_slice(&(e.declared_size.min(u32::MAX as u64) as u32).to_le_bytes());
        out.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0u8; 12]); // extra len, comment len, disk, internal attr, external attr
        out.extend_from_slice(&(e.offset as u32).to_le_bytes());
        out.extend_from_slice(e.name.as_bytes());
    }
    let cd_len = out.len() as u64 - cd_start;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0u8; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(cd_len as u32).to_le_bytes());
    out.extend_from_slice(&(cd_start as u32).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A zip whose `entries` central-directory records all share one deflated
/// kernel of `kernel_bytes` zeros: tiny on disk, `entries * kernel_bytes` expanded.
/// `declared` overrides the uncompressed size written in the headers (a lie).
/// Each entry starts like an mbox, so a reader must look past its head.
pub fn zip_bomb(entries: usize, kernel_bytes: u64, declared: Option<u64>) -> Vec<u8> {
    let prefix = b"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\nSubject: Undelivered Mail\n\n";
    let (data, real) = deflate_bomb(prefix, kernel_bytes.saturating_sub(1 + prefix.len() as u64) / 258);
    let crc = crc32_prefix_zeros(prefix, real - prefix.len() as u64);
    let mut out = Vec::new();
    let first = local(&mut out, "bomb-0.mbox", 8, crc, &data, declared.unwrap_or(real));
    let mut list = vec![first];
    for i in 1..entries {
        let e = &list[0];
        list.push(Entry {
            name: format!("bomb-{i}.mbox"),
            method: 8,
            crc,
            compressed: e.compressed,
            declared_size: e.declared_size,
            offset: e.offset,
        });
    }
    finish(out, &list)
}

/// Wraps a raw deflate stream as gzip, so `gzip -dc` can check it.
pub fn gzip_wrap(deflate: &[u8], crc: u32, len: u64) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    out.extend_from_slice(deflate);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&(len as u32).to_le_bytes());
    out
}
