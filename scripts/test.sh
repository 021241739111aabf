#!/usr/bin/env bash
# The test command: installs what is missing, builds vitra (with CUDA when
# nvcc is present), and runs every test suite with ctest. GPU tests skip,
# with the reason, on a machine without a GPU.
#   scripts/test.sh            all labels (cpu, slow, gpu, oracle)
#   scripts/test.sh -L cpu     any ctest arguments select a subset
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/setup-deps.sh
vitra_setup_deps
# Tests only need the CUDA kernels to compile and link; one architecture keeps
# the build short. A real deployment build uses the full default list.
export VITRA_CUDA_ARCHITECTURES=${VITRA_CUDA_ARCHITECTURES:-90}
vitra_build build
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
