#!/usr/bin/env bash
# `make bench`: builds release and runs every benchmark of issue 10 (examples/bench).
# Prints a table, writes bench-out/results.md, exits non-zero when a goal is missed
# by more than 20%. Extra arguments go to the harness, e.g. `--quick` or
# `--only write,db`. Needs ~6 GB free disk under bench-out/ for the full run.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin rebound --example bench
mkdir -p bench-out
status=0
./target/release/examples/bench --out bench-out "$@" || status=$?
# The generated inputs and databases are large; keep only the results.
rm -rf bench-out/work
exit "$status"
