"""`vitra eval` against ASE's LennardJones calculator.

A random Lennard-Jones configuration (fresh each run, seed printed) of ~30
atoms in a general triclinic cell smaller than twice the cutoff (so several
periodic images of a neighbor interact) is written as extended XYZ with ASE;
`vitra eval --output json` must give ASE's energy, per-atom energies, forces
(in the file's atom order), stress and per-atom virials.

ASE's sign convention, checked on a compressed dimer below: atoms.get_stress()
is (1/V) dE/dstrain = (1/V) Σ_pairs dE/dr_ij ⊗ r_ij = -W/V, i.e. positive in
tension and negative under compression. That is vitra's stress_GPa (σ = -W/V,
static) divided by 160.2176634 GPa per eV/A^3; vitra's pressure_bar is
tr(W)/(3V), positive under compression.

ASE's LennardJones(smooth=False) subtracts E(rc) from every pair inside the
cutoff, so the workflow uses shift = true.

Needs: VITRA_BIN (the built vitra binary), numpy and ase; skips without them.
"""
import json
import os
import secrets
import subprocess
import textwrap

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("ase")
import ase  # noqa: E402
import ase.io  # noqa: E402
from ase.calculators.lj import LennardJones  # noqa: E402

VITRA = os.environ.get("VITRA_BIN")
if not VITRA or not os.access(VITRA, os.X_OK):
    pytest.skip("VITRA_BIN is not set to the built vitra binary", allow_module_level=True)

EPS, SIGMA, RC = 0.0104, 3.4, 8.5
N = 30
DMIN = 3.0
EV_PER_A3_TO_GPA = 160.2176634  # kernels/units.hpp
EV_PER_A3_TO_BAR = 1.6021765e6


@pytest.fixture
def seed(request):
    s = secrets.randbits(31)
    print(f"{request.node.name}: seed {s}")
    return s


def write_workflow(path, structure, elements=("Ar", "Kr")):
    pairs = ""
    for i, a in enumerate(elements):
        for b in elements[i:]:
            pairs += textwrap.dedent(f"""\
                [[potential.pair]]
                elements = ["{a}", "{b}"]
                form = "lj"
                epsilon = {EPS}
                sigma = {SIGMA}
                cutoff = {RC}
                shift = true

                """)
    path.write_text(textwrap.dedent(f"""\
        [run]
        output = "{path.parent}/run"
        device = "cpu"

        [system]
        structure = "{structure}"

        [potential]
        kind = "pair"

        """) + pairs + textwrap.dedent("""\
        [[stage]]
        kind = "minimize"
        """))
    return path


def eval_json(*args):
    r = subprocess.run([VITRA, "--device", "cpu", "eval", *map(str, args), "--output", "json"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout)


def random_triclinic(rng, n=N):
    """n atoms of Ar/Kr (randomly interleaved) at least DMIN apart in a skewed cell."""
    cell = np.array([[13.0, 0.0, 0.0], [2.5, 12.5, 0.0], [-1.5, 2.0, 12.0]])  # ~1950 A^3
    cell += rng.uniform(-0.5, 0.5, (3, 3))
    atoms = ase.Atoms(cell=cell, pbc=True)
    x = []
    tries = 0
    while len(x) < n:
        tries += 1
        assert tries < 100000, "could not place the atoms"
        c = rng.uniform(0.0, 1.0, 3) @ cell
        if x:
            atoms_try = ase.Atoms("X%d" % (len(x) + 1), positions=x + [c], cell=cell, pbc=True)
            if atoms_try.get_distances(len(x), list(range(len(x))), mic=True).min() < DMIN:
                continue
        x.append(c)
    symbols = rng.choice(["Ar", "Kr"], n)
    symbols[0], symbols[1] = "Kr", "Ar"  # both present, Kr first
    return ase.Atoms(list(symbols), positions=np.array(x), cell=cell, pbc=True)


def ase_reference(atoms):
    atoms = atoms.copy()
    atoms.calc = LennardJones(sigma=SIGMA, epsilon=EPS, rc=RC, smooth=False)
    return (atoms.get_potential_energy(), atoms.get_potential_energies(), atoms.get_forces(),
            atoms.get_stress(voigt=False), atoms.get_stresses(voigt=False))


def test_lj_triclinic_matches_ase(tmp_path, seed):
    rng = np.random.default_rng(seed)
    path = tmp_path / "start.extxyz"
    ase.io.write(path, random_triclinic(rng), format="extxyz")
    atoms = ase.io.read(path)  # as written (ASE rounds positions to 1e-8 A)
    # The cell is narrower than 2 rc: neighbors interact through several images.
    assert min(atoms.cell.volume / np.linalg.norm(np.cross(atoms.cell[i - 2], atoms.cell[i - 1]))
               for i in range(3)) < 2 * RC
    wf = write_workflow(tmp_path / "wf.toml", path)
    out = eval_json(wf, "--structure", path, "--atom-virial")
    e, ae, f, stress, stresses = ase_reference(atoms)
    vol = atoms.get_volume()

    assert out["atoms"] == N
    assert out["species"] == atoms.get_chemical_symbols()
    assert out["elements"] == ["Kr", "Ar"]
    assert out["volume_A3"] == pytest.approx(vol, rel=1e-14)
    np.testing.assert_array_equal(np.array(out["cell_A"]), atoms.cell[:])

    assert out["energy_eV"] == pytest.approx(e, rel=1e-10, abs=1e-12)
    np.testing.assert_allclose(out["atom_energies_eV"], ae, rtol=0, atol=1e-12)
    # Forces in the file's atom order (types interleaved: no sorting by type).
    np.testing.assert_allclose(np.array(out["forces_eV_per_A"]), f, rtol=0, atol=1e-10)

    w = np.array(out["virial_eV"])
    s_vitra = np.array(out["stress_GPa"]) / EV_PER_A3_TO_GPA  # eV/A^3
    scale = np.abs(stress).max()
    np.testing.assert_allclose(s_vitra, stress, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(-w / vol, stress, rtol=0, atol=1e-10 * scale)
    assert out["pressure_bar"] == pytest.approx(np.trace(w) / (3 * vol) * EV_PER_A3_TO_BAR,
                                                rel=1e-12)
    # Per-atom virials: ASE's per-atom stresses are -w_i / V.
    aw = np.array(out["atom_virials_eV"]).reshape(N, 3, 3)
    np.testing.assert_allclose(-aw / vol, stresses, rtol=0, atol=1e-10 * scale)
    print(f"E = {out['energy_eV']:.12f} eV (ASE {e:.12f}), "
          f"max |dF| = {np.abs(np.array(out['forces_eV_per_A']) - f).max():.2e} eV/A, "
          f"P = {out['pressure_bar']:.4f} bar")


def test_sums_and_workflow_system(tmp_path, seed):
    rng = np.random.default_rng(seed)
    path = tmp_path / "start.extxyz"
    ase.io.write(path, random_triclinic(rng), format="extxyz")
    wf = write_workflow(tmp_path / "wf.toml", path)
    out = eval_json(wf, "--atom-virial")  # the workflow's [system]
    e = out["energy_eV"]
    assert sum(out["atom_energies_eV"]) == pytest.approx(e, rel=1e-12, abs=1e-14)
    w = np.array(out["virial_eV"])
    aw = np.array(out["atom_virials_eV"]).reshape(-1, 3, 3).sum(0)
    np.testing.assert_allclose(aw, w, rtol=0, atol=1e-12 * np.abs(w).max())
    np.testing.assert_allclose(np.array(out["forces_eV_per_A"]).sum(0), 0, atol=1e-12)
    # Static stress is symmetric for a pair potential.
    s = np.array(out["stress_GPa"])
    np.testing.assert_allclose(s, s.T, rtol=0, atol=1e-12 * np.abs(s).max())
    # The same structure given with --structure: the same numbers.
    assert eval_json(wf, "--structure", path) == {k: v for k, v in out.items()
                                                 if k != "atom_virials_eV"}


def test_compressed_dimer_sign(tmp_path):
    """A dimer along x at 0.9 sigma pushes apart: W_xx > 0, pressure > 0, and
    both vitra's stress_xx and ASE's get_stress()[xx] are negative."""
    L = 30.0  # > 2 rc: no image interacts
    atoms = ase.Atoms("Ar2", positions=[[5, 5, 5], [5 + 0.9 * SIGMA, 5, 5]], cell=[L, L, L],
                      pbc=True)
    path = tmp_path / "dimer.extxyz"
    ase.io.write(path, atoms, format="extxyz")
    atoms = ase.io.read(path)
    out = eval_json(write_workflow(tmp_path / "wf.toml", path, ("Ar",)), "--structure", path)
    _, _, f, stress, _ = ase_reference(atoms)
    assert out["virial_eV"][0][0] > 0
    assert out["pressure_bar"] > 0
    assert out["stress_GPa"][0][0] < 0 and stress[0, 0] < 0
    assert out["stress_GPa"][0][0] / EV_PER_A3_TO_GPA == pytest.approx(stress[0, 0], rel=1e-12)
    # F = -dE/dr: the first atom is pushed towards -x.
    assert out["forces_eV_per_A"][0][0] < 0 and f[0, 0] < 0
    np.testing.assert_allclose(np.array(out["forces_eV_per_A"]), f, rtol=1e-12, atol=0)


def test_frame_picks_the_frame(tmp_path, seed):
    rng = np.random.default_rng(seed)
    frames = [random_triclinic(rng, 20) for _ in range(3)]
    traj = tmp_path / "traj.extxyz"
    ase.io.write(traj, frames, format="extxyz")
    frames = ase.io.read(traj, index=":")
    wf = write_workflow(tmp_path / "wf.toml", traj)
    energies = [ase_reference(a)[0] for a in frames]
    assert len(set(energies)) == 3
    for k, want in [(None, 0), (0, 0), (1, 1), (2, 2), (-1, 2)]:
        args = [wf, "--structure", traj] + ([] if k is None else ["--frame", k])
        out = eval_json(*args)
        assert out["energy_eV"] == pytest.approx(energies[want], rel=1e-10, abs=1e-12), k
        assert out["species"] == frames[want].get_chemical_symbols()
        np.testing.assert_allclose(np.array(out["forces_eV_per_A"]), ase_reference(frames[want])[2],
                                   rtol=0, atol=1e-10)
    r = subprocess.run([VITRA, "eval", str(wf), "--structure", str(traj), "--frame", "7"],
                       capture_output=True, text=True)
    assert r.returncode == 2, r.stdout + r.stderr


def test_text_output(tmp_path, seed):
    rng = np.random.default_rng(seed)
    path = tmp_path / "start.extxyz"
    ase.io.write(path, random_triclinic(rng), format="extxyz")
    wf = write_workflow(tmp_path / "wf.toml", path)
    r = subprocess.run([VITRA, "--device", "cpu", "eval", str(wf), "--output", "text"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    for key in ("atoms:", "energy:", "max |F|:", "pressure:", "stress:"):
        assert key in r.stdout, r.stdout
    assert len(r.stdout.splitlines()) < 12


def test_errors(tmp_path):
    atoms = ase.Atoms("Ar2Xe", positions=[[0, 0, 0], [3.5, 0, 0], [0, 3.5, 0]], cell=[12, 12, 12],
                      pbc=True)
    path = tmp_path / "arxe.extxyz"
    ase.io.write(path, atoms, format="extxyz")
    wf = write_workflow(tmp_path / "wf.toml", path, ("Ar",))

    def run(*args):
        return subprocess.run([VITRA, "eval", *map(str, args)], capture_output=True, text=True)

    # An element without a pair: exit 2, the message names it.
    for args in ([wf, "--structure", path], [wf]):
        r = run(*args)
        assert r.returncode == 2, r.stdout + r.stderr
        assert "Xe" in r.stderr and "potential.pair" in r.stderr, r.stderr
        assert r.stdout == ""
    # A missing structure file, an unreadable one, and --frame without --structure.
    r = run(wf, "--structure", tmp_path / "nope.extxyz")
    assert r.returncode == 2 and "nope.extxyz" in r.stderr, r.stderr
    bad = tmp_path / "bad.extxyz"
    bad.write_text("3\nnot a header\nAr 0 0\n")
    r = run(wf, "--structure", bad)
    assert r.returncode == 2 and "bad.extxyz" in r.stderr, r.stderr
    r = run(wf, "--frame", 1)
    assert r.returncode == 2 and "--structure" in r.stderr, r.stderr
    r = run(tmp_path / "missing.toml")
    assert r.returncode == 2 and "missing.toml" in r.stderr, r.stderr
