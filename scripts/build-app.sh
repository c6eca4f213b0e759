#!/usr/bin/env bash
# Builds the window (ui/dist) and the release app binary that serves it
# (custom-protocol: no dev server). `make run` and the e2e test share this one
# binary, so the second build is incremental (seconds when nothing changed).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build-ui.sh
cargo build --release -p rebound-app --features custom-protocol
