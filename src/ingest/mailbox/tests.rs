use super::*;
use crate::ingest::{self, Input, ReadOptions, Sink};
use crate::model::{Event, Kind};
use std::path::PathBuf;

#[derive(Default)]
struct Collect {
    events: Vec<Event>,
    problems: Vec<String>,
    progress: u64,
}

impl Sink for Collect {
    fn event(&mut self, ev: Event) -> Result<()> {
        self.events.push(ev);
        Ok(())
    }
    fn problem(&mut self, s: &str, l: &str, m: &str) -> Result<()> {
        self.problems.push(format!("{s}{l}: {m}"));
        Ok(())
    }
    fn progress(&mut self, d: u64) -> Result<()> {
        self.progress = d;
        Ok(())
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mail")
        .join(name);
    std::fs::read(p).expect("fixture")
}

fn run(name: &str, bytes: Vec<u8>) -> Collect {
    let input = Input::new(name, Some(bytes.len() as u64), std::io::Cursor::new(bytes)).unwrap();
    let det = ingest::detect(name, &input.head, &ReadOptions::default()).expect("detected");
    let mut sink = Collect::default();
    ingest::read(&det, input, &ReadOptions::default(), &mut sink).unwrap();
    sink
}

#[test]
fn detects_by_content() {
    assert_eq!(
        detect("x", b"From a@b Thu Mar  5 09:00:00 2026\nSubject: x\n")
            .unwrap()
            .format,
        "mbox"
    );
    assert_eq!(
        detect("x.mbox", b"Received: from x\n\tby y\nSubject: z\n\nbody")
            .unwrap()
            .format,
        "eml"
    );
    assert_eq!(detect("x", b"PK\x03\x04rest").unwrap().format, "zip");
    assert!(detect("x", b"22\n").is_none());
    assert!(detect("x", b"").is_none());
    assert!(detect("x", b"From here we go\n").is_none());
}

#[test]
fn mbox_splits_only_on_real_separators() {
    let c = run("two.mbox", fixture("two-messages.mbox"));
    assert_eq!(c.events.len(), 1, "{:?}", c.events);
    assert_eq!(c.events[0].recipient, "gus@example.org");
    assert_eq!(c.events[0].source.locator, "#1");
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert!(c.progress > 0);
}

#[test]
fn mbox_reads_bare_cr_and_crlf_files() {
    let lf = fixture("two-messages.mbox");
    let cr: Vec<u8> = lf
        .iter()
        .map(|&b| if b == b'\n' { b'\r' } else { b })
        .collect();
    let crlf = String::from_utf8(lf.clone())
        .unwrap()
        .replace('\n', "\r\n")
        .into_bytes();
    for bytes in [cr, crlf] {
        let c = run("two.mbox", bytes);
        assert_eq!(c.events.len(), 1);
        assert_eq!(c.events[0].recipient, "gus@example.org");
    }
}

#[test]
fn dsn_fixture_gives_each_recipient_its_outcome() {
    let c = run("dsn.eml", fixture("dsn-two-recipients.eml"));
    let kinds: Vec<(String, Kind)> = c
        .events
        .iter()
        .map(|e| (e.recipient.clone(), e.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("ana@example.com".into(), Kind::Bounce),
            ("bob@example.org".into(), Kind::Deferred),
            ("carla@example.net".into(), Kind::Delivered)
        ]
    );
    let ana = &c.events[0];
    assert_eq!(ana.status.as_deref(), Some("5.1.1"));
    assert_eq!(ana.reply_code, Some(550));
    assert_eq!(
        ana.diagnostic.as_deref(),
        Some("550 5.1.1 <ana@example.com>: Recipient address rejected: User unknown")
    );
    assert_eq!(ana.remote_mta.as_deref(), Some("mx.example.com"));
    assert_eq!(
        ana.occurred_at.unwrap().to_rfc3339(),
        "2026-03-03T09:59:00+00:00"
    );
    assert_eq!(
        c.events[1].occurred_at.unwrap().to_rfc3339(),
        "2026-03-03T09:00:00+00:00"
    );
    assert_eq!(ana.campaign.as_ref().unwrap().key, "spring-2026");
    assert_eq!(
        ana.original.as_ref().unwrap().message_id.as_deref(),
        Some("m1@sender.example")
    );
    assert_eq!(
        ana.sent_at.unwrap().to_rfc3339(),
        "2026-03-02T08:00:00+00:00"
    );
    assert_eq!(ana.provider.as_deref(), Some("postfix"));
}

#[test]
fn text_bounces_arf_and_auto_replies() {
    let exim = run("e.eml", fixture("exim-text.eml"));
    assert_eq!(exim.events.len(), 1);
    assert_eq!(exim.events[0].recipient, "fay@example.com");
    assert_eq!(exim.events[0].status.as_deref(), Some("5.2.2"));
    assert_eq!(exim.events[0].provider.as_deref(), Some("exim"));
    assert!(exim.events[0]
        .diagnostic
        .as_deref()
        .unwrap()
        .contains("mailbox is full"));
    assert_eq!(exim.events[0].remote_mta.as_deref(), Some("mx.example.com"));
    let q = run("q.eml", fixture("qmail-text.eml"));
    assert_eq!(q.events[0].recipient, "gus@example.org");
    assert_eq!(q.events[0].status.as_deref(), Some("5.1.1"));
    assert_eq!(
        q.events[0].campaign.as_ref().unwrap().key,
        "subject:Spring sale"
    );
    let arf = run("a.eml", fixture("arf-abuse.eml"));
    assert_eq!(arf.events.len(), 1);
    assert_eq!(
        (arf.events[0].recipient.as_str(), arf.events[0].kind),
        ("dora@example.net", Kind::Complaint)
    );
    assert_eq!(
        arf.events[0].campaign.as_ref().unwrap().key,
        "list:weekly.sender.example"
    );
    let plain = run("o.eml", fixture("ordinary-rejected-subject.eml"));
    assert!(plain.events.is_empty(), "{:?}", plain.events);
    let auto = run("r.eml", fixture("autoreply-es.eml"));
    assert_eq!(auto.events.len(), 1);
    assert_eq!(auto.events[0].kind, Kind::AutoReply);
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = ::zip::write::SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Stored);
    for (n, b) in entries {
        w.start_file(*n, opts).unwrap();
        std::io::Write::write_all(&mut w, b).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn zip_entries_are_read_like_files_and_nesting_is_bounded() {
    let q = fixture("qmail-text.eml");
    let mbox = fixture("two-messages.mbox");
    let inner = zip_of(&[("in/q.eml", &q)]);
    let deeper = zip_of(&[("deep.zip", &inner)]);
    let z = zip_of(&[
        ("a/q.eml", &q),
        ("b/box.mbox", &mbox),
        ("../evil.eml", &q),
        ("nested.zip", &inner),
        ("deeper.zip", &deeper),
    ]);
    let c = run("x.zip", z);
    let srcs: Vec<String> = c.events.iter().map(|e| e.source.display()).collect();
    assert_eq!(
        srcs,
        vec![
            "x.zip/a/q.eml#1",
            "x.zip/b/box.mbox#1",
            "x.zip/nested.zip/in/q.eml#1"
        ]
    );
    assert!(
        c.problems.iter().any(|p| p.contains("outside the archive")),
        "{:?}",
        c.problems
    );
    assert!(
        c.problems.iter().any(|p| p.contains("one level")),
        "{:?}",
        c.problems
    );
}

#[test]
fn no_panic_on_odd_bytes() {
    let samples: Vec<Vec<u8>> = vec![
        vec![],
        b"\n".to_vec(),
        b"From x 2026\n\xff\xfe\x00".to_vec(),
        b"Subject: \xff\xff\nContent-Type: multipart/report; boundary=\"\"\n\n--\n--\n".to_vec(),
        b"From: a@b.c\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; @x:y\nAction:\n".to_vec(),
        vec![0u8; 300],
    ];
    for s in samples {
        let input = Input::new("odd", None, std::io::Cursor::new(s.clone())).unwrap();
        let opts = ReadOptions {
            format: Some("mbox".into()),
            ..Default::default()
        };
        let det = ingest::detect("odd", &input.head, &opts).unwrap();
        let _ = ingest::read(&det, input, &opts, &mut Collect::default());
        let _ = message::analyze(&s, &crate::model::Source::default());
    }
}

#[test]
fn no_panic_on_truncated_or_flipped_fixtures() {
    let names = [
        "dsn-two-recipients.eml",
        "arf-abuse.eml",
        "exim-text.eml",
        "qmail-text.eml",
        "two-messages.mbox",
    ];
    let mut seed = 0x2545_f491_u64;
    for n in names {
        let f = fixture(n);
        for cut in (0..f.len()).step_by(7) {
            let _ = message::analyze(&f[..cut], &crate::model::Source::default());
        }
        for _ in 0..300 {
            let mut m = f.clone();
            for _ in 0..8 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let i = (seed as usize) % m.len();
                m[i] ^= 1 << (seed % 8);
            }
            let _ = message::analyze(&m, &crate::model::Source::default());
        }
    }
}

#[test]
fn zip_bombs_are_refused_with_a_clear_message() {
    let mut w = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = ::zip::write::SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Deflated);
    w.start_file("zeros.eml", opts).unwrap();
    std::io::Write::write_all(&mut w, &vec![0u8; 8 * 1024 * 1024]).unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let input = Input::new(
        "bomb.zip",
        Some(bytes.len() as u64),
        std::io::Cursor::new(bytes),
    )
    .unwrap();
    let det = ingest::detect("bomb.zip", &input.head, &ReadOptions::default()).unwrap();
    let err = ingest::read(
        &det,
        input,
        &ReadOptions::default(),
        &mut Collect::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("zip bomb"), "{err}");
}

#[test]
fn iso_2022_jp_text_is_decoded() {
    // "ユーザー" between the ESC $ B / ESC ( B shifts, as Domino writes it.
    let raw = b"From: MAILER-DAEMON@example.jp\nTo: a@example.org\nSubject: DELIVERY FAILURE\nContent-Type: text/plain; charset=ISO-2022-JP\n\n\x1b$B%f!<%6!<\x1b(B Neko (kijitora@example.co.jp)\n";
    let mut sink = run("jp.eml", raw.to_vec());
    let ev = sink.events.pop().expect("one event");
    assert!(ev.diagnostic.unwrap_or_default().contains("ユーザー"), "decoded");
}

#[test]
fn dsn_recipient_named_like_a_daemon_gets_the_report_line() {
    // OpenSMTPD: the DSN has no Diagnostic-Code; the text names the recipient,
    // which is a postmaster@ address the generic reader skips as a daemon.
    let raw = b"From: Mailer Daemon <MAILER-DAEMON@df.example.jp>\nTo: k@df.example.jp\nSubject: Delivery status notification: failed\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n    An error has occurred for the following list of recipients:\n\npostmaster@cx.example.org: Domain does not exist\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; df.example.jp\n\nFinal-Recipient: rfc822; postmaster@cx.example.org\nAction: failed\nStatus: 5.0.0\n\n--b--\n";
    let mut sink = run("daemon.eml", raw.to_vec());
    let ev = sink.events.pop().expect("one event");
    assert_eq!(ev.recipient, "postmaster@cx.example.org");
    assert_eq!(ev.diagnostic.as_deref(), Some("Domain does not exist"));
}

/// The splitter works inside the reader's 256 KB buffer and the pool hands
/// messages over in batches: lines that straddle two buffer fills (long padding
/// lines) and hundreds of messages must still come out whole and in file order.
#[test]
fn mbox_keeps_order_and_lines_across_buffer_fills_and_batches() {
    for eol in ["\n", "\r\n"] {
        let mut mbox = String::new();
        for i in 0..300 {
            mbox.push_str("From MAILER-DAEMON Thu Mar  5 09:00:00 2026\nFrom: MAILER-DAEMON@mx.example.org\n");
            mbox.push_str("To: news@sender.example\nSubject: failure notice\n\n");
            mbox.push_str("Hi. This is the qmail-send program at mx.example.org.\n\n");
            mbox.push_str(&format!("<user{i}@example.org>:\nSorry, no mailbox here by that name. (#5.1.1)\n"));
            if i % 7 == 0 {
                mbox.push_str(&"x".repeat(100_003));
                mbox.push('\n');
            }
            mbox.push('\n');
        }
        let c = run("many.mbox", mbox.replace('\n', eol).into_bytes());
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.events.len(), 300);
        for (i, ev) in c.events.iter().enumerate() {
            assert_eq!(ev.recipient, format!("user{i}@example.org"));
            assert_eq!(ev.source.locator, format!("#{}", i + 1));
            assert_eq!(ev.status.as_deref(), Some("5.1.1"));
        }
    }
}

#[test]
fn nesting_limit_counts_multipart_and_message_types_in_any_case() {
    let src = crate::model::Source { file: "n.eml".into(), locator: String::new(), offset: Some(0) };
    let msg = |n: usize, ty: &str| {
        let mut m = String::from("From: a@example.org\nSubject: x\nContent-Type: text/plain\n\n");
        for _ in 0..n {
            m.push_str(ty);
            m.push('\n');
        }
        m.into_bytes()
    };
    assert!(message::analyze(&msg(200, "Content-Type: Multipart/Mixed"), &src).is_some());
    assert!(message::analyze(&msg(201, "Content-Type: MULTIPART/mixed"), &src).is_none());
    assert!(message::analyze(&msg(201, "content-type: message/RFC822"), &src).is_none());
    // Other types with a slash do not count.
    assert!(message::analyze(&msg(500, "Content-Type: message/delivery-status"), &src).is_some());
}
