#!/usr/bin/env bash
# Classification throughput: Rebound vs Sisimai (Debian libsisimai-perl) on the
# same mbox, built by repeating the corpus messages up to at least 50 MB.
# Usage: scripts/bench-classify.sh [--profile] [MIN_MB]   (default 50; REBOUND_BIN=path to skip the build)
#   --profile  also records `rebound classify` with perf (Debian linux-perf,
#              installed when missing) and prints the top self-time symbols.
# Prints a table, then `name<TAB>value<TAB>goal<TAB>status` lines for `make bench`;
# exits non-zero while the goal (CPU-time ratio) is missed. The wall ratio is printed
# too but not gated (Rebound uses both cores, Sisimai one); see the "Speed" section of
# docs/classification.md for the last measurements and where the time goes.
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=0
if [ "${1:-}" = "--profile" ]; then PROFILE=1; shift; fi
MIN_MB=${1:-50}
GOAL=50
CORPUS=../shared/corpus/sisimai/maildir/bsd

# REBOUND_BIN: measure another build (e.g. a copy of the binary before a change).
if [ -n "${REBOUND_BIN:-}" ]; then
    BIN=$REBOUND_BIN
else
    cargo build --release --quiet --bin rebound
    BIN=$PWD/target/release/rebound
fi

if ! perl -MSisimai -e1 2>/dev/null; then
    echo "installing libsisimai-perl…" >&2
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
echo "input: $SIZE_MB MB, $MSGS messages; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Wall and CPU (user+sys) seconds of each tool. The machine is shared, so
# wall time is noisy; CPU time is the steadier figure. Rebound parses on every
# core (up to 4), so its wall time can be below its CPU time; Sisimai uses one.
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
status=0
awk -v m="$MSGS" -v rw="$RW" -v ru="$RU" -v rs="$RS" -v sw="$SW" -v su="$SU" -v ss="$SS" \
    -v rr="$RB_ROWS" -v sr="$SI_ROWS" -v rss="$RB_RSS" -v goal="$GOAL" 'BEGIN {
    rc = ru + rs; sc = su + ss;
    printf "%-8s %8s %8s %14s %13s %9s\n", "tool", "wall s", "cpu s", "msgs/s (wall)", "msgs/s (cpu)", "records";
    printf "%-8s %8.2f %8.2f %14.0f %13.0f %9d\n", "rebound", rw, rc, m / rw, m / rc, rr;
    printf "%-8s %8.2f %8.2f %14.0f %13.0f %9d\n", "sisimai", sw, sc, m / sw, m / sc, sr;
    printf "rebound peak RSS: %s\n", rss;
    wall = sw / rw; cpu = sc / rc;
    ok = (cpu >= goal ? "ok" : "MISS");
    printf "ratio (wall): %.1fx   ratio (cpu): %.1fx   goal >= %dx: %s\n", wall, cpu, goal, (cpu >= goal ? "OK" : "MISSED");
    # Lines for the make bench table.
    printf "classify: rebound msgs/s (cpu)\t%.0f\t—\tinfo\n", m / rc;
    printf "classify: sisimai msgs/s (cpu)\t%.0f\t—\tinfo\n", m / sc;
    printf "classify: ratio vs Sisimai (wall)\t%.1fx\t>= %dx\tinfo\n", wall, goal;
    printf "classify: ratio vs Sisimai (cpu)\t%.1fx\t>= %dx\t%s\n", cpu, goal, ok;
    if (cpu < goal) {
        printf "classification %.1fx Sisimai by CPU time (%.1fx wall), goal %dx\n", cpu, wall, goal > "/dev/stderr";
        exit 1;
    }
}' || status=$?

if [ "$PROFILE" = 1 ]; then
    if ! command -v perf >/dev/null; then
        echo "installing linux-perf…" >&2
        apt-get install -y -qq linux-perf >/dev/null
    fi
    # cpu-clock: this VM exposes no hardware counters.
    perf record -q -e cpu-clock -F 2000 -g -o "$TMP/perf.data" "$BIN" classify "$TMP/big.mbox" > /dev/null 2>&1
    echo "profile of rebound classify (self time, top 20):"
    perf report -i "$TMP/perf.data" --no-children --sort symbol -g none --percent-limit 0.8 2>/dev/null \
        | grep '%' | grep -v '^#' | head -20 | cut -c1-120
fi
exit "$status"
