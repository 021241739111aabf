#!/usr/bin/env bash
# Runs every kernel benchmark and writes the results to OUTDIR:
#   bench/run.sh OUTDIR [BUILD_DIR]
# One JSON per benchmark and backend (Google Benchmark's format, with the
# device, date and commit in its context) and a Markdown summary. On a
# machine with a GPU both backends run; without one, the CPU backend only.
# bench_deepmd (se_e2_a inference) runs 10^3 atoms on the CPU backend and
# 10^3..10^5 on the GPU (VITRA_BENCH_LARGE=1: all sizes on the CPU too).
# VITRA_BENCH_COMPARE_DEEPMD=1 adds bench/compare_deepmd.py (vitra against
# DeePMD-kit's PyTorch backend; needs torch and deepmd-kit, or the folder
# `compare_deepmd.py --pack-deepmd DIR` made, named by
# VITRA_BENCH_DEEPMD_PYTHONPATH=DIR) into OUTDIR.
set -euo pipefail
out=${1:?usage: bench/run.sh OUTDIR [BUILD_DIR]}
build=${2:-build}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$out"
vitra="$root/$build/bin/vitra"
[ -x "$vitra" ] || { echo "bench/run.sh: $vitra not built; run scripts/test.sh or cmake first" >&2; exit 1; }
backends=(cpu)
"$vitra" --device cuda info >/dev/null 2>&1 && backends=(cuda cpu)
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
"$vitra" info > "$out/device.txt" 2>&1 || true
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv >> "$out/device.txt" 2>&1 || true
for exe in "$root/$build"/bin/bench_*; do
  name=$(basename "$exe")
  for b in "${backends[@]}"; do
    echo "== $name on $b"
    VITRA_BENCH_DEVICE=$b "$exe" --benchmark_repetitions=${VITRA_BENCH_REPS:-5} \
      --benchmark_report_aggregates_only=true \
      --benchmark_context=commit=$commit --benchmark_context=backend=$b \
      --benchmark_context=date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
      --benchmark_out="$out/${name}_$b.json" --benchmark_out_format=json \
      ${VITRA_BENCH_FILTER:+--benchmark_filter=$VITRA_BENCH_FILTER}
  done
done
if [ -n "${VITRA_BENCH_COMPARE_DEEPMD:-}" ]; then
  echo "== compare_deepmd.py on ${backends[0]}"
  python3 "$root/bench/compare_deepmd.py" --build "$root/$build" --backend "${backends[0]}" --out "$out" \
    --workdir "$out/deepmd_inputs" ${VITRA_BENCH_DEEPMD_PYTHONPATH:+--python-path "$VITRA_BENCH_DEEPMD_PYTHONPATH"} \
    || echo "bench/run.sh: compare_deepmd.py did not finish (see above)"
  rm -rf "$out/deepmd_inputs"  # the models and structures are large and remade by --export
fi
python3 "$root/bench/summarize.py" "$out" > "$out/summary.md"
cat "$out/summary.md"
