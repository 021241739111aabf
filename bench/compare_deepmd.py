#!/usr/bin/env python3
"""vitra against DeePMD-kit's PyTorch backend: se_e2_a inference throughput
on the same model and the same LB67 structures (10^3, 10^4, 10^5 atoms),
float64 and float32. Meant for the GPU machine:

    bench/compare_deepmd.py --build build              # everything
    bench/compare_deepmd.py --build build --dry-run    # models + structures only (no torch)

Steps:
 1. `bench_deepmd --export WORKDIR` writes the reference model in DeePMD-kit's
    YAML (se_e2_a_float64.yaml, se_e2_a_float32.yaml), the structures
    (lb67_<N>.extxyz) and manifest.json. --model FILE.yaml uses another model
    instead (its type map must hold O, B and Li; `vitra model convert` makes
    a YAML from a .dp/.vdp file).
 2. vitra: bench_deepmd's DeepMD/<precision>/{forces,network}/<N> cases on
    those structures (forces = a full MD-step evaluation: rebuild check,
    sel-sorted list, network; network = the passes on a built list).
 3. DeePMD-kit (deepmd.pt): the YAML becomes a TorchScript .pth
    (deepmd.pt.utils.serialization.deserialize_to_file, what `dp
    convert-backend model.yaml model.pth` does), then
      lower:   model.forward_lower(extended coords, types, nlist, mapping) on
               ghost atoms and a neighbor list built once beforehand on the
               GPU, the forces folded back onto the local atoms: what LAMMPS'
               pair_style deepmd runs per step (its neighbor list excluded);
      deeppot: DeepPot("model.pth").eval(coords, cell, types), the Python
               API end to end (host copies and its own neighbor search
               included; its all-pairs search may run out of memory at 10^5).
    Times are medians of --repeats calls after --warmup calls, with the
    device synchronised around each.
 4. Agreement on the smallest structure: energy and forces of DeePMD-kit
    (lower) against `vitra eval --model` (same YAML file).
 5. Writes deepmd_compare.json and deepmd_compare.md under
    bench/results/<date>_<device>_<commit>/ (or --out DIR) and prints the
    table. Ratios are vitra / DeePMD-kit (> 1: vitra faster).

When torch or deepmd.pt cannot be imported, the script says which and why
and exits with status 3 before timing anything (--skip-deepmd times vitra
alone). No third-party module is needed for --dry-run or --skip-deepmd.

A GPU machine with torch but without deepmd-kit and without a package index:
here (where scripts/setup-deps.sh installed deepmd-kit)

    bench/compare_deepmd.py --pack-deepmd .devdeps/python    # ~9 MiB, pure Python

copies deepmd-kit's pt backend (no compiled op libraries, no TensorFlow, JAX
or Paddle backend) with array_api_compat, yaml, packaging and
typing_extensions; there, carry .devdeps and add --python-path
$PWD/.devdeps/python. deepmd.pt's compiled op library (and the MPI library
PyPI wheels load with it) is never loaded: an uncompressed se_e2_a model
does not use it (--deepmd-custom-ops loads it); modules that only other
models or file formats use (h5py, ml_dtypes, scipy, e3nn, lmdb, ...) are
replaced by stubs when missing, and the report lists them. numpy must be
importable there.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import pathlib
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
PRECISIONS = ("float64", "float32")


class CompareError(RuntimeError):
    """A problem the user can fix (message printed without a traceback)."""


# ---------------------------------------------------------------- structures

def read_extxyz(path: pathlib.Path) -> dict:
    """The single frame of an extended XYZ file as bench_deepmd writes it:
    species and positions (Properties=species:S:1:pos:R:3...), Lattice."""
    with open(path) as fh:
        lines = fh.read().splitlines()
    if not lines:
        raise CompareError(f"{path}: empty file")
    try:
        n = int(lines[0].split()[0])
    except ValueError as e:
        raise CompareError(f"{path}: line 1: expected the atom count") from e
    header = lines[1]
    m = re.search(r'Lattice="([^"]+)"', header)
    if not m:
        raise CompareError(f"{path}: line 2: no Lattice=\"...\" (a periodic cell is needed)")
    lat = [float(x) for x in m.group(1).split()]
    if len(lat) != 9:
        raise CompareError(f"{path}: line 2: Lattice needs 9 numbers, found {len(lat)}")
    cell = [lat[0:3], lat[3:6], lat[6:9]]
    props = re.search(r"Properties=(\S+)", header)
    cols = props.group(1).split(":") if props else ["species", "S", "1", "pos", "R", "3"]
    fields, col = {}, 0
    for i in range(0, len(cols) - 2, 3):
        fields[cols[i]] = (col, int(cols[i + 2]))
        col += int(cols[i + 2])
    if "species" not in fields or "pos" not in fields:
        raise CompareError(f"{path}: line 2: Properties must hold species and pos")
    si, pi = fields["species"][0], fields["pos"][0]
    species, pos = [], []
    for k in range(n):
        if 2 + k >= len(lines):
            raise CompareError(f"{path}: {n} atoms announced, {k} found")
        parts = lines[2 + k].split()
        species.append(parts[si])
        pos.append([float(parts[pi]), float(parts[pi + 1]), float(parts[pi + 2])])
    return {"species": species, "positions": pos, "cell": cell, "atoms": n}


# ---------------------------------------------------------------- helpers

def run(cmd: list[str], env: dict | None = None, capture: bool = False) -> str:
    print("+ " + " ".join(str(c) for c in cmd), flush=True)
    try:
        r = subprocess.run([str(c) for c in cmd], env=env, check=False, text=True,
                           stdout=subprocess.PIPE if capture else None)
    except FileNotFoundError as e:
        raise CompareError(f"cannot run {cmd[0]}: {e}") from e
    if r.returncode != 0:
        raise CompareError(f"{cmd[0]} failed with exit status {r.returncode}")
    return r.stdout if capture else ""


def git_commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], text=True,
                              capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    for key in ("h200", "h100", "a100", "l40s", "l4", "v100", "rtx"):
        if key in s:
            return key
    return s[:24] or "device"


def median_time(fn, warmup: int, repeats: int, sync) -> float:
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# ---------------------------------------------------------------- DeePMD-kit

# Modules deepmd.pt imports at the top of files an uncompressed se_e2_a
# model read from YAML never runs (other descriptors, HDF5 and LMDB data,
# bfloat16); a missing one is replaced by a stub whose attributes raise when
# used, and the report lists them.
OPTIONAL_MODULES = {"e3nn", "h5py", "ml_dtypes", "lmdb", "msgpack", "mendeleev", "scipy", "vesin",
                    "nvalchemiops", "opt_einsum_fx", "einops", "wcmatch", "dargs"}
STUBBED: list[str] = []


def stub_module(name: str) -> None:
    import types

    def missing(attr):
        if attr.startswith("__"):
            raise AttributeError(attr)

        class Missing:
            def __init__(self, *a, **k):
                raise ImportError(f"{name}.{attr}: module {name} is a stub (not installed)")

            def __call__(self, *a, **k):
                raise ImportError(f"{name}.{attr}: module {name} is a stub (not installed)")
        Missing.__name__ = attr
        setattr(mod, attr, Missing)  # the same object on every access (dict keys, identity checks)
        return Missing

    mod = types.ModuleType(name)
    mod.__path__ = []  # a package, so that submodules can be stubbed too
    mod.__getattr__ = missing
    sys.modules[name] = mod
    STUBBED.append(name)
    print(f"compare_deepmd: {name} is not installed; using a stub (se_e2_a does not use it)", file=sys.stderr)


def import_deepmd(extra_paths: list[str], custom_ops: bool = False):
    """torch and deepmd.pt, or CompareError saying which import failed."""
    for p in reversed(extra_paths):
        sys.path.insert(0, p)
    try:
        import torch  # noqa: F401
    except Exception as e:  # ImportError, or a broken CUDA library
        raise CompareError(
            f"cannot import torch ({type(e).__name__}: {e}). DeePMD-kit's PyTorch backend needs "
            "PyTorch; run this on the GPU machine's python3, or pass --skip-deepmd to time vitra "
            "alone.") from e
    if not custom_ops:
        # deepmd.pt loads its compiled op library (and, in PyPI wheels, MPI
        # through the `mpich` package) on import; an uncompressed se_e2_a
        # model uses neither, and the library must match the torch version.
        import types
        stub = types.ModuleType("deepmd.pt.cxx_op")
        stub.ENABLE_CUSTOMIZED_OP = False
        stub.__all__ = ["ENABLE_CUSTOMIZED_OP"]
        sys.modules["deepmd.pt.cxx_op"] = stub
    try:
        for _ in range(32):
            try:
                import deepmd  # noqa: F401
                from deepmd.pt.utils import serialization as _s  # noqa: F401
                from deepmd.dpmodel.utils.serialization import load_dp_model  # noqa: F401
                break
            except ModuleNotFoundError as e:
                if not e.name or e.name.split(".")[0] not in OPTIONAL_MODULES or e.name in STUBBED:
                    raise
                stub_module(e.name)
    except Exception as e:
        raise CompareError(
            f"cannot import DeePMD-kit's PyTorch backend deepmd.pt ({type(e).__name__}: {e}). "
            "Install deepmd-kit (pip install deepmd-kit; pure Python for the pt backend) or carry "
            "its site-packages and pass --python-path DIR; --skip-deepmd times vitra alone.") from e
    import torch
    if not torch.cuda.is_available():
        print("compare_deepmd: warning: torch sees no CUDA device; DeePMD-kit runs on the CPU",
              file=sys.stderr)
    return torch


def to_pth(yaml_path: pathlib.Path, pth_path: pathlib.Path) -> None:
    """YAML -> TorchScript .pth, skipped when the .pth was made from the same
    YAML bytes (a sidecar holds their SHA-256)."""
    import hashlib
    from deepmd.dpmodel.utils.serialization import load_dp_model
    from deepmd.pt.utils.serialization import deserialize_to_file
    digest = hashlib.sha256(yaml_path.read_bytes()).hexdigest()
    stamp = pth_path.with_name(pth_path.name + ".sha256")
    if pth_path.exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return
    print(f"compare_deepmd: converting {yaml_path.name} -> {pth_path.name}", flush=True)
    deserialize_to_file(str(pth_path), load_dp_model(str(yaml_path)))
    stamp.write_text(digest + "\n")


def extend_and_nlist(torch, coords, cell, atype, rcut: float, device, chunk_bytes: float = 1.0e9):
    """Ghost atoms within rcut of the cell and, for every local atom, the
    indices of the extended atoms within rcut (unsorted, padded with -1);
    DeePMD-kit's format_nlist sorts and splits them by type. Built on
    `device` in row chunks so that 10^5 atoms fit."""
    dt = torch.float64
    x = torch.as_tensor(coords, dtype=dt, device=device)
    h = torch.as_tensor(cell, dtype=dt, device=device)
    t = torch.as_tensor(atype, dtype=torch.long, device=device)
    n = x.shape[0]
    frac = torch.remainder(x @ torch.linalg.inv(h), 1.0)
    x = frac @ h  # wrapped
    vol = torch.abs(torch.det(h))
    widths = torch.stack([vol / torch.linalg.norm(torch.linalg.cross(h[(k + 1) % 3], h[(k + 2) % 3]))
                          for k in range(3)])
    reach = (rcut / widths).tolist()
    nimg = [int(math.ceil(r)) for r in reach]
    ext_x, ext_t, mapping = [x], [t], [torch.arange(n, device=device)]
    for a in range(-nimg[0], nimg[0] + 1):
        for b in range(-nimg[1], nimg[1] + 1):
            for c in range(-nimg[2], nimg[2] + 1):
                if a == 0 and b == 0 and c == 0:
                    continue
                s = torch.tensor([a, b, c], dtype=dt, device=device)
                f = frac + s
                keep = ((f[:, 0] >= -reach[0]) & (f[:, 0] < 1 + reach[0]) & (f[:, 1] >= -reach[1]) &
                        (f[:, 1] < 1 + reach[1]) & (f[:, 2] >= -reach[2]) & (f[:, 2] < 1 + reach[2]))
                idx = torch.nonzero(keep).flatten()
                ext_x.append(f[idx] @ h)
                ext_t.append(t[idx])
                mapping.append(idx)
    ex = torch.cat(ext_x)
    et = torch.cat(ext_t)
    mp = torch.cat(mapping)
    nall = ex.shape[0]
    rows = max(1, int(chunk_bytes / (8.0 * nall)))
    parts, kmax = [], 0
    rc2 = rcut * rcut
    for i0 in range(0, n, rows):
        i1 = min(n, i0 + rows)
        d2 = torch.cdist(ex[i0:i1], ex).square()
        d2[torch.arange(i1 - i0, device=device), torch.arange(i0, i1, device=device)] = math.inf
        d2[d2 >= rc2] = math.inf
        k = int((d2 < math.inf).sum(dim=1).max().item())
        val, idx = torch.topk(d2, k, dim=1, largest=False)
        idx[val == math.inf] = -1
        parts.append(idx)
        kmax = max(kmax, k)
        del d2
    nlist = torch.full((n, kmax), -1, dtype=torch.long, device=device)
    r = 0
    for p in parts:
        nlist[r:r + p.shape[0], :p.shape[1]] = p
        r += p.shape[0]
    return ex, et, nlist, mp


def time_deepmd(torch, pth: pathlib.Path, structures: list[dict], type_map: list[str], rcut: float,
                modes: list[str], warmup: int, repeats: int) -> list[dict]:
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    model = torch.jit.load(str(pth), map_location=device)
    model.eval()
    out = []
    for st in structures:
        atype = [type_map.index(s) for s in st["species"]]
        row = {"atoms": st["atoms"]}
        if "lower" in modes:
            try:
                if device.type == "cuda":
                    torch.cuda.empty_cache()
                    base = torch.cuda.memory_allocated()  # the weights are not counted, the inputs are
                ex, et, nlist, mp = extend_and_nlist(torch, st["positions"], st["cell"], atype, rcut, device)
                n = st["atoms"]
                ec = ex.reshape(1, -1, 3)
                eat, nl, mpp = et.reshape(1, -1), nlist.reshape(1, n, -1), mp.reshape(1, -1)
                result = {}

                def step():
                    r = model.forward_lower(ec, eat, nl, mpp, do_atomic_virial=False)
                    fe = r["extended_force"].reshape(-1, 3)
                    f = torch.zeros((n, 3), dtype=fe.dtype, device=device).index_add_(0, mp, fe)
                    result["energy"], result["force"] = r["energy"], f

                if device.type == "cuda":
                    torch.cuda.empty_cache()
                    torch.cuda.reset_peak_memory_stats()  # from here: inputs, list, evaluation
                t = median_time(step, warmup, repeats, sync)
                row["lower_s"] = t
                row["lower_atom_evals_per_s"] = n / t
                row["lower_nall"] = int(ex.shape[0])
                if device.type == "cuda":
                    row["lower_peak_bytes_per_atom"] = (torch.cuda.max_memory_allocated() - base) / n
                row["energy"] = float(result["energy"].sum().item())
                row["forces"] = result["force"].detach().cpu().tolist() if n <= 2000 else None
                del ex, et, nlist, mp, ec, eat, nl, mpp, result
            except Exception as e:  # out of memory above all
                row["lower_error"] = f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"
            if device.type == "cuda":
                torch.cuda.empty_cache()
        if "deeppot" in modes:
            try:
                import numpy as np
                from deepmd.infer import DeepPot
                dp = DeepPot(str(pth))
                c = np.asarray(st["positions"], dtype=np.float64).reshape(1, -1, 3)
                h = np.asarray(st["cell"], dtype=np.float64).reshape(1, 3, 3)
                a = np.asarray(atype, dtype=np.int64)
                t = median_time(lambda: dp.eval(c, h, a), warmup, repeats, sync)
                row["deeppot_s"] = t
                row["deeppot_atom_evals_per_s"] = st["atoms"] / t
                del dp
            except Exception as e:
                row["deeppot_error"] = f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"
            if device.type == "cuda":
                torch.cuda.empty_cache()
        print(f"compare_deepmd: DeePMD-kit {pth.name} {st['atoms']} atoms: "
              + ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                          for k, v in row.items() if k not in ("forces",)), flush=True)
        out.append(row)
    return out


PACK_PRUNE = ("lib/*.so", "lib/*.so.*", "lib/dp_ipi", "tf", "tf2", "jax", "pd")


def pack_deepmd(dest: pathlib.Path) -> None:
    """Copies the pure-Python part of the installed deepmd-kit (what deepmd.pt
    needs for an uncompressed se_e2_a model) and its small pure-Python
    dependencies into dest, for a machine that has torch and numpy but no
    deepmd-kit and no package index: carry dest and pass --python-path dest.
    Compiled op libraries and the TensorFlow, JAX and Paddle backends are
    left out; missing optional modules are stubbed at import."""
    import importlib.util
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.so", "*.so.*", "tests")
    for name in ("deepmd", "array_api_compat", "yaml", "packaging", "typing_extensions"):
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise CompareError(f"--pack-deepmd: {name} is not installed here (pip install deepmd-kit)")
        src = pathlib.Path(spec.origin)
        if src.name == "__init__.py":
            target = dest / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(src.parent, target, ignore=ignore)
        else:
            shutil.copy2(src, dest / src.name)
    for pattern in PACK_PRUNE:
        for p in (dest / "deepmd").glob(pattern):
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    size = sum(f.stat().st_size for f in dest.rglob("*") if f.is_file())
    print(f"compare_deepmd: packed deepmd-kit's pt backend into {dest} ({size / 2**20:.1f} MiB); "
          f"on the other machine: --python-path {dest}")


# ---------------------------------------------------------------- vitra

def time_vitra(bench: pathlib.Path, workdir: pathlib.Path, sizes: list[int], precisions: list[str],
               backend: str, repeats: int, model: str | None) -> dict:
    out_json = workdir / "vitra_bench_deepmd.json"
    env = dict(os.environ)
    env["VITRA_BENCH_DEEPMD_SIZES"] = ",".join(str(s) for s in sizes)
    if model:
        env["VITRA_BENCH_DEEPMD_MODEL"] = model
    filt = "^DeepMD/(%s)/(forces|energy_virial|network)/(%s)/" % ("|".join(precisions), "|".join(str(s) for s in sizes))
    run([bench, "--backend", backend, f"--benchmark_filter={filt}",
         f"--benchmark_repetitions={repeats}", "--benchmark_report_aggregates_only=true",
         f"--benchmark_out={out_json}", "--benchmark_out_format=json"], env=env)
    data = json.loads(out_json.read_text())
    res = {"context": data.get("context", {}), "cases": {}}
    for b in data.get("benchmarks", []):
        if b.get("aggregate_name", "median") != "median":
            continue
        m = re.match(r"DeepMD/(float64|float32)/(forces|energy_virial|network)/(\d+)/", b["run_name"] + "/")
        if not m:
            continue
        prec, kind, size = m.group(1), m.group(2), int(m.group(3))
        res["cases"].setdefault(f"{prec}/{size}", {})[kind] = {
            k: b.get(k) for k in ("real_time", "time_unit", "atoms", "atom_evals_per_s", "ns_per_day",
                                  "flops_per_atom", "flops_per_atom_min", "gflops", "fused",
                                  "peak_bytes_per_atom", "chunk_atoms", "neighbors", "nnei")}
    return res


def vitra_eval(vitra: pathlib.Path, model: pathlib.Path, structure: pathlib.Path, backend: str) -> dict:
    text = run([vitra, "--device", backend, "eval", "--model", model, "--structure", structure,
                "--truncate-sel", "--output", "json"], capture=True)
    return json.loads(text)


# ---------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build", help="vitra build folder (bin/bench_deepmd, bin/vitra)")
    ap.add_argument("--bench", help="bench_deepmd binary (default BUILD/bin/bench_deepmd)")
    ap.add_argument("--vitra", help="vitra binary for the agreement check (default BUILD/bin/vitra)")
    ap.add_argument("--workdir", help="where models, structures and .pth files go (default BUILD/deepmd_compare)")
    ap.add_argument("--sizes", default="1000,10000,100000", help="target atom counts")
    ap.add_argument("--precisions", default="float64,float32")
    ap.add_argument("--model", help="a DeePMD-kit .yaml se_e2_a model instead of the random reference one")
    ap.add_argument("--backend", default="cuda", help="vitra backend: cuda, cpu or auto (default cuda)")
    ap.add_argument("--modes", default="lower,deeppot", help="DeePMD-kit timings: lower, deeppot")
    ap.add_argument("--warmup", type=int, default=5,
                    help="untimed DeePMD-kit calls first (TorchScript optimises over the first few)")
    ap.add_argument("--repeats", type=int, default=10, help="timed DeePMD-kit calls per case")
    ap.add_argument("--vitra-repetitions", type=int, default=5, help="Google Benchmark repetitions")
    ap.add_argument("--python-path", action="append", default=[], help="prepended to sys.path (repeatable)")
    ap.add_argument("--deepmd-custom-ops", action="store_true",
                    help="let deepmd.pt load its compiled op library (not needed for uncompressed se_e2_a)")
    ap.add_argument("--out", help="output folder (default bench/results/<date>_<device>_<commit>)")
    ap.add_argument("--dry-run", action="store_true",
                    help="only write and read back the models and structures; no timing, no torch")
    ap.add_argument("--skip-deepmd", action="store_true", help="time vitra only")
    ap.add_argument("--pack-deepmd", metavar="DIR",
                    help="copy the installed deepmd-kit's pure-Python pt backend into DIR for a machine "
                         "without it (then --python-path DIR there) and exit")
    args = ap.parse_args()
    if args.pack_deepmd:
        pack_deepmd(pathlib.Path(args.pack_deepmd))
        return 0

    build = pathlib.Path(args.build)
    if not build.is_absolute():
        build = (pathlib.Path.cwd() / build)
    bench = pathlib.Path(args.bench) if args.bench else build / "bin" / "bench_deepmd"
    vitra = pathlib.Path(args.vitra) if args.vitra else build / "bin" / "vitra"
    workdir = pathlib.Path(args.workdir) if args.workdir else build / "deepmd_compare"
    sizes = [int(s) for s in args.sizes.split(",") if s]
    precisions = [p for p in args.precisions.split(",") if p]
    for p in precisions:
        if p not in PRECISIONS:
            raise CompareError(f"--precisions: unknown precision {p!r} (float64, float32)")
    modes = [m for m in args.modes.split(",") if m]
    for m in modes:
        if m not in ("lower", "deeppot"):
            raise CompareError(f"--modes: unknown mode {m!r} (lower, deeppot)")
    if not bench.exists():
        raise CompareError(f"{bench} not found: build vitra with Google Benchmark (bench_deepmd) "
                           "or pass --bench")

    torch = None
    if not args.dry_run and not args.skip_deepmd:
        torch = import_deepmd(args.python_path, args.deepmd_custom_ops)  # fail before anything slow

    # 1. models, structures, manifest
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    if args.model:
        env["VITRA_BENCH_DEEPMD_MODEL"] = str(pathlib.Path(args.model).resolve())
    run([bench, "--backend", "cpu", "--export", workdir, "--export-sizes", ",".join(map(str, sizes))], env=env)
    man = json.loads((workdir / "manifest.json").read_text())
    type_map, rcut = man["type_map"], man["rcut"]
    structures = []
    for e in man["structures"]:
        st = read_extxyz(workdir / e["file"])
        if st["atoms"] != e["atoms"]:
            raise CompareError(f"{e['file']}: {st['atoms']} atoms, manifest says {e['atoms']}")
        unknown = sorted(set(st["species"]) - set(type_map))
        if unknown:
            raise CompareError(f"{e['file']}: elements {unknown} are not in the model's type map {type_map}")
        st.update(file=e["file"], target=e["target"], neighbors=e["neighbors"],
                  flops_per_atom_deepmd_kit=e["flops_per_atom_deepmd_kit"],
                  flops_per_atom_min=e["flops_per_atom_min"])
        structures.append(st)
    for p in precisions:
        if not (workdir / man["models"][p]).exists():
            raise CompareError(f"{workdir / man['models'][p]} missing after the export")
    print("compare_deepmd: model " + ", ".join(man["models"][p] for p in precisions) +
          f"; type map {type_map}, rcut {rcut}, sel {man['sel']} (nnei {man['nnei']})")
    for st in structures:
        print(f"compare_deepmd: {st['atoms']:>7} atoms, cell {st['cell'][0][0]:.2f} Å, "
              f"{st['neighbors']:.1f} neighbors/atom, {st['flops_per_atom_min'] / 1e6:.2f} MFLOP/atom "
              f"(minimal; {st['flops_per_atom_deepmd_kit'] / 1e6:.2f} as DeePMD-kit computes)")
    if args.dry_run:
        print("compare_deepmd: dry run: models and structures are ready in", workdir)
        return 0

    # 2. vitra
    model_arg = str(pathlib.Path(args.model).resolve()) if args.model else None
    vit = time_vitra(bench, workdir, sizes, precisions, args.backend, args.vitra_repetitions, model_arg)

    # 3. DeePMD-kit, 4. agreement
    dpk: dict = {}
    agreement: dict = {}
    if torch is not None:
        for p in precisions:
            yaml_path = workdir / man["models"][p]
            pth = yaml_path.with_suffix(".pth")
            to_pth(yaml_path, pth)
            dpk[p] = time_deepmd(torch, pth, structures, type_map, rcut, modes, args.warmup, args.repeats)
            small = dpk[p][0]
            if vitra.exists() and small.get("forces") is not None:
                try:
                    v = vitra_eval(vitra, yaml_path, workdir / structures[0]["file"], args.backend)
                    fv, fd = v["forces_eV_per_A"], small["forces"]
                    dfmax = max(abs(a - b) for ra, rb in zip(fv, fd) for a, b in zip(ra, rb))
                    fmax = max(abs(a) for ra in fv for a in ra)
                    agreement[p] = {"atoms": v["atoms"], "energy_vitra": v["energy_eV"],
                                    "energy_deepmd": small["energy"],
                                    "energy_diff_per_atom": (v["energy_eV"] - small["energy"]) / v["atoms"],
                                    "max_force_diff": dfmax, "max_force": fmax}
                except CompareError as e:
                    agreement[p] = {"error": str(e)}
            for r in dpk[p]:
                r.pop("forces", None)

    # 5. report
    rows = []
    for p in precisions:
        for i, st in enumerate(structures):
            case = vit["cases"].get(f"{p}/{st['target']}", {})
            vf = (case.get("forces") or {}).get("atom_evals_per_s")
            ve = (case.get("energy_virial") or {}).get("atom_evals_per_s")
            vn = (case.get("network") or {}).get("atom_evals_per_s")
            d = dpk.get(p, [{}] * len(structures))[i] if p in dpk else {}
            dl, dd = d.get("lower_atom_evals_per_s"), d.get("deeppot_atom_evals_per_s")
            rows.append({
                "precision": p, "atoms": st["atoms"], "neighbors": st["neighbors"],
                "flops_per_atom_min": st["flops_per_atom_min"],
                "flops_per_atom_deepmd_kit": st["flops_per_atom_deepmd_kit"],
                "vitra_flops_per_atom": (case.get("forces") or {}).get("flops_per_atom"),
                "vitra_forces_atom_evals_per_s": vf, "vitra_energy_virial_atom_evals_per_s": ve,
                "vitra_network_atom_evals_per_s": vn,
                "vitra_ns_per_day": (case.get("forces") or {}).get("ns_per_day"),
                "vitra_peak_bytes_per_atom": (case.get("forces") or {}).get("peak_bytes_per_atom"),
                "deepmd_lower_atom_evals_per_s": dl, "deepmd_deeppot_atom_evals_per_s": dd,
                "deepmd_lower_peak_bytes_per_atom": d.get("lower_peak_bytes_per_atom"),
                "deepmd_errors": {k: v for k, v in d.items() if k.endswith("_error")} or None,
                "ratio_forces_vs_lower": vf / dl if vf and dl else None,
                "ratio_energy_virial_vs_lower": ve / dl if ve and dl else None,
                "ratio_network_vs_lower": vn / dl if vn and dl else None,
                "ratio_forces_vs_deeppot": vf / dd if vf and dd else None,
                "deepmd_lower_gflops": dl * st["flops_per_atom_deepmd_kit"] * 1e-9 if dl else None,
                "vitra_forces_gflops": (case.get("forces") or {}).get("gflops"),
            })

    device = "cpu"
    if torch is not None and torch.cuda.is_available():
        device = torch.cuda.get_device_name(0)
    elif vit["context"].get("vitra_device"):
        device = vit["context"]["vitra_device"]
    commit = git_commit()
    date = _dt.datetime.now(_dt.timezone.utc)
    outdir = pathlib.Path(args.out) if args.out else \
        ROOT / "bench" / "results" / f"{date:%Y-%m-%d}_{slug(device)}_{commit}"
    outdir.mkdir(parents=True, exist_ok=True)
    versions = {"python": platform.python_version()}
    if STUBBED:
        versions["stubbed_modules"] = STUBBED
    if torch is not None:
        import deepmd
        versions.update(torch=torch.__version__, deepmd=getattr(deepmd, "__version__", "?"),
                        cuda=getattr(torch.version, "cuda", None))
    report = {
        "date": date.strftime("%Y-%m-%dT%H:%M:%SZ"), "commit": commit, "device": device,
        "vitra_backend": args.backend, "versions": versions, "vitra_context": vit["context"],
        "model": {k: man[k] for k in ("model_source", "type_map", "rcut", "rcut_smth", "sel", "nnei",
                                      "neuron", "axis_neuron")},
        "deepmd_modes": modes if torch is not None else [],
        "warmup": args.warmup, "repeats": args.repeats, "agreement": agreement, "rows": rows,
        "deepmd_raw": dpk,
    }
    (outdir / "deepmd_compare.json").write_text(json.dumps(report, indent=2) + "\n")
    md = markdown(report)
    (outdir / "deepmd_compare.md").write_text(md)
    print(md)
    print(f"compare_deepmd: wrote {outdir / 'deepmd_compare.json'} and deepmd_compare.md")
    return 0


def fmt(x, spec=".3g"):
    return "-" if x is None else format(x, spec)


def markdown(r: dict) -> str:
    lines = [f"# se_e2_a inference: vitra vs DeePMD-kit (PyTorch)", "",
             f"{r['date']}, commit {r['commit']}, device {r['device']}, vitra backend "
             f"{r['vitra_backend']}; versions {r['versions']}", "",
             f"Model: {r['model']['model_source']}; type map {r['model']['type_map']}, rcut "
             f"{r['model']['rcut']} Å, sel {r['model']['sel']}, embedding {r['model']['neuron']}, "
             f"axis_neuron {r['model']['axis_neuron']}. Rates in atom evaluations per second; "
             "ratio = vitra / DeePMD-kit.", "",
             "| precision | atoms | vitra forces | vitra energy+virial | vitra network | DeePMD-kit lower "
             "| DeePMD-kit DeepPot | e+v / lower | network / lower | forces / DeepPot | vitra ns/day (1 fs) "
             "| vitra GFLOP/s | DeePMD-kit GFLOP/s | vitra B/atom | DeePMD-kit B/atom |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for w in r["rows"]:
        lines.append(
            f"| {w['precision']} | {w['atoms']} | {fmt(w['vitra_forces_atom_evals_per_s'])} | "
            f"{fmt(w['vitra_energy_virial_atom_evals_per_s'])} | "
            f"{fmt(w['vitra_network_atom_evals_per_s'])} | {fmt(w['deepmd_lower_atom_evals_per_s'])} | "
            f"{fmt(w['deepmd_deeppot_atom_evals_per_s'])} | {fmt(w['ratio_energy_virial_vs_lower'])} | "
            f"{fmt(w['ratio_network_vs_lower'])} | {fmt(w['ratio_forces_vs_deeppot'])} | "
            f"{fmt(w['vitra_ns_per_day'])} | "
            f"{fmt(w['vitra_forces_gflops'])} | {fmt(w['deepmd_lower_gflops'])} | "
            f"{fmt(w['vitra_peak_bytes_per_atom'])} | "
            f"{fmt(w['deepmd_lower_peak_bytes_per_atom'])} |")
    lines += ["", "vitra forces: compute() forces only (rebuild check + sel-sorted list + network); energy+virial: "
              "the same with energy and virial (what DeePMD-kit's forward_lower returns); network: the passes on "
              "a built list. DeePMD-kit lower: forward_lower on a prebuilt extended system and neighbor list, "
              "forces folded onto local atoms; DeepPot: the Python API end to end. B/atom: vitra's resident "
              "footprint (lists, buffers, weights); DeePMD-kit's peak allocation of inputs, list and "
              "evaluation (weights not counted). GFLOP/s: bench/deepmd_flops.hpp, each engine's own work "
              "(vitra: the path that ran, forces case; DeePMD-kit: padding through the net, no recompute, "
              "lower case)."]
    errs = [(w["precision"], w["atoms"], w["deepmd_errors"]) for w in r["rows"] if w.get("deepmd_errors")]
    if errs:
        lines += ["", "DeePMD-kit failures:"] + [f"- {p} {n} atoms: {e}" for p, n, e in errs]
    if r["agreement"]:
        lines += ["", "Agreement on the smallest structure (vitra eval vs DeePMD-kit forward_lower):"]
        for p, a in r["agreement"].items():
            if "error" in a:
                lines.append(f"- {p}: {a['error']}")
            else:
                lines.append(f"- {p}: energy difference {a['energy_diff_per_atom']:.3g} eV/atom, "
                             f"max force difference {a['max_force_diff']:.3g} eV/Å "
                             f"(max |F| {a['max_force']:.3g})")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CompareError as e:
        print(f"compare_deepmd: {e}", file=sys.stderr)
        sys.exit(3)
