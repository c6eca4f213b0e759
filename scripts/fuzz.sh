#!/usr/bin/env bash
# Not written yet.
echo "scripts/fuzz.sh: not written yet" >&2
exit 1
