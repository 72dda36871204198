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
# The race-or-run phase diagram: GPU supply (scarce to abundant) against self-improvement.
"$bin" sweep phase --vary world.gpus.supply=1000:300000:20 --log \
  --vary world.dynamics.kappa=0:2:20 --runs 200 --seed 42 --quiet --out output/phase
cp output/phase/charts/phase.png "$gallery/phase.png"
# Which assumption decides persistence: Sobol indices over supply, kappa and beta.
"$bin" sensitivity baseline --measure persistence_quality \
  --params world.gpus.supply=5000:60000,world.dynamics.kappa=0:1.5,world.market.beta=0.5:3 \
  --samples 256 --runs 40 --seed 42 --quiet --out output/baseline-sensitivity
cp output/baseline-sensitivity/charts/tornado.png "$gallery/baseline-sensitivity-tornado.png"
echo "gallery written to $gallery/"
