//! Parses mbox messages on worker threads while the reading thread splits the
//! file; events still reach the sink on the reading thread, in file order.
//! Messages travel in batches (one channel hand-over and wake-up per batch, not
//! per 4 KB message: per-message hand-overs cost ~5% in futex calls), and the
//! workers also classify, so the reading thread only splits and delivers.
//! Channels are bounded, so memory stays bounded whatever the mbox size.

use super::message;
use crate::error::{Error, Result};
use crate::ingest::Sink;
use crate::model::{Event, Source};
use std::collections::BTreeMap;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

type Job = (u64, Vec<(Source, Vec<u8>)>);
type Parsed = Vec<(Source, Option<Vec<Event>>)>;
type Done = (u64, Parsed);

/// Batches in flight per direction.
const QUEUE: usize = 16;
/// A batch is handed over once it holds this many bytes or messages.
const BATCH_BYTES: usize = 256 * 1024;
const BATCH_MSGS: usize = 64;

pub(crate) struct Pool {
    jobs: Option<SyncSender<Job>>,
    results: Receiver<Done>,
    pending: BTreeMap<u64, Parsed>,
    batch: Vec<(Source, Vec<u8>)>,
    batch_bytes: usize,
    sent: u64,
    next: u64,
}

/// How many parsing threads pay off here (none on a single core).
pub(crate) fn workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(4)
}

/// Parses and classifies one message (on a worker thread).
fn parse(src: &Source, raw: &[u8]) -> Option<Vec<Event>> {
    let mut events = message::analyze(raw, src)?;
    events.iter_mut().for_each(crate::classify::classify);
    Some(events)
}

impl Pool {
    /// Starts `n` workers inside `scope`; they stop when the pool is finished or dropped.
    pub(crate) fn start<'scope>(scope: &'scope std::thread::Scope<'scope, '_>, n: usize) -> Pool {
        let (job_tx, job_rx) = sync_channel::<Job>(QUEUE);
        let (res_tx, res_rx) = sync_channel::<Done>(QUEUE);
        let job_rx = Arc::new(Mutex::new(job_rx));
        for _ in 0..n {
            let rx = Arc::clone(&job_rx);
            let tx = res_tx.clone();
            scope.spawn(move || loop {
                let job = match rx.lock() {
                    Ok(r) => r.recv(),
                    Err(_) => return,
                };
                let Ok((seq, batch)) = job else { return };
                let parsed = batch
                    .into_iter()
                    .map(|(src, raw)| {
                        let events = parse(&src, &raw);
                        (src, events)
                    })
                    .collect();
                if tx.send((seq, parsed)).is_err() {
                    return;
                }
            });
        }
        Pool {
            jobs: Some(job_tx),
            results: res_rx,
            pending: BTreeMap::new(),
            batch: Vec::new(),
            batch_bytes: 0,
            sent: 0,
            next: 0,
        }
    }

    /// Queues one message; a full batch goes to the workers.
    pub(crate) fn submit(&mut self, src: Source, raw: Vec<u8>, sink: &mut dyn Sink) -> Result<()> {
        self.batch_bytes += raw.len();
        self.batch.push((src, raw));
        if self.batch_bytes >= BATCH_BYTES || self.batch.len() >= BATCH_MSGS {
            self.send_batch(sink)?;
        }
        Ok(())
    }

    fn send_batch(&mut self, sink: &mut dyn Sink) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        self.batch_bytes = 0;
        let mut job = (self.sent, std::mem::take(&mut self.batch));
        loop {
            let Some(tx) = &self.jobs else {
                return Err(Error::Invalid("parser pool already finished".into()));
            };
            match tx.try_send(job) {
                Ok(()) => break,
                Err(TrySendError::Full(j)) => {
                    job = j;
                    self.wait_one(sink)?;
                }
                Err(TrySendError::Disconnected(_)) => {
                    return Err(Error::Invalid("parser threads stopped".into()))
                }
            }
        }
        self.sent += 1;
        while let Ok((seq, parsed)) = self.results.try_recv() {
            self.pending.insert(seq, parsed);
        }
        self.deliver(sink)
    }

    fn wait_one(&mut self, sink: &mut dyn Sink) -> Result<()> {
        match self.results.recv() {
            Ok((seq, parsed)) => {
                self.pending.insert(seq, parsed);
                self.deliver(sink)
            }
            Err(_) => Err(Error::Invalid("parser threads stopped".into())),
        }
    }

    fn deliver(&mut self, sink: &mut dyn Sink) -> Result<()> {
        while let Some(parsed) = self.pending.remove(&self.next) {
            self.next += 1;
            for (src, events) in parsed {
                match events {
                    Some(evs) => evs.into_iter().try_for_each(|e| sink.event(e))?,
                    None => sink.problem(&src.file, &src.locator, super::NOT_MAIL)?,
                }
            }
        }
        Ok(())
    }

    /// Waits for every submitted message and hands its events over.
    pub(crate) fn finish(mut self, sink: &mut dyn Sink) -> Result<()> {
        self.send_batch(sink)?;
        self.jobs = None;
        while self.next < self.sent {
            self.wait_one(sink)?;
        }
        Ok(())
    }
}

impl Drop for Pool {
    /// On an early return (cancel, sink error) let the workers run dry so the
    /// thread scope can end: close the job queue and drain the results.
    fn drop(&mut self) {
        self.jobs = None;
        while self.results.recv().is_ok() {}
    }
}
