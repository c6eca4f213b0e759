#!/usr/bin/env bash
# Prints the path of a 5,000,000-event database for the e2e launch timing, building
# it first when missing: the `bench` example's builder (250,000 events through
# ImportTx, copied 20× in SQL, ~1-2 min). Cached under target/e2e-5m/, keyed by a
# hash of the schema (src/store/schema.rs and compact.rs, migration 6's SQL), so it is
# rebuilt only when that changes.
# Progress goes to stderr; stdout is only the path.
set -euo pipefail
cd "$(dirname "$0")/.."
key="$(cat src/store/schema.rs src/store/compact.rs | sha256sum | cut -c1-12)"
dir="target/e2e-5m"
db="$PWD/$dir/big-$key.sqlite"
if [ ! -s "$db" ]; then
  echo "e2e-5m: building a 5,000,000-event database (once per schema) …" >&2
  cargo build --release --example bench >&2
  rm -rf "$dir/bench" "$dir"/big-*.sqlite*
  mkdir -p "$dir/bench"
  # The bench exits non-zero when a query misses its goal: only the database matters here.
  ./target/release/examples/bench --out "$dir/bench" --only db >&2 || true
  # Its size row is printed only once the database is complete: a builder that stopped
  # half-way (full disk, panic) must not leave a half-built file in the cache.
  if [ ! -s "$dir/bench/work/big.sqlite" ] || ! grep -q "database size" "$dir/bench/results.md" 2>/dev/null; then
    echo "e2e-5m: the builder did not finish a database (see its output above)" >&2
    rm -rf "$dir/bench"
    exit 1
  fi
  mv "$dir/bench/work/big.sqlite" "$db"
  rm -rf "$dir/bench"
fi
echo "$db"
