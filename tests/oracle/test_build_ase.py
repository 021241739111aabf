"""`vitra build` against ASE: the random glass read by ASE has the requested
cubic cell (edge from the density), the species counts of the chosen formula
units grouped with oxygen last, no pair closer than its minimum distance
(ASE's neighbour list and a numpy brute force over the periodic cell agree),
and density = mass / volume within 1e-6. Also: same seed same file, --force,
and error messages that name the flag. Fresh seeds each run; the seed is
printed and named in every failure.

Needs: VITRA_BIN (the built vitra binary), numpy and ase; skips without them.
"""
import os
import secrets
import subprocess

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("ase")
import ase.io  # noqa: E402
from ase.data import atomic_masses, atomic_numbers  # noqa: E402
from ase.neighborlist import neighbor_list  # noqa: E402

VITRA = os.environ.get("VITRA_BIN")
if not VITRA or not os.access(VITRA, os.X_OK):
    pytest.skip("VITRA_BIN is not set to the built vitra binary", allow_module_level=True)

AMU_PER_A3_TO_G_CM3 = 1.66053906660
ANIONS = {"O", "F", "N", "S", "Cl", "Se", "Br", "I"}
CATION_O = {"H": 0.80, "B": 1.20, "P": 1.30, "Si": 1.40, "Al": 1.45, "Ge": 1.45, "Ti": 1.50, "Zn": 1.55,
            "Fe": 1.55, "Li": 1.60, "Mg": 1.60, "Zr": 1.65, "Na": 1.80, "Ca": 1.80, "Sr": 1.95, "K": 2.10,
            "Ba": 2.10, "Rb": 2.20, "Cs": 2.30}
LARGE = {"Si", "Na", "K", "Rb", "Cs", "Ca", "Sr", "Ba"}


def default_min_distance(a, b):
    """The documented default table (host/glass/builder.hpp)."""
    if a in ANIONS and b in ANIONS:
        return 2.0
    if a in ANIONS or b in ANIONS:
        return CATION_O.get(b if a in ANIONS else a, 1.60)
    if {"Li", "H"} & {a, b}:
        return 2.0
    return 2.5 if {a, b} & LARGE else 2.2


def min_distance_table(overrides):
    table = {}
    for part in filter(None, overrides.split(",")):
        pair, d = part.split(":")
        a, b = pair.split("-")
        table[frozenset((a, b))] = float(d)
    return lambda a, b: table.get(frozenset((a, b)), default_min_distance(a, b))


@pytest.fixture
def seed(request):
    s = secrets.randbits(31)
    print(f"{request.node.name}: seed {s}")
    return s


def build(tmp_path, *args, name="glass.extxyz", check=True):
    out = tmp_path / name
    proc = subprocess.run([VITRA, "build", *args, "-o", str(out)], capture_output=True, text=True)
    if check:
        assert proc.returncode == 0, f"vitra build failed:\n{proc.stdout}\n{proc.stderr}"
    return out, proc


CASES = [
    # composition, atoms, density, min-dist overrides, expected counts
    ("B2O3:66.7,Li2O:33.3", 1000, "2.2", "", {"B": 308, "Li": 154, "O": 539}),
    ("SiO2:10,B2O3:50,Li2O:40", 3000, "experimental", "", {"Si": 75, "B": 750, "Li": 600, "O": 1575}),
    ("B2O3:100", 300, "1.84", "B-O:1.3,O-O:2.1", {"B": 120, "O": 180}),
    ("B2O3:30,Li2O:70", 1000, "experimental", "", None),
    ("SiO2:75,Na2O:15,CaO:10", 1500, "2.5", "Si-Si:2.8", None),
]
EXPERIMENTAL = {"SiO2:10,B2O3:50,Li2O:40": 2.30, "B2O3:30,Li2O:70": 2.09}


@pytest.mark.parametrize("composition,natoms,density,min_dist,expected", CASES)
def test_structure_read_by_ase(tmp_path, seed, composition, natoms, density, min_dist, expected):
    ctx = f"(seed {seed}, {composition})"
    args = ["--composition", composition, "--atoms", str(natoms), "--density", density, "--seed", str(seed)]
    if min_dist:
        args += ["--min-dist", min_dist]
    out, proc = build(tmp_path, *args)
    atoms = ase.io.read(out, format="extxyz")
    symbols = atoms.get_chemical_symbols()
    rho = EXPERIMENTAL[composition] if density == "experimental" else float(density)

    # Species: counts as chosen, grouped, oxygen (if any) last.
    counts = {s: symbols.count(s) for s in dict.fromkeys(symbols)}
    if expected is not None:
        assert counts == expected, ctx
    assert abs(len(atoms) - natoms) <= 0.01 * natoms, ctx
    order = list(counts)
    assert symbols == [s for s in order for _ in range(counts[s])], f"species not grouped {ctx}"
    if "O" in counts:
        assert order[-1] == "O", ctx
    assert f"atoms: {len(atoms)} (" in proc.stdout, proc.stdout

    # Cell: cubic, periodic, edge from the density; density = mass / volume.
    cell = atoms.cell.array
    L = cell[0, 0]
    assert np.array_equal(cell, np.diag([L, L, L])), ctx
    assert atoms.pbc.all(), ctx
    mass = sum(atomic_masses[atomic_numbers[s]] for s in symbols)
    got = mass * AMU_PER_A3_TO_G_CM3 / atoms.get_volume()
    assert abs(got / rho - 1) < 1e-6, f"density {got} vs {rho} {ctx}"
    pos = atoms.get_positions()
    assert (pos >= 0).all() and (pos < L).all(), ctx

    # No pair closer than its minimum: ASE's neighbour list ...
    dmin = min_distance_table(min_dist)
    species = sorted(counts)
    cutoff = max(dmin(a, b) for a in species for b in species)
    i, j, d = neighbor_list("ijd", atoms, cutoff)
    need = np.array([dmin(symbols[a], symbols[b]) for a, b in zip(i, j)])
    bad = np.flatnonzero(d < need)
    assert bad.size == 0, (f"{bad.size // 2} pairs too close {ctx}, e.g. {symbols[i[bad[0]]]}-{symbols[j[bad[0]]]}"
                           f" at {d[bad[0]]:.4f} < {need[bad[0]]}" if bad.size else "")
    # ... and a numpy brute force over all periodic pairs (minimum image, cubic).
    z = np.array([species.index(s) for s in symbols])
    dmat = np.array([[dmin(a, b) for b in species] for a in species])
    closest = np.inf
    for start in range(0, len(atoms), 500):
        delta = pos[start:start + 500, None, :] - pos[None, :, :]
        delta -= L * np.round(delta / L)
        r = np.sqrt((delta ** 2).sum(-1))
        idx = np.arange(start, min(start + 500, len(atoms)))
        r[np.arange(len(idx)), idx] = np.inf
        closest = min(closest, (r / dmat[z[idx]][:, z]).min())
    assert closest >= 1.0, f"closest pair at {closest:.6f} of its minimum {ctx}"
    # Sanity: the brute force agrees with ASE that some pair is near contact.
    assert closest < 1.1, ctx


def test_same_seed_same_file_other_seed_other(tmp_path, seed):
    args = ["--composition", "SiO2:20,B2O3:60,Li2O:20", "--atoms", "1000", "--density", "experimental"]
    a, _ = build(tmp_path, *args, "--seed", str(seed), name="a.extxyz")
    b, _ = build(tmp_path, *args, "--seed", str(seed), name="b.extxyz")
    c, _ = build(tmp_path, *args, "--seed", str(seed + 1), name="c.extxyz")
    assert a.read_bytes() == b.read_bytes(), f"seed {seed}"
    pa, pc = ase.io.read(a).get_positions(), ase.io.read(c).get_positions()
    assert not np.allclose(pa, pc), f"seed {seed}"


def test_force_needed_to_overwrite(tmp_path, seed):
    args = ["--composition", "B2O3:2,Li2O:1", "--atoms", "300", "--density", "2.2", "--seed", str(seed)]
    out, _ = build(tmp_path, *args)
    before = out.read_bytes()
    _, proc = build(tmp_path, *args[:-1], str(seed + 1), check=False)
    assert proc.returncode != 0 and "--force" in proc.stderr, proc.stderr
    assert out.read_bytes() == before
    build(tmp_path, *args[:-1], str(seed + 1), "--force")
    assert out.read_bytes() != before


@pytest.mark.parametrize("args,parts", [
    (["--composition", "B2O3:66.7,Li2O:-3", "--atoms", "100", "--density", "2"],
     ["--composition", "part 2", "Li2O:-3", "positive"]),
    (["--composition", "B2O3:66.7,LI2O:33.3", "--atoms", "100", "--density", "2"],
     ["--composition", "Li2O"]),
    (["--composition", "SiO3:1", "--atoms", "100", "--density", "2"],
     ["--composition", "charge-neutral"]),
    (["--composition", "B2O3:66.7,Li2O:33.3", "--atoms", "1000", "--density", "experimental"],
     ["--density experimental", "LB70", "LBS-10-50-40"]),
    (["--composition", "B2O3:66.7,Li2O:33.3", "--atoms", "1000", "--density", "dense"],
     ["--density", "dense"]),
    (["--composition", "B2O3:66.7,Li2O:33.3", "--atoms", "1000", "--density", "2.2", "--min-dist", "B-Q:1"],
     ["--min-dist", "'Q'"]),
    (["--composition", "B2O3:30,Li2O:70", "--atoms", "1000", "--density", "5"],
     ["could not place", "--density", "--min-dist"]),
    (["--composition", "B2O3:1", "--atoms", "0", "--density", "2"], ["--atoms"]),
])
def test_errors_name_the_flag(tmp_path, args, parts):
    out, proc = build(tmp_path, *args, check=False)
    assert proc.returncode == 2, f"exit {proc.returncode}: {proc.stderr}"
    for p in parts:
        assert p in proc.stderr, f"missing {p!r} in: {proc.stderr}"
    assert not out.exists()
