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

# Wall and CPU (user+sys) seconds of each tool. The machine is shared, so
# wall time is noisy; CPU time is the fairer single-core comparison.
TIMEFORMAT='%R %U %S'
{ time "$BIN" classify "$TMP/big.mbox" > "$TMP/rebound.tsv" ; } 2> "$TMP/rb.time"
RB_ROWS=$(( $(wc -l < "$TMP/rebound.tsv") - 1 ))
RB_RSS=n/a
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$TMP/rss" "$BIN" classify "$TMP/big.mbox" > /dev/null
    RB_RSS="$(awk '{printf "%.0f", $1/1024}' "$TMP/rss") MB"
fi

# Sisimai 4 has make(), Sisimai 5 has rise(); either returns the parsed bounces.
{ time perl -MSisimai -e '
    my $f = Sisimai->can("rise") ? "rise" : "make";
    my $v = Sisimai->$f($ARGV[0]) || [];
    print scalar(@$v), "\n";' "$TMP/big.mbox" > "$TMP/sisimai.count" ; } 2> "$TMP/si.time"
SI_ROWS=$(cat "$TMP/sisimai.count")

read -r RW RU RS < "$TMP/rb.time"
read -r SW SU SS < "$TMP/si.time"
awk -v m="$MSGS" -v rw="$RW" -v ru="$RU" -v rs="$RS" -v sw="$SW" -v su="$SU" -v ss="$SS" \
    -v rr="$RB_ROWS" -v sr="$SI_ROWS" -v rss="$RB_RSS" -v goal="$GOAL" 'BEGIN {
    rc = ru + rs; sc = su + ss;
    printf "%-8s %8s %8s %14s %13s %9s\n", "tool", "wall s", "cpu s", "msgs/s (wall)", "msgs/s (cpu)", "records";
    printf "%-8s %8.2f %8.2f %14.0f %13.0f %9d\n", "rebound", rw, rc, m / rw, m / rc, rr;
    printf "%-8s %8.2f %8.2f %14.0f %13.0f %9d\n", "sisimai", sw, sc, m / sw, m / sc, sr;
    printf "rebound peak RSS: %s\n", rss;
    wall = sw / rw; cpu = sc / rc;
    printf "ratio (wall): %.1fx   ratio (cpu): %.1fx   goal >= %dx: %s\n", wall, cpu, goal, (cpu >= goal ? "OK" : "MISSED");
    exit (cpu >= goal ? 0 : 1);
}'
