#!/usr/bin/env bash
# Builds the window into ui/dist, which the app embeds at compile time.
# Built into a scratch folder and swapped only when the output changed: a fresh
# mtime on ui/dist would make cargo re-embed the assets and relink (minutes).
set -euo pipefail
cd "$(dirname "$0")/../ui"

npx --no-install vite build --logLevel warn --outDir dist.new
if [ -d dist ] && diff -rq dist.new dist > /dev/null 2>&1; then
  rm -rf dist.new
else
  rm -rf dist && mv dist.new dist
fi
