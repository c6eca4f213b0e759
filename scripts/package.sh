#!/usr/bin/env bash
# Not written yet.
echo "scripts/package.sh: not written yet" >&2
exit 1
