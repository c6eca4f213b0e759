//! Counting events into the categories a marketer reads, and rates over sent.

use serde::Serialize;

/// Which column an event lands in: failures by class, the rest by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Sent,
    Delivered,
    Hard,
    Soft,
    Block,
    Complaint,
    Unsubscribe,
    Deferred,
    /// Not attempted: the provider's suppression list (kept out of the bounce numerator).
    Suppressed,
    /// A bounce the classifier could not place.
    Unclassified,
}

impl Category {
    /// None for events that are not outcomes of a send (auto-replies) or unknown kinds.
    pub fn of(kind: &str, class: &str) -> Option<Category> {
        Some(match kind {
            "sent" => Category::Sent,
            "delivered" => Category::Delivered,
            "deferred" => Category::Deferred,
            "suppressed" => Category::Suppressed,
            "complaint" => Category::Complaint,
            "unsubscribe" => Category::Unsubscribe,
            "bounce" => match class {
                "hard" => Category::Hard,
                "soft" => Category::Soft,
                "block" => Category::Block,
                "complaint" => Category::Complaint,
                "unsubscribe" => Category::Unsubscribe,
                _ => Category::Unclassified,
            },
            _ => return None,
        })
    }
}

/// Event counts per category. `sent` and `delivered` count events of those kinds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub sent: i64,
    pub delivered: i64,
    pub hard: i64,
    pub soft: i64,
    pub block: i64,
    pub complaint: i64,
    pub unsubscribe: i64,
    pub deferred: i64,
    pub suppressed: i64,
    pub unclassified: i64,
}

impl Counts {
    pub fn add(&mut self, kind: &str, class: &str, n: i64) {
        if let Some(c) = Category::of(kind, class) {
            *self.slot(c) += n;
        }
    }

    fn slot(&mut self, c: Category) -> &mut i64 {
        match c {
            Category::Sent => &mut self.sent,
            Category::Delivered => &mut self.delivered,
            Category::Hard => &mut self.hard,
            Category::Soft => &mut self.soft,
            Category::Block => &mut self.block,
            Category::Complaint => &mut self.complaint,
            Category::Unsubscribe => &mut self.unsubscribe,
            Category::Deferred => &mut self.deferred,
            Category::Suppressed => &mut self.suppressed,
            Category::Unclassified => &mut self.unclassified,
        }
    }

    pub fn merge(&mut self, o: &Counts) {
        self.sent += o.sent;
        self.delivered += o.delivered;
        self.hard += o.hard;
        self.soft += o.soft;
        self.block += o.block;
        self.complaint += o.complaint;
        self.unsubscribe += o.unsubscribe;
        self.deferred += o.deferred;
        self.suppressed += o.suppressed;
        self.unclassified += o.unclassified;
    }

    /// Hard + soft + block.
    pub fn bounces(&self) -> i64 {
        self.hard + self.soft + self.block
    }

    /// Everything that went wrong or was refused later: what breakdowns count.
    pub fn failures(&self) -> i64 {
        self.bounces() + self.complaint + self.unsubscribe + self.deferred + self.unclassified
    }

    pub fn is_empty(&self) -> bool {
        *self == Counts::default()
    }
}

/// Where a sent count came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SentSource {
    /// The campaign's summary (provider export or typed in).
    Summary,
    /// Counted from imported sent events.
    SentEvents,
    /// Totals over rows of both kinds.
    Mixed,
    /// Nothing tells how many were sent: rates are unknown.
    Unknown,
}

/// Rates of sent, as fractions (0.012 = 1.2 %). None = unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Rates {
    pub delivered: Option<f64>,
    pub hard: Option<f64>,
    pub soft: Option<f64>,
    pub block: Option<f64>,
    /// Hard + soft + block.
    pub bounce: Option<f64>,
    pub complaint: Option<f64>,
    pub unsubscribe: Option<f64>,
    pub deferred: Option<f64>,
}

/// `n ÷ d`, or None when the denominator is unknown or not positive.
pub fn ratio(n: i64, d: Option<i64>) -> Option<f64> {
    match d {
        Some(d) if d > 0 => Some(n as f64 / d as f64),
        _ => None,
    }
}

impl Rates {
    pub fn of(c: &Counts, sent: Option<i64>, delivered: Option<i64>) -> Rates {
        Rates {
            delivered: delivered.and_then(|d| ratio(d, sent)),
            hard: ratio(c.hard, sent),
            soft: ratio(c.soft, sent),
            block: ratio(c.block, sent),
            bounce: ratio(c.bounces(), sent),
            complaint: ratio(c.complaint, sent),
            unsubscribe: ratio(c.unsubscribe, sent),
            deferred: ratio(c.deferred, sent),
        }
    }

    /// (name, value) pairs in display order, for tables, CSV and deltas.
    pub fn named(&self) -> [(&'static str, Option<f64>); 8] {
        [
            ("hard", self.hard),
            ("soft", self.soft),
            ("block", self.block),
            ("bounce", self.bounce),
            ("complaint", self.complaint),
            ("unsubscribe", self.unsubscribe),
            ("deferred", self.deferred),
            ("delivered", self.delivered),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_follow_kind_then_class() {
        assert_eq!(Category::of("bounce", "hard"), Some(Category::Hard));
        assert_eq!(Category::of("bounce", "none"), Some(Category::Unclassified));
        assert_eq!(Category::of("deferred", "soft"), Some(Category::Deferred));
        assert_eq!(Category::of("auto_reply", "none"), None);
    }

    #[test]
    fn rates_never_divide_by_zero_or_unknown() {
        let c = Counts {
            hard: 3,
            ..Counts::default()
        };
        assert_eq!(Rates::of(&c, None, None).hard, None);
        assert_eq!(Rates::of(&c, Some(0), None).hard, None);
        assert_eq!(Rates::of(&c, Some(300), None).hard, Some(0.01));
    }
}
