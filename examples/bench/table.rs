//! The results table: every figure next to its goal, printed and written to a file.

use std::fmt::Write as _;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Status {
    Ok,
    /// Over the goal, but by no more than the 20% tolerance.
    Near,
    Miss,
    /// Informational figure without a goal.
    Info,
    /// The part is not merged yet (does not fail the run).
    NotAvailable,
}

pub struct Row {
    pub name: String,
    pub value: String,
    pub goal: String,
    pub status: Status,
    pub note: String,
}

#[derive(Default)]
pub struct Table {
    pub rows: Vec<Row>,
    /// Collects rows without printing them (the scaling runs' inner steps, which the
    /// caller reports as one row of its own).
    pub quiet: bool,
}

/// How far over a goal still passes.
pub const TOLERANCE: f64 = 1.2;

impl Table {
    /// A figure where lower is better, against `goal` (same unit).
    pub fn max(&mut self, name: &str, value: f64, goal: f64, unit: &str, note: &str) {
        let status = if value <= goal {
            Status::Ok
        } else if value <= goal * TOLERANCE {
            Status::Near
        } else {
            Status::Miss
        };
        self.push(
            name,
            format!("{} {unit}", fmt(value)),
            format!("< {} {unit}", fmt(goal)),
            status,
            note,
        );
    }

    /// A figure where higher is better (a speed ratio), against `goal`.
    pub fn min(&mut self, name: &str, value: f64, goal: f64, unit: &str, note: &str) {
        let status = if value >= goal {
            Status::Ok
        } else if value * TOLERANCE >= goal {
            Status::Near
        } else {
            Status::Miss
        };
        self.push(name, format!("{}{unit}", fmt(value)), format!("≥ {}{unit}", fmt(goal)), status, note);
    }

    pub fn info(&mut self, name: &str, value: String, note: &str) {
        self.push(name, value, "—".into(), Status::Info, note);
    }

    pub fn not_available(&mut self, name: &str, goal: &str, why: &str) {
        self.push(
            name,
            "not available".into(),
            goal.into(),
            Status::NotAvailable,
            why,
        );
    }

    fn push(&mut self, name: &str, value: String, goal: String, status: Status, note: &str) {
        let row = Row {
            name: name.into(),
            value,
            goal,
            status,
            note: note.into(),
        };
        if !self.quiet {
            println!(
                "  {:<52} {:>16}  {:<14} {:<6} {}",
                row.name,
                row.value,
                row.goal,
                label(row.status),
                row.note
            );
        }
        self.rows.push(row);
    }

    pub fn failed(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.status == Status::Miss)
            .count()
    }

    pub fn markdown(&self, header: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{header}\n");
        let _ = writeln!(
            s,
            "| Benchmark | Result | Goal | Status | Note |\n|---|---:|---|---|---|"
        );
        for r in &self.rows {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                r.name,
                r.value,
                r.goal,
                label(r.status),
                r.note.replace('|', "/")
            );
        }
        s
    }
}

fn label(s: Status) -> &'static str {
    match s {
        Status::Ok => "ok",
        Status::Near => "near",
        Status::Miss => "MISS",
        Status::Info => "info",
        Status::NotAvailable => "n/a",
    }
}

pub fn fmt(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}
