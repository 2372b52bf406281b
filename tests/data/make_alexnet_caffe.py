#!/usr/bin/python3
"""Write alexnet_caffe.onnx: AlexNet with the original Caffe layer shapes, the
network Eyeriss (JSSC 2017) reports its measurements on.

Differences from torchvision's AlexNet (the zoo's ``alexnet``): a 227x227 input,
CONV1 with 96 filters, CONV2 / CONV4 / CONV5 in two groups, LRN after CONV1 and
CONV2, 4096-4096-1000 classifier on a 6x6x256 map.  Weights are stripped (dims
only), as in the zoo.  Run with Debian's python3 (python3-onnx):

    /usr/bin/python3 tests/data/make_alexnet_caffe.py tests/data/alexnet_caffe.onnx
"""
import sys

import onnx
from onnx import TensorProto, helper

nodes, inits = [], []


def weight(name, dims):
    # a float initializer with its dims and no data (weights stripped)
    t = TensorProto()
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend(dims)
    inits.append(t)
    return name


def conv(name, x, cin, cout, k, stride, pad, group=1):
    w = weight(name + ".w", [cout, cin // group, k, k])
    b = weight(name + ".b", [cout])
    nodes.append(helper.make_node("Conv", [x, w, b], [name], name=name, kernel_shape=[k, k],
                                  strides=[stride, stride], pads=[pad] * 4, group=group))
    relu = name.replace("conv", "relu")
    nodes.append(helper.make_node("Relu", [name], [relu], name=relu))
    return relu


def pool(name, x):
    nodes.append(helper.make_node("MaxPool", [x], [name], name=name, kernel_shape=[3, 3],
                                  strides=[2, 2]))
    return name


def lrn(name, x):
    nodes.append(helper.make_node("LRN", [x], [name], name=name, size=5, alpha=1e-4,
                                  beta=0.75, bias=1.0))
    return name


def fc(name, x, cin, cout, relu=True):
    w = weight(name + ".w", [cout, cin])
    b = weight(name + ".b", [cout])
    nodes.append(helper.make_node("Gemm", [x, w, b], [name], name=name, transB=1))
    if not relu:
        return name
    r = name.replace("fc", "relu")
    nodes.append(helper.make_node("Relu", [name], [r], name=r))
    return r


x = conv("conv1", "data", 3, 96, 11, 4, 0)          # 227 -> 55
x = pool("pool1", lrn("norm1", x))                  # 55 -> 27
x = conv("conv2", x, 96, 256, 5, 1, 2, group=2)     # 27
x = pool("pool2", lrn("norm2", x))                  # 27 -> 13
x = conv("conv3", x, 256, 384, 3, 1, 1)
x = conv("conv4", x, 384, 384, 3, 1, 1, group=2)
x = conv("conv5", x, 384, 256, 3, 1, 1, group=2)
x = pool("pool5", x)                                # 13 -> 6
nodes.append(helper.make_node("Flatten", [x], ["flat"], name="flatten", axis=1))
x = fc("fc6", "flat", 9216, 4096)
x = fc("fc7", x, 4096, 4096)
x = fc("fc8", x, 4096, 1000, relu=False)

graph = helper.make_graph(
    nodes, "alexnet_caffe",
    [helper.make_tensor_value_info("data", TensorProto.FLOAT, [1, 3, 227, 227])],
    [helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, 1000])],
    initializer=inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                          producer_name="partsim tests/data/make_alexnet_caffe.py")
onnx.save(model, sys.argv[1] if len(sys.argv) > 1 else "alexnet_caffe.onnx")
