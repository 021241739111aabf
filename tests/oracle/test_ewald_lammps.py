"""Ewald Coulomb (potential.coulomb method = "ewald") against LAMMPS
(buck/coul/long + kspace_style ewald, pair_modify table 0) on a random,
charge-neutral Li-B-O-like system (LiBO2 stoichiometry, 96 atoms, charges
Li 0.6, B 1.8, O -1.2, a weak Buckingham B-O / O-O repulsion) in an
orthorhombic and a triclinic cell narrower than twice the real-space cutoff.
Both codes are run at accuracy 1e-10; LAMMPS evaluates erfc with the
Abramowitz & Stegun polynomial (about 1e-7), so agreement is to that level:
energy 1e-6 relative, forces 1e-6 of the largest, virial / pressure tensor
1e-6 of its largest component.

Needs: VITRA_BIN (the built vitra binary), numpy and the `lmp` binary
(Debian package lammps); skips without them.
"""
import json
import os
import secrets
import shutil
import subprocess
import textwrap

import pytest

np = pytest.importorskip("numpy")

VITRA = os.environ.get("VITRA_BIN")
if not VITRA or not os.access(VITRA, os.X_OK):
    pytest.skip("VITRA_BIN is not set to the built vitra binary", allow_module_level=True)
LMP = shutil.which("lmp") or shutil.which("lmp_serial")
if LMP is None:
    pytest.skip("LAMMPS (lmp) is not installed", allow_module_level=True)

KINDS = ["O", "B", "Li"]
CHARGES = {"O": -1.2, "B": 1.8, "Li": 0.6}
MASSES = {"O": 15.999, "B": 10.81, "Li": 6.94}
# (A eV, rho A, C eV A^6); pairs not listed do not interact at short range.
BUCK = {("O", "B"): (1500.0, 0.25, 5.0), ("O", "O"): (800.0, 0.3, 20.0)}
RC_SHORT, RC_COUL, ACCURACY = 5.0, 8.0, 1e-10
NKTV2P = 1.6021765e6  # LAMMPS metal: eV/A^3 -> bar
TILTS = (1.7, -1.1, 0.9)  # xy xz yz (A)


@pytest.fixture
def seed(request):
    s = secrets.randbits(31)
    print(f"{request.node.name}: seed {s}")
    return s


def random_structure(rng, tilted):
    """24 LiBO2 units placed at random, at least 1.6 A apart."""
    lengths = np.array([10.4, 10.9, 11.3]) * rng.uniform(0.97, 1.03, 3)
    xy, xz, yz = TILTS if tilted else (0.0, 0.0, 0.0)
    h = np.array([[lengths[0], 0, 0], [xy, lengths[1], 0], [xz, yz, lengths[2]]])
    hinv = np.linalg.inv(h)
    species = ["B"] * 24 + ["Li"] * 24 + ["O"] * 48
    rng.shuffle(species)
    x = []
    while len(x) < len(species):
        c = rng.uniform(0.0, 1.0, 3) @ h
        if x:
            d = (np.array(x) - c) @ hinv
            d -= np.round(d)
            if np.linalg.norm(d @ h, axis=1).min() < 1.6:
                continue
        x.append(c)
    return h, species, np.array(x)


def write_extxyz(path, h, species, x):
    lattice = " ".join(repr(float(v)) for v in h.reshape(-1))
    with open(path, "w") as f:
        f.write(f"{len(x)}\nLattice=\"{lattice}\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n")
        for e, r in zip(species, x):
            f.write(f"{e} {float(r[0])!r} {float(r[1])!r} {float(r[2])!r}\n")


def write_workflow(path, structure):
    pairs = ""
    for i, a in enumerate(KINDS):
        for b in KINDS[i:]:
            A, rho, C = BUCK.get((a, b), BUCK.get((b, a), (0.0, 1.0, 0.0)))
            pairs += (f'[[potential.pair]]\nelements = ["{a}", "{b}"]\nform = "buckingham"\n'
                      f"A = {A!r}\nrho = {rho!r}\nC = {C!r}\ncutoff = {RC_SHORT}\n\n")
    charges = ", ".join(f"{e} = {q}" for e, q in CHARGES.items())
    path.write_text(textwrap.dedent(f"""\
        [run]
        output = "{path.parent}/run"
        device = "cpu"

        [system]
        structure = "{structure}"

        [potential]
        kind = "pair"

        """) + pairs + textwrap.dedent(f"""\
        [potential.coulomb]
        method = "ewald"
        cutoff = {RC_COUL}
        accuracy = {ACCURACY}
        charges = {{ {charges} }}

        [[stage]]
        kind = "minimize"
        """))
    return path


def run_lammps(folder, h, species, x):
    with open(os.path.join(folder, "start.data"), "w") as f:
        f.write("Li-B-O for the Ewald oracle\n\n")
        f.write(f"{len(x)} atoms\n{len(KINDS)} atom types\n\n")
        for k, name in enumerate("xyz"):
            f.write(f"0.0 {float(h[k, k])!r} {name}lo {name}hi\n")
        f.write(f"{float(h[1, 0])!r} {float(h[2, 0])!r} {float(h[2, 1])!r} xy xz yz\n")
        f.write("\nMasses\n\n" + "".join(f"{k + 1} {MASSES[e]}\n" for k, e in enumerate(KINDS)))
        f.write("\nAtoms # charge\n\n")
        for i, (e, r) in enumerate(zip(species, x)):
            f.write(f"{i + 1} {KINDS.index(e) + 1} {CHARGES[e]} {float(r[0])!r} {float(r[1])!r} {float(r[2])!r}\n")
    coeffs = ""
    for i, a in enumerate(KINDS):
        for j in range(i, len(KINDS)):
            A, rho, C = BUCK.get((a, KINDS[j]), BUCK.get((KINDS[j], a), (0.0, 1.0, 0.0)))
            coeffs += f"pair_coeff {i + 1} {j + 1} {A!r} {rho!r} {C!r}\n"
    script = (textwrap.dedent(f"""\
        units metal
        atom_style charge
        boundary p p p
        read_data start.data
        pair_style buck/coul/long {RC_SHORT} {RC_COUL}
        """) + coeffs + textwrap.dedent(f"""\
        pair_modify table 0
        kspace_style ewald {ACCURACY}
        neighbor 1.0 bin
        thermo_style custom step pe press pxx pyy pzz pxy pxz pyz vol
        thermo_modify format float %.17g
        dump 1 all custom 1 forces.dump id fx fy fz
        dump_modify 1 sort id format float %.17g
        run 0
        """))
    with open(os.path.join(folder, "in.lmp"), "w") as f:
        f.write(script)
    r = subprocess.run([LMP, "-in", "in.lmp", "-log", "log.lammps", "-screen", "none"], cwd=folder,
                       capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    with open(os.path.join(folder, "log.lammps")) as f:
        log = f.read()
    assert r.returncode == 0, log[-2000:]
    lines = log.splitlines()
    head = next(k for k, line in enumerate(lines) if line.split()[:2] == ["Step", "PotEng"])
    values = [float(v) for v in lines[head + 1].split()]
    pe, press, pxx, pyy, pzz, pxy, pxz, pyz, vol = values[1:]
    with open(os.path.join(folder, "forces.dump")) as f:
        dump = f.read().splitlines()
    start = next(k for k, line in enumerate(dump) if line.startswith("ITEM: ATOMS")) + 1
    forces = np.array([[float(v) for v in line.split()[1:4]] for line in dump[start:start + len(x)]])
    pressure = np.array([[pxx, pxy, pxz], [pxy, pyy, pyz], [pxz, pyz, pzz]])
    return pe, forces, pressure, press, vol


@pytest.mark.parametrize("tilted", [False, True], ids=["orthorhombic", "triclinic"])
def test_ewald_matches_lammps(tmp_path, seed, tilted):
    rng = np.random.default_rng(seed)
    h, species, x = random_structure(rng, tilted)
    assert abs(sum(CHARGES[e] for e in species)) < 1e-12
    structure = tmp_path / "start.extxyz"
    write_extxyz(structure, h, species, x)
    wf = write_workflow(tmp_path / "wf.toml", structure)
    r = subprocess.run([VITRA, "--device", "cpu", "eval", str(wf), "--output", "json"], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    pe, lf, lp, lpress, vol = run_lammps(str(tmp_path), h, species, x)

    vf = np.array(out["forces_eV_per_A"])
    virial = np.array(out["virial_eV"])
    # LAMMPS' pressure with no velocities is W / V (in bar).
    lw = lp * vol / NKTV2P
    print(f"energy vitra {out['energy_eV']:.10f} LAMMPS {pe:.10f} eV "
          f"(relative {abs(out['energy_eV'] - pe) / abs(pe):.2e}); "
          f"largest force difference {np.abs(vf - lf).max():.2e} of {np.abs(lf).max():.3f} eV/A; "
          f"largest virial difference {np.abs(virial - lw).max():.2e} of {np.abs(lw).max():.3f} eV; "
          f"pressure {out['pressure_bar']:.3f} vs {lpress:.3f} bar")
    assert out["volume_A3"] == pytest.approx(vol, rel=1e-12)
    assert out["energy_eV"] == pytest.approx(pe, rel=1e-6)
    np.testing.assert_allclose(vf, lf, rtol=0, atol=1e-6 * np.abs(lf).max())
    np.testing.assert_allclose(virial, lw, rtol=0, atol=1e-6 * np.abs(lw).max())
    assert out["pressure_bar"] == pytest.approx(lpress, rel=0, abs=1e-6 * np.abs(lp).max())
