"""The periodic table compiled into vitra (host/elements.cpp) against ASE:
every symbol, atomic number and standard atomic weight must equal
ase.data.chemical_symbols / ase.data.atomic_masses exactly, so that a typo in
the table cannot hide. Also checks, through `vitra build`, that the masses the
binary uses give ASE's density for a few elements.

Needs: ase and numpy (skips without them); VITRA_BIN for the binary check.
"""
import os
import pathlib
import re
import subprocess

import pytest

pytest.importorskip("numpy")
pytest.importorskip("ase")
from ase.data import atomic_masses, atomic_numbers, chemical_symbols  # noqa: E402

SOURCE = pathlib.Path(os.environ.get("VITRA_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
ENTRY = re.compile(r'\{"([A-Za-z]+)",\s*(\d+),\s*([0-9.eE+-]+)\}')
AMU_PER_A3_TO_G_CM3 = 1.66053906660


def table():
    text = (SOURCE / "host" / "elements.cpp").read_text()
    body = text[text.index("kElements[kNumElements] = {"):]
    body = body[: body.index("};")]
    return [(sym, int(z), float(m)) for sym, z, m in ENTRY.findall(body)]


def test_every_element_matches_ase():
    rows = table()
    assert len(rows) == 118, f"expected 118 elements, found {len(rows)}"
    for index, (sym, z, mass) in enumerate(rows):
        assert z == index + 1, f"entry {index} has Z={z}, expected {index + 1}"
        assert sym == chemical_symbols[z], f"Z={z}: vitra has {sym}, ASE {chemical_symbols[z]}"
        assert mass == float(atomic_masses[z]), f"{sym}: vitra mass {mass!r}, ASE {float(atomic_masses[z])!r}"


VITRA = os.environ.get("VITRA_BIN")


@pytest.mark.skipif(not VITRA or not os.access(VITRA, os.X_OK), reason="VITRA_BIN is not set to the built vitra binary")
@pytest.mark.parametrize("symbol", ["Li", "Si", "Xe", "U"])
def test_binary_masses_give_ase_density(tmp_path, symbol):
    import ase.io

    out = tmp_path / f"{symbol}.extxyz"
    subprocess.run([VITRA, "build", "--composition", symbol, "--atoms", "50", "--density", "1.0",
                    "--min-dist", f"{symbol}-{symbol}:1.0", "-o", str(out)], check=True, capture_output=True)
    atoms = ase.io.read(out)
    assert len(atoms) == 50 and set(atoms.get_chemical_symbols()) == {symbol}
    density = 50 * atomic_masses[atomic_numbers[symbol]] * AMU_PER_A3_TO_G_CM3 / atoms.get_volume()
    assert abs(density - 1.0) < 1e-9
