"""The model zoo against torchvision's documented figures and ONNX's own
shape inference (Debian's python3-onnx)."""
import csv
from pathlib import Path

import pytest

onnx = pytest.importorskip("onnx")
from onnx import shape_inference  # noqa: E402

ZOO = Path(__file__).resolve().parents[2] / "workloads" / "zoo"


def reference_rows():
    with open(ZOO / "reference.csv") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


REFERENCE = {row["model"]: row for row in reference_rows()}

# torchvision documents fcn_resnet50 with its auxiliary FCNHead (aux_loss=True),
# which inference graphs do not run.  The aux head on the 1024-channel layer3
# output at output stride 8 (520 / 8 = 65): Conv 3x3 1024->256 and Conv 1x1
# 256->21, so its MACs are 65*65*(256*1024*9 + 21*256).
FCN_AUX_MACS = 65 * 65 * (256 * 1024 * 9 + 21 * 256)


def test_zoo_holds_every_model_of_the_seed_papers():
    expected = {"alexnet", "squeezenet1_1", "googlenet", "vgg16", "vgg19", "resnet50",
                "resnet101", "densenet121", "efficientnet_b0", "regnet_x_400mf",
                "mobilenet_v2", "fcn_resnet50"}
    assert expected <= set(REFERENCE)
    for name in expected:
        assert (ZOO / f"{name}.onnx").stat().st_size < 1_000_000, f"{name} is not stripped"


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_total_macs_match_torchvision_within_half_a_percent(partsim, name):
    layers = partsim.json("layers", name)
    documented = float(REFERENCE[name]["gmacs"]) * 1e9
    if name == "fcn_resnet50":
        documented -= FCN_AUX_MACS
    assert layers["totals"]["macs"] == pytest.approx(documented, rel=0.005)
    shape = "x".join(str(d) for d in layers["inputs"][0]["shape"])
    assert shape == REFERENCE[name]["input_shape"]


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_params_equal_the_exported_initializers(partsim, name):
    model = onnx.load(str(ZOO / f"{name}.onnx"))
    floats = {onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16, onnx.TensorProto.DOUBLE}
    expected = 0
    for init in model.graph.initializer:
        if init.data_type in floats:
            count = 1
            for d in init.dims:
                count *= d
            expected += count
    assert partsim.json("layers", name)["totals"]["params"] == expected


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_zoo_files_carry_no_value_info(name):
    model = onnx.load(str(ZOO / f"{name}.onnx"))
    assert len(model.graph.value_info) == 0


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_inferred_shapes_equal_onnx_shape_inference(partsim, name):
    model = onnx.load(str(ZOO / f"{name}.onnx"))
    inferred = shape_inference.infer_shapes(model, data_prop=True)
    onnx_shapes = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.output):
        tt = vi.type.tensor_type
        if not tt.HasField("shape"):
            continue
        dims = [d.dim_value if d.HasField("dim_value") else None for d in tt.shape.dim]
        if None not in dims:
            onnx_shapes[vi.name] = dims
    ours = {t["name"]: t["shape"] for t in partsim.json("layers", name, "--tensors")["tensors"]}
    assert len(onnx_shapes) > 0.9 * len(inferred.graph.value_info)
    mismatched = {n: (ours.get(n), s) for n, s in onnx_shapes.items() if ours.get(n) != s}
    assert not mismatched
