//! The `rebound` command-line tool: the same library calls as the desktop app.

mod cli;

use clap::Parser;

/// Parsing a bounce makes many short-lived strings; mimalloc's thread-local free
/// lists cost far fewer instructions than glibc malloc here (see docs/classification.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
