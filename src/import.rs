//! The importer: detect → parse → classify → store, one transaction per file,
//! with progress and cancel. Parsers never touch the store; this sink does.

use crate::classify;
use crate::error::{Error, Result};
use crate::ingest::{self, Detection, Input, ReadOptions, Sink};
use crate::model::{CampaignRef, Event};
use crate::store::{ImportTx, NewImport, ProblemRow, Store};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// What the user sees while a file imports.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub file: String,
    pub file_index: usize,
    pub file_count: usize,
    pub done_bytes: u64,
    pub total_bytes: u64,
    pub events: i64,
    pub elapsed_ms: u64,
}

/// The result of one file: stored, refused, or cancelled (and so rolled back).
#[derive(Debug, Clone, Serialize)]
pub struct FileOutcome {
    pub file: String,
    pub import_id: Option<i64>,
    pub detection: Option<Detection>,
    pub events_seen: i64,
    pub events_added: i64,
    pub problems: Vec<ProblemRow>,
    /// Why nothing was stored for this file, for the user.
    pub error: Option<String>,
    pub error_code: Option<String>,
}

/// Lets another thread stop an import; the current file is rolled back.
#[derive(Debug, Default)]
pub struct CancelFlag(AtomicBool);

impl CancelFlag {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst)
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
    pub fn reset(&self) {
        self.0.store(false, Ordering::SeqCst)
    }
}

/// Problems kept per file in the outcome (all are stored in the database).
const PROBLEMS_SHOWN: usize = 200;

/// Imports every file under `paths`. A file that fails is reported in its outcome
/// and the others still import; a cancel stops after rolling back the current file.
pub fn import_paths(
    store: &mut Store,
    paths: &[PathBuf],
    opts: &ReadOptions,
    cancel: &CancelFlag,
    on_progress: &mut dyn FnMut(&Progress),
) -> Vec<FileOutcome> {
    let files = ingest::expand_paths(paths);
    let count = files.len();
    let mut outcomes = Vec::with_capacity(count);
    for (i, f) in files.into_iter().enumerate() {
        let outcome = match f {
            Ok(path) => import_file(store, &path, opts, cancel, &mut |p| {
                on_progress(&Progress { file_index: i, file_count: count, ..p.clone() })
            }),
            Err(e) => failed(String::new(), None, &e),
        };
        let stop = outcome.error_code.as_deref() == Some("cancelled");
        outcomes.push(outcome);
        if stop {
            break;
        }
    }
    outcomes
}

/// Imports one file in one transaction.
pub fn import_file(
    store: &mut Store,
    path: &Path,
    opts: &ReadOptions,
    cancel: &CancelFlag,
    on_progress: &mut dyn FnMut(&Progress),
) -> FileOutcome {
    let name = path.display().to_string();
    let input = match open_hashed(path) {
        Ok(i) => i,
        Err(e) => return failed(name, None, &e),
    };
    let Some(det) = ingest::detect(&name, &input.0.head, opts) else {
        let e = Error::UnknownFormat { path: name.clone(), detail: describe_head(&input.0.head) };
        return failed(name, None, &e);
    };
    match store_file(store, path, &det, input, opts, cancel, on_progress) {
        Ok((id, seen, added, problems)) => FileOutcome {
            file: name,
            import_id: Some(id),
            detection: Some(det),
            events_seen: seen,
            events_added: added,
            problems,
            error: None,
            error_code: None,
        },
        Err(e) => failed(name, Some(det), &e),
    }
}

type Stored = (i64, i64, i64, Vec<ProblemRow>);

fn store_file(
    store: &mut Store,
    path: &Path,
    det: &Detection,
    (input, hasher): (Input<'static>, HashHandle),
    opts: &ReadOptions,
    cancel: &CancelFlag,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<Stored> {
    let meta = NewImport {
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        file_path: path.display().to_string(),
        size_bytes: input.size.unwrap_or(0),
        sha256: String::new(),
        format: det.format.clone(),
        provider: det.provider.clone(),
        detect_reason: Some(det.why.clone()),
    };
    let total = input.size.unwrap_or(0);
    let tx = store.begin_import(&meta)?;
    let mut sink = StoreSink {
        tx,
        problems: Vec::new(),
        cancel,
        on_progress,
        file: meta.file_path.clone(),
        total,
        started: Instant::now(),
    };
    ingest::read(det, input, opts, &mut sink)?;
    if cancel.is_cancelled() {
        return Err(Error::Cancelled);
    }
    let (seen, added, _) = sink.tx.counts();
    let problems = sink.problems;
    sink.tx.set_sha256(&hasher.finish())?;
    let id = sink.tx.commit()?;
    Ok((id, seen, added, problems))
}

struct StoreSink<'s, 'p> {
    tx: ImportTx<'s>,
    problems: Vec<ProblemRow>,
    cancel: &'p CancelFlag,
    on_progress: &'p mut dyn FnMut(&Progress),
    file: String,
    total: u64,
    started: Instant,
}

impl Sink for StoreSink<'_, '_> {
    fn event(&mut self, mut ev: Event) -> Result<()> {
        classify::classify(&mut ev);
        let fp = ev.fingerprint(ev.provider_event_id.as_deref());
        self.tx.add_event(&ev, &fp)?;
        Ok(())
    }

    fn problem(&mut self, source: &str, locator: &str, message: &str) -> Result<()> {
        let where_ = if source.is_empty() || source == self.file { locator.to_string() } else { format!("{source}{locator}") };
        if self.problems.len() < PROBLEMS_SHOWN {
            self.problems.push(ProblemRow { locator: where_.clone(), message: message.to_string() });
        }
        self.tx.add_problem(&where_, message)
    }

    fn campaign_counts(&mut self, c: &CampaignRef, sent: Option<i64>, delivered: Option<i64>) -> Result<()> {
        self.tx.set_campaign_counts(c, sent, delivered, &self.file)
    }

    fn progress(&mut self, done_bytes: u64) -> Result<()> {
        if self.cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let (_, added, _) = self.tx.counts();
        (self.on_progress)(&Progress {
            file: self.file.clone(),
            file_index: 0,
            file_count: 1,
            done_bytes,
            total_bytes: self.total,
            events: added,
            elapsed_ms: self.started.elapsed().as_millis() as u64,
        });
        Ok(())
    }
}

fn failed(file: String, detection: Option<Detection>, e: &Error) -> FileOutcome {
    FileOutcome {
        file,
        import_id: None,
        detection,
        events_seen: 0,
        events_added: 0,
        problems: Vec::new(),
        error: Some(e.to_string()),
        error_code: Some(e.code().to_string()),
    }
}

/// A short, safe description of unrecognized content for the error message.
fn describe_head(head: &[u8]) -> String {
    if head.is_empty() {
        return "the file is empty".into();
    }
    let binary = head.iter().take(512).filter(|b| **b == 0).count() > 0;
    if binary {
        return "it looks like a binary file".into();
    }
    let first: String = String::from_utf8_lossy(&head[..head.len().min(60)])
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    format!("it starts with \"{first}\"")
}

/// The sha256 of everything read through an [`open_hashed`] input.
struct HashHandle(std::sync::Arc<std::sync::Mutex<Sha256>>);

impl HashHandle {
    fn finish(self) -> String {
        let h = std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()));
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

struct HashingReader<R> {
    inner: R,
    hasher: std::sync::Arc<std::sync::Mutex<Sha256>>,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut h) = self.hasher.lock() {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// Opens a file so that reading it also computes its sha256: one pass over a 1 GB mbox, not two.
fn open_hashed(path: &Path) -> Result<(Input<'static>, HashHandle)> {
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if meta.is_dir() {
        return Err(Error::BadInput { path: path.display().to_string(), message: "is a folder".into() });
    }
    let f = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let hasher = std::sync::Arc::new(std::sync::Mutex::new(Sha256::new()));
    let reader = HashingReader { inner: f, hasher: hasher.clone() };
    let input = Input::new(path.display().to_string(), Some(meta.len()), reader).map_err(|e| Error::read(path, e))?;
    Ok((input, HashHandle(hasher)))
}
