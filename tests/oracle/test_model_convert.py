"""`vitra model convert` and `vitra model show` against DeePMD-kit.

Random se_e2_a energy models are built with DeePMD-kit's numpy backend
(deepmd.dpmodel: DescrptSeA + EnergyFittingNet in an EnergyModel) in several
shapes (type_one_side on and off, excluded type pairs, an excluded atom type,
2 to 4 types, resnet timesteps on and off, tanh/gelu/relu, float64 and
float32), with random davg/dstd, bias_atom_e and out_bias, and saved by
DeePMD-kit itself as .yaml and .dp. vitra converts them to .vdp and back to
.yaml and .dp; DeePMD-kit loads what vitra wrote (load_dp_model +
BaseModel.deserialize) and must find

  - every array of the model the same, bit for bit (the embedding nets of
    excluded pairs are zeros in both: DeePMD-kit's serialize() clears them);
  - the same energy and atomic energies on a random periodic structure
    (|d| <= 1e-14 max(1, |E|); in practice bit-identical).

The .vdp file is checked as a safetensors file by a reader written here (and by
the safetensors package when it is installed), and `vitra model show --json`
against the model. A .dp written by DeePMD-kit and its .yaml twin convert to
the same .vdp bytes.

A failure prints its seed; VITRA_TEST_SEED=<seed> replays it.
Needs: VITRA_BIN (the built vitra binary), numpy, deepmd-kit; skips without them.
"""
import json
import os
import secrets
import struct
import subprocess

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("yaml")
pytest.importorskip("h5py")
pytest.importorskip("deepmd.dpmodel", reason="deepmd-kit (numpy backend) is not installed")
from deepmd.dpmodel.descriptor import DescrptSeA  # noqa: E402
from deepmd.dpmodel.fitting import EnergyFittingNet  # noqa: E402
from deepmd.dpmodel.model import EnergyModel  # noqa: E402
from deepmd.dpmodel.model.base_model import BaseModel  # noqa: E402
from deepmd.dpmodel.utils.serialization import load_dp_model, save_dp_model  # noqa: E402

VITRA = os.environ.get("VITRA_BIN")
if not VITRA or not os.access(VITRA, os.X_OK):
    pytest.skip("VITRA_BIN is not set to the built vitra binary", allow_module_level=True)

TYPES = ["O", "B", "Li", "Si"]

CONFIGS = {
    "one_side": dict(ntypes=2, type_one_side=True, exclude=[], atom_exclude=[],
                     neuron=[4, 8], fitting=[6, 6], axis=3, resnet_dt=True,
                     act="tanh", precision="float64"),
    "pairs_excluded": dict(ntypes=2, type_one_side=False, exclude=[[0, 1]], atom_exclude=[],
                           neuron=[4, 8], fitting=[5, 5], axis=2, resnet_dt=True,
                           act="tanh", precision="float64"),
    "four_types": dict(ntypes=4, type_one_side=False, exclude=[[0, 0], [1, 3]],
                       atom_exclude=[2], neuron=[2, 4, 8], fitting=[6, 6, 6], axis=4,
                       resnet_dt=False, act="gelu", precision="float64"),
    "four_types_one_side_f32": dict(ntypes=4, type_one_side=True, exclude=[[2, 3]],
                                    atom_exclude=[], neuron=[3, 6], fitting=[8], axis=2,
                                    resnet_dt=True, act="relu", precision="float32"),
    "three_types": dict(ntypes=3, type_one_side=False, exclude=[], atom_exclude=[1],
                        neuron=[5, 10], fitting=[7, 7], axis=5, resnet_dt=True,
                        act="tanh", precision="float64"),
}


@pytest.fixture
def seed(request):
    s = int(os.environ.get("VITRA_TEST_SEED", secrets.randbits(31)))
    print(f"{request.node.name}: seed {s}")
    return s


def vitra(*args, check=True):
    r = subprocess.run([VITRA, *args], capture_output=True, text=True, timeout=120)
    if check and r.returncode != 0:
        raise AssertionError(f"vitra {' '.join(args)} failed ({r.returncode}):\n{r.stderr}")
    return r


def build_model_dict(cfg, rng, seed):
    nt = cfg["ntypes"]
    d = DescrptSeA(rcut=4.0, rcut_smth=0.8, sel=[10] * nt, neuron=cfg["neuron"],
                   axis_neuron=cfg["axis"], type_one_side=cfg["type_one_side"],
                   exclude_types=cfg["exclude"], resnet_dt=cfg["resnet_dt"],
                   activation_function=cfg["act"], precision=cfg["precision"], seed=seed)
    f = EnergyFittingNet(ntypes=nt, dim_descrpt=d.get_dim_out(), neuron=cfg["fitting"],
                         resnet_dt=cfg["resnet_dt"], activation_function=cfg["act"],
                         precision=cfg["precision"], seed=seed + 1)
    m = EnergyModel(descriptor=d, fitting=f, type_map=TYPES[:nt],
                    atom_exclude_types=cfg["atom_exclude"])
    md = m.serialize()
    # Statistics and biases as after training: per (centre type, neighbor type,
    # component), the same for each slot of a neighbor type.
    dv = md["descriptor"]["@variables"]
    dtype = dv["davg"].dtype
    sel = md["descriptor"]["sel"]
    edges = np.cumsum([0] + sel)
    for ti in range(nt):
        for tj in range(nt):
            sl = slice(edges[tj], edges[tj + 1])
            dv["davg"][ti, sl, :] = np.array([rng.uniform(0.01, 0.2), *rng.normal(0, 0.01, 3)])
            dv["dstd"][ti, sl, :] = rng.uniform(0.05, 0.6, 4)
    dv["davg"] = dv["davg"].astype(dtype)
    dv["dstd"] = dv["dstd"].astype(dtype)
    md["fitting"]["@variables"]["bias_atom_e"] = rng.uniform(-3, 3, (nt, 1))
    md["@variables"]["out_bias"] = rng.uniform(-3, 3, (1, nt, 1))
    return {"model": md, "backend": "dpmodel", "model_def_script": {}}


def structure(rng, nt):
    n = 24
    cell = np.diag([7.0, 7.5, 8.0]) + rng.uniform(-0.6, 0.6, (3, 3))
    frac = rng.random((n, 3))
    coord = frac @ cell
    atype = np.concatenate([np.arange(nt), rng.integers(0, nt, n - nt)])
    return coord.reshape(1, -1), atype.reshape(1, -1), cell.reshape(1, 9)


def evaluate(path, coord, atype, box):
    model = BaseModel.deserialize(load_dp_model(str(path))["model"])
    r = model.call(coord, atype, box)
    return np.asarray(r["energy"]), np.asarray(r["atom_energy"])


def variables(node, prefix=""):
    """Every array under an "@variables" key, by path (None entries dropped)."""
    out = {}
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "@variables":
                for vk, vv in v.items():
                    if vv is not None:
                        out[f"{prefix}.{vk}"] = np.asarray(vv)
            elif isinstance(v, (dict, list)):
                out.update(variables(v, f"{prefix}.{k}"))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.update(variables(v, f"{prefix}[{i}]"))
    return out


def read_safetensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    meta = header.pop("__metadata__")
    tensors = {}
    end = 0
    for name, t in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        b, e = t["data_offsets"]
        assert b == end, f"{name}: tensors are not back to back"
        end = e
        assert t["dtype"] == "F64"
        tensors[name] = np.frombuffer(data[b:e], dtype="<f8").reshape(t["shape"])
    assert end == len(data), "the data section holds bytes no tensor owns"
    return meta, tensors


def hdf5_in_vitra(tmp_path):
    r = vitra("model", "convert", str(tmp_path / "probe.vdp"), str(tmp_path / "probe.dp"),
              check=False)
    return "built without HDF5" not in r.stderr


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_round_trip_through_vitra(name, seed, tmp_path):
    cfg = CONFIGS[name]
    rng = np.random.default_rng(seed)
    model_dict = build_model_dict(cfg, rng, seed % 100000)
    save_dp_model(str(tmp_path / "orig.yaml"), model_dict)
    save_dp_model(str(tmp_path / "orig.dp"), model_dict)
    orig = load_dp_model(str(tmp_path / "orig.yaml"))

    vitra("model", "convert", str(tmp_path / "orig.yaml"), str(tmp_path / "a.vdp"))
    vitra("model", "convert", str(tmp_path / "a.vdp"), str(tmp_path / "back.yaml"))
    outputs = [tmp_path / "back.yaml"]
    # A .dp written by DeePMD-kit gives the same .vdp as its .yaml twin.
    (tmp_path / "probe.vdp").write_bytes((tmp_path / "a.vdp").read_bytes())
    if hdf5_in_vitra(tmp_path):
        vitra("model", "convert", str(tmp_path / "orig.dp"), str(tmp_path / "b.vdp"))
        assert (tmp_path / "a.vdp").read_bytes() == (tmp_path / "b.vdp").read_bytes()
        vitra("model", "convert", str(tmp_path / "a.vdp"), str(tmp_path / "back.dp"))
        outputs.append(tmp_path / "back.dp")

    # Every array the same, bit for bit.
    ref_vars = variables(orig["model"], "model")
    for out in outputs:
        got = load_dp_model(str(out))
        assert got["model"]["descriptor"]["precision"] == cfg["precision"]
        got_vars = variables(got["model"], "model")
        assert sorted(got_vars) == sorted(ref_vars), f"{out.name}: other arrays"
        for k, v in ref_vars.items():
            assert got_vars[k].shape == v.shape, f"{out.name}: {k}"
            assert got_vars[k].dtype == v.dtype, f"{out.name}: {k} {got_vars[k].dtype} vs {v.dtype}"
            np.testing.assert_array_equal(got_vars[k], v, err_msg=f"{out.name}: {k} (seed {seed})")

    # The same energies from DeePMD-kit.
    coord, atype, box = structure(rng, cfg["ntypes"])
    e_ref, ae_ref = evaluate(tmp_path / "orig.yaml", coord, atype, box)
    assert np.all(np.isfinite(ae_ref))
    for out in outputs:
        e, ae = evaluate(out, coord, atype, box)
        scale = max(1.0, float(np.max(np.abs(ae_ref))))
        assert np.max(np.abs(e - e_ref)) <= 1e-14 * max(1.0, float(np.max(np.abs(e_ref)))), \
            f"{out.name}: energy {e} vs {e_ref} (seed {seed})"
        assert np.max(np.abs(ae - ae_ref)) <= 1e-14 * scale, f"{out.name}: atom energies (seed {seed})"
    for t in cfg["atom_exclude"]:
        assert np.all(ae_ref[0, atype[0] == t] == 0.0)

    # The .vdp file: safetensors with vitra's metadata and float64 tensors.
    meta, tensors = read_safetensors(tmp_path / "a.vdp")
    assert meta["format"] == "vitra-se_e2_a" and meta["version"] == "1"
    hyper = json.loads(meta["model"])
    md = orig["model"]
    assert hyper["type_map"] == md["type_map"]
    assert hyper["sel"] == md["descriptor"]["sel"]
    assert hyper["type_one_side"] == cfg["type_one_side"]
    assert hyper["precision"] == cfg["precision"]
    assert hyper["atom_exclude_types"] == cfg["atom_exclude"]
    np.testing.assert_array_equal(tensors["descriptor.davg"], md["descriptor"]["@variables"]["davg"])
    np.testing.assert_array_equal(tensors["out_bias"], md["@variables"]["out_bias"].ravel())
    np.testing.assert_array_equal(tensors["bias_atom_e"],
                                  md["fitting"]["@variables"]["bias_atom_e"].ravel())
    emb = md["descriptor"]["embeddings"]["networks"]
    for k, net in enumerate(emb):
        for li, layer in enumerate(net["layers"]):
            for v in ("w", "b", "idt"):
                arr = layer["@variables"][v]
                key = f"embedding.{k}.layer.{li}.{v}"
                if arr is None:
                    assert key not in tensors
                else:
                    np.testing.assert_array_equal(tensors[key], arr, err_msg=key)
    fit = md["fitting"]["nets"]["networks"]
    last = len(fit[0]["layers"]) - 1
    np.testing.assert_array_equal(tensors[f"fitting.{cfg['ntypes'] - 1}.layer.{last}.w"],
                                  fit[-1]["layers"][last]["@variables"]["w"])
    try:
        from safetensors.numpy import load_file
    except ImportError:
        pass
    else:
        st = load_file(str(tmp_path / "a.vdp"))
        assert sorted(st) == sorted(tensors)
        for k in tensors:
            np.testing.assert_array_equal(st[k], tensors[k])

    # `vitra model show --json`.
    show = json.loads(vitra("model", "show", "--json", str(tmp_path / "a.vdp")).stdout)
    assert show["format"] == "vdp"
    assert show["type_map"] == TYPES[:cfg["ntypes"]]
    assert show["rcut"] == 4.0 and show["rcut_smth"] == 0.8
    assert show["sel"] == [10] * cfg["ntypes"] and show["nnei"] == 10 * cfg["ntypes"]
    assert show["neuron"] == cfg["neuron"]
    assert show["axis_neuron"] == cfg["axis"]
    assert show["descriptor_size"] == cfg["neuron"][-1] * cfg["axis"]
    assert show["type_one_side"] == cfg["type_one_side"]
    assert show["exclude_types"] == cfg["exclude"]
    assert show["atom_exclude_types"] == cfg["atom_exclude"]
    assert show["fitting_neuron"] == cfg["fitting"]
    assert show["embedding_activation"] == cfg["act"]
    assert show["fitting_activation"] == cfg["act"]
    assert show["precision"] == cfg["precision"]
    assert show["embedding_resnet_dt"] == cfg["resnet_dt"]
    nparam = sum(v.size for k, v in ref_vars.items()
                 if ".embeddings." in k or ".nets." in k)
    assert show["parameter_count"] == nparam
    bias_e = md["fitting"]["@variables"]["bias_atom_e"].ravel()
    out_b = md["@variables"]["out_bias"].ravel()
    for t, row in enumerate(show["energy_bias"]):
        assert row["type"] == TYPES[t]
        assert row["bias_atom_e"] == bias_e[t] and row["out_bias"] == out_b[t]
        assert row["total"] == bias_e[t] + out_b[t]
    show_yaml = json.loads(vitra("model", "show", "--json", str(tmp_path / "orig.yaml")).stdout)
    for k in show:
        if k not in ("file", "format"):
            assert show_yaml[k] == show[k], k


def test_precision_flag(seed, tmp_path):
    """--precision float32 writes a float32 model DeePMD-kit runs in float32."""
    rng = np.random.default_rng(seed)
    model_dict = build_model_dict(CONFIGS["pairs_excluded"], rng, seed % 100000)
    save_dp_model(str(tmp_path / "orig.yaml"), model_dict)
    vitra("model", "convert", "--precision", "float32", str(tmp_path / "orig.yaml"),
          str(tmp_path / "f32.yaml"))
    got = load_dp_model(str(tmp_path / "f32.yaml"))["model"]
    assert got["descriptor"]["precision"] == "float32"
    assert got["fitting"]["precision"] == "float32"
    assert got["descriptor"]["@variables"]["davg"].dtype == np.float32
    assert got["fitting"]["nets"]["networks"][0]["layers"][0]["@variables"]["w"].dtype == np.float32
    coord, atype, box = structure(rng, 2)
    e64, _ = evaluate(tmp_path / "orig.yaml", coord, atype, box)
    e32, _ = evaluate(tmp_path / "f32.yaml", coord, atype, box)
    assert abs(float(e32.ravel()[0]) - float(e64.ravel()[0])) <= 1e-4 * max(1.0, abs(float(e64.ravel()[0])))
    show = json.loads(vitra("model", "show", "--json", str(tmp_path / "f32.yaml")).stdout)
    assert show["precision"] == "float32"


def test_errors_name_file_and_key(tmp_path):
    """Unsupported models fail with the file, the key, what was found and expected."""
    rng = np.random.default_rng(1)
    model_dict = build_model_dict(CONFIGS["one_side"], rng, 1)
    model_dict["model"]["fitting"]["numb_fparam"] = 2
    path = tmp_path / "fparam.yaml"
    save_dp_model(str(path), model_dict)
    r = vitra("model", "show", str(path), check=False)
    assert r.returncode == 2
    assert f"{path}: model.fitting.numb_fparam: frame parameters (numb_fparam = 2) are not " \
           "supported (expected 0)" in r.stderr
    model_dict["model"]["fitting"]["numb_fparam"] = 0
    model_dict["model"]["descriptor"]["type"] = "dpa1"
    save_dp_model(str(path), model_dict)
    r = vitra("model", "convert", str(path), str(tmp_path / "x.vdp"), check=False)
    assert r.returncode == 2
    assert 'model.descriptor.type: "dpa1" is not supported (vitra reads se_e2_a energy models)' \
        in r.stderr
    assert not (tmp_path / "x.vdp").exists()
    # An existing output is kept unless --force.
    model_dict["model"]["descriptor"]["type"] = "se_e2_a"
    save_dp_model(str(path), model_dict)
    (tmp_path / "y.vdp").write_text("keep")
    r = vitra("model", "convert", str(path), str(tmp_path / "y.vdp"), check=False)
    assert r.returncode == 2 and "--force" in r.stderr
    assert (tmp_path / "y.vdp").read_text() == "keep"
    vitra("model", "convert", "--force", str(path), str(tmp_path / "y.vdp"))
    assert (tmp_path / "y.vdp").read_bytes()[8:9] == b"{"
