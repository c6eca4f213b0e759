#!/usr/bin/env bash
# `make run`: build the window and the app, then open it. The database is the
# OS app-data file (~/.local/share/app.rebound.desktop/rebound.sqlite on Linux),
# the same one the `rebound` CLI uses; set REBOUND_DB to use another file.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build-app.sh

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no graphical display (DISPLAY/WAYLAND_DISPLAY unset). Run this from a desktop session," >&2
  echo "     or under Xvfb: xvfb-run -a make run" >&2
  exit 1
fi
# WebKitGTK's DMA-BUF renderer shows a blank window on Xvfb and some GPU drivers.
export WEBKIT_DISABLE_DMABUF_RENDERER="${WEBKIT_DISABLE_DMABUF_RENDERER:-1}"
echo "run: starting Rebound (data: ${REBOUND_DB:-the OS app-data folder})"
exec target/release/rebound-app
