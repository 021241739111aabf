"""`vitra model-devi` against DeePMD-kit's own model deviation.

Three random DeePMD-kit se_e2_a models (deepmd.dpmodel, built and saved by
DeePMD-kit itself, see deepmd_oracle.py) and a 3-frame extended XYZ
trajectory of random periodic structures (triclinic, rotated cells, one
narrower than rcut; the frames differ in their atom types too). vitra's CSV
is compared with deepmd.infer.model_devi.calc_model_devi (the function behind
`dp model-devi` and DP-GEN's model_devi.out), fed with the numpy-backend
references of deepmd_oracle.py: DeePMD-kit's energies and the analytic forces
and virials of the same models (checked there against finite differences and
DeePMD-kit's PyTorch reference data). Tolerance: 1e-8 relative.

The definitions matched (deepmd/infer/model_devi.py): energies and virials
divided by the number of atoms first; std over the models with 1/N (np.std);
devi_f = norm over xyz of the per-atom std, then max/min/mean over atoms;
devi_v = std of the 9 components, max/min, and norm / 3 as "avg"; devi_e =
std of E/N.

The seed is fixed (DEFAULT_SEED); VITRA_TEST_SEED=<int> draws other models and
structures. Needs numpy, ase, deepmd-kit (deepmd.dpmodel) and VITRA_BIN.
"""
import csv
import os
import subprocess
import sys

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("ase")
pytest.importorskip("yaml")
pytest.importorskip("deepmd.dpmodel", reason="deepmd-kit (numpy backend) is not installed")
import ase.io  # noqa: E402
from deepmd.infer.model_devi import calc_model_devi  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deepmd_oracle as oracle  # noqa: E402

VITRA = os.environ.get("VITRA_BIN")
HAVE_VITRA = bool(VITRA) and os.access(VITRA, os.X_OK)
needs_vitra = pytest.mark.skipif(not HAVE_VITRA, reason="VITRA_BIN is not set to the built vitra binary")

DEFAULT_SEED = 20260811
SEED = int(os.environ.get("VITRA_TEST_SEED", DEFAULT_SEED))
REL = 1e-8

COLUMNS = ["max_devi_v", "min_devi_v", "avg_devi_v", "max_devi_f", "min_devi_f", "avg_devi_f", "devi_e"]
MODEL = dict(type_map=["O", "B", "Li"], rcut=4.5, rcut_smth=1.0, sel=[40, 30, 30], neuron=[4, 8, 16],
             axis_neuron=4, fitting=[16, 16], type_one_side=False, exclude_types=[], resnet_dt=True,
             precision="float64")
FRACTIONS = {"O": 0.5, "B": 0.3, "Li": 0.2}


class OracleDeepPot:
    """What calc_model_devi needs of a DeepPot: eval(coord, box, atype) ->
    (energy (nf, 1), force (nf, nat, 3), virial (nf, 9)), from deepmd_oracle."""

    def __init__(self, model):
        self.model = model

    def eval(self, coord, box, atype, fparam=None, aparam=None, mixed_type=False):
        coord = np.asarray(coord, float).reshape(len(coord), -1, 3)
        box = np.asarray(box, float).reshape(len(coord), 3, 3)
        e, f, v = [], [], []
        for c, b in zip(coord, box):
            ref = oracle.evaluate(self.model, c, b, np.asarray(atype))
            e.append([ref["energy"]])
            f.append(ref["force"])
            v.append(np.asarray(ref["virial"]).reshape(9))
        return np.array(e), np.array(f), np.array(v)


def make_case(tmp_path, seed):
    models, paths = [], []
    for k in range(3):
        m = oracle.make_model(seed=seed + 17 * k, **MODEL)
        models.append(m)
        paths.append(oracle.save(m, tmp_path / f"graph.{k:03d}.yaml"))
    rng = np.random.default_rng([seed, 2])
    frames = []
    for kind, natoms in (("narrow", 48), ("tiny", 40), ("wide", 36)):
        frames.append(oracle.random_structure(rng, MODEL["type_map"], natoms, kind, rcut=MODEL["rcut"],
                                              density=0.09, sel=MODEL["sel"], fractions=FRACTIONS))
    traj = tmp_path / "traj.extxyz"
    ase.io.write(str(traj), frames, format="extxyz")
    frames = ase.io.read(str(traj), index=":")  # as written (ASE rounds positions)
    assert len(frames) == 3
    return models, paths, traj, frames


def reference(models, frames):
    """DeePMD-kit's calc_model_devi per frame: rows of the 7 columns."""
    dps = [OracleDeepPot(m) for m in models]
    rows = []
    for atoms in frames:
        at = oracle.atom_types(MODEL["type_map"], atoms.get_chemical_symbols())
        devi = calc_model_devi(atoms.positions.reshape(1, -1), atoms.cell[:].reshape(1, 9), at, dps)
        assert devi.shape == (1, 8)
        rows.append(devi[0, 1:])
    return np.array(rows)


def run_vitra(*args):
    return subprocess.run([VITRA, "--device", "cpu", "model-devi", *map(str, args)], capture_output=True, text=True)


def read_csv(path):
    with open(path, newline="") as fh:
        r = list(csv.reader(fh))
    return r[0], r[1:]


@needs_vitra
def test_model_devi_matches_deepmd_kit(tmp_path):
    seed = SEED
    print(f"seed {seed}")
    models, paths, traj, frames = make_case(tmp_path, seed)
    ref = reference(models, frames)
    out = tmp_path / "model_devi.csv"
    r = run_vitra("--models", *paths, "--trajectory", traj, "--output", out)
    assert r.returncode == 0, f"seed {seed}: exit {r.returncode}\n{r.stdout}{r.stderr}"
    header, rows = read_csv(out)
    assert header == ["frame"] + COLUMNS
    assert len(rows) == 3
    assert [int(row[0]) for row in rows] == [0, 1, 2]
    got = np.array([[float(x) for x in row[1:]] for row in rows])
    assert (ref > 0).all(), ref  # random models: every column is a real deviation
    for i in range(3):
        for j, name in enumerate(COLUMNS):
            err = abs(got[i, j] - ref[i, j])
            assert err <= REL * abs(ref[i, j]), (
                f"seed {seed}, frame {i}, {name}: vitra {got[i, j]!r}, DeePMD-kit {ref[i, j]!r}, "
                f"relative error {err / abs(ref[i, j]):.2e}")


@needs_vitra
def test_model_devi_identical_models_and_errors(tmp_path):
    seed = SEED + 1
    models, paths, traj, frames = make_case(tmp_path, seed)
    # The same model three times: no deviation at all.
    out = tmp_path / "same.csv"
    r = run_vitra("--models", paths[0], paths[0], paths[0], "--trajectory", traj, "--output", out)
    assert r.returncode == 0, r.stderr
    _, rows = read_csv(out)
    got = np.array([[float(x) for x in row[1:]] for row in rows])
    assert np.abs(got).max() < 1e-12, got
    # A model with another sel: an error naming its file; one model: an error.
    other = dict(MODEL, sel=[40, 30, 31])
    bad = oracle.save(oracle.make_model(seed=seed, **other), tmp_path / "other_sel.yaml")
    r = run_vitra("--models", paths[0], bad, "--trajectory", traj, "--output", tmp_path / "x.csv")
    assert r.returncode != 0
    assert "other_sel.yaml" in r.stderr and "sel" in r.stderr, r.stderr
    r = run_vitra("--models", paths[0], "--trajectory", traj, "--output", tmp_path / "y.csv")
    assert r.returncode != 0 and "at least two" in r.stderr, r.stderr
