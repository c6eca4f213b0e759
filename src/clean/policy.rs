//! The suppression policy: which evidence removes a row and which only flags it.
//! Defaults follow common deliverability practice; a marketer can change each
//! one, and the choice is kept in the settings table as `policy.<key>`.

use crate::error::{Error, Result};
use crate::store::Store;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub remove_hard: bool,
    pub remove_complaints: bool,
    pub remove_unsubscribes: bool,
    /// Remove after soft bounces on `soft_days` different days within `soft_window_days`, with no delivery since.
    pub remove_repeated_soft: bool,
    pub soft_days: u32,
    pub soft_window_days: u32,
    pub remove_sms_invalid: bool,
    pub remove_sms_opted_out: bool,
    pub remove_invalid: bool,
    pub remove_duplicates: bool,
    pub remove_role: bool,
    pub remove_typos: bool,
    pub remove_blocked: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            remove_hard: true,
            remove_complaints: true,
            remove_unsubscribes: true,
            remove_repeated_soft: true,
            soft_days: 3,
            soft_window_days: 30,
            remove_sms_invalid: true,
            remove_sms_opted_out: true,
            remove_invalid: false,
            remove_duplicates: false,
            remove_role: false,
            remove_typos: false,
            remove_blocked: false,
        }
    }
}

/// Every key `--policy KEY=VALUE` and the settings accept.
pub const KEYS: &[&str] = &[
    "remove_hard",
    "remove_complaints",
    "remove_unsubscribes",
    "remove_repeated_soft",
    "soft_days",
    "soft_window_days",
    "remove_sms_invalid",
    "remove_sms_opted_out",
    "remove_invalid",
    "remove_duplicates",
    "remove_role",
    "remove_typos",
    "remove_blocked",
];

/// One policy line in plain words: a translation key for the window and the English text for the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyLine {
    pub key: String,
    pub value: String,
    pub text_key: String,
    pub text: String,
}

impl Policy {
    /// The stored policy: defaults, overridden by any `policy.<key>` setting.
    pub fn load(store: &Store) -> Result<Policy> {
        let mut p = Policy::default();
        for key in KEYS {
            if let Some(v) = store.setting(&format!("policy.{key}"))? {
                // A bad stored value is ignored rather than blocking every clean.
                let _ = p.set(key, &v);
            }
        }
        Ok(p)
    }

    /// Keeps every key in the settings table.
    pub fn save(&self, store: &Store) -> Result<()> {
        for key in KEYS {
            store.set_setting(&format!("policy.{key}"), &self.get(key).unwrap_or_default())?;
        }
        Ok(())
    }

    /// Applies `KEY=VALUE` (from `--policy`).
    pub fn apply(&mut self, assignment: &str) -> Result<()> {
        let (k, v) = assignment
            .split_once('=')
            .ok_or_else(|| Error::Invalid(format!("--policy wants KEY=VALUE, got '{assignment}'; keys: {}", KEYS.join(", "))))?;
        self.set(k.trim(), v.trim())
    }

    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        let bool_of = |v: &str| match v.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "on" => Ok(true),
            "false" | "no" | "0" | "off" => Ok(false),
            _ => Err(Error::Invalid(format!("policy {key}: '{v}' is not true or false"))),
        };
        let days_of = |v: &str| match v.parse::<u32>() {
            Ok(n) if (1..=3650).contains(&n) => Ok(n),
            _ => Err(Error::Invalid(format!("policy {key}: '{v}' is not a number of days between 1 and 3650"))),
        };
        match key {
            "remove_hard" => self.remove_hard = bool_of(value)?,
            "remove_complaints" => self.remove_complaints = bool_of(value)?,
            "remove_unsubscribes" => self.remove_unsubscribes = bool_of(value)?,
            "remove_repeated_soft" => self.remove_repeated_soft = bool_of(value)?,
            "soft_days" => self.soft_days = days_of(value)?,
            "soft_window_days" => self.soft_window_days = days_of(value)?,
            "remove_sms_invalid" => self.remove_sms_invalid = bool_of(value)?,
            "remove_sms_opted_out" => self.remove_sms_opted_out = bool_of(value)?,
            "remove_invalid" => self.remove_invalid = bool_of(value)?,
            "remove_duplicates" => self.remove_duplicates = bool_of(value)?,
            "remove_role" => self.remove_role = bool_of(value)?,
            "remove_typos" => self.remove_typos = bool_of(value)?,
            "remove_blocked" => self.remove_blocked = bool_of(value)?,
            _ => return Err(Error::Invalid(format!("unknown policy key '{key}'; keys: {}", KEYS.join(", ")))),
        }
        Ok(())
    }

    pub fn get(&self, key: &str) -> Option<String> {
        Some(match key {
            "remove_hard" => self.remove_hard.to_string(),
            "remove_complaints" => self.remove_complaints.to_string(),
            "remove_unsubscribes" => self.remove_unsubscribes.to_string(),
            "remove_repeated_soft" => self.remove_repeated_soft.to_string(),
            "soft_days" => self.soft_days.to_string(),
            "soft_window_days" => self.soft_window_days.to_string(),
            "remove_sms_invalid" => self.remove_sms_invalid.to_string(),
            "remove_sms_opted_out" => self.remove_sms_opted_out.to_string(),
            "remove_invalid" => self.remove_invalid.to_string(),
            "remove_duplicates" => self.remove_duplicates.to_string(),
            "remove_role" => self.remove_role.to_string(),
            "remove_typos" => self.remove_typos.to_string(),
            "remove_blocked" => self.remove_blocked.to_string(),
            _ => return None,
        })
    }

    /// The policy in plain words, one line per key.
    pub fn describe(&self) -> Vec<PolicyLine> {
        let verb = |remove: bool| if remove { "Remove" } else { "Keep but flag" };
        let lines: Vec<(&str, String)> = vec![
            ("remove_hard", format!("{} addresses that hard-bounced (the address or its domain does not exist or is disabled).", verb(self.remove_hard))),
            ("remove_complaints", format!("{} addresses whose owner marked your mail as spam.", verb(self.remove_complaints))),
            ("remove_unsubscribes", format!("{} addresses that unsubscribed.", verb(self.remove_unsubscribes))),
            (
                "remove_repeated_soft",
                format!(
                    "{} addresses that soft-bounced on at least {} different days within {} days and were not delivered to since.",
                    verb(self.remove_repeated_soft),
                    self.soft_days,
                    self.soft_window_days
                ),
            ),
            ("soft_days", format!("Soft bounces count as repeated from {} different days on.", self.soft_days)),
            ("soft_window_days", format!("Repeated soft bounces must fall within {} days.", self.soft_window_days)),
            ("remove_sms_invalid", format!("{} phone numbers the carrier reported as invalid.", verb(self.remove_sms_invalid))),
            ("remove_sms_opted_out", format!("{} phone numbers that opted out of SMS (STOP).", verb(self.remove_sms_opted_out))),
            ("remove_invalid", format!("{} addresses that are not valid email addresses.", verb(self.remove_invalid))),
            ("remove_duplicates", format!("{} repeated addresses (the first one stays).", verb(self.remove_duplicates))),
            ("remove_role", format!("{} team addresses such as info@, sales@ or noreply@.", verb(self.remove_role))),
            ("remove_typos", format!("{} addresses whose domain looks mistyped (gmial.com instead of gmail.com).", verb(self.remove_typos))),
            (
                "remove_blocked",
                format!("{} addresses whose mail was blocked: the problem is usually your sending, not the address.", verb(self.remove_blocked)),
            ),
        ];
        lines
            .into_iter()
            .map(|(k, text)| PolicyLine { key: k.into(), value: self.get(k).unwrap_or_default(), text_key: format!("policy.{k}"), text })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_are_checked_and_stored() {
        let store = Store::open_in_memory().unwrap();
        let mut p = Policy::load(&store).unwrap();
        assert_eq!(p, Policy::default());
        p.apply("remove_invalid=true").unwrap();
        p.apply("soft_days = 4").unwrap();
        assert!(p.apply("soft_days=0").is_err());
        assert!(p.apply("nonsense=1").is_err());
        assert!(p.apply("remove_role").is_err());
        p.save(&store).unwrap();
        let q = Policy::load(&store).unwrap();
        assert!(q.remove_invalid);
        assert_eq!(q.soft_days, 4);
        assert_eq!(store.setting("policy.soft_days").unwrap().as_deref(), Some("4"));
    }

    #[test]
    fn every_key_is_described() {
        let d = Policy::default().describe();
        assert_eq!(d.iter().map(|l| l.key.as_str()).collect::<Vec<_>>(), KEYS);
        assert!(d[0].text.starts_with("Remove"));
        assert!(d.iter().find(|l| l.key == "remove_role").unwrap().text.starts_with("Keep but flag"));
    }
}
