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
# ctest runs test executables side by side, one per core; one OpenMP thread
# each keeps them from oversubscribing the cores (spinning OpenMP threads that
# compete for a core slow the suite several-fold). Tests that need several
# threads set them themselves.
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
