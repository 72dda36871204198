#!/usr/bin/env bash
# Regenerates the README's chart gallery (output/gallery/*.png) from the bundled
# scenarios. Deterministic: same seed, same charts.
#   scripts/gallery.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/racerun
gallery=output/gallery
mkdir -p "$gallery"

# The baseline chart set: 1,000 runs, seed 42.
"$bin" run scenarios/baseline.toml --runs 1000 --seed 42 --quiet --out output/baseline
for chart in leapfrog quality_bands who_leads allocation customers lead_changes spells headwind; do
  cp "output/baseline/charts/$chart.png" "$gallery/baseline-$chart.png"
done
echo "gallery written to $gallery/"
