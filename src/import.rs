//! The importer: detect → parse → classify → store, one transaction per file,
//! with progress and cancel. Parsers never touch the store; this sink does.

use crate::classify;
use crate::error::{Error, Result};
use crate::ingest::{self, Detection, Input, ReadOptions, Sink};
use crate::model::{CampaignRef, Event};
use crate::report::ImportCounts;
use crate::store::{ImportTx, NewImport, Prepared, ProblemRow, Store};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
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
    /// Bad rows or messages (row number and cause); the rest of the file imported.
    pub problems: Vec<ProblemRow>,
    /// What the reader assumed about the whole file (zone of zone-less times,
    /// day/month order): shown to the user, not counted as problems.
    pub notes: Vec<String>,
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
    let cache = ImportCache::set(store);
    let mut outcomes = Vec::with_capacity(count);
    for (i, f) in files.into_iter().enumerate() {
        let outcome = match f {
            Ok(path) => import_file(store, &path, opts, cancel, &mut |p| {
                on_progress(&Progress {
                    file_index: i,
                    file_count: count,
                    ..p.clone()
                })
            }),
            Err(e) => failed(String::new(), None, &e),
        };
        let stop = outcome.error_code.as_deref() == Some("cancelled");
        outcomes.push(outcome);
        if stop {
            break;
        }
    }
    // Count the new events into the report tables now, while the user expects to wait,
    // rather than on the first dashboard load. Failing here only makes that load slower.
    let t = Instant::now();
    let _ = crate::report::sync_aggregates(store.conn());
    trace("sync_aggregates", t);
    cache.restore(store);
    outcomes
}

/// Page cache while importing and counting, in KiB: half the connection's 128 MB. A
/// 1M-row import then peaks at ~150 MB RSS instead of ~220 MB (issue 10: under 200 MB)
/// for a few % more writer time; the reports get the bigger cache back afterwards.
/// Benchmark knob: REBOUND_IMPORT_CACHE_KB.
const IMPORT_CACHE_KB: i64 = 65_536;

/// The connection's own cache size, given back by `restore` (a failed pragma only
/// changes speed, never what is stored, so errors are ignored).
struct ImportCache(Option<i64>);

impl ImportCache {
    fn set(store: &Store) -> Self {
        let kb = std::env::var("REBOUND_IMPORT_CACHE_KB")
            .ok()
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|k| *k >= 2048)
            .unwrap_or(IMPORT_CACHE_KB);
        let before: Option<i64> = store
            .conn()
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .ok();
        if before.is_some() {
            let _ = store
                .conn()
                .execute_batch(&format!("PRAGMA cache_size = -{kb}"));
        }
        ImportCache(before)
    }

    fn restore(self, store: &Store) {
        if let Some(n) = self.0 {
            let _ = store
                .conn()
                .execute_batch(&format!("PRAGMA cache_size = {n}"));
        }
    }
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
    let head = match read_head(path) {
        Ok(h) => h,
        Err(e) => return failed(name, None, &e),
    };
    // A column mapping the user confirmed earlier for this header layout applies again.
    let opts = &match crate::store::mappings::options_with_remembered(store, &head, opts) {
        Ok(o) => o,
        Err(e) => return failed(name, None, &e),
    };
    let Some(det) = ingest::detect(&name, &head, opts) else {
        let e = Error::UnknownFormat {
            path: name.clone(),
            detail: describe_head(&head),
        };
        return failed(name, None, &e);
    };
    match store_file(store, path, &det, opts, cancel, on_progress) {
        Ok((id, seen, added, (problems, notes))) => {
            if det.format == "generic-csv" {
                // Losing the remembered mapping only means asking again next time: not an import failure.
                let _ = crate::store::mappings::remember_user_mapping(store, &head, opts);
            }
            FileOutcome {
                file: name,
                import_id: Some(id),
                detection: Some(det),
                events_seen: seen,
                events_added: added,
                problems,
                notes,
                error: None,
                error_code: None,
            }
        }
        Err(e) => failed(name, Some(det), &e),
    }
}

/// Removes an import and its events, keeping the report's pre-counted tables exact.
/// Returns false when there is no such import.
pub fn remove_import(store: &mut Store, import_id: i64) -> Result<bool> {
    store.remove_import(import_id)
}

type Stored = (i64, i64, i64, (Vec<ProblemRow>, Vec<String>));

/// What the parser thread hands the writer, in file order.
enum Msg {
    Events(Batch),
    Problem {
        source: String,
        locator: String,
        message: String,
    },
    Note {
        source: String,
        message: String,
    },
    Counts {
        campaign: CampaignRef,
        sent: Option<i64>,
        delivered: Option<i64>,
    },
    Progress(u64),
    /// Report-table counts of stored events, written out to bound the parser's memory.
    ReportCounts(Box<ImportCounts>),
    /// The file is read to the end; carries its sha256.
    Done(String),
}

/// Events per message on the channel, and messages in flight: bounds memory
/// (a few thousand events) while keeping the writer busy.
const BATCH: usize = 512;
const IN_FLIGHT: usize = 16;

/// Two threads: this one writes to SQLite (the only writer), a scoped one reads,
/// parses, classifies and fingerprints. Either side stopping stops the other;
/// anything but a clean end of file drops the transaction, so nothing is kept.
fn store_file(
    store: &mut Store,
    path: &Path,
    det: &Detection,
    opts: &ReadOptions,
    cancel: &CancelFlag,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<Stored> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::read(path, e))?
        .len();
    let meta = NewImport {
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        file_path: path.display().to_string(),
        size_bytes: size,
        sha256: String::new(),
        format: det.format.clone(),
        provider: det.provider.clone(),
        detect_reason: Some(det.why.clone()),
    };
    run_pipeline(store, &meta, cancel, on_progress, |sink| {
        let (input, hasher) = open_hashed(path)?;
        ingest::read(det, input, opts, sink)?;
        Ok(hasher.finish())
    })
}

/// The two threads of [`store_file`]; `read` runs on the parser thread, feeds the
/// sink and returns the file's sha256.
fn run_pipeline<F>(
    store: &mut Store,
    meta: &NewImport,
    cancel: &CancelFlag,
    on_progress: &mut dyn FnMut(&Progress),
    read: F,
) -> Result<Stored>
where
    F: FnOnce(&mut dyn Sink) -> Result<String> + Send,
{
    let t = Instant::now();
    let mut tx = store.begin_import(meta)?;
    let (send, recv) = std::sync::mpsc::sync_channel::<Msg>(IN_FLIGHT);
    // Stored batches go back to the parser, which counts their events into the report
    // tables' counts, frees them and reuses the vector: counting there takes it off the
    // writer (the bottleneck), and freeing on the writer (memory allocated on another
    // thread) cost it ~10%. Unbounded, so the writer never waits on it; the parser
    // drains it at every batch it sends, so it holds a few batches at most.
    let (give_back, spent) = std::sync::mpsc::channel::<Batch>();
    std::thread::scope(|scope| {
        let parser = scope.spawn(move || {
            let mut sink = ChannelSink {
                send,
                batch: Vec::with_capacity(BATCH),
                spent,
                counts: ImportCounts::default(),
                cancel,
            };
            let sha = read(&mut sink)?;
            sink.flush()?;
            sink.send(Msg::Done(sha))?;
            // The writer returns the last batches, then hangs up.
            while let Ok(batch) = sink.spent.recv() {
                sink.count(&batch);
            }
            Ok(sink.counts)
        });
        let mut w = Writer {
            tx: &mut tx,
            give_back: Some(give_back),
            problems: Vec::new(),
            notes: Vec::new(),
            file: &meta.file_path,
            total: meta.size_bytes,
            started: Instant::now(),
            on_progress,
        };
        let written = w.run(&recv, cancel);
        trace("parse + insert", t);
        let problems = (std::mem::take(&mut w.problems), std::mem::take(&mut w.notes));
        // The parser counts what came back until this hangs up.
        drop(w.give_back.take());
        // Unblocks a parser waiting on a full channel when the writer stopped early.
        drop(recv);
        let parsed = parser.join().unwrap_or_else(|_| {
            Err(Error::Invalid(
                "the file reader stopped unexpectedly".into(),
            ))
        });
        // A writer error explains a parser that saw its channel close, so it wins.
        let (sha, counts) = match (written, parsed) {
            (Err(e), _) | (Ok(None), Err(e)) => return Err(e),
            (Ok(Some(sha)), Ok(counts)) => (sha, counts),
            (Ok(Some(_)), Err(e)) => return Err(e),
            (Ok(None), Ok(_)) => return Err(Error::Cancelled),
        };
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        Ok((sha, problems, counts))
    })
    .and_then(|(sha, problems, counts)| {
        let (seen, added, _) = tx.counts();
        tx.set_sha256(&sha)?;
        let t = Instant::now();
        tx.finish_counts(counts)?;
        trace("report counts", t);
        tx.finish_writes()?;
        // The rebuild can take seconds: a cancel meanwhile still means "nothing of this file".
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let id = tx.commit()?;
        trace("commit", t);
        Ok((id, seen, added, problems))
    })
}

/// Events with what the writer needs of them computed on the parser thread.
type Batch = Vec<(Event, Prepared)>;

struct ChannelSink<'c> {
    send: SyncSender<Msg>,
    batch: Batch,
    spent: Receiver<Batch>,
    /// Report-table counts of the events the writer stored (see `run_pipeline`).
    counts: ImportCounts,
    cancel: &'c CancelFlag,
}

impl ChannelSink<'_> {
    /// A closed channel means the writer stopped (error or cancel): stop reading.
    fn send(&self, m: Msg) -> Result<()> {
        self.send.send(m).map_err(|_| Error::Cancelled)
    }

    fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let mut next = None;
        while let Ok(mut v) = self.spent.try_recv() {
            self.count(&v);
            v.clear();
            next = Some(v);
        }
        if self.counts.is_big() {
            let full = std::mem::take(&mut self.counts);
            self.send(Msg::ReportCounts(Box::new(full)))?;
        }
        let next = next.unwrap_or_else(|| Vec::with_capacity(BATCH));
        let batch = std::mem::replace(&mut self.batch, next);
        self.send(Msg::Events(batch))
    }

    /// Counts the events of a batch the writer stored.
    fn count(&mut self, batch: &Batch) {
        for (ev, p) in batch {
            if let Some(c) = p.counted(ev) {
                self.counts.add(&c);
            }
        }
    }
}

impl Sink for ChannelSink<'_> {
    fn event(&mut self, mut ev: Event) -> Result<()> {
        // The mbox reader's worker threads classify already (rule set).
        if ev.verdict.rule.is_empty() {
            classify::classify(&mut ev);
        }
        let fp = ev.fingerprint(ev.provider_event_id.as_deref());
        let prepared = crate::store::prepare(&ev, &fp)?;
        self.batch.push((ev, prepared));
        if self.batch.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn problem(&mut self, source: &str, locator: &str, message: &str) -> Result<()> {
        // Sinks in between (a zip's entries) pass notes on as problems; they stay notes.
        if message.starts_with("note: ") {
            return self.note(source, message);
        }
        self.flush()?;
        self.send(Msg::Problem {
            source: source.into(),
            locator: locator.into(),
            message: message.into(),
        })
    }

    fn note(&mut self, source: &str, message: &str) -> Result<()> {
        self.flush()?;
        self.send(Msg::Note {
            source: source.into(),
            message: message.into(),
        })
    }

    fn campaign_counts(
        &mut self,
        c: &CampaignRef,
        sent: Option<i64>,
        delivered: Option<i64>,
    ) -> Result<()> {
        self.flush()?;
        self.send(Msg::Counts {
            campaign: c.clone(),
            sent,
            delivered,
        })
    }

    fn progress(&mut self, done_bytes: u64) -> Result<()> {
        if self.cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        self.flush()?;
        self.send(Msg::Progress(done_bytes))
    }
}

/// The writer side, on the caller's thread (it owns the transaction).
struct Writer<'t, 's, 'p> {
    tx: &'t mut ImportTx<'s>,
    give_back: Option<std::sync::mpsc::Sender<Batch>>,
    problems: Vec<ProblemRow>,
    notes: Vec<String>,
    file: &'t str,
    total: u64,
    started: Instant,
    on_progress: &'p mut dyn FnMut(&Progress),
}

impl Writer<'_, '_, '_> {
    /// Stores messages until the parser is done: `Some(sha256)`, or `None` when
    /// the parser ended without finishing (its own result says why).
    fn run(&mut self, recv: &Receiver<Msg>, cancel: &CancelFlag) -> Result<Option<String>> {
        for m in recv.iter() {
            match m {
                Msg::Events(mut batch) => {
                    for (ev, p) in batch.iter_mut() {
                        self.tx.add_prepared(ev, p)?;
                    }
                    // The parser counts it (a parser already gone: error or cancel, dropped here).
                    if let Some(back) = &self.give_back {
                        let _ = back.send(batch);
                    }
                }
                Msg::ReportCounts(counts) => self.tx.write_counts(*counts)?,
                Msg::Problem {
                    source,
                    locator,
                    message,
                } => self.problem(&source, &locator, &message)?,
                Msg::Note { source, message } => self.note(&source, &message)?,
                Msg::Counts {
                    campaign,
                    sent,
                    delivered,
                } => self
                    .tx
                    .set_campaign_counts(&campaign, sent, delivered, self.file)?,
                Msg::Progress(done) => self.progress(done, cancel)?,
                Msg::Done(sha) => return Ok(Some(sha)),
            }
        }
        Ok(None)
    }

    fn problem(&mut self, source: &str, locator: &str, message: &str) -> Result<()> {
        let where_ = if source.is_empty() || source == self.file {
            locator.to_string()
        } else {
            format!("{source}{locator}")
        };
        if self.problems.len() < PROBLEMS_SHOWN {
            self.problems.push(ProblemRow {
                locator: where_.clone(),
                message: message.to_string(),
            });
        }
        self.tx.add_problem(&where_, message)
    }

    fn note(&mut self, source: &str, message: &str) -> Result<()> {
        let where_ = if source.is_empty() || source == self.file {
            String::new()
        } else {
            source.to_string()
        };
        if self.notes.len() < PROBLEMS_SHOWN {
            self.notes.push(if where_.is_empty() {
                message.to_string()
            } else {
                format!("{where_}: {message}")
            });
        }
        self.tx.add_note(&where_, message)
    }

    fn progress(&mut self, done_bytes: u64, cancel: &CancelFlag) -> Result<()> {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let (_, added, _) = self.tx.counts();
        (self.on_progress)(&Progress {
            file: self.file.to_string(),
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

/// `REBOUND_IMPORT_TRACE=1` prints how long the steps of an import took (performance work, issue 10).
fn trace(what: &str, since: Instant) {
    if std::env::var_os("REBOUND_IMPORT_TRACE").is_some() {
        // This thread's CPU time so far (Linux): tells work from waiting on a busy machine.
        let cpu = std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| {
                s.split_whitespace()
                    .next()
                    .and_then(|n| n.parse::<f64>().ok())
            })
            .unwrap_or(0.0);
        eprintln!(
            "  {what}: {:.2} s (writer thread CPU so far {:.2} s)",
            since.elapsed().as_secs_f64(),
            cpu / 1e9
        );
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
        notes: Vec::new(),
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

/// The first bytes detection looks at.
fn read_head(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if meta.is_dir() {
        return Err(Error::BadInput {
            path: path.display().to_string(),
            message: "is a folder".into(),
        });
    }
    let f = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let mut head = Vec::with_capacity(ingest::HEAD_LEN);
    f.take(ingest::HEAD_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::read(path, e))?;
    Ok(head)
}

/// Opens a file so that reading it also computes its sha256: one pass over a 1 GB mbox, not two.
fn open_hashed(path: &Path) -> Result<(Input<'static>, HashHandle)> {
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if meta.is_dir() {
        return Err(Error::BadInput {
            path: path.display().to_string(),
            message: "is a folder".into(),
        });
    }
    let f = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let hasher = std::sync::Arc::new(std::sync::Mutex::new(Sha256::new()));
    let reader = HashingReader {
        inner: f,
        hasher: hasher.clone(),
    };
    let input = Input::new(path.display().to_string(), Some(meta.len()), reader)
        .map_err(|e| Error::read(path, e))?;
    Ok((input, HashHandle(hasher)))
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
