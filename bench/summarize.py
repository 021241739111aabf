#!/usr/bin/env python3
"""Turns the Google Benchmark JSON files of one bench/run.sh folder into a
Markdown table: benchmark, backend, median time, spread, atoms/s (atom
evaluations/s for bench_deepmd), and ns/day and GFLOP/s where a benchmark
reports them."""
import json
import pathlib
import sys


def main(folder: str) -> None:
    rows = []
    for path in sorted(pathlib.Path(folder).glob("bench_*.json")):
        data = json.loads(path.read_text())
        ctx = data.get("context", {})
        by_name = {}
        for b in data.get("benchmarks", []):
            by_name.setdefault(b["run_name"], {})[b.get("aggregate_name", "")] = b
        for name, aggs in by_name.items():
            med = aggs.get("median") or aggs.get("")
            if med is None:
                continue
            std = aggs.get("stddev", {})
            rate = med.get("atoms_per_second") or med.get("atoms/s") or med.get("atom_evals_per_s")
            rows.append((name, ctx.get("backend", "?"), med["real_time"], med["time_unit"],
                         std.get("real_time"), rate, med.get("ns_per_day"), med.get("gflops")))
    print(f"# vitra kernel benchmarks ({folder})\n")
    device = pathlib.Path(folder, "device.txt")
    if device.exists():
        print("```\n" + device.read_text().strip() + "\n```\n")
    print("| benchmark | backend | median | stddev | atoms/s | ns/day | GFLOP/s |")
    print("|---|---|---|---|---|---|---|")
    for name, backend, t, unit, sd, rate, nsd, gf in rows:
        sd_s = f"{sd:.3g} {unit}" if sd is not None else "-"
        rate_s = f"{rate:.3g}" if rate else "-"
        nsd_s = f"{nsd:.3g}" if nsd else "-"
        gf_s = f"{gf:.3g}" if gf else "-"
        print(f"| {name} | {backend} | {t:.3g} {unit} | {sd_s} | {rate_s} | {nsd_s} | {gf_s} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
