#!/usr/bin/env bash
# Speed and memory of `partsim run` on the adas-8cam example (8 cameras x
# 30 fps, ResNet-50 cut after /maxpool) against the bare SimGrid floor
# (bench_simgrid_floor), for several simulated durations, with and without
# the /frames trace.  Each point: median wall time of RUNS runs of the whole
# process, and its peak RSS (/usr/bin/time -v, "Maximum resident set size").
#
#   bench/bench_run.sh [BUILD_DIR] [DURATIONS...]
#       defaults: build, 10 60 600 3600 (seconds of simulated time)
#   RUNS=3 (environment) runs per point
#
# Prints one Markdown table row per point (docs/PERFORMANCE.md, section
# "Pipeline simulation (issue 5)").
set -euo pipefail

cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
durations=("$@")
[ ${#durations[@]} -eq 0 ] && durations=(10 60 600 3600)
runs=${RUNS:-3}
partsim=$build/partsim
floor=$build/bench/bench_simgrid_floor
scenario=platforms/examples/adas-8cam.yaml
tmp=$(mktemp -d /tmp/bench_run.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x /usr/bin/time ]; then
  echo "bench_run.sh: /usr/bin/time is missing: run scripts/install-deps.sh" >&2
  exit 1
fi
for exe in "$partsim" "$floor"; do
  [ -x "$exe" ] || { echo "bench_run.sh: $exe is missing: build first" >&2; exit 1; }
done

# time_one OUT CMD...: run CMD, append "WALL_S RSS_KB" to OUT
time_one() {
  local out=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$tmp/time.txt" "$@" > "$tmp/stdout.txt"
  t1=$(date +%s.%N)
  local rss
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
  echo "$t0 $t1 $rss" | awk '{ printf "%.3f %s\n", $2 - $1, $3 }' >> "$out"
}

# median_of FILE: "WALL_S RSS_KB" of the median wall time
median_of() {
  sort -g "$1" | awk '{ w[NR] = $1; r[NR] = $2 } END { m = int((NR + 1) / 2); print w[m], r[m] }'
}

row() { # row LABEL DURATION FRAMES WALL_S RSS_KB [FILE_BYTES]
  awk -v l="$1" -v d="$2" -v f="$3" -v w="$4" -v r="$5" -v b="${6:-}" 'BEGIN {
    printf "| %s | %d | %d | %.2f | %.0f | %.0f | %s |\n", l, d, f, w, f / w, r / 1024,
           b == "" ? "-" : sprintf("%.1f", b / 1e6) }'
}

echo "| run | simulated s | frames | wall s | frames/s | peak RSS MB | trace MB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for d in "${durations[@]}"; do
  frames=$((d * 8 * 30))
  for mode in frames noframes; do
    : > "$tmp/runs.txt"
    set=()
    [ $mode = noframes ] && set=(--set trace.frames=false)
    for _ in $(seq "$runs"); do
      time_one "$tmp/runs.txt" "$partsim" run "$scenario" --quiet -o "$tmp/run.h5" \
        --set duration="${d}s" "${set[@]}"
    done
    grep -q "^detect *$frames " "$tmp/stdout.txt" || {
      echo "bench_run.sh: partsim did not report $frames frames:" >&2
      cat "$tmp/stdout.txt" >&2
      exit 1
    }
    read -r wall rss < <(median_of "$tmp/runs.txt")
    label="partsim, /frames"
    [ $mode = noframes ] && label="partsim, no /frames"
    row "$label" "$d" "$frames" "$wall" "$rss" "$(stat -c %s "$tmp/run.h5")"
  done
  : > "$tmp/runs.txt"
  for _ in $(seq "$runs"); do
    time_one "$tmp/runs.txt" "$floor" "$d"
  done
  read -r wall rss < <(median_of "$tmp/runs.txt")
  row "floor (bare SimGrid)" "$d" "$frames" "$wall" "$rss"
done
