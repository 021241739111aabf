#!/usr/bin/env bash
# Installs what vitra builds and tests with, from Debian packages and PyPI,
# skipping whatever is already there. Sourced by main-job.sh and test.sh.
# LAMMPS (Debian's lammps: the `lmp` binary) is the oracle the dynamics tests
# compare trajectories against; DeePMD-kit's numpy backend (PyPI deepmd-kit)
# is the oracle of the se_e2_a inference. yaml-cpp and HDF5 read DeePMD-kit
# model files (.yaml, .dp).
set -euo pipefail

vitra_apt_packages=(
  cmake ninja-build g++ git python3 python3-pip
  libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libfmt-dev librandom123-dev
  libgtest-dev libbenchmark-dev libyaml-cpp-dev libhdf5-dev
  lammps
)
vitra_pip_packages=(ase pytest numpy scipy deepmd-kit)

vitra_setup_deps() {
  local missing=()
  for p in "${vitra_apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "vitra setup: installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if ! python3 -c "import ase, pytest, numpy, scipy, deepmd.dpmodel" 2>/dev/null; then
    echo "vitra setup: installing Python packages: ${vitra_pip_packages[*]}"
    python3 -m pip install -q "${vitra_pip_packages[@]}" 2>/dev/null ||
      python3 -m pip install -q --break-system-packages "${vitra_pip_packages[@]}"
  fi
}

# Configures and builds vitra in $1 (default: build). CUDA is used when nvcc
# is on PATH or in /usr/local/cuda; VITRA_CUDA_ARCHITECTURES overrides the
# architectures (CMake's default list otherwise).
vitra_build() {
  local dir=${1:-build}
  shift || true
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  if ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then
    export PATH=/usr/local/cuda/bin:$PATH
  fi
  local args=(-S "$root" -B "$root/$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release)
  [ -n "${VITRA_CUDA_ARCHITECTURES:-}" ] && args+=("-DCMAKE_CUDA_ARCHITECTURES=${VITRA_CUDA_ARCHITECTURES}")
  cmake "${args[@]}" "$@" >"$root/$dir.configure.log" 2>&1 || { cat "$root/$dir.configure.log"; return 1; }
  grep -A12 "vitra .* configuration" "$root/$dir.configure.log" | sed 's/^-- //'
  cmake --build "$root/$dir" -j "$(nproc)"
}
