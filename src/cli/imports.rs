//! `rebound imports list|remove|problems`.

use rebound::error::Result;
use rebound::store::Store;

#[derive(clap::Subcommand, Debug)]
pub enum Cmd {
    /// One line per import: id, file, format, events added, problems
    List,
    /// Remove an import and every event it added
    Remove { id: i64 },
    /// The problems found while reading one import
    Problems { id: i64 },
}

pub fn run(store: &mut Store, cmd: Cmd) -> Result<i32> {
    match cmd {
        Cmd::List => {
            println!("id\tfile\tformat\tevents_added\tevents_seen\tproblems\tfinished");
            for i in store.imports()? {
                let when = i
                    .finished_at
                    .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                    .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                    .unwrap_or_default();
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    i.id, i.file_path, i.format, i.events_added, i.events_seen, i.problems, when
                );
            }
            Ok(0)
        }
        Cmd::Remove { id } => {
            if rebound::import::remove_import(store, id)? {
                println!("removed import {id} and its events");
                Ok(0)
            } else {
                eprintln!("rebound imports remove: there is no import {id}; `rebound imports list` shows the ids");
                Ok(2)
            }
        }
        Cmd::Problems { id } => {
            for p in store.import_problems(id)? {
                println!("{}\t{}", p.locator, p.message);
            }
            Ok(0)
        }
    }
}
