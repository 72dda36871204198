#!/usr/bin/env bash
# Regenerates the README's chart gallery (output/gallery/) from the bundled scenarios:
# the baseline's chart set and its report.html, why the baseline is what it is (the
# attribution chart and report.html of `racerun explain`), the headline comparison of a
# race, a run and the baseline, the phase diagram and the tornado. Deterministic: same seed, same
# charts. Run it from a clean checkout so the reports name the commit without `-dirty`.
#   scripts/gallery.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/racerun"
gallery=output/gallery
mkdir -p "$gallery"
# Only what this script writes (tracked by git), not a file someone else put there.
git ls-files -z "$gallery" | xargs -0 rm -f

# The baseline chart set and its report: 1,000 simulations, seed 42.
"$bin" run scenarios/baseline.toml --runs 1000 --seed 42 --quiet --out output/baseline
for png in output/baseline/charts/*.png; do
  cp "$png" "$gallery/baseline-$(basename "$png")"
done
cp output/baseline/report.html "$gallery/baseline-report.html"

# Why: each channel's part in the baseline's verdict, same simulations and seed.
"$bin" explain scenarios/baseline.toml --runs 1000 --seed 42 --quiet --out output/baseline-explain
cp output/baseline-explain/charts/attribution.png "$gallery/baseline-attribution.png"
cp output/baseline-explain/charts/leapfrogs.png "$gallery/baseline-leapfrogs.png"
cp output/baseline-explain/report.html "$gallery/baseline-explain-report.html"

# The headline: a race, a run and the baseline side by side.
for name in race run; do
  "$bin" run "scenarios/$name.toml" --runs 1000 --seed 42 --quiet --out "output/$name"
done
"$bin" compare output/race output/run output/baseline --quiet --out output/compare
for png in output/compare/charts/*.png; do
  cp "$png" "$gallery/$(basename "$png")"
done
cp output/compare/report.html "$gallery/compare-report.html"
for headline in "$gallery/baseline-lead_survival.png" "$gallery/compare_survival.png"; do
  [ -f "$headline" ] || echo "warning: $headline not drawn: the summaries carry no lead survival" >&2
done

# The race-or-run phase diagram: GPU supply (scarce to abundant) against self-improvement.
"$bin" sweep phase --vary world.gpus.supply=1000:300000:20 --log \
  --vary world.dynamics.kappa=0:2:20 --runs 200 --seed 42 --quiet --out output/phase-sweep-supply-kappa
cp output/phase-sweep-supply-kappa/charts/phase.png "$gallery/phase.png"
# Which assumption decides persistence: Sobol indices over supply, kappa and beta.
"$bin" sensitivity baseline --measure persistence_norm_quality \
  --params world.gpus.supply=5000:60000,world.dynamics.kappa=0:1.5,world.market.beta=0.5:3 \
  --samples 256 --runs 40 --seed 42 --quiet --out output/baseline-sensitivity
cp output/baseline-sensitivity/charts/tornado.png "$gallery/baseline-sensitivity-tornado.png"
echo "gallery written to $gallery/"
