"""Structure I/O against ASE: files ASE writes go through `vitra convert` and
come back the same when ASE reads them, and files vitra writes read the same
in ASE. Random triclinic (and rotated, general) cells, fresh seeds each run;
the seed is printed and named in every failure.

Needs: VITRA_BIN (the built vitra binary), numpy and ase; skips without them.
"""
import os
import secrets
import subprocess

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("ase")
import ase.io  # noqa: E402
from ase import Atoms, units  # noqa: E402
from ase.geometry import cell_to_cellpar  # noqa: E402

VITRA = os.environ.get("VITRA_BIN")
if not VITRA or not os.access(VITRA, os.X_OK):
    pytest.skip("VITRA_BIN is not set to the built vitra binary", allow_module_level=True)

SYMBOLS = ["O", "B", "Li", "Si", "H"]
# ASE velocity unit -> Å/ps (1 ps = 1000 fs = 1000 * units.fs ASE time units).
ASE_TO_A_PER_PS = 1000.0 * units.fs


class SeededRng:
    """numpy Generator that remembers its seed (for failure messages)."""

    def __init__(self, seed):
        self.seed = seed
        self._gen = np.random.default_rng(seed)

    def __getattr__(self, name):
        return getattr(self._gen, name)


@pytest.fixture
def rng(request):
    seed = secrets.randbits(32)
    print(f"{request.node.name}: seed {seed}")
    return SeededRng(seed)


def random_rotation(rng):
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q *= np.sign(np.diag(r))
    if np.linalg.det(q) < 0:
        q[:, 0] *= -1
    return q


def random_cell(rng, general):
    """Lower-triangular cell with tilts up to half the diagonal, optionally rotated."""
    h = np.diag(rng.uniform(4.0, 20.0, 3))
    h[1, 0] = rng.uniform(-0.5, 0.5) * h[0, 0]
    h[2, 0] = rng.uniform(-0.5, 0.5) * h[0, 0]
    h[2, 1] = rng.uniform(-0.5, 0.5) * h[1, 1]
    return h @ random_rotation(rng).T if general else h


def random_atoms(rng, general=True, velocities=False, n=None):
    n = n or int(rng.integers(5, 60))
    atoms = Atoms(
        symbols=list(rng.choice(SYMBOLS, n)),
        scaled_positions=rng.uniform(-0.1, 1.1, (n, 3)),
        cell=random_cell(rng, general),
        pbc=True,
    )
    if velocities:
        atoms.set_velocities(rng.normal(0.0, 0.05, (n, 3)))  # ASE units
    return atoms


def convert(src, dst, *args, ok=True):
    r = subprocess.run([VITRA, "convert", str(src), str(dst), *args],
                       capture_output=True, text=True, timeout=120)
    if ok:
        assert r.returncode == 0, f"vitra convert {src} {dst} {args} failed:\n{r.stdout}{r.stderr}"
        assert "wrote" in r.stdout and str(dst) in r.stdout, r.stdout
    return r


def rotation_between(c_from, c_to, seed):
    """R with c_from @ R = c_to; asserts it is orthogonal (same lattice, rotated)."""
    R = np.linalg.solve(c_from, c_to)
    np.testing.assert_allclose(R @ R.T, np.eye(3), atol=1e-9, err_msg=f"seed {seed}: not a rotation")
    return R


def assert_same_up_to_rotation(ref, got, seed, velocities=False):
    """Same lattice (lengths, angles, volume), species, positions and velocities up to a rotation."""
    msg = f"seed {seed}"
    assert got.get_chemical_symbols() == ref.get_chemical_symbols(), msg
    np.testing.assert_allclose(cell_to_cellpar(got.cell), cell_to_cellpar(ref.cell), rtol=1e-10, err_msg=msg)
    assert abs(got.cell.volume - ref.cell.volume) < 1e-9 * ref.cell.volume, msg
    # LAMMPS form: lower triangular with a positive diagonal.
    c = np.asarray(got.cell)
    assert c[0, 1] == 0 and c[0, 2] == 0 and c[1, 2] == 0 and np.all(np.diag(c) > 0), msg
    R = rotation_between(np.asarray(ref.cell), c, seed)
    np.testing.assert_allclose(got.positions, ref.positions @ R, atol=1e-8, err_msg=msg)
    d_ref = ref.get_all_distances()
    np.testing.assert_allclose(got.get_all_distances(), d_ref, atol=1e-8, err_msg=msg)
    if velocities:
        np.testing.assert_allclose(got.get_velocities(), ref.get_velocities() @ R,
                                   rtol=1e-9, atol=1e-12, err_msg=msg)


def test_extxyz_from_ase_round_trips_exactly(tmp_path, rng):
    for trial, with_vel in enumerate([False, True, False, True]):
        atoms = random_atoms(rng, general=True, velocities=with_vel)
        atoms.info["note"] = "random glass"
        atoms.info["glass_id"] = 7
        src, dst = tmp_path / f"in{trial}.xyz", tmp_path / f"out{trial}.xyz"
        ase.io.write(src, atoms, format="extxyz")
        ref = ase.io.read(src, format="extxyz")
        convert(src, dst)
        got = ase.io.read(dst, format="extxyz")
        msg = f"seed {rng.seed}, trial {trial}"
        np.testing.assert_array_equal(np.asarray(got.cell), np.asarray(ref.cell), err_msg=msg)
        assert list(got.pbc) == list(ref.pbc), msg
        assert got.get_chemical_symbols() == ref.get_chemical_symbols(), msg
        np.testing.assert_allclose(got.positions, ref.positions, rtol=0, atol=1e-12, err_msg=msg)
        assert got.info["note"] == "random glass" and got.info["glass_id"] == 7, msg
        if with_vel:
            # ASE wrote momenta; vitra reads them as velocities in Å/ps and writes vel.
            np.testing.assert_allclose(got.arrays["vel"], ref.get_velocities() * ASE_TO_A_PER_PS,
                                       rtol=1e-10, atol=1e-13, err_msg=msg)
            # And against the velocities ASE was given (momenta were rounded to 1e-8).
            np.testing.assert_allclose(got.arrays["vel"], atoms.get_velocities() * ASE_TO_A_PER_PS,
                                       rtol=1e-5, atol=1e-6, err_msg=msg)


def test_velocity_unit_matches_ase(tmp_path, rng):
    # Velocities in Å/ps, handed to ASE in its units; vitra must bring them back.
    atoms = random_atoms(rng, general=False, n=20)
    v_ps = rng.normal(0.0, 5.0, (len(atoms), 3))
    atoms.set_velocities(v_ps / ASE_TO_A_PER_PS)
    masses = atoms.get_masses()
    atoms.set_masses(masses)  # write a masses column too
    src = tmp_path / "v.xyz"
    ase.io.write(src, atoms, format="extxyz")
    ref = ase.io.read(src)
    convert(src, tmp_path / "v_out.xyz")
    got = ase.io.read(tmp_path / "v_out.xyz")
    np.testing.assert_allclose(got.arrays["vel"], ref.get_velocities() * ASE_TO_A_PER_PS, rtol=1e-10,
                               err_msg=f"seed {rng.seed}")
    np.testing.assert_allclose(got.arrays["vel"], v_ps, rtol=1e-6, atol=1e-6, err_msg=f"seed {rng.seed}")
    # Through a LAMMPS data file (metal units) ASE converts back to its units.
    convert(src, tmp_path / "v_out.data")
    back = ase.io.read(tmp_path / "v_out.data", format="lammps-data", atom_style="atomic")
    np.testing.assert_allclose(back.get_velocities(), ref.get_velocities(), rtol=1e-10,
                               err_msg=f"seed {rng.seed}")


def test_lammps_data_from_ase(tmp_path, rng):
    for trial in range(4):
        atoms = random_atoms(rng, general=True, velocities=True)
        specorder = sorted(set(atoms.get_chemical_symbols()))
        src = tmp_path / f"ase{trial}.data"
        ase.io.write(src, atoms, format="lammps-data", masses=True, specorder=specorder,
                     velocities=True, atom_style="atomic")
        ref = ase.io.read(src, format="lammps-data", atom_style="atomic")
        msg = f"seed {rng.seed}, trial {trial}"
        # ASE rotated the cell into LAMMPS form; the lattice is the original one.
        assert_same_up_to_rotation(atoms, ref, rng.seed, velocities=True)

        convert(src, tmp_path / f"v{trial}.xyz")
        got = ase.io.read(tmp_path / f"v{trial}.xyz")
        np.testing.assert_allclose(np.asarray(got.cell), np.asarray(ref.cell), rtol=0, atol=1e-12, err_msg=msg)
        assert got.get_chemical_symbols() == ref.get_chemical_symbols(), msg
        np.testing.assert_allclose(got.positions, ref.positions, rtol=0, atol=1e-12, err_msg=msg)
        np.testing.assert_allclose(got.arrays["vel"], ref.get_velocities() * ASE_TO_A_PER_PS,
                                   rtol=1e-10, atol=1e-13, err_msg=msg)

        convert(src, tmp_path / f"v{trial}.data")
        again = ase.io.read(tmp_path / f"v{trial}.data", format="lammps-data", atom_style="atomic")
        np.testing.assert_allclose(np.asarray(again.cell), np.asarray(ref.cell), atol=1e-12, err_msg=msg)
        assert again.get_chemical_symbols() == ref.get_chemical_symbols(), msg
        np.testing.assert_allclose(again.positions, ref.positions, atol=1e-12, err_msg=msg)
        np.testing.assert_allclose(again.get_velocities(), ref.get_velocities(), rtol=1e-10, err_msg=msg)


def test_lammps_data_without_masses_needs_types(tmp_path, rng):
    atoms = random_atoms(rng, general=False)
    specorder = sorted(set(atoms.get_chemical_symbols()))
    src = tmp_path / "nomass.data"
    ase.io.write(src, atoms, format="lammps-data", specorder=specorder, atom_style="atomic")
    r = convert(src, tmp_path / "x.xyz", ok=False)
    assert r.returncode != 0
    assert "nomass.data" in r.stderr and "--types" in r.stderr, r.stderr
    convert(src, tmp_path / "x.xyz", "--types", ",".join(specorder))
    got = ase.io.read(tmp_path / "x.xyz")
    assert got.get_chemical_symbols() == atoms.get_chemical_symbols(), f"seed {rng.seed}"
    ref = ase.io.read(src, format="lammps-data", atom_style="atomic")
    np.testing.assert_allclose(got.positions, ref.positions, atol=1e-12, err_msg=f"seed {rng.seed}")


def test_vitra_writes_what_ase_reads(tmp_path, rng):
    for trial, general in enumerate([True, False, True]):
        atoms = random_atoms(rng, general=general, velocities=True)
        src = tmp_path / f"in{trial}.xyz"
        ase.io.write(src, atoms, format="extxyz")
        ref = ase.io.read(src)
        msg = f"seed {rng.seed}, trial {trial}"

        convert(src, tmp_path / f"out{trial}.extxyz", "--to", "extxyz")
        got = ase.io.read(tmp_path / f"out{trial}.extxyz", format="extxyz")
        np.testing.assert_array_equal(np.asarray(got.cell), np.asarray(ref.cell), err_msg=msg)
        np.testing.assert_allclose(got.positions, ref.positions, atol=1e-12, err_msg=msg)

        convert(src, tmp_path / f"out{trial}.data")
        got = ase.io.read(tmp_path / f"out{trial}.data", format="lammps-data", atom_style="atomic")
        assert_same_up_to_rotation(ref, got, rng.seed, velocities=True)
        if not general:
            np.testing.assert_allclose(got.positions, ref.positions, atol=1e-12, err_msg=msg)

        convert(src, tmp_path / f"out{trial}.dump")
        got = ase.io.read(tmp_path / f"out{trial}.dump", format="lammps-dump-text", index=-1)
        assert_same_up_to_rotation(ref, got, rng.seed, velocities=True)
        assert got.info["timestep"] == 0, msg


def test_trajectories(tmp_path, rng):
    frames = [random_atoms(rng, general=True, velocities=(k % 2 == 0)) for k in range(3)]
    src = tmp_path / "traj.xyz"
    ase.io.write(src, frames, format="extxyz")
    refs = ase.io.read(src, index=":")
    msg = f"seed {rng.seed}"

    convert(src, tmp_path / "traj.dump")
    got = ase.io.read(tmp_path / "traj.dump", format="lammps-dump-text", index=":")
    assert len(got) == 3, msg
    for k in range(3):
        assert_same_up_to_rotation(refs[k], got[k], rng.seed, velocities=(k % 2 == 0))
        assert got[k].info["timestep"] == k, msg

    convert(src, tmp_path / "all.xyz")
    assert len(ase.io.read(tmp_path / "all.xyz", index=":")) == 3, msg
    convert(tmp_path / "traj.dump", tmp_path / "last.xyz", "--frame", "-1")
    last = ase.io.read(tmp_path / "last.xyz")
    np.testing.assert_allclose(last.positions, got[2].positions, atol=1e-12, err_msg=msg)

    r = convert(src, tmp_path / "one.data", ok=False)
    assert r.returncode != 0 and "--frame" in r.stderr, r.stderr
    r = convert(src, tmp_path / "one.data", "--frame", "5", ok=False)
    assert r.returncode != 0 and "3 frames" in r.stderr, r.stderr
    convert(src, tmp_path / "one.data", "--frame", "1")
    one = ase.io.read(tmp_path / "one.data", format="lammps-data", atom_style="atomic")
    assert_same_up_to_rotation(refs[1], one, rng.seed)


def test_refuses_to_overwrite(tmp_path, rng):
    src = tmp_path / "a.xyz"
    ase.io.write(src, random_atoms(rng))
    convert(src, tmp_path / "b.xyz")
    r = convert(src, tmp_path / "b.xyz", ok=False)
    assert r.returncode != 0 and "--force" in r.stderr and "b.xyz" in r.stderr, r.stderr
    convert(src, tmp_path / "b.xyz", "--force")
