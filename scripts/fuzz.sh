#!/usr/bin/env bash
# `make fuzz`: at least 1,000,000 mutated inputs through detection and every
# reader, in 2 worker processes, then the count, panics, hangs and the slowest
# input. Findings are saved under target/tmp/fuzz-findings/.
# Knobs: REBOUND_FUZZ_INPUTS, REBOUND_FUZZ_JOBS, REBOUND_FUZZ_SECS (time cap),
# REBOUND_FUZZ_SEED, REBOUND_FUZZ_HANG_MS (default 1000 in release).
set -euo pipefail
cd "$(dirname "$0")/.."

# tests/no_network.rs traces the CLI with strace; install it if missing (setup.sh should too).
if ! command -v strace >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -qq strace >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq strace; } \
    || echo "note: could not install strace; tests/no_network.rs falls back to unshare -n" >&2
fi

export REBOUND_FUZZ_INPUTS="${REBOUND_FUZZ_INPUTS:-1000000}"
export REBOUND_FUZZ_JOBS="${REBOUND_FUZZ_JOBS:-2}"
export REBOUND_FUZZ_SECS="${REBOUND_FUZZ_SECS:-3600}"
echo "fuzz: ${REBOUND_FUZZ_INPUTS} mutated inputs + the structural set, ${REBOUND_FUZZ_JOBS} workers (release build)"
mkdir -p target
set +e
cargo test --release --test fuzz_mutations -- --ignored --exact fuzz_long --nocapture 2>&1 \
  | tee target/fuzz.log | grep -E '^fuzz|^  (recipe|input saved)|panicked|test result|^error'
status=${PIPESTATUS[0]}
set -e
echo "full log: target/fuzz.log"
exit "$status"
