//! Status codes + reply codes + diagnostic text → Reason → Class, with the rule
//! that decided and its evidence.
//!
//! This first version only reads the enhanced status class and the event kind;
//! the phrase tables come with issue "Bounce engine".

use crate::model::{Class, Event, Kind, Reason, Verdict};

/// Decides the verdict of one event in place.
pub fn classify(ev: &mut Event) {
    ev.verdict = decide(ev);
}

fn decide(ev: &Event) -> Verdict {
    let v = |class, reason, rule: &str, evidence: String| Verdict { class, reason, rule: rule.to_string(), evidence };
    match ev.kind {
        Kind::Sent => return v(Class::None, Reason::Unknown, "kind:sent", String::new()),
        Kind::Delivered => return v(Class::None, Reason::Delivered, "kind:delivered", String::new()),
        Kind::AutoReply => return v(Class::None, Reason::AutoReply, "kind:auto_reply", String::new()),
        Kind::Complaint => return v(Class::Complaint, Reason::Complaint, "kind:complaint", String::new()),
        Kind::Unsubscribe => return v(Class::Unsubscribe, Reason::Unsubscribe, "kind:unsubscribe", String::new()),
        Kind::Suppressed => return v(Class::None, Reason::Suppressed, "kind:suppressed", String::new()),
        Kind::Deferred | Kind::Bounce => {}
    }
    match ev.status.as_deref() {
        Some(s) if s.starts_with('5') && ev.kind == Kind::Bounce => {
            v(Class::Hard, Reason::Unknown, "status:class5", s.to_string())
        }
        Some(s) => v(Class::Soft, Reason::Unknown, "status:class4", s.to_string()),
        None => v(Class::Soft, Reason::Unknown, "default:soft", String::new()),
    }
}
