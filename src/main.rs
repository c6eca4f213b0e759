//! The `rebound` command-line tool: the same library calls as the desktop app.

mod cli;

use clap::Parser;

/// Parsing a bounce makes many short-lived strings; mimalloc's thread-local free
/// lists cost far fewer instructions than glibc malloc here (see docs/classification.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc (3.3) keeps freed pages for a second before giving them back, which put a
/// 1,000,000-row SendGrid CSV import at 192–202 MB peak RSS (goal 200). 0 ms brought it
/// to ~152 MB but tripled the system time of the 1 GiB mbox import (every freed
/// attachment buffer unmapped at once: 2.8 s → 4.8 s wall). Measured 2026-11-23:
/// 10 ms 3.36 s / 168 MB, 100 ms 3.11 s mbox / 171 MB CSV, 1000 ms 2.87 s / 192 MB.
fn give_freed_memory_back_sooner() {
    // `mi_option_purge_delay`: 15 in mimalloc 2.x and 3.x (deprecated options keep their
    // numbers; `MIMALLOC_VERBOSE=1 rebound --version` lists them in order).
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: an option setter of the allocator, no pointers involved.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 100) }
}

fn main() {
    give_freed_memory_back_sooner();
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
