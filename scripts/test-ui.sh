#!/usr/bin/env bash
# UI checks: TypeScript types, then the unit tests (vitest, fake backend).
# Ends with a plain `ui: N passed, N failed` line.
set -euo pipefail
cd "$(dirname "$0")/../ui"

npx --no-install tsc --noEmit
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
set +e
npx --no-install vitest run --reporter=default --reporter=json --outputFile="$report"
status=$?
set -e
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`ui: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' "$report" || true
exit $status
