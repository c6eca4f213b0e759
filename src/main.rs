//! The `rebound` command-line tool: the same library calls as the desktop app.

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    let code = match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("rebound: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
