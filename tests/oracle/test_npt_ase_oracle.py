"""NptAse (kernels/integrate/npt_ase.hpp) against ASE's own NPT.

ASE's ``ase.md.npt.NPT`` (Melchionna Nose-Hoover + Parrinello-Rahman) runs
100 steps of 108-atom Lennard-Jones argon in a slightly triclinic, upper
triangular cell (thermostat and barostat on, full mask, 1 kbar); its start
(cell, positions, velocities before ASE's momentum zeroing) and every step's
cell, positions, potential energy and conserved quantity
(get_gibbs_free_energy) go into a reference file. The unit-test binary's
``NptAse.MatchesAseReferenceTrajectory`` reads it (env VITRA_NPT_ASE_REFERENCE),
runs vitra's NptAse from the same start and asserts: positions within 1e-6 A
of ASE's at every step, the cell within 1e-8 relative, the potential energy
and the conserved quantity within 1e-6 eV. This test asserts that the gtest
ran and passed (not skipped) and prints the differences it measured.

Units: ASE is given its parameters in the unit system vitra uses (ASE time
unit = sqrt(mvv2e) ps with vitra's mvv2e; kT, bar -> eV/A^3 with vitra's
constants), so both codes integrate the same equations; see npt_ase.hpp for
the size of the differences to ase.units' CODATA 2014 values (<= 4e-7
relative). Fresh seed each run, printed and named in every failure.

Needs: VITRA_BIN (<build>/bin/vitra; the unit tests are
<build>/tests/vitra_unit_tests, or set VITRA_UNIT_TESTS), numpy and ase.
"""
import os
import secrets
import subprocess
import warnings

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("ase")
from ase.build import bulk  # noqa: E402
from ase.calculators.lj import LennardJones  # noqa: E402
import ase.units  # noqa: E402

# vitra's constants (kernels/units.hpp).
MVV2E = 1.0364269e-4  # amu A^2/ps^2 -> eV
KB = 8.617333262e-5  # eV/K
EV_PER_A3_TO_BAR = 1.6021765e6
TAU_PS = MVV2E**0.5  # ASE's time unit sqrt(amu A^2/eV) in ps

EPSILON, SIGMA, RC = 0.0104, 3.4, 8.5
DT_PS, TTIME_PS, PTIME_PS, BULK = 0.002, 0.025, 0.075, 0.6  # B in eV/A^3, as ASE's docs
T_START, T_TARGET, P_BAR = 60.0, 80.0, 1000.0
STEPS = 100


def unit_test_binary():
    explicit = os.environ.get("VITRA_UNIT_TESTS")
    if explicit:
        return explicit
    vitra = os.environ.get("VITRA_BIN")
    if not vitra:
        return None
    build = os.path.dirname(os.path.dirname(os.path.abspath(vitra)))
    return os.path.join(build, "tests", "vitra_unit_tests")


BINARY = unit_test_binary()
if not BINARY or not os.access(BINARY, os.X_OK):
    pytest.skip("the unit-test binary was not found (set VITRA_BIN or VITRA_UNIT_TESTS)",
                allow_module_level=True)


def make_npt(atoms):
    from ase.md.npt import NPT

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NPT is a deprecated alias of MelchionnaNPT
        return NPT(atoms, timestep=DT_PS / TAU_PS, temperature_K=T_TARGET * KB / ase.units.kB,
                   externalstress=P_BAR / EV_PER_A3_TO_BAR, ttime=TTIME_PS / TAU_PS,
                   pfactor=PTIME_PS**2 * BULK / MVV2E, mask=(1, 1, 1))


def write_reference(path, seed):
    rng = np.random.default_rng(seed)
    atoms = bulk("Ar", "fcc", a=5.30, cubic=True).repeat(3)
    edge = atoms.cell[0, 0]
    # Slightly triclinic, upper triangular (b_x = c_x = c_y = 0), random tilts.
    tilt = rng.uniform(-0.03, 0.03, 3) * edge
    atoms.set_cell([[edge, tilt[0], tilt[1]], [0, edge, tilt[2]], [0, 0, edge]], scale_atoms=True)
    atoms.positions += rng.normal(0.0, 0.02, atoms.positions.shape)
    atoms.calc = LennardJones(sigma=SIGMA, epsilon=EPSILON, rc=RC, smooth=False)
    masses = atoms.get_masses()
    # Maxwell-Boltzmann velocities at T_START (vitra's kB) with a nonzero total
    # momentum, so that ASE's zeroing (p -= P/N) is part of the comparison.
    v = rng.normal(size=(len(atoms), 3)) * np.sqrt(KB * T_START / masses)[:, None]  # A per ASE time
    atoms.set_velocities(v)
    start_cell = atoms.cell.array.copy()
    start_pos = atoms.get_positions()
    start_vel_ps = atoms.get_velocities() / TAU_PS

    dyn = make_npt(atoms)
    frames = []

    def record():
        frames.append((atoms.cell.array.copy(), atoms.get_positions(), atoms.get_potential_energy(),
                       dyn.get_gibbs_free_energy()))

    record()  # step 0 (initialises the dynamics)
    for _ in range(STEPS):
        dyn.run(1)
        record()
    assert dyn.nsteps == STEPS

    def rows(a):
        return "\n".join(" ".join(f"{x:.17e}" for x in r) for r in np.atleast_2d(a))

    with open(path, "w") as f:
        f.write("vitra-npt-ase-reference 1\n")
        f.write(f"natoms {len(atoms)}\nmass {masses[0]:.17e}\n")
        f.write(f"lj {EPSILON:.17e} {SIGMA:.17e} {RC:.17e}\n")
        f.write(f"dt_ps {DT_PS:.17e}\nttime_ps {TTIME_PS:.17e}\npfactor {PTIME_PS**2 * BULK:.17e}\n")
        f.write(f"temperature_K {T_TARGET:.17e}\npressure_bar {P_BAR:.17e}\nsteps {STEPS}\n")
        f.write("cell\n" + rows(start_cell.reshape(1, 9)) + "\n")
        f.write("positions\n" + rows(start_pos) + "\n")
        f.write("velocities\n" + rows(start_vel_ps) + "\n")
        for k, (cell, pos, epot, gibbs) in enumerate(frames):
            f.write(f"frame {k}\n{rows(cell.reshape(1, 9))}\n{epot:.17e} {gibbs:.17e}\n{rows(pos)}\n")
    return frames


def test_npt_ase_matches_ase(tmp_path):
    seed = secrets.randbits(32)
    ref = tmp_path / "npt_ase_reference.txt"
    frames = write_reference(ref, seed)
    moved = np.abs(frames[-1][0] - frames[0][0]).max()
    assert moved > 1e-3, f"seed {seed}: ASE's cell barely moved ({moved} A); the test would not test the barostat"
    env = dict(os.environ, VITRA_NPT_ASE_REFERENCE=str(ref), VITRA_TEST_DEVICE="cpu")
    proc = subprocess.run([BINARY, "--gtest_filter=NptAse.MatchesAseReferenceTrajectory"],
                          capture_output=True, text=True, env=env, timeout=600)
    out = proc.stdout + proc.stderr
    print(f"seed {seed}\n{out}")
    assert proc.returncode == 0, f"seed {seed}: the gtest failed:\n{out}"
    assert "[  PASSED  ] 1 test" in out, f"seed {seed}: the gtest did not run:\n{out}"
    assert "SKIPPED" not in out, f"seed {seed}: the gtest was skipped:\n{out}"
