#!/usr/bin/python3
"""Writes the ONNX Runtime peer's models: the LeNets of lenets.py, softmax included (as the cnnc
inference class returns probabilities), random initialization from seed 0, opset 13, dynamic batch.

For each network NAME it writes, into the directory given as the only argument:
  NAME.onnx            input "input" (N, C, H, W) -> output "output" (N, 10)
  NAME.reference.txt   PyTorch's 10 outputs for the fixed image x[i] = ((i * 7919) % 1000) / 1000 - 0.5
                       (flat CHW), which OnnxRuntimeBenchmark checks before it measures anything.

Usage: /usr/bin/python3 benchmarks/peers/export_onnx.py benchmarks/target/onnx
"""
import os
import sys

import torch
import torch.nn as nn

from lenets import NETWORKS, build


def reference_input(shape):
    size = shape[0] * shape[1] * shape[2]
    values = [((i * 7919) % 1000) / 1000.0 - 0.5 for i in range(size)]
    return torch.tensor(values, dtype=torch.float32).reshape(1, *shape)


def export(name, directory):
    torch.manual_seed(0)
    net, shape = build(name)
    net = nn.Sequential(net, nn.Softmax(dim=1)).eval()
    path = os.path.join(directory, name + ".onnx")
    torch.onnx.export(net, torch.randn(1, *shape), path, opset_version=13,
                      input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    with torch.no_grad():
        output = net(reference_input(shape))[0]
    with open(os.path.join(directory, name + ".reference.txt"), "w") as out:
        out.write(" ".join("%.8f" % v for v in output.tolist()) + "\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    for name in NETWORKS:
        export(name, directory)


if __name__ == "__main__":
    main()
