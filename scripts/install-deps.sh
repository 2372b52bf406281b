#!/usr/bin/env bash
# Install the Debian packages partsim needs to build and test.
#
#   scripts/install-deps.sh          build + test dependencies
#   scripts/install-deps.sh --zoo    also what workloads/zoo/export_zoo.py needs
#                                    (python3-torch, python3-torchvision: large)
#
# Idempotent and quiet when everything is present; otherwise one line says what it
# installs and uses sudo when not run as root.
set -euo pipefail

packages=(
  # toolchain
  gcc make cmake pkg-config
  # benchmarks: /usr/bin/time -v (peak RSS, bench/bench_run.sh), bc (bench/bench_sweep.sh)
  time bc
  # C libraries (SimGrid, YAML, HDF5, protobuf-c + the ONNX schema)
  libsimgrid-dev libyaml-dev libhdf5-dev libprotobuf-c-dev protobuf-c-compiler libonnx-dev
  # zlib: long trace tables are compressed on a second thread (traces/trace_deflate.c)
  zlib1g-dev
  # ONNX's own backend test models (conformance test)
  libonnx-testdata
  # sweeps over MPI ranks (mpirun partsim sweep; the sweep's MPI test)
  libopenmpi-dev openmpi-bin
  # Python side: tests and analysis (Debian's /usr/bin/python3)
  python3 python3-pytest python3-numpy python3-onnx python3-h5py python3-pandas
  # plots, notebooks (executed by make check) and the HTML report rendered in a test
  python3-matplotlib python3-nbclient python3-nbformat python3-ipykernel chromium
)

case "${1:-}" in
  "") ;;
  --zoo) packages+=(python3-torch python3-torchvision) ;;
  -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
  *) echo "install-deps.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-deps.sh: not root and no sudo: install these packages by hand: ${missing[*]}" >&2
  exit 1
fi

echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
