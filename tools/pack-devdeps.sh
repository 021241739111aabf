#!/usr/bin/env bash
# Fills ./.devdeps for a build on the lent GPU machine (no package registry
# there): the shared pack-deps.sh (toml++, nlohmann-json, CLI11, fmt headers,
# GoogleTest sources) plus what vitra needs beyond it (Random123 headers,
# Google Benchmark headers and library, yaml-cpp headers and library). Then: run(carry=[".devdeps"]) and
# configure with -DVITRA_DEPS_PREFIX=$PWD/.devdeps.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
cd "$root"
bash "$root/../shared/device/pack-deps.sh"
cp -r /usr/include/Random123 .devdeps/include/
if [ -d /usr/include/benchmark ]; then
  cp -r /usr/include/benchmark .devdeps/include/
  mkdir -p .devdeps/lib
  cp -a /usr/lib/x86_64-linux-gnu/libbenchmark.so* .devdeps/lib/
fi
if [ -d /usr/include/yaml-cpp ]; then
  cp -r /usr/include/yaml-cpp .devdeps/include/
  mkdir -p .devdeps/lib
  cp -a /usr/lib/x86_64-linux-gnu/libyaml-cpp.so* .devdeps/lib/
fi
du -sh .devdeps
