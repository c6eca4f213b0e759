//! `rebound clean`: not written yet; it says so and exits non-zero.

use rebound::error::Result;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    rest: Vec<String>,
}

pub fn run(_db: &std::path::Path, _a: Args) -> Result<i32> {
    eprintln!("rebound clean: not available yet in this version; nothing was done.");
    Ok(4)
}
