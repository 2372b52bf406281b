#!/usr/bin/env bash
# The sweep machinery's cost and its parallel efficiency (docs/PERFORMANCE.md,
# "Sweeps (issue 12)"): POINTS short points of the adas-8cam example (8
# cameras x 30 fps, ResNet-50; DURATION simulated seconds each, one seed per
# point so that every point costs the same):
#   bare     POINTS x `partsim run --no-trace --set seed=K`, one after another
#            (what a shell loop does: a process start per point);
#   sweep    `partsim sweep --vary seed=1:POINTS:1` at -j 1 and -j CORES;
#   calib    a pure-CPU job of about the same length per task (a shell busy
#            loop), POINTS tasks run at -P 1 and -P CORES by xargs: what
#            parallel speed-up this (shared) machine gives at all.
# Parallel efficiency = (sweep -j 1 / sweep -j CORES) / (calib -P 1 / calib -P CORES).
#
#   bench/bench_sweep.sh [BUILD_DIR] [POINTS] [DURATION]     defaults: build 200 1
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
points=${2:-200}
duration=${3:-1}
partsim=$build/partsim
scenario=platforms/examples/adas-8cam.yaml
cores=$(nproc)
tmp=$(mktemp -d /tmp/bench_sweep.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
[ -x "$partsim" ] || { echo "bench_sweep.sh: $partsim is missing: build first" >&2; exit 1; }

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }

t0=$(now)
for k in $(seq 1 "$points"); do
  "$partsim" run "$scenario" --no-trace --quiet --set seed="$k" --set duration="$duration s" \
    > /dev/null
done
bare=$(elapsed "$t0" "$(now)")

t0=$(now)
"$partsim" sweep "$scenario" --vary seed=1:"$points":1 --set duration="$duration s" -j 1 \
  --quiet -o "$tmp/j1.h5" > /dev/null
sweep1=$(elapsed "$t0" "$(now)")
t0=$(now)
"$partsim" sweep "$scenario" --vary seed=1:"$points":1 --set duration="$duration s" \
  -j "$cores" --quiet -o "$tmp/jn.h5" > /dev/null
sweepn=$(elapsed "$t0" "$(now)")
# the simulations alone: the points' own wall_s, summed (read back with h5py)
inside=$(/usr/bin/python3 -c "import h5py; f = h5py.File('$tmp/j1.h5'); print(f['/sweep/points']['wall_s'].sum())")

# a busy loop as long as one point
per=$(echo "$sweep1 / $points" | bc -l)
loops=20000
t0=$(now); bash -c "for ((i = 0; i < $loops; i++)); do :; done"; one=$(elapsed "$t0" "$(now)")
loops=$(printf '%.0f' "$(echo "$loops * $per / $one" | bc -l)")
t0=$(now)
seq 1 "$points" | xargs -P 1 -I{} bash -c "for ((i = 0; i < $loops; i++)); do :; done"
calib1=$(elapsed "$t0" "$(now)")
t0=$(now)
seq 1 "$points" | xargs -P "$cores" -I{} bash -c "for ((i = 0; i < $loops; i++)); do :; done"
calibn=$(elapsed "$t0" "$(now)")

printf '| %d | %s s | %.2f | %.2f | %.2f | %.2f | %.3f | %.3f | %.2f | %.2f | %.2f |\n' \
  "$points" "$duration" "$bare" "$sweep1" "$sweepn" "$inside" \
  "$(echo "$sweep1 / $points * 1000" | bc -l)" "$(echo "($sweep1 - $inside) / $points * 1000" | bc -l)" \
  "$(echo "$sweep1 / $sweepn" | bc -l)" "$(echo "$calib1 / $calibn" | bc -l)" \
  "$(echo "($sweep1 / $sweepn) / ($calib1 / $calibn)" | bc -l)"
