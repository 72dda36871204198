#!/bin/sh
# Cost per lab-month against the number of labs and months: baseline's world with N
# copies of its first lab (first releases staggered), at several horizons, measured with
# `racerun bench` (1 thread, median of 3). Run by hand from the repository root:
#
#   cargo build --release && sh benches/scale.sh > scale.txt
#
# Each cell simulates about 3.6M lab-months, so every cell takes seconds, not minutes.
#
# With CALLGRIND=1 it counts instructions instead (valgrind, stable on a busy machine):
# `racerun bench --repeat 1` at R and 2R runs (R x labs x months about 50,000
# lab-months), and reports the difference per lab-month, so that fixed costs (start-up)
# cancel. The verdict's bootstrap is fixed only from 1,000 runs on (below, it grows with
# the runs): a cell of fewer runs counts part of it (see benches/README.md, "A correction").
set -eu
CALLGRIND=${CALLGRIND:-0}
LABS=${LABS:-3 10 25 50}
MONTHS=${MONTHS:-12 120 600}
BIN=${BIN:-target/release/racerun}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The world: baseline.toml up to its first [[labs]].
sed '/^\[\[labs\]\]/,$d' scenarios/baseline.toml | sed 's/^months = .*/months = MONTHS/' > "$TMP/world"
if [ "$CALLGRIND" = 1 ]; then
  printf 'labs\tmonths\truns\tinstructions/lab-month\n'
else
  printf 'labs\tmonths\truns\tlab-months/s\n'
fi
for labs in $LABS; do
  for months in $MONTHS; do
    f="$TMP/s-$labs-$months.toml"
    sed "s/MONTHS/$months/" "$TMP/world" > "$f"
    i=0
    while [ $i -lt $labs ]; do
      cat >> "$f" <<LAB

[[labs]]
id = "lab$i"
fleet = 40000.0
cash = 2e9
run_months = 6
first_release = $(( i % 6 + 1 ))
price = 4000.0
funding = 4e8
reinvest = 0.5
policy = { kind = "serve_first", min_train = 0.5, max_train = 0.85 }
LAB
      i=$((i + 1))
    done
    if ! "$BIN" bench "$f" --runs 1 --threads 1 --repeat 1 >/dev/null 2>&1; then
      printf '%s\t%s\t-\trefused: months x labs over the limit\n' $labs $months
      continue
    fi
    if [ "$CALLGRIND" = 1 ]; then
      runs=$(( 50000 / (labs * months) ))
      [ $runs -lt 1 ] && runs=1
      count() {
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" bench "$f" \
          --runs "$1" --threads 1 --repeat 1 2>&1 >/dev/null | sed -n 's/.*Collected : //p'
      }
      one=$(count $runs)
      two=$(count $((2 * runs)))
      printf '%s\t%s\t%s\t%s\n' $labs $months $runs $(( (two - one) / (runs * labs * months) ))
      continue
    fi
    runs=$(( 3600000 / (labs * months) ))
    [ $runs -lt 1 ] && runs=1
    rate=$("$BIN" bench "$f" --runs $runs --threads 1 --repeat 3 | sed -n 's/^1 thread(s): \([^ ]*\) .*/\1/p')
    printf '%s\t%s\t%s\t%s\n' $labs $months $runs "$rate"
  done
done
