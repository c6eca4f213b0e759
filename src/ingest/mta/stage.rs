//! Which SMTP command the remote server refused, per recipient. The stage tells a
//! filter from a missing mailbox: "user unknown" in reply to RCPT TO is about the
//! address, the same words after DATA come from a content or domain filter (the
//! server had accepted the recipient), and at MAIL FROM they are about our sender.
//! MTAs write the stage in their prose, not in the Diagnostic-Code: Postfix
//! "(in reply to end of DATA command)", Exim "SMTP error from remote mail server
//! after end of data", Sendmail and Courier session transcripts (">>> DATA" then
//! "<<< 550 …"), 1&1 "for TEXT command".

use super::scan;
use crate::ingest::mailbox::message::{Finding, Mail};
use crate::model::Kind;

/// (marker lowercased, command). Longer markers before their prefixes.
const MARKERS: &[(&str, &str)] = &[
    ("in reply to end of data command", "DATA"),
    ("in reply to data command", "DATA"),
    ("in reply to rcpt to command", "RCPT"),
    ("in reply to mail from command", "MAIL"),
    ("in reply to helo command", "HELO"),
    ("in reply to ehlo command", "HELO"),
    ("while receiving the initial server greeting", "CONN"),
    ("after pipelined end of data", "DATA"),
    ("after end of data", "DATA"),
    ("after pipelined data", "DATA"),
    ("after pipelined rcpt to", "RCPT"),
    ("after pipelined mail from", "MAIL"),
    ("after rcpt to", "RCPT"),
    ("after mail from", "MAIL"),
    ("after initial connection", "CONN"),
    ("after ehlo", "HELO"),
    ("after helo", "HELO"),
    ("after sending data block", "DATA"),
    ("for text command", "DATA"),
    ("for data command", "DATA"),
    ("for rcpt to command", "RCPT"),
    ("for mail from command", "MAIL"),
    ("smtp:rcpt host", "RCPT"),
    ("smtp:data host", "DATA"),
    ("smtp:mail host", "MAIL"),
    // qmail-remote
    ("does not like recipient", "RCPT"),
    ("but sender was rejected", "MAIL"),
    ("failed on data command", "DATA"),
    ("failed after i sent the message", "DATA"),
    ("but greeting failed", "CONN"),
    ("but my name was rejected", "HELO"),
    // Yahoo
    ("[rcpt_to]", "RCPT"),
    ("[mail_from]", "MAIL"),
    ("smtp command data", "DATA"),
    ("smtp command rcpt", "RCPT"),
    ("smtp command mail", "MAIL"),
];

/// All markers in one automaton: leftmost-first gives the earliest marker and,
/// at the same position, the one listed first (36 `find` calls, each building a
/// searcher, were a sixth of the whole classification).
/// Case-sensitive over lowercased text (the markers are lowercase), which lets
/// aho-corasick use its SIMD prefilter.
static MARKER_AC: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> = std::sync::LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(MARKERS.iter().map(|(m, _)| m))
        .ok()
});

/// The stage a piece of prose about one recipient names, if any.
pub fn command_in(text: &str) -> Option<&'static str> {
    let ac = MARKER_AC.as_ref()?;
    let squeezed = squeeze_lower(text);
    let hit = ac.find(squeezed.as_str())?;
    MARKERS.get(hit.pattern().as_usize()).map(|(_, c)| *c)
}

/// Whitespace runs as one space, ends trimmed, ASCII lowercased: for ASCII text
/// (every diagnostic goes through here) words are copied whole and lowercased in
/// one pass at the end, instead of char by char; else as `squeeze_whitespace`.
fn squeeze_lower(text: &str) -> String {
    if !text.is_ascii() {
        return scan::squeeze_whitespace(text).to_ascii_lowercase();
    }
    let mut out = Vec::with_capacity(text.len());
    for word in text.as_bytes().split(|&c| c.is_ascii_whitespace() || c == b'\x0b').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(b' ');
        }
        out.extend_from_slice(word);
    }
    out.make_ascii_lowercase();
    // ASCII in, ASCII out: the conversion cannot fail.
    String::from_utf8(out).unwrap_or_default()
}

/// The command a transcript line sent (`>>> RCPT To:<a@b>` → `RCPT`).
fn sent_command(line: &str) -> Option<&'static str> {
    let rest = line.trim_start().strip_prefix(">>>")?.trim_start();
    let word: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect::<String>().to_ascii_uppercase();
    match word.as_str() {
        "DATA" => Some("DATA"),
        "RCPT" => Some("RCPT"),
        "MAIL" => Some("MAIL"),
        "EHLO" | "HELO" => Some("HELO"),
        "STARTTLS" => Some("STARTTLS"),
        "QUIT" | "RSET" => None,
        _ => None,
    }
}

/// An error reply line of a transcript (`<<< 550 …`).
fn error_reply(line: &str) -> bool {
    let Some(rest) = line.trim_start().strip_prefix("<<<") else { return false };
    matches!(rest.trim_start().as_bytes().first(), Some(b'4' | b'5'))
}

/// In a session transcript, the command a recipient's error reply answered: the
/// first error reply naming `recipient` or, when no reply names anyone, the first
/// error. With PIPELINING, Sendmail logs only the last command of a batch
/// (`>>> DATA`) and then every reply of the batch: an error reply that is followed
/// by another reply of the same batch answered a RCPT, not the DATA.
pub fn transcript_command(text: &str, recipient: &str) -> Option<&'static str> {
    // No `>>>` line, no transcript: most reports, and this runs per recipient.
    memchr::memmem::find(text.as_bytes(), b">>>")?;
    let rcpt = recipient.to_ascii_lowercase();
    // (command, its error replies lowercased)
    let mut groups: Vec<(&'static str, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if let Some(c) = sent_command(line) {
            groups.push((c, Vec::new()));
        } else if error_reply(line) {
            if let Some((_, replies)) = groups.last_mut() {
                replies.push(line.to_ascii_lowercase());
            }
        }
    }
    let anyone_named = groups.iter().flat_map(|(_, r)| r).any(|l| !scan::emails(l).is_empty());
    let pick = |l: &String| if anyone_named { l.contains(&rcpt) } else { true };
    groups.iter().find_map(|(cmd, replies)| {
        let i = replies.iter().position(pick)?;
        Some(if *cmd == "DATA" && i + 1 < replies.len() { "RCPT" } else { *cmd })
    })
}

/// Sets `smtp_command` on each finding that lacks it: from its own diagnostic,
/// else from the report's lines about that recipient, else from a transcript.
pub fn fill(mail: &Mail<'_>, found: &mut [Finding]) {
    let mut about: Option<Vec<(String, String)>> = None;
    // A block's lines are a stretch of the report's lines, so no marker in the whole
    // (ASCII) report means none in any block: the blocks need not be found (for a
    // DSN nothing else asks for them). Non-ASCII text squeezes other whitespace too,
    // so it is always searched block by block.
    let mut report_may_name = None;
    for f in found.iter_mut().filter(|f| f.smtp_command.is_none() && matches!(f.kind, Kind::Bounce | Kind::Deferred)) {
        let mut cmd = f.diagnostic.as_deref().and_then(command_in);
        if cmd.is_none() && *report_may_name.get_or_insert_with(|| !mail.text.is_ascii() || command_in(&mail.text).is_some()) {
            let blocks = about.get_or_insert_with(|| super::text::lines_about(mail));
            cmd = blocks.iter().filter(|(a, _)| a.eq_ignore_ascii_case(&f.recipient)).find_map(|(_, l)| command_in(l));
        }
        let cmd = cmd.or_else(|| transcript_command(&mail.text, &f.recipient));
        f.smtp_command = cmd.map(str::to_string);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stage_markers_of_the_common_mtas() {
        assert_eq!(command_in("550 Unknown user (in reply to end of DATA\n    command)"), Some("DATA"));
        assert_eq!(command_in("said: 550 5.1.1 no such user (in reply to RCPT TO command)"), Some("RCPT"));
        assert_eq!(command_in("SMTP error from remote mail server after end of data: 550 x"), Some("DATA"));
        assert_eq!(command_in("SMTP error from remote mail server after RCPT TO:<a@b.c>: 550 x"), Some("RCPT"));
        assert_eq!(command_in("SMTP error from remote mail server after MAIL FROM:<a@b.c> SIZE=10: 553"), Some("MAIL"));
        assert_eq!(command_in("SMTP error from remote mail server after initial connection: 554"), Some("CONN"));
        assert_eq!(command_in("SMTP error from remote server for TEXT command, host: x"), Some("DATA"));
        assert_eq!(command_in("192.0.2.153 does not like recipient.\nRemote host said: 550 5.2.1 x"), Some("RCPT"));
        assert_eq!(command_in("Remote host said:\n550 5.2.1 <a@b.c>... User Unknown\n[RCPT_TO]"), Some("RCPT"));
        assert_eq!(command_in("550 user unknown"), None);
    }

    #[test]
    fn squeeze_lower_matches_squeeze_then_lowercase() {
        for t in ["A  b", " a\t\x0bB\x0c c \r\n", "End of DATA\n    Command", "x\u{3000}Y", "", "   ", "ÉA  b"] {
            assert_eq!(squeeze_lower(t), scan::squeeze_whitespace(t).to_ascii_lowercase(), "{t:?}");
        }
    }

    #[test]
    fn reads_transcripts_per_recipient() {
        let t = "... while talking to mx.example.org.:\n>>> DATA\n<<< 550 5.2.1 <a@example.org>... User Unknown\n";
        assert_eq!(transcript_command(t, "a@example.org"), Some("DATA"));
        let t = ">>> RCPT To:<b@example.org>\n<<< 550 5.1.1 <b@example.org>... User unknown\n>>> DATA\n<<< 554 no valid recipients\n";
        assert_eq!(transcript_command(t, "b@example.org"), Some("RCPT"));
        let t = ">>> MAIL From:<me@example.jp>\n<<< 553 sender rejected\n";
        assert_eq!(transcript_command(t, "c@example.org"), Some("MAIL"));
        // Pipelined: the first reply after DATA answered the RCPT, the last one the DATA.
        let t = ">>> DATA\n<<< 550 5.5.0 Invalid recipient\n<<< 554 5.5.1 Error: no valid recipients\n";
        assert_eq!(transcript_command(t, "c@example.org"), Some("RCPT"));
        // A reply naming someone else says nothing about this recipient.
        let t = ">>> DATA\n<<< 550 <other@example.org> unknown\n";
        assert_eq!(transcript_command(t, "c@example.org"), None);
        assert_eq!(transcript_command("no transcript here", "c@example.org"), None);
    }
}
