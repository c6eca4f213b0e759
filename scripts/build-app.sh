#!/usr/bin/env bash
# Builds the window (ui/dist) and the release app binary that serves it
# (custom-protocol: no dev server). `make run` and the e2e test share this one
# binary, so the second build is incremental (seconds when nothing changed).
set -euo pipefail
cd "$(dirname "$0")/.."

# Build into a scratch folder and swap only when the output changed: a fresh
# mtime on ui/dist would make cargo re-embed the assets and relink (~2 min).
(cd ui && npx --no-install vite build --logLevel warn --outDir dist.new)
if [ -d ui/dist ] && diff -rq ui/dist.new ui/dist > /dev/null 2>&1; then
  rm -rf ui/dist.new
else
  rm -rf ui/dist && mv ui/dist.new ui/dist
fi

cargo build --release -p rebound-app --features custom-protocol
