//! The explorer's filter and its translation to SQL. Every user value is a bound
//! parameter; search text has its LIKE wildcards escaped, so `50%_off` finds
//! exactly that and never widens the match.

use crate::error::Result;
use crate::model::{Channel, Class, Kind, Reason};
use rusqlite::types::Value;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// The kinds shown when a filter names none: the failures a marketer acts on.
pub const FAILURE_KINDS: &[Kind] = &[
    Kind::Bounce,
    Kind::Deferred,
    Kind::Complaint,
    Kind::Unsubscribe,
    Kind::Suppressed,
];

/// What the explorer table shows. Empty lists and `None` mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    pub campaign_id: Option<i64>,
    pub classes: Vec<Class>,
    pub reasons: Vec<Reason>,
    /// Recipient domain, matched exactly (case-insensitive: stored domains are lowercase).
    pub domain: Option<String>,
    pub provider: Option<String>,
    pub channel: Option<Channel>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub to: Option<i64>,
    /// Substring of the recipient address or of the diagnostic text (ASCII case-insensitive).
    pub search: Option<String>,
    /// Empty = the failures (`FAILURE_KINDS`); name `sent`/`delivered` to see those too.
    pub kinds: Vec<Kind>,
}

/// The sort key of the table; the lazily created covering index is on the same expression.
pub(crate) const TIME_KEY: &str = "ifnull(e.occurred_at, 0)";

/// A WHERE clause over `events e` with its parameters in order.
pub(crate) struct Where {
    pub sql: String,
    pub args: Vec<Value>,
}

impl Filter {
    /// The WHERE clause over `events e`; looks at the texts table to keep searches cheap.
    pub(crate) fn to_where(&self, conn: &Connection) -> Result<Where> {
        let mut w = Builder::default();
        let kinds = if self.kinds.is_empty() {
            FAILURE_KINDS
        } else {
            &self.kinds[..]
        };
        w.any_of("e.kind", kinds.iter().map(|k| k.as_str()));
        if let Some(id) = self.campaign_id {
            w.cond("e.campaign_id = ?", vec![Value::Integer(id)]);
        }
        w.any_of("e.class", self.classes.iter().map(|c| c.as_str()));
        w.any_of("e.reason", self.reasons.iter().map(|r| r.as_str()));
        if let Some(d) = self.domain_norm() {
            w.cond(
                "e.recipient_id IN (SELECT id FROM recipients WHERE domain = ?)",
                vec![Value::Text(d)],
            );
        }
        if let Some(p) = self.provider_norm() {
            w.cond("e.provider = ?", vec![Value::Text(p.to_string())]);
        }
        if let Some(c) = self.channel {
            w.cond("e.channel = ?", vec![Value::Text(c.as_str().into())]);
        }
        if let Some(from) = self.from {
            w.cond(&format!("{TIME_KEY} >= ?"), vec![Value::Integer(from)]);
        }
        if let Some(to) = self.to {
            w.cond(&format!("{TIME_KEY} < ?"), vec![Value::Integer(to)]);
        }
        if let Some(s) = non_empty(&self.search) {
            let pattern = Value::Text(format!("%{}%", escape_like(s)));
            let recipients =
                "e.recipient_id IN (SELECT id FROM recipients WHERE address LIKE ? ESCAPE '\\')";
            // With a diagnostic branch in an OR the planner scans every event; most
            // searches are for an address, so that branch is left out when no text matches.
            let in_texts: bool = conn.query_row(
                "SELECT EXISTS(SELECT 1 FROM texts WHERE text LIKE ?1 ESCAPE '\\')",
                [&pattern],
                |r| r.get(0),
            )?;
            if in_texts {
                w.cond(
                    &format!("({recipients} OR e.diagnostic_id IN (SELECT id FROM texts WHERE text LIKE ? ESCAPE '\\'))"),
                    vec![pattern.clone(), pattern],
                );
            } else {
                w.cond(recipients, vec![pattern]);
            }
        }
        Ok(w.finish())
    }

    /// The domain as stored: trimmed, lowercase, no trailing dot.
    pub(crate) fn domain_norm(&self) -> Option<String> {
        non_empty(&self.domain).map(|d| d.trim_end_matches('.').to_lowercase())
    }

    pub(crate) fn provider_norm(&self) -> Option<&str> {
        non_empty(&self.provider)
    }

    /// The filter without the dimensions facets count (kinds, time and search stay).
    pub(crate) fn base(&self) -> Filter {
        Filter {
            kinds: self.kinds.clone(),
            from: self.from,
            to: self.to,
            search: self.search.clone(),
            ..Default::default()
        }
    }
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Makes user text literal inside a LIKE pattern that uses `ESCAPE '\'`.
pub fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for ch in s.chars() {
        if matches!(ch, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[derive(Default)]
struct Builder {
    parts: Vec<String>,
    args: Vec<Value>,
}

impl Builder {
    fn cond(&mut self, sql: &str, args: Vec<Value>) {
        self.parts.push(sql.to_string());
        self.args.extend(args);
    }

    fn any_of<'s>(&mut self, column: &str, values: impl Iterator<Item = &'s str>) {
        let values: Vec<Value> = values.map(|v| Value::Text(v.to_string())).collect();
        if values.is_empty() {
            return;
        }
        let marks = vec!["?"; values.len()].join(", ");
        self.cond(&format!("{column} IN ({marks})"), values);
    }

    fn finish(self) -> Where {
        let sql = if self.parts.is_empty() {
            "1".to_string()
        } else {
            self.parts.join(" AND ")
        };
        Where {
            sql,
            args: self.args,
        }
    }
}
