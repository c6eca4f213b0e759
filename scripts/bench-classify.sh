#!/usr/bin/env bash
# Classification throughput: Rebound vs Sisimai (Debian libsisimai-perl) on the
# same mbox, built by repeating the corpus messages up to at least 50 MB.
# Usage: scripts/bench-classify.sh [MIN_MB]   (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
MIN_MB=${1:-50}
GOAL=50
CORPUS=../shared/corpus/sisimai/maildir/bsd

cargo build --release --quiet
BIN=$PWD/target/release/rebound

if ! perl -MSisimai -e1 2>/dev/null; then
    echo "installing libsisimai-perl…"
    apt-get install -y -qq libsisimai-perl >/dev/null
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# One pass over the corpus as an mbox (mboxrd quoting of body From_ lines).
for f in "$CORPUS"/*.eml; do
    printf 'From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n'
    sed -e 's/^\(>*From \)/>\1/' "$f"
    printf '\n'
done > "$TMP/one.mbox"
: > "$TMP/big.mbox"
while [ "$(stat -c %s "$TMP/big.mbox")" -lt $((MIN_MB * 1024 * 1024)) ]; do
    cat "$TMP/one.mbox" >> "$TMP/big.mbox"
done
MSGS=$(grep -c '^From MAILER-DAEMON Thu Jan  1 00:00:00 2026$' "$TMP/big.mbox")
SIZE_MB=$(( $(stat -c %s "$TMP/big.mbox") / 1024 / 1024 ))
echo "input: $SIZE_MB MB, $MSGS messages"

now() { date +%s.%N; }
t0=$(now)
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$TMP/rss" "$BIN" classify "$TMP/big.mbox" > "$TMP/rebound.tsv"
    RB_RSS=$(awk '{printf "%.0f", $1/1024}' "$TMP/rss")
else
    "$BIN" classify "$TMP/big.mbox" > "$TMP/rebound.tsv"
    RB_RSS="n/a (install GNU time)"
fi
t1=$(now)
RB_ROWS=$(( $(wc -l < "$TMP/rebound.tsv") - 1 ))

# Sisimai 4 has make(), Sisimai 5 has rise(); either returns the parsed bounces.
t2=$(now)
SI_ROWS=$(perl -MSisimai -e '
    my $f = Sisimai->can("rise") ? "rise" : "make";
    my $v = Sisimai->$f($ARGV[0]) || [];
    print scalar(@$v), "\n";' "$TMP/big.mbox")
t3=$(now)

awk -v m="$MSGS" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v rr="$RB_ROWS" -v sr="$SI_ROWS" -v rss="$RB_RSS" -v goal="$GOAL" 'BEGIN {
    rt = b - a; st = d - c;
    rs = m / rt; ss = m / st;
    printf "%-8s %10s %12s %10s\n", "tool", "seconds", "messages/s", "records";
    printf "%-8s %10.2f %12.0f %10d   peak RSS %s MB\n", "rebound", rt, rs, rr, rss;
    printf "%-8s %10.2f %12.0f %10d\n", "sisimai", st, ss, sr;
    ratio = rs / ss;
    printf "ratio: %.1fx (goal >= %dx) %s\n", ratio, goal, (ratio >= goal ? "OK" : "MISSED");
    exit (ratio >= goal ? 0 : 1);
}'
