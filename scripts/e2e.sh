#!/usr/bin/env bash
# Not written yet.
echo "scripts/e2e.sh: not written yet" >&2
exit 1
