"""DeePMD-kit (se_e2_a energy model) reference for vitra's DeepPotential.

Builds random DeePMD-kit models with DeePMD-kit's own numpy backend
(``deepmd.dpmodel``), saves them as ``.yaml`` / ``.dp``, makes random periodic
structures, and evaluates the reference energy, atom energies, forces, virial
and per-atom virials.

Run ``python tests/oracle/deepmd_oracle.py --selfcheck`` to check this module
itself (no vitra needed).

What the numpy backend does and does not give
---------------------------------------------
``EnergyModel.call`` of deepmd.dpmodel (v3.2) returns only ``energy`` and
``atom_energy``: its ``fit_output_to_model_output``
(deepmd/dpmodel/model/transform_output.py) sets ``energy_derv_r`` and
``energy_derv_c`` to None ("name-holders") because numpy has no autograd; the
forces/virials of DeePMD-kit come from the pt / jax / pt_expt backends
(autograd), none of which runs without torch or jax. So:

* energies and atom energies are DeePMD-kit's own (``model.call``);
* forces, virial and per-atom virials come from an analytic reverse-mode
  derivative written here (``_SeAEvaluator``) of the same model read from its
  serialized dict (the data in the .yaml/.dp file), on DeePMD-kit's own
  extended coordinates and neighbor list (``DefaultNeighborList`` +
  ``model.format_nlist``, as ``model.call`` does). Its energies must equal
  DeePMD-kit's (checked on every ``evaluate`` call for float64 models), its
  forces equal finite differences of DeePMD-kit's energy and its virial the
  finite-difference strain derivative (``--selfcheck``), and it reproduces the
  atom energies, forces and atomic virials that DeePMD-kit's PyTorch backend
  wrote into shared/data/deepmd-fixtures/deeppot-testcase.yaml to ~1e-12
  (``--selfcheck``).

Virial convention (DeePMD-kit)
------------------------------
pt backend, deepmd/pt/model/model/transform_output.py ``task_deriv_one``:
``extended_force = -dE/dx_ext``; ``extended_virial =
einsum("...ik,...ij->...ikj", extended_force, extended_coord)``, i.e. per
extended atom a: ``V_a[alpha, beta] = F_a[alpha] * x_a[beta]`` (row = force
component, column = coordinate component), flattened row-major to 9 numbers
(index 3*alpha + beta). The jax backend (deepmd/jax/model/base_model.py,
``einsum("f...ai,faj->f...aij", ff, extended_coord)``) is identical.
Summed over all extended atoms, with E depending on pair vectors
r_ij = x_j - x_i only:

    W[alpha, beta] = - sum_pairs (dE/dr_ij)[alpha] * r_ij[beta]
                   = - dE/d eps[alpha, beta]   for x' = (I + eps) x

(checked by finite differences below). For a rotation-invariant model (real
DeePMD statistics: davg = (a, 0, 0, 0), dstd = (s_r, s_a, s_a, s_a)) W is
symmetric and the orientation is moot; a model with anisotropic davg/dstd
(``stats="aniso"``/``"slot"``) is not rotation invariant and its W is not
symmetric, which pins the orientation. This is "W = -sum r_ij (x) dE/dr_ij"
of the spec transposed; the two agree for every physical (rotation-invariant)
model.

Per-atom virial (DeePMD-kit)
----------------------------
With ``do_atomic_virial`` the pt/jax backends add ``atomic_virial_corr``
(pt transform_output.py; jax ``eval_ce``):
``corr_a[alpha, beta] = sum_i x_i[beta] * dE_i/dx_a[alpha]`` with the local
coordinates x_i detached, so that per extended atom a

    V_a[alpha, beta] = - sum_i (dE_i/dx_a)[alpha] * (x_a - x_i)[beta]

then folded back onto the owner of a (``communicate_extended_output``:
scatter-sum through ``mapping``). The term of centre i is zero for a = i, so
the whole pair term  -(dE_i/dr_ij) (x) r_ij  of the pair (centre i, neighbor
j) goes to the NEIGHBOR j (its owner when j is an image), none to the centre.
Row = derivative component, column = r_ij component. ``evaluate`` returns this
as "atom_virial" and also the two other splittings ("half": half to each
atom, "centre": all to the centre) under "atom_virial_conventions"; the three
have the same sum, W.

Facts of the reference that an implementation must match (found in the code)
---------------------------------------------------------------------------
* Energy per atom: E_i = fit_{t_i}(D_i) + fitting.bias_atom_e[t_i]
  + model out_bias[0, t_i, 0] (both added; out_std is not used for the
  energy). (deepmd/dpmodel/fitting/general_fitting.py ``_call_common``;
  atomic_model/base_atomic_model.py ``apply_out_stat``.)
* Embedding nets of type_one_side=False are stored in
  ``descriptor.embeddings.networks`` at index t_centre + ntypes * t_neighbor
  (utils/network.py ``NetworkCollection._convert_key``: sum key[k]*ntypes**k),
  i.e. the centre type runs fastest.
* Descriptor exclude_types masks the REAL neighbors of an excluded type pair
  to zero rows (s = 0, contributing G(0) (x) 0 = 0), but the PADDING slots of
  that block are not masked (the exclusion mask maps an empty slot to a
  virtual type ntypes that no pair excludes, utils/exclude_mask.py), so they
  still add G(-davg/dstd) (x) (-davg/dstd). With type_one_side (nets shared
  by all centre types) the energy of a centre therefore jumps when a neighbor
  of an excluded type crosses rcut. For type_one_side=False,
  DescrptSeA.serialize zeroes the excluded pair's embedding net (w, b, idt),
  so that block's padding gives (net of zeros)(s) (x) padding: nothing for
  tanh/gelu (act(0) = 0), but a jump again for e.g. softplus (act(0) = log 2
  passes the first layer, which has no shortcut and so no idt). An
  implementation must just mask real excluded rows, keep padding rows, and
  evaluate the stored nets (checked in --selfcheck).
* A layer applies ``idt`` whenever the file has one, and the shortcut only
  when its ``resnet`` flag is true and out = in or out = 2 in (the first
  embedding layer has in = 1, so neuron[0] = 2 gives concat(s, s); the first
  fitting layer has in = M1*M2).
* float32 models (precision "float32"): DeePMD-kit computes the environment
  matrix in float64, casts it to float32 for the embedding net, and sums
  energies in float64. ``evaluate`` then returns the float64 evaluation of the
  float32 weights (exact up to round-off) and DeePMD-kit's float32 numbers
  under "energy_deepmd"/"atom_energy_deepmd".

Neighbors: within a neighbor type, slots are filled in ascending distance.
With ``stats="slot"`` (davg/dstd differing per slot) the result depends on
that order, so use it only where no two neighbors of one type are at equal
distance (no self-images: all perpendicular widths > rcut).
"""
from __future__ import annotations

import argparse
import copy
import math
import os
import sys
import time

import numpy as np

ATOM_VIRIAL_CONVENTIONS = ("deepmd", "half", "centre")
CELL_KINDS = ("wide", "narrow", "tiny")


def _deepmd():
    """Imports of deepmd.dpmodel (raises ImportError when not installed)."""
    from deepmd.dpmodel.descriptor import DescrptSeA
    from deepmd.dpmodel.fitting import EnergyFittingNet
    from deepmd.dpmodel.model import EnergyModel
    from deepmd.dpmodel.model.base_model import BaseModel
    from deepmd.dpmodel.utils.default_neighbor_list import DefaultNeighborList
    from deepmd.dpmodel.utils.serialization import load_dp_model, save_dp_model
    return dict(DescrptSeA=DescrptSeA, EnergyFittingNet=EnergyFittingNet, EnergyModel=EnergyModel,
                BaseModel=BaseModel, DefaultNeighborList=DefaultNeighborList,
                load_dp_model=load_dp_model, save_dp_model=save_dp_model)


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------

def make_model(type_map, rcut, rcut_smth, sel, neuron, axis_neuron, fitting, type_one_side,
               exclude_types, resnet_dt, precision, seed, activation="tanh",
               fitting_resnet_dt=None, stats="iso", fitting_activation=None, out_scale=20.0):
    """A random DeePMD-kit se_e2_a EnergyModel with randomized statistics.

    fitting: hidden widths of the fitting net. fitting_resnet_dt defaults to
    resnet_dt, fitting_activation to activation.
    stats: how davg/dstd are drawn, per centre type and neighbor-type block:
      "iso"   davg = (a, 0, 0, 0), dstd = (s_r, s_a, s_a, s_a) per block (what
              DeePMD-kit's statistics produce: rotation invariant);
      "aniso" every component random per block (not rotation invariant: the
              virial is not symmetric);
      "slot"  every component random per slot (depends on the neighbor order
              inside a block: use only without equal-distance neighbors).
    Also draws bias_atom_e, out_bias, out_std and the resnet timesteps (idt),
    all non-zero, and multiplies the output layer of the fitting nets by
    out_scale (the constructor's weights give forces of ~0.05 eV/A; 20 gives
    ~1 eV/A, so that tolerances relative to max(1, max |F|) are meaningful).
    """
    dp = _deepmd()
    rng = np.random.default_rng([int(seed), 0x5EA])
    fitting_resnet_dt = resnet_dt if fitting_resnet_dt is None else fitting_resnet_dt
    d = dp["DescrptSeA"](rcut=rcut, rcut_smth=rcut_smth, sel=list(sel), neuron=list(neuron),
                         axis_neuron=axis_neuron, type_one_side=type_one_side,
                         exclude_types=[list(p) for p in exclude_types], resnet_dt=resnet_dt,
                         activation_function=activation, precision=precision,
                         seed=int(rng.integers(1 << 30)))
    f = dp["EnergyFittingNet"](ntypes=len(type_map), dim_descrpt=d.get_dim_out(),
                               neuron=list(fitting), resnet_dt=fitting_resnet_dt,
                               activation_function=fitting_activation or activation,
                               precision=precision, seed=int(rng.integers(1 << 30)))
    m = dp["EnergyModel"](descriptor=d, fitting=f, type_map=list(type_map))
    data = m.serialize()
    randomize_statistics(data, rng, stats)
    for net in data["fitting"]["nets"]["networks"]:
        lv = net["layers"][-1]["@variables"]
        lv["w"] = (lv["w"] * out_scale).astype(lv["w"].dtype)
    return dp["BaseModel"].deserialize(data)


def randomize_statistics(data, rng, stats="iso"):
    """Draws davg, dstd, bias_atom_e, out_bias, out_std and idt in a serialized
    model dict (in place)."""
    desc = data["descriptor"]
    var = desc["@variables"]
    ntypes, nnei, _ = var["davg"].shape
    sel = desc["sel"]
    sec = np.concatenate([[0], np.cumsum(sel)])
    davg = np.empty((ntypes, nnei, 4))
    dstd = np.empty((ntypes, nnei, 4))
    for ti in range(ntypes):
        for tt in range(len(sel)):
            blk = slice(sec[tt], sec[tt + 1])
            n = sec[tt + 1] - sec[tt]
            if stats == "iso":
                davg[ti, blk, 0] = rng.uniform(0.02, 0.4)
                davg[ti, blk, 1:] = 0.0
                dstd[ti, blk, 0] = rng.uniform(0.08, 0.5)
                dstd[ti, blk, 1:] = rng.uniform(0.08, 0.5)
            elif stats == "aniso":
                davg[ti, blk, 0] = rng.uniform(0.02, 0.4)
                davg[ti, blk, 1:] = rng.uniform(-0.06, 0.06, 3)
                dstd[ti, blk, :] = rng.uniform(0.08, 0.5, 4)
            elif stats == "slot":
                davg[ti, blk, 0] = rng.uniform(0.02, 0.4, n)
                davg[ti, blk, 1:] = rng.uniform(-0.06, 0.06, (n, 3))
                dstd[ti, blk, :] = rng.uniform(0.08, 0.5, (n, 4))
            else:
                raise ValueError(f"stats must be iso, aniso or slot, not {stats!r}")
    var["davg"] = davg.astype(var["davg"].dtype)
    var["dstd"] = dstd.astype(var["dstd"].dtype)
    fvar = data["fitting"]["@variables"]
    fvar["bias_atom_e"] = rng.uniform(-6.0, 6.0, fvar["bias_atom_e"].shape).astype(
        fvar["bias_atom_e"].dtype)
    mvar = data["@variables"]
    mvar["out_bias"] = rng.uniform(-3.0, 3.0, mvar["out_bias"].shape).astype(mvar["out_bias"].dtype)
    mvar["out_std"] = rng.uniform(0.5, 2.0, mvar["out_std"].shape).astype(mvar["out_std"].dtype)
    for coll in (desc["embeddings"], data["fitting"]["nets"]):
        for net in coll["networks"]:
            if net is None:
                continue
            for layer in net["layers"]:
                lv = layer["@variables"]
                if lv.get("idt") is not None:
                    lv["idt"] = rng.uniform(0.2, 1.0, lv["idt"].shape).astype(lv["idt"].dtype)
    return data


def save(model, path):
    """Saves a dpmodel model as .yaml or .dp (HDF5), DeePMD-kit's own writer."""
    dp = _deepmd()
    path = str(path)
    if not path.endswith((".yaml", ".yml", ".dp")):
        raise ValueError(f"{path}: the extension must be .yaml or .dp")
    dp["save_dp_model"](path, {"model": model.serialize(), "backend": "dpmodel",
                               "model_def_script": {}})
    return path


def load(path):
    """Loads a .yaml/.dp model file (DeePMD-kit's reader) as a dpmodel model."""
    dp = _deepmd()
    return dp["BaseModel"].deserialize(dp["load_dp_model"](str(path))["model"])


# ---------------------------------------------------------------------------
# Structures
# ---------------------------------------------------------------------------

def widths(cell):
    """Perpendicular widths of a cell given by rows."""
    cell = np.asarray(cell, float)
    vol = abs(np.linalg.det(cell))
    return np.array([vol / np.linalg.norm(np.cross(cell[(k + 1) % 3], cell[(k + 2) % 3]))
                     for k in range(3)])


def _random_rotation(rng):
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q *= np.sign(np.diag(r))
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    return q


def random_cell(rng, volume, cell_kind, rcut, min_width=2.6):
    """A random triclinic cell (rows) of about the given volume.

    wide:   all perpendicular widths >= 2 rcut (no atom meets two images of
            another), the volume grown if needed;
    narrow: all widths > rcut, at least one < 2 rcut (several images of a
            neighbor, no self-image);
    tiny:   at least one width < rcut (atoms see their own images).
    The cell is tilted (tilt fractions up to 0.45) and rotated at random: no
    row is along an axis.
    """
    if cell_kind not in CELL_KINDS:
        raise ValueError(f"cell_kind must be one of {CELL_KINDS}")
    for _ in range(10000):
        if cell_kind == "wide":
            w = np.full(3, max((volume) ** (1 / 3), 2 * rcut + 0.3)) * rng.uniform(1.0, 1.25, 3)
        elif cell_kind == "narrow":
            w0 = rng.uniform(rcut + 0.3, 2 * rcut - 0.3)
            rest = math.sqrt(volume / w0)
            w = np.array([w0, max(rest, rcut + 0.3), max(rest, rcut + 0.3)])
            w[1:] *= rng.uniform(0.9, 1.1, 2)
        else:
            w0 = rng.uniform(max(min_width, 0.35 * rcut), 0.85 * rcut)
            rest = math.sqrt(volume / w0)
            w = np.array([w0, rest, rest]) * np.r_[1, rng.uniform(0.85, 1.15, 2)]
        t = rng.uniform(-0.45, 0.45, 3)
        # lower-triangular cell: c_z is the width along c; tilts shrink the others
        a = np.array([w[1], 0, 0])
        b = np.array([t[0] * w[1], w[2], 0])
        c = np.array([t[1] * w[1], t[2] * w[2], w[0]])
        cell = np.array([a, b, c])
        ww = widths(cell)
        ok = {"wide": ww.min() >= 2 * rcut,
              "narrow": ww.min() > rcut and ww.min() < 2 * rcut,
              "tiny": ww.min() < rcut and ww.min() >= min_width}[cell_kind]
        if ok:
            cell = cell[rng.permutation(3)]
            if np.linalg.det(cell) < 0:
                cell[[0, 1]] = cell[[1, 0]]
            return cell @ _random_rotation(rng).T
    raise RuntimeError("could not draw a cell")


def _image_shifts(cell, rc):
    n = np.ceil(rc / widths(cell)).astype(int)
    grid = np.array(np.meshgrid(*[np.arange(-k, k + 1) for k in n], indexing="ij")).reshape(3, -1).T
    return grid @ cell


def pair_distances(positions, cell, rc, i=None):
    """All (i, j, image) distances < rc, self-pair at zero excluded: returns
    arrays (i, j, d) over every periodic image."""
    pos = np.asarray(positions, float)
    shifts = _image_shifts(cell, rc)
    idx = range(len(pos)) if i is None else [i]
    out_i, out_j, out_d = [], [], []
    for a in idx:
        dv = pos[None, :, :] + shifts[:, None, :] - pos[a]
        d = np.linalg.norm(dv, axis=-1)
        sel = (d < rc) & (d > 1e-12)
        jj = np.nonzero(sel)[1]
        out_i.append(np.full(len(jj), a))
        out_j.append(jj)
        out_d.append(d[sel])
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_d)


def neighbor_counts(positions, types, cell, rcut, ntypes):
    """(natoms, ntypes) number of neighbors (all images) of each type within rcut."""
    i, j, _ = pair_distances(positions, cell, rcut)
    counts = np.zeros((len(positions), ntypes), int)
    np.add.at(counts, (i, np.asarray(types)[j]), 1)
    return counts


def random_structure(rng, type_map, natoms, cell_kind, rcut=6.0, density=0.08, dmin=1.1,
                     fractions=None, absent=(), isolated=None, sel=None, tries=50):
    """A random periodic structure as an ase.Atoms (pbc True).

    natoms atoms of the elements in type_map (less those in ``absent``, which
    are left out entirely) at about ``density`` atoms/A^3, at least ``dmin``
    apart over all periodic images, in a random cell of ``cell_kind`` (see
    random_cell). ``isolated``: an element given to exactly one atom placed
    more than rcut + 0.3 from every other atom and image (it has no neighbor
    at all, and no other atom has a neighbor of its type); needs cell_kind
    wide or narrow. ``sel``: redraw until no atom has more neighbors of a type
    than sel allows. Positions are random (no lattice).
    """
    import ase
    elems = [e for e in type_map if e not in absent]
    if isolated is not None and isolated not in elems:
        raise ValueError("the isolated element must be present")
    if isolated is not None and cell_kind == "tiny":
        raise ValueError("an isolated atom needs every cell width > rcut")
    for _ in range(tries):
        volume = natoms / density
        if isolated is not None:
            volume += 4 / 3 * math.pi * (rcut + 0.3) ** 3
        cell = random_cell(rng, volume, cell_kind, rcut)
        shifts = _image_shifts(cell, max(dmin, rcut + 0.3))
        pos = []
        if isolated is not None:
            pos.append(rng.uniform(0, 1, 3) @ cell)
        n_try = 0
        while len(pos) < natoms and n_try < 200000:
            n_try += 1
            x = rng.uniform(0, 1, 3) @ cell
            if pos:
                d = np.linalg.norm(np.asarray(pos)[None, :, :] + shifts[:, None, :] - x, axis=-1)
                if d.min() < dmin:
                    continue
                if isolated is not None and d[:, 0].min() < rcut + 0.3:
                    continue
            pos.append(x)
        if len(pos) < natoms:
            continue
        pos = np.asarray(pos)
        n_other = natoms - (1 if isolated is not None else 0)
        others = [e for e in elems if e != isolated] if isolated is not None else elems
        if fractions is not None:
            p = np.array([fractions[e] for e in others], float)
            p /= p.sum()
        else:
            p = None
        # every listed element present at least once, the rest drawn at random
        sym = list(others) + list(rng.choice(others, n_other - len(others), p=p))
        if isolated is not None:
            sym = [isolated] + sym
        order = rng.permutation(natoms)  # the isolated atom anywhere in the file
        atoms = ase.Atoms(symbols=[sym[k] for k in order], positions=pos[order], cell=cell, pbc=True)
        if sel is not None:
            types = [type_map.index(s) for s in atoms.get_chemical_symbols()]
            cnt = neighbor_counts(atoms.positions, types, atoms.cell[:], rcut, len(type_map))
            if (cnt > np.asarray(sel)[None, :]).any():
                continue
        return atoms
    raise RuntimeError("could not place the atoms (lower the density or natoms)")


def write_structure(path, atoms):
    """Writes extended XYZ (what `vitra eval --structure` reads) and returns
    the structure as read back (ASE rounds positions to 1e-8 A)."""
    import ase.io
    ase.io.write(str(path), atoms, format="extxyz")
    back = ase.io.read(str(path))
    assert back.pbc.all()
    return back


def atom_types(model_or_type_map, symbols):
    tm = model_or_type_map if isinstance(model_or_type_map, (list, tuple)) else \
        model_or_type_map.get_type_map()
    missing = sorted(set(symbols) - set(tm))
    if missing:
        raise KeyError(f"elements {missing} not in the type map {tm}")
    return np.array([tm.index(s) for s in symbols], dtype=np.int64)


# ---------------------------------------------------------------------------
# Analytic forward + reverse mode of se_e2_a + energy fitting
# ---------------------------------------------------------------------------

_SQRT_2_PI = math.sqrt(2 / math.pi)


def _activation(name):
    """(f(x), f'(x, f(x))) as in deepmd/dpmodel/utils/network.py."""
    name = (name or "none").lower()
    if name == "tanh":
        return np.tanh, lambda x, y: 1 - y * y
    if name in ("gelu", "gelu_tf"):
        def f(x):
            return 0.5 * x * (1 + np.tanh(_SQRT_2_PI * (x + 0.044715 * x ** 3)))

        def df(x, y):
            t = np.tanh(_SQRT_2_PI * (x + 0.044715 * x ** 3))
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_PI * (1 + 3 * 0.044715 * x * x)
        return f, df
    if name == "softplus":
        def f(x):
            e = np.exp(-np.abs(x))
            return np.where(x > 0, x + np.log(1 + e), np.log(1 + e))
        return f, lambda x, y: 1 / (1 + np.exp(-x))
    if name == "sigmoid":
        f = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
        return f, lambda x, y: y * (1 - y)
    if name == "silu":
        def df(x, y):
            s = 1 / (1 + np.exp(-x))
            return s + x * s * (1 - s)
        return (lambda x: x / (1 + np.exp(-x))), df
    if name == "relu":
        return (lambda x: x * (x > 0)), (lambda x, y: (x > 0).astype(x.dtype))
    if name in ("none", "linear"):
        return (lambda x: x), (lambda x, y: np.ones_like(x))
    raise NotImplementedError(f"activation {name}")


class _Net:
    """A serialized EmbeddingNetwork/FittingNetwork, forward and backward."""

    def __init__(self, ser, dtype):
        self.layers = []
        for layer in ser["layers"]:
            v = layer["@variables"]
            w = np.asarray(v["w"]).astype(dtype)
            b = None if v.get("b") is None else np.asarray(v["b"]).astype(dtype)
            idt = None if v.get("idt") is None else np.asarray(v["idt"]).astype(dtype)
            f, df = _activation(layer.get("activation_function"))
            nin, nout = w.shape
            short = None
            if layer.get("resnet", False):
                short = "same" if nout == nin else ("double" if nout == 2 * nin else None)
            self.layers.append((w, b, idt, f, df, short))

    def forward(self, x):
        cache = []
        for w, b, idt, f, df, short in self.layers:
            z = x @ w
            if b is not None:
                z = z + b
            a = f(z)
            y = a * idt if idt is not None else a
            if short == "same":
                y = y + x
            elif short == "double":
                y = y + np.concatenate([x, x], axis=-1)
            cache.append((z, a))
            x = y
        return x, cache

    def backward(self, cache, gy):
        for (w, b, idt, f, df, short), (z, a) in zip(reversed(self.layers), reversed(cache)):
            ga = gy * idt if idt is not None else gy
            gz = ga * df(z, a)
            gx = gz @ w.T
            if short == "same":
                gx = gx + gy
            elif short == "double":
                n = w.shape[0]
                gx = gx + gy[..., :n] + gy[..., n:]
            gy = gx
        return gy


class _SeAEvaluator:
    """se_e2_a + energy fitting from a serialized model dict, evaluated with
    analytic derivatives in a chosen floating type."""

    def __init__(self, data, dtype=np.float64):
        self.dtype = dtype
        desc, fit = data["descriptor"], data["fitting"]
        if desc.get("type") != "se_e2_a":
            raise NotImplementedError(f"descriptor {desc.get('type')}")
        if fit.get("numb_fparam", 0) or fit.get("numb_aparam", 0) or fit.get("exclude_types") \
                or data.get("atom_exclude_types") or data.get("pair_exclude_types") \
                or fit.get("atom_ener") or fit.get("dim_case_embd", 0) or fit.get("mixed_types"):
            raise NotImplementedError("fparam/aparam/atom or pair exclusion/atom_ener/case "
                                      "embedding/mixed types are not supported by this oracle")
        self.type_map = list(data["type_map"])
        self.ntypes = len(self.type_map)
        self.rcut = float(desc["rcut"])
        self.rcut_smth = float(desc["rcut_smth"])
        self.sel = list(desc["sel"])
        self.sec = np.concatenate([[0], np.cumsum(self.sel)]).astype(int)
        self.nnei = int(self.sec[-1])
        self.m1 = int(desc["neuron"][-1])
        self.m2 = int(desc["axis_neuron"])
        self.protection = float(desc.get("env_protection", 0.0))
        self.type_one_side = bool(desc["type_one_side"])
        excl = set()
        for a, b in desc.get("exclude_types", []):
            excl.add((a, b))
            excl.add((b, a))
        self.excl = excl
        self.davg = np.asarray(desc["@variables"]["davg"]).astype(dtype)
        self.dstd = np.asarray(desc["@variables"]["dstd"]).astype(dtype)
        nets = desc["embeddings"]["networks"]
        nt = self.ntypes
        if self.type_one_side:
            self.emb = {(tt,): _Net(nets[tt], dtype) for tt in range(nt)}
        else:
            # NetworkCollection._convert_key: index = sum(key[k] * ntypes**k)
            self.emb = {(ti, tt): _Net(nets[ti + nt * tt], dtype)
                        for ti in range(nt) for tt in range(nt)}
        self.fit = [_Net(fit["nets"]["networks"][ti], dtype) for ti in range(nt)]
        self.bias = (np.asarray(fit["@variables"]["bias_atom_e"], np.float64)[:, 0]
                     + np.asarray(data["@variables"]["out_bias"], np.float64)[0, :, 0])

    def _switch(self, r):
        rs, rc = self.rcut_smth, self.rcut
        rcl = np.clip(r, rs, rc)
        u = (rcl - rs) / (rc - rs)
        sw = u * u * u * (-6 * u * u + 15 * u - 10) + 1
        dsw = (-30 * u ** 4 + 60 * u ** 3 - 30 * u * u) / (rc - rs)
        dsw = np.where((r > rs) & (r < rc), dsw, 0.0).astype(r.dtype)
        return sw, dsw

    def evaluate(self, ext_coord, ext_atype, nlist, mapping):
        """ext_coord (nall, 3) float64, ext_atype (nall,), nlist (nloc, nnei) with
        -1 for empty slots, slots grouped by neighbor type as in sel, mapping
        (nall,) to the owning local atom. Returns atom energies (float64) and
        dE_i/dr_ij (nloc, nnei, 3) with r_ij (nloc, nnei, 3), real-slot mask."""
        dt = self.dtype
        nloc, nnei = nlist.shape
        assert nnei == self.nnei
        real = nlist >= 0
        jj = np.where(real, nlist, 0)
        atype = ext_atype[:nloc]
        diff64 = ext_coord[jj] - ext_coord[:nloc, None, :]
        diff64[~real] = 0.0
        # the pair vectors from coordinates in the working type (float32:
        # as an engine keeping positions in float32 would)
        xc = ext_coord.astype(dt)
        diff = np.where(real[..., None], xc[jj] - xc[:nloc, None, :], dt(0))
        r = np.linalg.norm(diff, axis=-1)
        r = np.where(real, r, np.ones_like(r))
        q = r + dt(self.protection)
        sw, dsw = self._switch(r)
        sw = np.where(real, sw, 0).astype(dt)
        dsw = np.where(real, dsw, 0).astype(dt)
        row = np.concatenate([(sw / q)[..., None], (sw / q ** 2)[..., None] * diff], axis=-1)
        davg = self.davg[atype]
        dstd = self.dstd[atype]
        rhat = (row - davg) / dstd
        # descriptor exclusion: real neighbors of an excluded pair -> 0; padding kept
        jtype = np.where(real, ext_atype[jj], self.ntypes)
        mask = np.ones((nloc, nnei), dt)
        for (a, b) in self.excl:
            mask[(atype[:, None] == a) & (jtype == b)] = 0
        rr = rhat * mask[..., None]

        energy = np.zeros(nloc)
        grr = np.zeros_like(rr)
        groups = [(None, np.arange(nloc))] if self.type_one_side else \
            [(ti, np.nonzero(atype == ti)[0]) for ti in range(self.ntypes)]
        gr = np.zeros((nloc, self.m1, 4), dt)
        caches = {}
        for ti, idx in groups:
            if len(idx) == 0:
                continue
            for tt in range(self.ntypes):
                blk = slice(self.sec[tt], self.sec[tt + 1])
                n = self.sec[tt + 1] - self.sec[tt]
                if n == 0:
                    continue
                net = self.emb[(tt,) if ti is None else (ti, tt)]
                sub = rr[idx, blk, :]
                g, cache = net.forward(sub[..., 0].reshape(-1, 1))
                g = g.reshape(len(idx), n, self.m1)
                gr[idx] += np.einsum("ikm,ikc->imc", g, sub)
                caches[(ti, tt)] = (net, g, cache)
        gr /= dt(self.nnei)
        gr1 = gr[:, : self.m2, :]
        dsc = np.einsum("imc,inc->imn", gr, gr1).reshape(nloc, self.m1 * self.m2)
        gdsc = np.zeros_like(dsc)
        for ti in range(self.ntypes):
            idx = np.nonzero(atype == ti)[0]
            if len(idx) == 0:
                continue
            y, cache = self.fit[ti].forward(dsc[idx])
            energy[idx] = y[:, 0].astype(np.float64) + self.bias[ti]
            gdsc[idx] = self.fit[ti].backward(cache, np.ones_like(y))
        gd = gdsc.reshape(nloc, self.m1, self.m2)
        ggr = np.einsum("imn,inc->imc", gd, gr1)
        ggr[:, : self.m2, :] += np.einsum("imn,imc->inc", gd, gr)
        ggr /= dt(self.nnei)
        for ti, idx in groups:
            if len(idx) == 0:
                continue
            for tt in range(self.ntypes):
                if (ti, tt) not in caches:
                    continue
                net, g, cache = caches[(ti, tt)]
                blk = slice(self.sec[tt], self.sec[tt + 1])
                n = self.sec[tt + 1] - self.sec[tt]
                sub = rr[idx, blk, :]
                gg = np.einsum("imc,ikc->ikm", ggr[idx], sub)
                gsub = np.einsum("imc,ikm->ikc", ggr[idx], g)
                gs = net.backward(cache, gg.reshape(-1, self.m1)).reshape(len(idx), n)
                gsub[..., 0] += gs
                grr[idx, blk, :] = gsub
        grow = grr * mask[..., None] / dstd
        grow = np.where(real[..., None], grow, 0)
        # row0 = sw/q, row_a = sw d_a / q^2, q = r + p
        g0 = grow[..., 0]
        gv = grow[..., 1:]
        gvd = np.einsum("ika,ika->ik", gv, diff)
        radial = g0 * (dsw / q - sw / q ** 2) + gvd * (dsw / q ** 2 - 2 * sw / q ** 3)
        gdiff = (radial / r)[..., None] * diff + (sw / q ** 2)[..., None] * gv
        gdiff = np.where(real[..., None], gdiff, 0)
        return energy, gdiff.astype(np.float64), diff64, real


def _neighbor_data(model, coord, cell, atype):
    """DeePMD-kit's extended coordinates and formatted neighbor list, exactly as
    model.call builds them (make_model.model_call_from_call_lower)."""
    dp = _deepmd()
    cc = np.asarray(coord, np.float64).reshape(1, -1, 3)
    at = np.asarray(atype, np.int64).reshape(1, -1)
    bb = None if cell is None else np.asarray(cell, np.float64).reshape(1, 9)
    ext_coord, ext_atype, nlist, mapping = dp["DefaultNeighborList"]().build(
        cc, at, bb, model.get_rcut(), model.get_sel(), pair_excl=model.atomic_model.pair_excl)
    ext_coord = np.asarray(ext_coord).reshape(1, -1, 3)
    nlist = model.format_nlist(ext_coord, ext_atype, nlist,
                               extra_nlist_sort=model.need_sorted_nlist_for_lower())
    return ext_coord[0], np.asarray(ext_atype)[0], np.asarray(nlist)[0], np.asarray(mapping)[0]


def _serialized(model):
    return model if isinstance(model, dict) else model.serialize()


def evaluate(model, coords, cell, atype, dtype=np.float64, check=True):
    """Reference energy, forces, virial and per-atom quantities.

    model: a dpmodel EnergyModel (make_model / load). coords (N, 3) A, cell
    (3, 3) rows or None (no periodicity), atype (N,) model types.
    Returns a dict:
      energy (float), atom_energy (N,), force (N, 3), virial (3, 3)
      [W = -sum_pairs dE/dr_ij (x) r_ij, row = derivative component],
      atom_virial (N, 3, 3) in DeePMD-kit's convention (pair term to the
      neighbor), atom_virial_conventions {deepmd, half, centre},
      energy_deepmd / atom_energy_deepmd (DeePMD-kit's model.call),
      precision (the model's), max_neighbors (N, ntypes) real neighbors found.
    For float64 models energy/atom_energy are DeePMD-kit's and the analytic
    ones must agree (checked when check=True); for float32 models they are the
    float64 evaluation of the float32 weights. dtype: the floating type of the
    analytic evaluation (np.float32 imitates an all-float32 engine).
    """
    data = _serialized(model)
    if isinstance(model, dict):
        model = _deepmd()["BaseModel"].deserialize(copy.deepcopy(model))
    coords = np.asarray(coords, np.float64).reshape(-1, 3)
    atype = np.asarray(atype, np.int64)
    nat = len(atype)
    ext_coord, ext_atype, nlist, mapping = _neighbor_data(model, coords, cell, atype)
    ev = _SeAEvaluator(data, dtype)
    e_at, g, d, real = ev.evaluate(ext_coord, ext_atype, nlist, mapping)
    jj = np.where(real, nlist, 0)
    owner = mapping[jj]
    # forces: dE/dx_j += g, dE/dx_i -= g
    force = np.zeros((nat, 3))
    np.add.at(force, owner[real], -g[real])
    force += g.sum(axis=1)
    pair = -np.einsum("ika,ikb->ikab", g, d)  # -(dE_i/dr_ij) (x) r_ij
    virial = pair.sum(axis=(0, 1))
    av_neighbor = np.zeros((nat, 3, 3))
    np.add.at(av_neighbor, owner[real], pair[real])
    av_centre = pair.sum(axis=1)
    conv = {"deepmd": av_neighbor, "centre": av_centre, "half": 0.5 * (av_neighbor + av_centre)}

    dp_out = model.call(coords.reshape(1, -1), atype.reshape(1, -1),
                        None if cell is None else np.asarray(cell, np.float64).reshape(1, 9))
    e_dp = float(np.asarray(dp_out["energy"]).reshape(()))
    ae_dp = np.asarray(dp_out["atom_energy"], np.float64).reshape(-1)
    precision = data["descriptor"].get("precision", "float64")
    counts = np.zeros((nat, ev.ntypes), int)
    np.add.at(counts, (np.nonzero(real)[0], ext_atype[jj][real]), 1)
    # smallest difference between the distances of two neighbors of one type
    # of one centre (the slot order depends on it)
    dist = np.where(real, np.linalg.norm(d, axis=-1), np.inf)
    gap = np.inf
    for tt in range(ev.ntypes):
        blk = np.sort(dist[:, ev.sec[tt]:ev.sec[tt + 1]], axis=1)
        if blk.shape[1] > 1:
            with np.errstate(invalid="ignore"):
                dd = np.diff(blk, axis=1)
            dd = dd[np.isfinite(dd)]
            if dd.size:
                gap = min(gap, float(dd.min()))
    out = dict(atom_energy=e_at, energy=float(e_at.sum()), force=force, virial=virial,
               atom_virial=conv["deepmd"], atom_virial_conventions=conv,
               energy_deepmd=e_dp, atom_energy_deepmd=ae_dp, precision=precision,
               neighbor_counts=counts, min_distance_gap=gap)
    if precision == "float64" and dtype == np.float64:
        scale = max(1.0, np.abs(ae_dp).max())
        if check:
            err = np.abs(e_at - ae_dp).max()
            assert err <= 1e-11 * scale, \
                f"analytic atom energies differ from DeePMD-kit's by {err:.3e}"
        out["atom_energy"] = ae_dp
        out["energy"] = e_dp
    return out


def evaluate_atoms(model, atoms, **kw):
    """evaluate() on an ase.Atoms (periodic)."""
    return evaluate(model, atoms.positions, atoms.cell[:] if atoms.pbc.any() else None,
                    atom_types(model, atoms.get_chemical_symbols()), **kw)


# ---------------------------------------------------------------------------
# Fixture (shared/data/deepmd-fixtures)
# ---------------------------------------------------------------------------

def fixture_dir(source_dir=None):
    """shared/data/deepmd-fixtures beside the source tree, or None."""
    src = source_dir or os.environ.get("VITRA_SOURCE_DIR") or \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    d = os.path.join(src, "..", "shared", "data", "deepmd-fixtures")
    return os.path.normpath(d) if os.path.isfile(os.path.join(d, "deeppot-testcase.yaml")) else None


def fixture_blocks(folder):
    """The blocks of deeppot-testcase.yaml as dicts of arrays: coord (N,3),
    atype (N,), box (3,3) or None, atomic_energy (N,), force (N,3),
    atomic_virial (N,3,3)."""
    import yaml
    with open(os.path.join(folder, "deeppot-testcase.yaml")) as f:
        doc = yaml.safe_load(f)
    blocks = []
    for b in doc["results"]:
        n = len(b["atype"])
        blocks.append(dict(coord=np.array(b["coord"], float).reshape(n, 3),
                           atype=np.array(b["atype"], int),
                           box=None if b.get("box") is None else np.array(b["box"], float).reshape(3, 3),
                           atomic_energy=np.array(b["atomic_energy"], float),
                           force=np.array(b["force"], float).reshape(n, 3),
                           atomic_virial=np.array(b["atomic_virial"], float).reshape(n, 3, 3)))
    return doc, blocks


# ---------------------------------------------------------------------------
# Self-check
# ---------------------------------------------------------------------------

def _fd_energy(model, coords, cell, atype):
    out = model.call(coords.reshape(1, -1), atype.reshape(1, -1),
                     None if cell is None else cell.reshape(1, 9))
    return float(np.asarray(out["energy"]).reshape(()))


def _d4(fun, h):
    """Fourth-order central difference of fun(t) at 0."""
    return (8 * (fun(h) - fun(-h)) - (fun(2 * h) - fun(-2 * h))) / (12 * h)


def _selfcheck(seed=12345, verbose=True):
    import tempfile
    rng = np.random.default_rng(seed)
    t0 = time.time()
    ok = True

    def report(name, err, tol):
        nonlocal ok
        flag = "ok" if err <= tol else "FAIL"
        ok &= err <= tol
        if verbose:
            print(f"  {flag:4s} {name}: {err:.3e} (tol {tol:.1e})")

    configs = [
        dict(type_map=["O", "B"], rcut=4.0, rcut_smth=0.5, sel=[30, 40], neuron=[4, 8, 16],
             axis_neuron=3, fitting=[12, 12], type_one_side=False, exclude_types=[[0, 1]],
             resnet_dt=True, precision="float64", stats="iso", kind="tiny", natoms=40),
        dict(type_map=["O", "B", "Li", "Si"], rcut=5.0, rcut_smth=1.0, sel=[60, 30, 30, 25],
             neuron=[2, 4, 8], axis_neuron=4, fitting=[10, 10], type_one_side=True,
             exclude_types=[], resnet_dt=False, fitting_resnet_dt=True, precision="float64",
             stats="aniso", activation="gelu", kind="narrow", natoms=50),
        dict(type_map=["Si"], rcut=4.5, rcut_smth=2.0, sel=[50], neuron=[8, 8, 8], axis_neuron=4,
             fitting=[32, 32], type_one_side=False, exclude_types=[], resnet_dt=True,
             precision="float64", stats="slot", activation="softplus", kind="narrow", natoms=40),
        dict(type_map=["O", "B"], rcut=4.0, rcut_smth=0.5, sel=[30, 40], neuron=[5, 7],
             axis_neuron=2, fitting=[6, 6], type_one_side=False, exclude_types=[],
             resnet_dt=True, precision="float32", stats="iso", kind="tiny", natoms=40),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for ci, cfg in enumerate(configs):
            cfg = dict(cfg)
            kind, natoms = cfg.pop("kind"), cfg.pop("natoms")
            stats = cfg.pop("stats")
            model = make_model(seed=seed + ci, stats=stats, **cfg)
            print(f"model {ci}: {cfg['type_map']} {cfg['precision']} stats={stats} cell={kind}")
            atoms = random_structure(rng, cfg["type_map"], natoms, kind, rcut=cfg["rcut"],
                                     sel=cfg["sel"])
            atoms = write_structure(os.path.join(tmp, f"s{ci}.xyz"), atoms)
            coords, cell = atoms.positions.copy(), atoms.cell[:].copy()
            at = atom_types(model, atoms.get_chemical_symbols())
            ref = evaluate(model, coords, cell, at)
            print(f"  E = {ref['energy']:.10f} eV, widths {np.round(widths(cell), 2)}, "
                  f"max neighbors per type {ref['neighbor_counts'].max(0)} (sel {cfg['sel']})")
            # brute-force neighbor count equals the real entries of DeePMD-kit's list
            cnt = neighbor_counts(coords, at, cell, cfg["rcut"], len(cfg["type_map"]))
            report("neighbor counts vs brute force", float(np.abs(cnt - ref["neighbor_counts"]).max()), 0)
            # .yaml / .dp reload evaluate identically
            for ext in (".yaml", ".dp"):
                path = save(model, os.path.join(tmp, f"m{ci}{ext}"))
                back = load(path)
                e1 = back.call(coords.reshape(1, -1), at.reshape(1, -1), cell.reshape(1, 9))
                e0 = model.call(coords.reshape(1, -1), at.reshape(1, -1), cell.reshape(1, 9))
                de = np.asarray(e1["atom_energy"]) - np.asarray(e0["atom_energy"])
                report(f"{ext} reload atom energies", float(np.abs(de).max()), 0.0)
                r1 = evaluate(load(path), coords, cell, at)
                report(f"{ext} reload forces", float(np.abs(r1["force"] - ref["force"]).max()), 0.0)
            # analytic energies vs DeePMD-kit's
            an = evaluate(model, coords, cell, at, check=False)
            sc = max(1.0, np.abs(an["atom_energy_deepmd"]).max())
            ev = _SeAEvaluator(model.serialize())
            ext_coord, ext_atype, nlist, mapping = _neighbor_data(model, coords, cell, at)
            e_an, _, _, _ = ev.evaluate(ext_coord, ext_atype, nlist, mapping)
            tol_e = 1e-12 if cfg["precision"] == "float64" else 1e-4
            report("analytic atom energies vs DeePMD-kit (rel)",
                   float(np.abs(e_an - an["atom_energy_deepmd"]).max() / sc), tol_e)
            # forces vs finite differences of the energy (float64 weights only:
            # DeePMD-kit's float32 energy is too coarse to differentiate)
            if cfg["precision"] == "float64":
                # with stats="slot" the energy jumps where two neighbors of one
                # type swap slots: keep the stencil inside one ordering
                gap = ref["min_distance_gap"] if stats == "slot" else np.inf
                h_pos = min(1e-3, gap / 8)
                h_eps = min(1e-4, gap / (8 * cfg["rcut"]))
                tol_fd = max(1e-7, 1e-14 * max(1.0, abs(ref["energy"])) / h_eps)
                if stats == "slot":
                    print(f"  closest neighbor distances of one type differ by {gap:.2e} A: "
                          f"h = {h_pos:.1e} A, {h_eps:.1e}")
                fmax = max(1.0, np.abs(ref["force"]).max())
                worst = 0.0
                for a in rng.choice(len(at), 4, replace=False):
                    for k in range(3):
                        def fun(h, a=a, k=k):
                            x = coords.copy()
                            x[a, k] += h
                            return _fd_energy(model, x, cell, at)
                        worst = max(worst, abs(-_d4(fun, h_pos) - ref["force"][a, k]))
                report("forces vs finite differences (rel to max |F|)", worst / fmax, tol_fd)
                # virial vs strain derivative: x' = x (I + eps)^T, cell' likewise
                wmax = max(1.0, np.abs(ref["virial"]).max())
                fd = np.zeros((3, 3))
                for al in range(3):
                    for be in range(3):
                        def fun(h, al=al, be=be):
                            eps = np.eye(3)
                            eps[al, be] += h
                            return _fd_energy(model, coords @ eps.T, cell @ eps.T, at)
                        fd[al, be] = -_d4(fun, h_eps)
                report("virial vs -dE/d eps[a,b] (rel)", np.abs(fd - ref["virial"]).max() / wmax, tol_fd)
                asym = np.abs(ref["virial"] - ref["virial"].T).max() / wmax
                print(f"  virial asymmetry |W - W^T|/|W| = {asym:.2e}"
                      + ("  (transpose distinguishable)" if asym > 1e-6 else ""))
                if asym > 1e-6:
                    report("virial transpose is wrong (must fail the FD)",
                           -(np.abs(fd - ref["virial"].T).max() / wmax), -1e-6)
            for name, av in ref["atom_virial_conventions"].items():
                report(f"sum of atom virials ({name}) = virial",
                       np.abs(av.sum(0) - ref["virial"]).max() / max(1.0, np.abs(ref["virial"]).max()), 1e-13)
            report("sum of forces = 0", np.abs(ref["force"].sum(0)).max(), 1e-11)
            if cfg["precision"] == "float32":
                f32 = evaluate(model, coords, cell, at, dtype=np.float32)
                print(f"  float32: DeePMD-kit E - E64 = {ref['energy_deepmd'] - ref['energy']:.3e}, "
                      f"all-float32 analytic max|dF|/max|F| = "
                      f"{np.abs(f32['force'] - ref['force']).max() / np.abs(ref['force']).max():.3e}")
    # descriptor exclude_types: a real neighbor of an excluded pair counts for
    # nothing, a padding slot of that block still does. type_one_side nets are
    # shared, so the centre's energy jumps when the excluded neighbor crosses
    # rcut; two-sided models have the excluded pair's net zeroed by
    # DescrptSeA.serialize (w, b, idt = 0): no jump for tanh (act(0) = 0), a
    # jump for softplus (act(0) = log 2), resnet_dt or not.
    print("exclude_types: O energy with an excluded B at 2 A, rcut - 1e-9, rcut + 1e-9")
    for tos, act, rdt, jumps in ((True, "tanh", False, True), (False, "tanh", False, False),
                                 (False, "softplus", False, True), (False, "softplus", True, True)):
        m = make_model(["O", "B"], 4.0, 0.5, [3, 3], [4, 8], 2, [6, 6], tos, [[0, 1]], rdt,
                       "float64", seed=seed, activation=act)
        e = [evaluate(m, [[5, 5, 5], [5 + r, 5, 5], [5, 6.5, 5]], np.eye(3) * 20,
                      [0, 1, 0])["atom_energy"][0] for r in (2.0, 4.0 - 1e-9, 4.0 + 1e-9)]
        report(f"type_one_side={tos} {act} resnet_dt={rdt}: no dependence inside rcut",
               abs(e[0] - e[1]), 0.0)
        report(f"type_one_side={tos} {act} resnet_dt={rdt}: jump at rcut {'yes' if jumps else 'no'}"
               f" ({e[2] - e[1]:+.3e})", 0.0 if (abs(e[2] - e[1]) > 1e-6) == jumps else 1.0, 0.0)
    # the DeePMD-kit fixture (produced by its PyTorch backend)
    folder = fixture_dir()
    if folder is None:
        print("fixture shared/data/deepmd-fixtures not found: skipped")
    else:
        model = load(os.path.join(folder, "deeppot_sea.yaml"))
        _, blocks = fixture_blocks(folder)
        print("fixture deeppot_sea.yaml / deeppot-testcase.yaml")
        for bi, b in enumerate(blocks):
            ref = evaluate(model, b["coord"], b["box"], b["atype"])
            report(f"block {bi} atom energies", np.abs(ref["atom_energy"] - b["atomic_energy"]).max(), 1e-10)
            report(f"block {bi} forces", np.abs(ref["force"] - b["force"]).max(), 1e-10)
            for name, av in ref["atom_virial_conventions"].items():
                err = np.abs(av - b["atomic_virial"]).max()
                if name == "deepmd":
                    report(f"block {bi} atomic virials (pair term to the neighbor)", err, 1e-10)
                elif verbose:
                    print(f"       ({name} splitting differs from the fixture by {err:.2e})")
            report(f"block {bi} virial = sum of fixture atomic virials",
                   np.abs(ref["virial"] - b["atomic_virial"].sum(0)).max(), 1e-10)
            if b["box"] is None:
                big = np.eye(3) * 100.0
                r2 = evaluate(model, b["coord"], big, b["atype"])
                report(f"block {bi} in a 100 A box = no PBC (forces)",
                       np.abs(r2["force"] - b["force"]).max(), 1e-10)
    print(f"self-check {'passed' if ok else 'FAILED'} in {time.time() - t0:.1f} s")
    return ok


def float32_errors(model, atoms):
    """For a float32 model: the errors, relative to max(1, largest magnitude),
    of (a) DeePMD-kit's own float32 evaluation (atom energies) and (b) an
    all-float32 analytic evaluation (atom energies, forces, virial, per-atom
    virials), both against the float64 evaluation of the float32 weights."""
    ref = evaluate_atoms(model, atoms)
    f32 = evaluate_atoms(model, atoms, dtype=np.float32)
    n = len(atoms)

    def rel(a, b, scale):
        return float(np.abs(np.asarray(a) - np.asarray(b)).max() / max(1.0, np.abs(scale).max()))
    return {
        "deepmd atom energy": rel(ref["atom_energy_deepmd"], ref["atom_energy"], ref["atom_energy"]),
        "deepmd energy / N": rel(ref["energy_deepmd"], ref["energy"], ref["atom_energy"]) / n,
        "f32 atom energy": rel(f32["atom_energy"], ref["atom_energy"], ref["atom_energy"]),
        "f32 energy / N": rel(f32["energy"], ref["energy"], ref["atom_energy"]) / n,
        "f32 force": rel(f32["force"], ref["force"], ref["force"]),
        "f32 virial": rel(f32["virial"], ref["virial"], ref["virial"]),
        "f32 virial (sum scale)": rel(f32["virial"], ref["virial"],
                                      np.abs(ref["atom_virial"]).sum(0)),
        "f32 atom virial": rel(f32["atom_virial"], ref["atom_virial"], ref["atom_virial"]),
    }


FLOAT32_CONFIGS = [  # as the float32 cases of test_deepmd_oracle.py
    (dict(type_map=["O", "B"], rcut=5.0, rcut_smth=1.0, sel=[50, 50], neuron=[4, 8, 16],
          axis_neuron=4, fitting=[16, 16], type_one_side=False, exclude_types=[],
          resnet_dt=True, precision="float32"), 0.09, [("tiny", 60), ("narrow", 60)]),
    (dict(type_map=["O", "B", "Li", "Si"], rcut=6.0, rcut_smth=2.0, sel=[100, 40, 40, 30],
          neuron=[8, 8, 8], axis_neuron=4, fitting=[20, 20], type_one_side=True,
          exclude_types=[], resnet_dt=False, precision="float32"), 0.1, [("narrow", 80), ("tiny", 60)]),
]


def _float32_survey(nseeds, seed):
    worst = {}
    t0 = time.time()
    for k, (cfg, density, structs) in enumerate(FLOAT32_CONFIGS):
        for s in range(nseeds):
            model = make_model(seed=seed + 1000 * k + s, **cfg)
            rng = np.random.default_rng([seed, k, s])
            for kind, natoms in structs:
                atoms = random_structure(rng, cfg["type_map"], natoms, kind, rcut=cfg["rcut"],
                                         density=density, sel=cfg["sel"])
                for key, v in float32_errors(model, atoms).items():
                    worst[key] = max(worst.get(key, 0.0), v)
    print(f"float32 vs float64 evaluation of the same weights, worst over "
          f"{nseeds * sum(len(c[2]) for c in FLOAT32_CONFIGS)} structures "
          f"({time.time() - t0:.1f} s):")
    for key, v in worst.items():
        print(f"  {key:20s} {v:.2e}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--selfcheck", action="store_true", help="check this module (no vitra needed)")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("VITRA_TEST_SEED", 12345)))
    ap.add_argument("--float32-errors", type=int, metavar="NSEEDS", default=0,
                    help="survey float32 round-off over NSEEDS models per configuration")
    args = ap.parse_args()
    if not args.selfcheck and not args.float32_errors:
        ap.print_help()
        sys.exit(0)
    try:
        _deepmd()
    except ImportError as e:
        print(f"deepmd-kit is not installed: {e}")
        sys.exit(77)
    if args.float32_errors:
        _float32_survey(args.float32_errors, args.seed)
    if args.selfcheck:
        sys.exit(0 if _selfcheck(args.seed) else 1)
