"""`vitra eval --model` (se_e2_a DeepPotential) against DeePMD-kit.

Random DeePMD-kit models (deepmd.dpmodel, built and saved by DeePMD-kit itself
as .yaml and .dp, with non-trivial davg/dstd, bias_atom_e, out_bias and resnet
timesteps) are evaluated by vitra on random periodic structures (triclinic,
rotated cells; cells narrower than 2 rcut and narrower than rcut, where atoms
see their own images; a type absent from a structure; an atom with no
neighbors at all) and compared with the reference of deepmd_oracle.py
(DeePMD-kit's energies; forces, virial and per-atom virials from the analytic
derivative of the same model, which deepmd_oracle.py --selfcheck checks
against finite differences and against DeePMD-kit's PyTorch reference data).

Also: an element outside the model's type map is an error naming it, and the
DeePMD-kit fixture model (shared/data/deepmd-fixtures) reproduces DeePMD-kit's
own reference numbers.

Tolerances. float64 models: |dE| <= 1e-10 max(1, |E|); atom energies, forces,
virial and per-atom virials: max abs difference <= 1e-10 max(1, largest
magnitude of that quantity). float32 models (weights, davg/dstd in float32):
compared with the float64 evaluation of the float32 weights, with
F32_ENERGY_REL / F32_FORCE_REL below (measured bounds; see there).

The seed is fixed (DEFAULT_SEED); VITRA_TEST_SEED=<int> draws other models and
structures. Each case prints its seed; a failure message names it.

Needs: numpy, ase, deepmd-kit (deepmd.dpmodel) and, for the vitra tests,
VITRA_BIN; skips what it cannot run.
"""
import json
import os
import subprocess
import sys
import zlib

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("ase")
pytest.importorskip("yaml")
pytest.importorskip("h5py")
pytest.importorskip("deepmd.dpmodel", reason="deepmd-kit (numpy backend) is not installed")
import ase  # noqa: E402
import ase.io  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deepmd_oracle as oracle  # noqa: E402

VITRA = os.environ.get("VITRA_BIN")
HAVE_VITRA = bool(VITRA) and os.access(VITRA, os.X_OK)
needs_vitra = pytest.mark.skipif(not HAVE_VITRA, reason="VITRA_BIN is not set to the built vitra binary")

DEFAULT_SEED = 20260808
SEED = int(os.environ.get("VITRA_TEST_SEED", DEFAULT_SEED))
EV_PER_A3_TO_GPA = 160.2176634  # kernels/units.hpp

# Per-atom virials are compared atom by atom only in this convention (None:
# only their sum, against the virial). DeePMD-kit's ("deepmd"): the whole pair
# term -(dE_i/dr_ij) (x) r_ij of centre i and neighbor j goes to the neighbor j
# (folded onto its owner), row = derivative component, column = r_ij
# component; see deepmd_oracle.py. "half" and "centre" are the other
# splittings deepmd_oracle.evaluate also returns.
ATOM_VIRIAL_CONVENTION = "deepmd"
# DeePMD-kit's virial is W[a][b] = -sum_pairs (dE/dr_ij)[a] r_ij[b] (row = the
# derivative's component), the transpose of the spec's -sum r_ij (x) dE/dr_ij.
# The two differ only for models that are not rotation invariant (the "aniso"
# and "slot" cases here) and in per-atom virials, which are not symmetric.
# True compares vitra's virial and per-atom virials transposed (only if vitra
# keeps the spec's orientation on purpose; DeePMD-kit's is the default).
TRANSPOSED = False

F64_REL = 1e-10
# float32 models (weights, davg/dstd stored in float32) are compared with the
# float64 evaluation of the same float32 weights. Measured with
# `python tests/oracle/deepmd_oracle.py --float32-errors 20 --seed S` (S = 12345,
# 777, 31337, 4242: 320 structures of the two float32 cases below), worst
# errors relative to the scales used here:
#   DeePMD-kit's own float32 evaluation (env matrix float64, nets float32):
#     atom energies 2.5e-6, |dE|/N 9.4e-7;
#   an all-float32 evaluation (coordinates, env matrix, nets, derivatives):
#     atom energies 2.6e-6, |dE|/N 9.1e-7, forces 3.2e-6, virial 3.0e-6,
#     per-atom virials 3.7e-6.
# The bounds are ~10-30x those: room for another summation order, fused
# multiply-adds or float32 accumulation on a GPU, while a wrong term (a missed
# idt, padding row, bias, switch derivative) moves results by 1e-3 or more.
# (DeePMD-kit's C++ tests hold float32 engines to 1e-4 on its fixture.)
# Scales: energies max(1, max|E_i|) (|dE| allows N times that); forces
# max(1, max|F|); per-atom virials max(1, max|W_i|); virial
# max(1, max over components of sum_i |W_i|) (W is a sum with cancellations:
# relative to max|W| the float32 error reached 3e-5).
F32_ENERGY_REL = 3e-5
F32_FORCE_REL = 5e-5


# id: model parameters, structures (cell kind, natoms, extra options)
CASES = {
    # one type; embedding [4, 8, 16] doubles at every layer after the first
    "1type-tanh": dict(
        model=dict(type_map=["Si"], rcut=5.0, rcut_smth=1.0, sel=[60], neuron=[4, 8, 16],
                   axis_neuron=4, fitting=[16, 16], type_one_side=False, exclude_types=[],
                   resnet_dt=True, precision="float64"),
        structures=[("tiny", 48, {}), ("narrow", 60, {}), ("wide", 40, {})]),
    # type_one_side with an excluded pair (its padding slots still count);
    # embedding [8, 8, 8] (equal widths); fitting first width = M1*M2 = 32
    # (shortcut from the descriptor); B absent; an isolated B
    "2type-one-side-exclude": dict(
        model=dict(type_map=["O", "B"], rcut=4.0, rcut_smth=0.5, sel=[40, 40], neuron=[8, 8, 8],
                   axis_neuron=4, fitting=[32, 32], type_one_side=True, exclude_types=[[0, 1]],
                   resnet_dt=False, fitting_resnet_dt=True, precision="float64"),
        structures=[("tiny", 50, {}), ("narrow", 60, {"absent": ("B",)}),
                    ("wide", 40, {"isolated": "B"})]),
    # two-sided, a self-excluded type, widths [5, 7] (no shortcut), fitting
    # [10, 20] (doubling), gelu, anisotropic davg/dstd (asymmetric virial)
    "2type-two-side-gelu-aniso": dict(
        model=dict(type_map=["O", "B"], rcut=4.5, rcut_smth=1.5, sel=[40, 50], neuron=[5, 7],
                   axis_neuron=3, fitting=[10, 20], type_one_side=False, exclude_types=[[1, 1]],
                   resnet_dt=True, fitting_resnet_dt=False, precision="float64",
                   activation="gelu", stats="aniso"),
        structures=[("tiny", 50, {}), ("narrow", 60, {})]),
    # four types, sel 100 for O
    "4type-sel100": dict(
        model=dict(type_map=["O", "B", "Li", "Si"], rcut=6.0, rcut_smth=2.0, sel=[100, 40, 40, 30],
                   neuron=[4, 8, 16], axis_neuron=4, fitting=[24, 24, 24], type_one_side=False,
                   exclude_types=[[2, 3]], resnet_dt=True, precision="float64"),
        density=0.1,
        structures=[("narrow", 100, {}), ("tiny", 80, {"absent": ("B",)}),
                    ("wide", 60, {"isolated": "Li"})]),
    # four types, type_one_side, softplus, embedding [2, 4, 8] (the first layer
    # doubles the scalar input), davg/dstd per slot (no self-images: no ties)
    "4type-one-side-softplus-slot": dict(
        model=dict(type_map=["O", "B", "Li", "Si"], rcut=6.0, rcut_smth=0.5, sel=[100, 40, 40, 30],
                   neuron=[2, 4, 8], axis_neuron=2, fitting=[12, 12], type_one_side=True,
                   exclude_types=[], resnet_dt=True, precision="float64", activation="softplus",
                   stats="slot"),
        density=0.1,
        structures=[("narrow", 90, {}), ("wide", 70, {})]),
    "2type-float32": dict(
        model=dict(type_map=["O", "B"], rcut=5.0, rcut_smth=1.0, sel=[50, 50], neuron=[4, 8, 16],
                   axis_neuron=4, fitting=[16, 16], type_one_side=False, exclude_types=[],
                   resnet_dt=True, precision="float32"),
        structures=[("tiny", 60, {}), ("narrow", 60, {})]),
    "4type-float32-one-side": dict(
        model=dict(type_map=["O", "B", "Li", "Si"], rcut=6.0, rcut_smth=2.0, sel=[100, 40, 40, 30],
                   neuron=[8, 8, 8], axis_neuron=4, fitting=[20, 20], type_one_side=True,
                   exclude_types=[], resnet_dt=False, precision="float32", activation="tanh"),
        density=0.1,
        structures=[("narrow", 80, {}), ("tiny", 60, {"absent": ("Si",)})]),
}
FRACTIONS = {"O": 0.45, "B": 0.2, "Li": 0.2, "Si": 0.15}


def case_seed(name):
    return SEED + zlib.crc32(name.encode()) % 100000


def build_case(name, tmp_path):
    """The model (saved as .yaml and .dp) and its structures with references."""
    spec = CASES[name]
    seed = case_seed(name)
    mp = dict(spec["model"])
    stats = mp.pop("stats", "iso")
    model = oracle.make_model(seed=seed, stats=stats, **mp)
    paths = [oracle.save(model, tmp_path / f"{name}{ext}") for ext in (".yaml", ".dp")]
    rng = np.random.default_rng([seed, 1])
    tm = mp["type_map"]
    fr = {e: FRACTIONS[e] for e in tm} if len(tm) > 1 else None
    structures = []
    for k, (kind, natoms, extra) in enumerate(spec["structures"]):
        for _ in range(20):
            atoms = oracle.random_structure(rng, tm, natoms, kind, rcut=mp["rcut"],
                                            density=spec.get("density", 0.09), sel=mp["sel"],
                                            fractions=fr, **extra)
            path = tmp_path / f"{name}-{k}-{kind}.xyz"
            atoms = oracle.write_structure(path, atoms)
            ref = oracle.evaluate_atoms(model, atoms)
            # davg/dstd per slot: the slot order inside a type must be unambiguous
            if stats != "slot" or ref["min_distance_gap"] > 1e-8:
                break
        else:
            raise RuntimeError("no structure without near-equal neighbor distances")
        structures.append((kind, extra, path, atoms, ref))
    return seed, model, paths, structures


def run_vitra(model_path, structure_path, *extra):
    cmd = [VITRA, "--device", "cpu", "eval", "--model", str(model_path), "--structure",
           str(structure_path), "--output", "json", *map(str, extra)]
    return subprocess.run(cmd, capture_output=True, text=True)


def vitra_json(model_path, structure_path, *extra):
    r = run_vitra(model_path, structure_path, *extra)
    assert r.returncode == 0, f"{model_path} {structure_path}: exit {r.returncode}\n{r.stdout}{r.stderr}"
    return json.loads(r.stdout)


def max_abs(x):
    return float(np.max(np.abs(np.asarray(x, float)))) if np.size(x) else 0.0


def compare(out, ref, atoms, precision, where):
    """vitra's JSON against the reference; returns a summary line."""
    n = len(atoms)
    assert out["species"] == atoms.get_chemical_symbols(), where
    e = out["energy_eV"]
    ae = np.asarray(out["atom_energies_eV"], float)
    f = np.asarray(out["forces_eV_per_A"], float)
    w = np.asarray(out["virial_eV"], float)
    aw = np.asarray(out["atom_virials_eV"], float).reshape(n, 3, 3)
    stress_w = w
    if TRANSPOSED:
        w, aw = w.T, aw.transpose(0, 2, 1)
    assert ae.shape == (n,) and f.shape == (n, 3) and w.shape == (3, 3), where
    escale = max(1.0, max_abs(ref["atom_energy"]))
    fscale = max(1.0, max_abs(ref["force"]))
    wscale = max(1.0, max_abs(ref["virial"]))
    awscale = max(1.0, max_abs(ref["atom_virial"]))
    if precision == "float64":
        tol_e, tol_ae, tol_f, tol_w, tol_aw = (F64_REL * max(1.0, abs(ref["energy"])), F64_REL * escale,
                                               F64_REL * fscale, F64_REL * wscale, F64_REL * awscale)
    else:
        wsum = max(1.0, max_abs(np.abs(ref["atom_virial"]).sum(0)))
        tol_e, tol_ae = F32_ENERGY_REL * escale * n, F32_ENERGY_REL * escale
        tol_f, tol_w, tol_aw = F32_FORCE_REL * fscale, F32_FORCE_REL * wsum, F32_FORCE_REL * awscale
    de = abs(e - ref["energy"])
    dae = max_abs(ae - ref["atom_energy"])
    df = max_abs(f - ref["force"])
    dw = max_abs(w - ref["virial"])
    daw_sum = max_abs(aw.sum(0) - w)
    assert de <= tol_e, f"{where}: energy {e!r} vs {ref['energy']!r} (|dE| {de:.3e} > {tol_e:.1e})"
    assert dae <= tol_ae, f"{where}: atom energies differ by {dae:.3e} (> {tol_ae:.1e}) at atom " \
                          f"{int(np.argmax(np.abs(ae - ref['atom_energy'])))}"
    assert df <= tol_f, f"{where}: forces differ by {df:.3e} (> {tol_f:.1e}) at atom " \
                        f"{int(np.argmax(np.abs(f - ref['force']).max(1)))}"
    assert dw <= tol_w, f"{where}: virial differs by {dw:.3e} (> {tol_w:.1e})\n" \
                        f"vitra\n{w}\nreference (row = dE/dr component)\n{ref['virial']}"
    assert daw_sum <= tol_w, f"{where}: the atom virials sum to the virial only to {daw_sum:.3e}"
    line = f"|dE| {de:.1e}, max|dE_i| {dae:.1e}, max|dF| {df:.1e}, max|dW| {dw:.1e}"
    if ATOM_VIRIAL_CONVENTION is not None:
        want = ref["atom_virial_conventions"][ATOM_VIRIAL_CONVENTION]
        daw = max_abs(aw - want)
        if daw > tol_aw:
            others = {k: f"{max_abs(aw - v):.2e}" for k, v in ref["atom_virial_conventions"].items()}
            others.update({k + " transposed": f"{max_abs(aw - v.transpose(0, 2, 1)):.2e}"
                           for k, v in ref["atom_virial_conventions"].items()})
            pytest.fail(f"{where}: per-atom virials differ from the {ATOM_VIRIAL_CONVENTION!r} "
                        f"convention by {daw:.3e} (> {tol_aw:.1e}); distance to each convention: "
                        f"{others}")
        line += f", max|dW_i| {daw:.1e}"
    # static stress = -W / V
    if "stress_GPa" in out:
        s = np.asarray(out["stress_GPa"], float)
        want = -stress_w / atoms.get_volume() * EV_PER_A3_TO_GPA
        assert max_abs(s - want) <= 1e-12 * max(1.0, max_abs(want)), f"{where}: stress_GPa != -W/V"
    return line


@needs_vitra
@pytest.mark.parametrize("name", list(CASES))
def test_random_model(name, tmp_path):
    seed, model, paths, structures = build_case(name, tmp_path)
    precision = CASES[name]["model"]["precision"]
    print(f"{name}: seed {seed} (VITRA_TEST_SEED={SEED})")
    for kind, extra, spath, atoms, ref in structures:
        for mpath in paths:
            where = f"{name} seed {seed} {os.path.basename(mpath)} {kind} {extra or ''} N={len(atoms)}"
            out = vitra_json(mpath, spath, "--atom-virial")
            print(f"  {where}: {compare(out, ref, atoms, precision, where)}")


@needs_vitra
def test_element_outside_type_map(tmp_path):
    model = oracle.make_model(["O", "B"], 4.0, 0.5, [20, 20], [4, 8], 2, [8], False, [], True,
                              "float64", seed=case_seed("outside"))
    mpath = oracle.save(model, tmp_path / "ob.yaml")
    atoms = ase.Atoms("O2Xe", positions=[[1, 1, 1], [2.5, 1, 1], [1, 3, 1]], cell=[9, 9, 9], pbc=True)
    spath = tmp_path / "oxe.xyz"
    ase.io.write(spath, atoms, format="extxyz")
    r = run_vitra(mpath, spath)
    assert r.returncode != 0, r.stdout + r.stderr
    assert "Xe" in r.stderr, r.stderr
    assert r.stdout == "" or "energy_eV" not in r.stdout


def fixture_or_skip():
    folder = oracle.fixture_dir(os.environ.get("VITRA_SOURCE_DIR"))
    if folder is None:
        pytest.skip("shared/data/deepmd-fixtures is absent (../shared/data/deepmd-fixtures "
                    "beside the source tree)")
    return folder


def test_oracle_reproduces_fixture():
    """The reference of this file reproduces DeePMD-kit's PyTorch numbers
    (atom energies, forces, atomic virials in DeePMD-kit's convention)."""
    folder = fixture_or_skip()
    model = oracle.load(os.path.join(folder, "deeppot_sea.yaml"))
    _, blocks = oracle.fixture_blocks(folder)
    for b in blocks:
        ref = oracle.evaluate(model, b["coord"], b["box"], b["atype"])
        np.testing.assert_allclose(ref["atom_energy"], b["atomic_energy"], rtol=0, atol=1e-10)
        np.testing.assert_allclose(ref["force"], b["force"], rtol=0, atol=1e-10)
        np.testing.assert_allclose(ref["atom_virial_conventions"]["deepmd"], b["atomic_virial"],
                                   rtol=0, atol=1e-10)


@needs_vitra
def test_fixture_model(tmp_path):
    """vitra on DeePMD-kit's own se_e2_a model and test case (O/H,
    type_one_side, float64): atom energies, forces and atomic virials to
    1e-10. The non-periodic block runs in a 100 A box (no image within rcut)."""
    folder = fixture_or_skip()
    doc, blocks = oracle.fixture_blocks(folder)
    tm = doc["type_map"]
    mpath = os.path.join(folder, "deeppot_sea.yaml")
    for bi, b in enumerate(blocks):
        box = b["box"] if b["box"] is not None else np.eye(3) * 100.0
        if b["box"] is None:
            assert np.ptp(b["coord"], axis=0).max() + doc["rcut"] < 100.0
        atoms = ase.Atoms([tm[t] for t in b["atype"]], positions=b["coord"], cell=box, pbc=True)
        spath = tmp_path / f"block{bi}.xyz"
        atoms = oracle.write_structure(spath, atoms)
        np.testing.assert_array_equal(atoms.positions, b["coord"])  # exact in extxyz
        out = vitra_json(mpath, spath, "--atom-virial")
        where = f"fixture block {bi}"
        assert out["species"] == atoms.get_chemical_symbols(), where
        ae = np.asarray(out["atom_energies_eV"], float)
        np.testing.assert_allclose(ae, b["atomic_energy"], rtol=0,
                                   atol=1e-10 * max_abs(b["atomic_energy"]), err_msg=where)
        assert out["energy_eV"] == pytest.approx(b["atomic_energy"].sum(), rel=1e-12, abs=1e-10), where
        np.testing.assert_allclose(np.asarray(out["forces_eV_per_A"], float), b["force"],
                                   rtol=0, atol=1e-10, err_msg=where)
        aw = np.asarray(out["atom_virials_eV"], float).reshape(-1, 3, 3)
        w = np.asarray(out["virial_eV"], float)
        if TRANSPOSED:
            w, aw = w.T, aw.transpose(0, 2, 1)
        np.testing.assert_allclose(w, b["atomic_virial"].sum(0),
                                   rtol=0, atol=1e-10, err_msg=where)
        np.testing.assert_allclose(aw.sum(0), b["atomic_virial"].sum(0), rtol=0, atol=1e-10,
                                   err_msg=where)
        if ATOM_VIRIAL_CONVENTION == "deepmd":
            np.testing.assert_allclose(aw, b["atomic_virial"], rtol=0, atol=1e-10, err_msg=where)
