//! Subcommands, one file each; this file only wires them together.

mod chart;
mod classify;
mod clean;
mod gen;
mod import;
mod imports;
mod report;

use clap::{Parser, Subcommand};
use rebound::error::Result;
use rebound::store::{default_db_path, Store};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "rebound",
    version,
    about = "Offline bounce analytics: import, classify, report, chart and clean"
)]
pub struct Cli {
    /// Database file [default: the desktop app's file in the OS app-data folder, or $REBOUND_DB]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read files and folders and store their bounces, complaints and deliveries
    Import(import::Args),
    /// Print the classification of every failure in files, without touching the database
    Classify(classify::Args),
    /// List or remove past imports
    #[command(subcommand)]
    Imports(imports::Cmd),
    /// Print bounce metrics per campaign
    Report(report::Args),
    /// Draw a chart as SVG or PNG
    Chart(chart::Args),
    /// Clean a contact list: cleaned.csv, removed.csv and suppression files
    Clean(clean::Args),
    /// Write reproducible synthetic mailboxes, reports and contact lists
    Gen(gen::Args),
}

/// Runs one command; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    let db = cli.db.clone().unwrap_or_else(default_db_path);
    match cli.command {
        Command::Import(a) => import::run(&mut Store::open(&db)?, a),
        Command::Classify(a) => classify::run(a),
        Command::Imports(c) => imports::run(&mut Store::open(&db)?, c),
        Command::Report(a) => report::run(&db, a),
        Command::Chart(a) => chart::run(&db, a),
        Command::Clean(a) => clean::run(&db, a),
        Command::Gen(a) => gen::run(&db, a),
    }
}
