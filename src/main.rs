//! The `rebound` command-line tool: the same library calls as the desktop app.

mod cli;

use clap::Parser;

/// Parsing a bounce makes many short-lived strings; mimalloc's thread-local free
/// lists cost far fewer instructions than glibc malloc here (see docs/classification.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc (3.3) keeps freed pages for a second before giving them back; an import frees its
/// batches on another thread than the one that made them, and the kept pages added
/// ~50 MB to the peak RSS of a 1,000,000-row CSV import (202 MB against the 200 MB
/// goal; 152 MB with this, at the same speed).
fn give_freed_memory_back_at_once() {
    // `mi_option_purge_delay`: 15 in mimalloc 2.x and 3.x (deprecated options keep their
    // numbers; `MIMALLOC_VERBOSE=1 rebound --version` lists them in order).
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: an option setter of the allocator, no pointers involved.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) }
}

fn main() {
    give_freed_memory_back_at_once();
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
