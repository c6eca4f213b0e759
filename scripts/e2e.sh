#!/usr/bin/env bash
# End-to-end: the real release app under Xvfb, driven through WebKitWebDriver by
# tauri-driver, with a throw-away database. Screenshots go to $E2E_SHOTS
# (default target/e2e-shots). Everything started here is stopped on exit;
# tauri-driver gets SIGTERM (never SIGKILL) so it stops its WebKitWebDriver.
# A second short session (scripts/e2e-5m.sh) times launch → dashboard on a
# 5,000,000-event database. E2E_ONLY=NN- (or NN-,MM-) runs only matching specs (no 5M session);
# E2E_ONLY=5m runs only the 5M session.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

bash scripts/build-app.sh
# The specs compare the window with the CLI's answer on the same file (tests/e2e/lib-cli.mjs).
cargo build --release --quiet --bin rebound
APP="$ROOT/target/release/rebound-app"
DRIVER="$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")"
NATIVE=/usr/bin/WebKitWebDriver
# xdotool and /usr/bin/python3 with GTK (python3-gi): the dialog and drop spec (25-drop-and-dialog).
for tool in Xvfb "$DRIVER" "$NATIVE" node xdotool /usr/bin/python3; do
  command -v "$tool" > /dev/null || { echo "e2e: $tool is missing: run 'make setup'" >&2; exit 1; }
done

WORK="$(mktemp -d /tmp/rebound-e2e.XXXXXX)"
SHOTS="${E2E_SHOTS:-$ROOT/target/e2e-shots}"
rm -rf "$SHOTS" && mkdir -p "$SHOTS"
XVFB_PID="" DRIVER_PID=""

stop_driver() {
  if [ -n "$DRIVER_PID" ] && kill -0 "$DRIVER_PID" 2> /dev/null; then
    kill -TERM "$DRIVER_PID" 2> /dev/null || true
    for _ in $(seq 50); do kill -0 "$DRIVER_PID" 2> /dev/null || break; sleep 0.1; done
  fi
  DRIVER_PID=""
}

cleanup() {
  local rc=$?
  stop_driver
  if [ -n "$XVFB_PID" ]; then
    kill -TERM "$XVFB_PID" 2> /dev/null || true
    wait "$XVFB_PID" 2> /dev/null || true
  fi
  # A WebKitWebDriver left behind on our port would be a bug in the shutdown above.
  if [ -n "${NATIVE_PORT:-}" ] && pgrep -f "WebKitWebDriver.*--port=$NATIVE_PORT" > /dev/null; then
    echo "e2e: WebKitWebDriver still running after tauri-driver stopped" >&2
    rc=1
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# Xvfb picks a free display number itself and tells us on fd 3.
Xvfb -displayfd 3 -screen 0 1200x800x24 -nolisten tcp 3> "$WORK/display" 2> "$WORK/xvfb.log" &
XVFB_PID=$!
for _ in $(seq 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
[ -s "$WORK/display" ] || { echo "e2e: Xvfb did not start" >&2; cat "$WORK/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(cat "$WORK/display")"
export WEBKIT_DISABLE_DMABUF_RENDERER=1
export REBOUND_DB="$WORK/data/rebound.sqlite"
export NO_AT_BRIDGE=1
# The window-state plugin keeps size/position in the config dir: a private one per run.
export XDG_CONFIG_HOME="$WORK/config"

start_driver() {
  PORT="$(free_port)"
  NATIVE_PORT="$(free_port)"
  "$DRIVER" --port "$PORT" --native-port "$NATIVE_PORT" --native-driver "$NATIVE" > "$WORK/driver.log" 2>&1 &
  DRIVER_PID=$!
}

status=0
if [ "${E2E_ONLY:-}" != "5m" ]; then
  start_driver
  set +e
  node tests/e2e/run.mjs --port "$PORT" --app "$APP" --shots "$SHOTS" --db "$REBOUND_DB" --work "$WORK" ${E2E_ONLY:+--only "$E2E_ONLY"}
  status=$?
  set -e
  if [ $status -ne 0 ]; then
    echo "--- tauri-driver log ---" >&2
    tail -n 40 "$WORK/driver.log" >&2 || true
  fi
  stop_driver
fi

# Issue 9: launch → dashboard with 5,000,000 events (the database is built once and cached).
if [ -z "${E2E_ONLY:-}" ] || [ "${E2E_ONLY}" = "5m" ]; then
  BIG="$(bash scripts/e2e-5m.sh)"
  REBOUND_DB="$BIG" start_driver
  set +e
  node tests/e2e/launch-5m.mjs --port "$PORT" --app "$APP" --events 5000000
  big_status=$?
  set -e
  stop_driver
  [ $big_status -eq 0 ] || status=$big_status
fi
exit $status
