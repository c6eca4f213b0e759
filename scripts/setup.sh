#!/usr/bin/env bash
# Not written yet.
echo "scripts/setup.sh: not written yet" >&2
exit 1
