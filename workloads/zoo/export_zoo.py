#!/usr/bin/python3
"""Export partsim's model zoo: torchvision CNNs as small, weight-stripped ONNX graphs.

For every model in ZOO this script

  1. builds the torchvision architecture with random weights (weights=None,
     torch.manual_seed(0)) and puts it in eval() mode;
  2. exports it with torch.onnx.export at ONNX opset 17, batch 1, fixed shapes
     (no dynamic axes), graph input named ``input``, output named ``output``,
     do_constant_folding=True (in eval mode the exporter also folds every
     BatchNormalization into the Conv before it);
  3. post-processes the ONNX model with the ``onnx`` package:
       * strips the data of floating-point tensors: each stripped initializer
         keeps its name, dims and data_type but has no raw_data/float_data/...
         (see strip_tensor() and keep_float_data() for the exact rule: weights
         and biases of Conv/Gemm/MatMul/... are always stripped, other float
         tensors are stripped when they have more than SMALL_TENSOR elements,
         so that e.g. Clip bounds and Resize scales survive);
       * keeps integer initializers (Reshape shapes, axes, pads, Resize sizes)
         untouched, because shape inference needs their values;
       * strips large float ``Constant`` node values the same way;
       * removes every graph.value_info entry, so partsim's C code has to infer
         every intermediate shape itself (graph inputs/outputs keep their
         type and shape);
  4. writes ``<name>.onnx`` (a single self-contained file, no external data),
     checks it with onnx.checker and onnx.shape_inference, and prints the
     per-model summary (size, node count, op types) on stderr.

Finally it cross-checks reference.csv (torchvision's documented GMACs and
parameter counts) against an independent MAC count done here with forward
hooks on Conv2d/Linear, and prints the exported parameter count (after
BatchNorm folding) next to the documented one.

Run with Debian's interpreter (it has python3-torch, python3-torchvision,
python3-onnx):

    /usr/bin/python3 workloads/zoo/export_zoo.py [--out DIR] [--only NAME ...]
"""

import argparse
import csv
import io
import os
import sys
import time
import warnings

import onnx
import onnx.checker
import onnx.numpy_helper
import onnx.shape_inference
import torch
import torchvision
from onnx import TensorProto
from torch import nn
from torchvision import models

# torch 1.13's exporter warns about its own internal prim::Constant nodes
# (fcn_resnet50's interpolate); the shapes are checked in verify() anyway.
warnings.filterwarnings("ignore", message="The shape inference of prim::Constant type is missing")

HERE = os.path.dirname(os.path.abspath(__file__))

OPSET = 17  # newest opset both torch 1.13's exporter and onnx 1.12 know
FALLBACK_OPSET = 13

# Float tensors with at most this many elements keep their data unless they are
# layer parameters (see keep_float_data); matches the rule for Constant nodes.
SMALL_TENSOR = 64

FLOAT_TYPES = {
    TensorProto.FLOAT,
    TensorProto.DOUBLE,
    TensorProto.FLOAT16,
    TensorProto.BFLOAT16,
}

# Inputs at these positions of these ops are learnable parameters: always stripped.
PARAM_INPUTS = {
    "Conv": (1, 2),
    "ConvTranspose": (1, 2),
    "Gemm": (0, 1, 2),
    "MatMul": (0, 1),
    "BatchNormalization": (1, 2, 3, 4),
    "InstanceNormalization": (1, 2),
    "LayerNormalization": (1, 2),
    "PRelu": (1,),
}


class SegmentationOut(nn.Module):
    """Wraps a torchvision segmentation model so the graph output is out["out"]."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


def _fcn_resnet50(aux_loss=False):
    m = models.segmentation.fcn_resnet50(
        weights=None, weights_backbone=None, aux_loss=aux_loss, num_classes=21
    )
    return SegmentationOut(m)


CLS = (1, 3, 224, 224)
# fcn_resnet50: torchvision's figure (152.717 GFLOPS) is for a 520x520 input,
# the size its inference preset resizes to (SemanticSegmentation(resize_size=520)).
SEG = (1, 3, 520, 520)

# name -> (builder, input shape)
ZOO = {
    "alexnet": (lambda: models.alexnet(weights=None), CLS),
    "squeezenet1_1": (lambda: models.squeezenet1_1(weights=None), CLS),
    "googlenet": (
        lambda: models.googlenet(weights=None, aux_logits=False, init_weights=False),
        CLS,
    ),
    "vgg16": (lambda: models.vgg16(weights=None), CLS),
    "vgg19": (lambda: models.vgg19(weights=None), CLS),
    "resnet50": (lambda: models.resnet50(weights=None), CLS),
    "resnet101": (lambda: models.resnet101(weights=None), CLS),
    "densenet121": (lambda: models.densenet121(weights=None), CLS),
    "efficientnet_b0": (lambda: models.efficientnet_b0(weights=None), CLS),
    "regnet_x_400mf": (lambda: models.regnet_x_400mf(weights=None), CLS),
    "mobilenet_v2": (lambda: models.mobilenet_v2(weights=None), CLS),
    "fcn_resnet50": (_fcn_resnet50, SEG),
}

# Where the exported graph is not the configuration torchvision documents, the
# documented configuration, used only to cross-check reference.csv: the
# COCO_WITH_VOC_LABELS_V1 FCN weights come with the auxiliary FCN head.
DOC_CONFIG = {
    "fcn_resnet50": lambda: _fcn_resnet50(aux_loss=True),
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def randomize_(model):
    """Gives constant-initialised tensors random values, in place.

    torchvision initialises biases to 0 and BatchNorm to gamma=1, beta=0,
    mean=0, var=1.  After BN folding every folded bias would then be all zeros,
    and torch.onnx.export deduplicates initializers with identical values,
    replacing the copies by Identity nodes: the graph would no longer show one
    weight/bias per layer.  Random values keep every layer's tensors distinct.
    """
    with torch.no_grad():
        for mod in model.modules():
            if isinstance(mod, nn.modules.batchnorm._BatchNorm):
                mod.running_mean.normal_(0.0, 0.1)
                mod.running_var.uniform_(0.5, 1.5)
                if mod.affine:
                    mod.weight.uniform_(0.5, 1.5)
                    mod.bias.normal_(0.0, 0.1)
                continue
            for p in mod.parameters(recurse=False):
                flat = p.reshape(-1)
                if flat.numel() > 1 and bool((flat == flat[0]).all()):
                    p.normal_(0.0, 0.01)


def build(name):
    builder, shape = ZOO[name]
    torch.manual_seed(0)
    model = builder()
    randomize_(model)
    model.eval()
    return model, shape


def export_onnx(model, shape):
    """torch.onnx.export into memory; returns (onnx.ModelProto, opset used)."""
    x = torch.zeros(shape)
    last_err = None
    for opset in (OPSET, FALLBACK_OPSET):
        buf = io.BytesIO()
        try:
            with torch.no_grad():
                torch.onnx.export(
                    model,
                    x,
                    buf,
                    export_params=True,
                    opset_version=opset,
                    do_constant_folding=True,
                    input_names=["input"],
                    output_names=["output"],
                    training=torch.onnx.TrainingMode.EVAL,
                )
        except Exception as e:  # pragma: no cover - only if opset 17 breaks
            log(f"  opset {opset} export failed: {e!r}")
            last_err = e
            continue
        if opset != OPSET:
            log(f"  WARNING: fell back to opset {opset}")
        return onnx.load_from_string(buf.getvalue()), opset
    raise last_err


def numel(dims):
    n = 1
    for d in dims:
        n *= d
    return n


def param_tensor_names(graph):
    names = set()
    for node in graph.node:
        for i in PARAM_INPUTS.get(node.op_type, ()):
            if i < len(node.input) and node.input[i]:
                names.add(node.input[i])
    return names


def keep_float_data(name, dims, params):
    """A float tensor keeps its data iff it is small and not a layer parameter."""
    return name not in params and numel(dims) <= SMALL_TENSOR


def strip_tensor(t):
    """Drops the payload of TensorProto t; name, dims and data_type stay."""
    for field in (
        "raw_data",
        "float_data",
        "double_data",
        "int32_data",  # float16/bfloat16 payloads live here
        "int64_data",
        "uint64_data",
        "string_data",
        "external_data",
    ):
        t.ClearField(field)
    t.data_location = TensorProto.DEFAULT


def postprocess(model):
    """Strips float data and value_info in place; returns stats."""
    g = model.graph
    params = param_tensor_names(g)
    stats = {"stripped_init": 0, "kept_small_float": [], "stripped_const": 0}
    for t in g.initializer:
        if t.data_type in FLOAT_TYPES:
            if keep_float_data(t.name, t.dims, params):
                stats["kept_small_float"].append(t.name)
            else:
                strip_tensor(t)
                stats["stripped_init"] += 1
    for node in g.node:
        if node.op_type != "Constant":
            continue
        for a in node.attribute:
            if a.name == "value" and a.t.data_type in FLOAT_TYPES:
                if not keep_float_data(node.output[0], a.t.dims, params):
                    strip_tensor(a.t)
                    stats["stripped_const"] += 1
    del g.value_info[:]
    return stats


def float_param_count(model):
    """Elements of the float initializers (= parameters as exported)."""
    return sum(numel(t.dims) for t in model.graph.initializer if t.data_type in FLOAT_TYPES)


def dims_of(vi):
    return [d.dim_value if d.HasField("dim_value") else d.dim_param for d in vi.type.tensor_type.shape.dim]


def refill_zeros(model):
    """Copy of model whose data-less float tensors get zero payloads."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    tensors = list(m.graph.initializer)
    tensors += [a.t for n in m.graph.node if n.op_type == "Constant" for a in n.attribute if a.name == "value"]
    for t in tensors:
        if t.data_type in FLOAT_TYPES and not t.HasField("raw_data") and not (
            t.float_data or t.double_data or t.int32_data
        ):
            itemsize = {TensorProto.FLOAT: 4, TensorProto.DOUBLE: 8}.get(t.data_type, 2)
            t.raw_data = bytes(itemsize * numel(t.dims))
    return m


def verify(path, expect_out):
    """Checks the written file; returns a note for the log.

    onnx.checker rejects a TensorProto without any value field ("should contain
    one and only one value field"), so the stripped file itself cannot pass it.
    We check that it loads, that this is the checker's only objection, that the
    same graph with zero-filled tensors passes the full checker, and that strict
    ONNX shape inference reproduces torch's output shape without value_info.
    """
    m = onnx.load(path)  # plain load: fails if anything external were needed
    notes = []
    try:
        onnx.checker.check_model(m)
        notes.append("checker OK as stored")
    except onnx.checker.ValidationError as e:
        if "should contain one and only one value field" not in str(e):
            raise
        notes.append("checker: rejects empty tensors only")
    onnx.checker.check_model(refill_zeros(m), full_check=True)
    notes.append("checker OK with zero-filled tensors")
    inferred = onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
    got = dims_of(inferred.graph.output[0])
    if got != list(expect_out):
        raise RuntimeError(f"{path}: inferred output {got} != torch output {list(expect_out)}")
    notes.append(f"shape inference -> {got}")
    return "; ".join(notes)


# ---------------------------------------------------------------- MAC count --

def count_macs(model, shape):
    """Independent count: Conv2d K*(C/groups)*R*S*P*Q and Linear in*out MACs."""
    total = [0]

    def conv_hook(mod, inp, out):
        k, c_per_g, r, s = mod.weight.shape
        p, q = out.shape[-2:]
        total[0] += out.shape[0] * k * c_per_g * r * s * p * q

    def linear_hook(mod, inp, out):
        rows = out.numel() // mod.out_features
        total[0] += rows * mod.in_features * mod.out_features

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear_hook))
    with torch.no_grad():
        out = model(torch.zeros(shape))
    for h in hooks:
        h.remove()
    return total[0], out


def read_reference(path):
    ref = {}
    if not os.path.exists(path):
        return ref
    with open(path, newline="") as f:
        rows = (line for line in f if line.strip() and not line.lstrip().startswith("#"))
        for row in csv.DictReader(rows):
            ref[row["model"]] = row
    return ref


# --------------------------------------------------------------------- main --

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=HERE, help="output folder (default: this script's folder)")
    ap.add_argument("--only", nargs="+", metavar="NAME", choices=list(ZOO),
                    help="export only these models (default: all)")
    ap.add_argument("--reference", default=os.path.join(HERE, "reference.csv"),
                    help="documented figures to compare with (default: reference.csv here)")
    args = ap.parse_args(argv)

    names = args.only or list(ZOO)
    os.makedirs(args.out, exist_ok=True)
    ref = read_reference(args.reference)
    log(f"torch {torch.__version__}, torchvision {torchvision.__version__}, onnx {onnx.__version__}")

    rows = []
    for i, name in enumerate(names, 1):
        t0 = time.time()
        log(f"[{i}/{len(names)}] {name}: build {ZOO[name][1]}")
        model, shape = build(name)
        macs, out = count_macs(model, shape)
        torch_params = sum(p.numel() for p in model.parameters())
        bn_channels = sum(mod.num_features for mod in model.modules()
                          if isinstance(mod, nn.modules.batchnorm._BatchNorm))
        log(f"  export (opset {OPSET})")
        m, opset = export_onnx(model, shape)
        exported_params = float_param_count(m)
        stats = postprocess(m)
        path = os.path.join(args.out, f"{name}.onnx")
        onnx.save(m, path)
        note = verify(path, out.shape)
        ops = sorted({n.op_type for n in m.graph.node})
        size = os.path.getsize(path)
        log(f"  wrote {path}: {size / 1024:.1f} KiB, opset {opset}, {len(m.graph.node)} nodes, "
            f"{stats['stripped_init']} initializers + {stats['stripped_const']} Constants stripped, "
            f"small float initializers kept: {stats['kept_small_float'] or 'none'}")
        log(f"  verify: {note}")
        log(f"  ops: {' '.join(ops)}")

        # BatchNorm folding: a BN right after a Conv disappears (gamma, beta: -2C)
        # and the Conv gains a bias (+C), i.e. -C; a BN that cannot be folded
        # (DenseNet's pre-activation BN) stays, and its running mean/var become
        # initializers too (+2C).
        bn_kept = sum(numel(t.dims) for n in m.graph.node if n.op_type == "BatchNormalization"
                      for t in m.graph.initializer if t.name == n.input[1])
        bn_folded = bn_channels - bn_kept
        expect = torch_params - bn_folded + 2 * bn_kept
        if expect != exported_params:
            raise RuntimeError(f"{name}: exported {exported_params} params, expected {expect}")

        doc_macs, doc_params = macs, torch_params
        if name in DOC_CONFIG:
            torch.manual_seed(0)
            doc_model = DOC_CONFIG[name]().eval()
            doc_macs, _ = count_macs(doc_model, shape)
            doc_params = sum(p.numel() for p in doc_model.parameters())
            log(f"  documented configuration: {doc_macs / 1e9:.3f} GMACs, {doc_params} params "
                f"(exported graph: {macs / 1e9:.3f} GMACs, {torch_params} params)")
        log(f"  done in {time.time() - t0:.1f} s")
        rows.append((name, shape, macs, doc_macs, doc_params, torch_params,
                     exported_params, bn_folded, bn_kept))

    log("")
    log("GMACs/params: doc = reference.csv (torchvision's documented figures); counted = this")
    log("script's hook count of the documented configuration; graph = the exported graph's")
    log("configuration; exported = float initializer elements after BN folding.")
    log(f"{'model':16} {'input':>12} {'doc GMACs':>9} {'counted':>8} {'graph':>8} "
        f"{'doc params':>10} {'counted':>10} {'graph':>10} {'exported':>10} {'exp-doc':>9} "
        f"{'BN folded':>9} {'BN kept':>7}")
    bad = 0
    for name, shape, macs, doc_macs, doc_params, torch_params, exported, folded, kept in rows:
        r = ref.get(name)
        flag = ""
        if r is None:
            doc_g, doc_p, diff = "?", "?", "?"
        else:
            doc_g, doc_p = r["gmacs"], r["params"]
            diff = f"{exported - int(doc_p):+d}"
            if abs(doc_macs / 1e9 - float(doc_g)) >= 0.0005 + 1e-9 or int(doc_p) != doc_params:
                flag = "  <-- MISMATCH"
                bad += 1
        log(f"{name:16} {'x'.join(map(str, shape[2:])):>12} {doc_g:>9} {doc_macs / 1e9:>8.3f} "
            f"{macs / 1e9:>8.3f} {doc_p:>10} {doc_params:>10} {torch_params:>10} {exported:>10} "
            f"{diff:>9} {folded:>9} {kept:>7}{flag}")
    if bad:
        log(f"{bad} model(s) disagree with {args.reference}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
