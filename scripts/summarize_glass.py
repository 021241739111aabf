#!/usr/bin/env python3
"""Summary of a glass run from its thermo.csv: the means over the second half
of one stage (default: the last).

    scripts/summarize_glass.py RUN/thermo.csv [STAGE]
"""
import csv
import sys


def main():
    path = sys.argv[1]
    with open(path) as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"{path}: no rows")
    stage = sys.argv[2] if len(sys.argv) > 2 else rows[-1]["stage"]
    part = [r for r in rows if r["stage"] == stage]
    if not part:
        sys.exit(f"{path}: no rows of stage {stage!r}")
    tail = part[len(part) // 2:]

    def mean(key):
        return sum(float(r[key]) for r in tail) / len(tail)

    print(f"{path}: stage {stage}, mean of its second half ({len(tail)} rows):")
    print(f"  density     {mean('density_gcm3'):.4f} g/cm3")
    print(f"  temperature {mean('temperature_K'):.1f} K")
    print(f"  pressure    {mean('pressure_bar'):.0f} bar")
    print(f"  E_pot       {mean('potential_eV'):.3f} eV")


if __name__ == "__main__":
    main()
