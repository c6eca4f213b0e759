#!/usr/bin/env bash
# Not written yet.
echo "scripts/test-ui.sh: not written yet" >&2
exit 1
