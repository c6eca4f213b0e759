//! Output that never half-exists and never replaces the input: each file is
//! written to a temporary file in the destination folder and renamed into place
//! only when complete; cells Rebound writes itself cannot start a formula.

use crate::error::{Error, Result};
use std::borrow::Cow;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written. Dropped without [`AtomicFile::commit`], it leaves nothing behind.
pub struct AtomicFile {
    dest: PathBuf,
    tmp: PathBuf,
    w: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(dest: &Path) -> Result<AtomicFile> {
        let dir = dest.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
        let mut attempt = 0u32;
        loop {
            let tmp = dir.join(format!(".{name}.rebound-{}-{attempt}.tmp", std::process::id()));
            match OpenOptions::new().write(true).create_new(true).open(&tmp) {
                Ok(f) => return Ok(AtomicFile { dest: dest.to_path_buf(), tmp, w: Some(BufWriter::with_capacity(256 * 1024, f)) }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
                Err(e) => return Err(Error::write(dest, e)),
            }
        }
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        match self.w.as_mut() {
            Some(w) => w.write_all(bytes).map_err(|e| Error::write(&self.dest, e)),
            None => Ok(()),
        }
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<()> {
        let Some(w) = self.w.take() else { return Ok(()) };
        let f = w.into_inner().map_err(|e| Error::write(&self.dest, e.into_error()))?;
        f.sync_all().map_err(|e| Error::write(&self.dest, e))?;
        drop(f);
        std::fs::rename(&self.tmp, &self.dest).map_err(|e| Error::write(&self.dest, e))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.w.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Refuses an output that is the input (or another output) under any spelling of its path.
pub fn check_outputs(input: &Path, outputs: &[&Path]) -> Result<()> {
    let inp = canonical(input);
    for (i, out) in outputs.iter().enumerate() {
        let o = canonical(out);
        if o == inp || same_inode(input, out) {
            return Err(Error::Invalid(format!(
                "{} is the list being cleaned; Rebound never overwrites it. Choose another output file.",
                out.display()
            )));
        }
        if outputs.iter().take(i).any(|p| canonical(p) == o) {
            return Err(Error::Invalid(format!("{} is given for two different outputs; choose a separate file for each.", out.display())));
        }
        if out.is_dir() {
            return Err(Error::Invalid(format!("{} is a folder; give a file name for the output.", out.display())));
        }
    }
    Ok(())
}

/// A hard link to the input is the input too.
#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_a: &Path, _b: &Path) -> bool {
    false
}

fn canonical(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    // Not there yet: its folder is, and the name decides.
    let parent = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match (parent.canonicalize(), p.file_name()) {
        (Ok(d), Some(n)) => d.join(n),
        _ => p.to_path_buf(),
    }
}

/// Prefixes a cell that a spreadsheet would run as a formula with `'`.
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// One cell Rebound writes: neutralized, then quoted when the delimiter, a quote or a line break needs it.
pub fn cell(text: &str, delimiter: u8) -> String {
    let t = neutralize(text);
    let needs = t.bytes().any(|b| b == delimiter || b == b'"' || b == b'\r' || b == b'\n') || t.starts_with(' ') || t.ends_with(' ');
    if needs {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralized_and_cells_quoted() {
        assert_eq!(cell("=HYPERLINK(\"http://x\")", b','), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(cell("+1", b','), "'+1");
        assert_eq!(cell("-2", b','), "'-2");
        assert_eq!(cell("@SUM(A1)", b','), "'@SUM(A1)");
        assert_eq!(cell("\tx", b','), "'\tx");
        assert_eq!(cell("a;b", b';'), "\"a;b\"");
        assert_eq!(cell("a;b", b','), "a;b");
        assert_eq!(cell("plain", b','), "plain");
    }

    #[test]
    fn a_dropped_file_leaves_nothing_and_a_committed_one_appears_whole() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.csv");
        {
            let mut f = AtomicFile::create(&dest).unwrap();
            f.write_all(b"half").unwrap();
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"whole").unwrap();
        assert!(!dest.exists());
        f.commit().unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"whole");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_input_is_never_an_output() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("list.csv");
        std::fs::write(&input, "email\n").unwrap();
        let same = dir.path().join(".").join("list.csv");
        assert!(check_outputs(&input, &[&same]).is_err());
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::fs::hard_link(&input, &link).unwrap();
            assert!(check_outputs(&input, &[&link]).is_err());
        }
        let other = dir.path().join("list.cleaned.csv");
        assert!(check_outputs(&input, &[&other]).is_ok());
        assert!(check_outputs(&input, &[&other, &other]).is_err());
    }
}
