#!/usr/bin/env python3
"""Make the PyTorch reference fixtures of cnnc's numerical parity tests.

For each network below (the PyTorch twin of a cnnc @Network, whose Java declaration is in the
comment above it and, identically, in
processor/src/test/java/dev/cnnc/processor/parity/ParityNetworks.java), this script draws seeded
random weights, inputs and labels and writes, per sample, what cnnc's generated model must
reproduce: the forward output, the softmax cross-entropy loss and the gradient of that loss with
respect to every parameter.

Regenerate (from the repository root; needs PyTorch and NumPy, e.g. Debian's python3-torch):

    apt-get install -y python3-torch
    /usr/bin/python3 samples/scripts/make_parity_fixtures.py processor/src/test/resources/parity

The output is deterministic for a given PyTorch version: random numbers come from Python's own
`random.Random(seed)` (stable across Python versions), and all arithmetic is float64.

Conventions (cnnc's, which are PyTorch's):
- An input is C*H*W float32 values in CHW order.
- The parameters are one flat float32 array: the state_dict tensors flattened, in order
  (conv weight [filters][inChannels][k][k], then bias [filters]; dense weight [units][inputs],
  then bias [units]; a dense layer after an image flattens C, H, W like torch.flatten).
- SAME padding is TensorFlow's: out = ceil(n / s), total = max((out - 1) * s + f - n, 0), the
  smaller half before; applied with an explicit F.pad(left, right, top, bottom).
- Pooling has no padding: out = floor((n - size) / stride) + 1.
- output: the probabilities if the last layer is SOFTMAX, else the last layer's raw outputs.
- loss: cross-entropy of one sample; for a SOFTMAX last layer that is -log(p[label]), i.e.
  CrossEntropyLoss on the pre-softmax logits; otherwise CrossEntropyLoss with the raw outputs
  taken as logits.
- grad: d loss / d parameters, same layout as the parameters.

Inputs and weights are float32 numbers; the reference is computed from them in float64 and then
rounded to float32, so it is the exact answer up to that rounding and the Java side (float32) is
compared with a tolerance for its own rounding only. Inputs are redrawn until every ReLU
pre-activation is at least MARGIN away from 0 and every max-pool window's winner beats the runner-up
by MARGIN, so float32 rounding cannot flip a kink; the manifest records the margins found. Every
output of the twin is checked against naive_forward, a loop-by-loop NumPy version of cnnc's
definitions, so a mistake in the twin (padding side, pooling bounds, flatten order) stops the script.

Fixture format, in the output directory:
- index.txt: one fixture name per line (comment lines start with #).
- NAME.txt: a manifest of `key value...` lines:
      fixture NAME / network JAVA_CLASS / architecture TEXT / input_shape C H W / label L /
      loss HEX DECIMAL  (HEX is Python's float.hex() of the float32 loss; Java's Float.parseFloat
      reads it exactly) / tensor NAME DIM,DIM,.. OFFSET (one per state_dict tensor) /
      array NAME COUNT (in the order the arrays follow each other in NAME.f32) / margin KIND VALUE.
- NAME.f32: the arrays input, params, output, grad as little-endian float32, back to back, in the
  order of the `array` lines.
"""

import math
import os
import random
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

# Smallest distance from a kink (ReLU at 0, max-pool tie) accepted in a fixture.
MARGIN = 1e-4
# Samples per small network; the LeNets get one each to keep the files small.
SAMPLES_SMALL = 3

# ---- layer specs: the cnnc DSL in Python -------------------------------------------------------


def conv(name, filters, kernel, activation, stride=1, padding="VALID"):
    return dict(kind="conv", name=name, filters=filters, kernel=kernel, stride=stride,
                padding=padding, activation=activation)


def pool(name, kind, size, stride=0):
    return dict(kind="pool", name=name, pool=kind, size=size, stride=stride or size)


def dense(name, units, activation):
    return dict(kind="dense", name=name, units=units, activation=activation)


# ---- the networks ------------------------------------------------------------------------------
# Each entry: fixture prefix, Java class, (height, width, channels), layers, samples.

NETWORKS = [
    # @Network(height = 32, width = 32, channels = 3, params = 62_006)
    # final class CifarLeNet {
    #     @Conv(filters = 6, kernel = 5, activation = RELU)  Layer conv1;  // 28x28x6
    #     @Pool(kind = PoolKind.MAX, size = 2)               Layer pool1;  // 14x14x6
    #     @Conv(filters = 16, kernel = 5, activation = RELU) Layer conv2;  // 10x10x16
    #     @Pool(kind = PoolKind.MAX, size = 2)               Layer pool2;  // 5x5x16
    #     @Dense(units = 120, activation = RELU)             Layer fc1;
    #     @Dense(units = 84, activation = RELU)              Layer fc2;
    #     @Dense(units = 10, activation = SOFTMAX)           Layer output;
    # }
    ("cifar_lenet", "CifarLeNet", (32, 32, 3), [
        conv("conv1", 6, 5, "RELU"),
        pool("pool1", "MAX", 2),
        conv("conv2", 16, 5, "RELU"),
        pool("pool2", "MAX", 2),
        dense("fc1", 120, "RELU"),
        dense("fc2", 84, "RELU"),
        dense("output", 10, "SOFTMAX"),
    ], 1),

    # @Network(height = 28, width = 28, channels = 1, params = 61_706)
    # final class FashionLeNet {
    #     @Conv(filters = 6, kernel = 5, padding = Padding.SAME, activation = RELU) Layer conv1; // 28x28x6
    #     @Pool(kind = PoolKind.MAX, size = 2)               Layer pool1;  // 14x14x6
    #     @Conv(filters = 16, kernel = 5, activation = RELU) Layer conv2;  // 10x10x16
    #     @Pool(kind = PoolKind.MAX, size = 2)               Layer pool2;  // 5x5x16
    #     @Dense(units = 120, activation = RELU)             Layer fc1;
    #     @Dense(units = 84, activation = RELU)              Layer fc2;
    #     @Dense(units = 10, activation = SOFTMAX)           Layer output;
    # }
    ("fashion_lenet", "FashionLeNet", (28, 28, 1), [
        conv("conv1", 6, 5, "RELU", padding="SAME"),
        pool("pool1", "MAX", 2),
        conv("conv2", 16, 5, "RELU"),
        pool("pool2", "MAX", 2),
        dense("fc1", 120, "RELU"),
        dense("fc2", 84, "RELU"),
        dense("output", 10, "SOFTMAX"),
    ], 1),

    # SAME padding on an odd input with stride 2: padding 1 before and 2 after, then 0 and 1.
    # @Network(height = 9, width = 9, channels = 2, params = 323)
    # final class SameOddStride2 {
    #     @Conv(filters = 4, kernel = 4, stride = 2, padding = Padding.SAME, activation = RELU) Layer conv1; // 5x5x4
    #     @Conv(filters = 3, kernel = 2, stride = 2, padding = Padding.SAME, activation = TANH) Layer conv2; // 3x3x3
    #     @Dense(units = 5, activation = SOFTMAX) Layer output;
    # }
    ("same_odd_stride2", "SameOddStride2", (9, 9, 2), [
        conv("conv1", 4, 4, "RELU", stride=2, padding="SAME"),
        conv("conv2", 3, 2, "TANH", stride=2, padding="SAME"),
        dense("output", 5, "SOFTMAX"),
    ], SAMPLES_SMALL),

    # SAME padding on an even, non-square input with stride 2 (0 before, 1 after), stride 1 with an
    # even kernel (1 before, 2 after) and a stride-2 even kernel that needs no padding in height.
    # @Network(height = 8, width = 10, channels = 3, params = 557)
    # final class SameEvenStride2 {
    #     @Conv(filters = 4, kernel = 3, stride = 2, padding = Padding.SAME, activation = SIGMOID) Layer conv1; // 4x5x4
    #     @Conv(filters = 5, kernel = 4, padding = Padding.SAME, activation = LINEAR)             Layer conv2; // 4x5x5
    #     @Conv(filters = 2, kernel = 2, stride = 2, padding = Padding.SAME, activation = RELU)    Layer conv3; // 2x3x2
    #     @Dense(units = 6, activation = LINEAR) Layer output;
    # }
    ("same_even_stride2", "SameEvenStride2", (8, 10, 3), [
        conv("conv1", 4, 3, "SIGMOID", stride=2, padding="SAME"),
        conv("conv2", 5, 4, "LINEAR", padding="SAME"),
        conv("conv3", 2, 2, "RELU", stride=2, padding="SAME"),
        dense("output", 6, "LINEAR"),
    ], SAMPLES_SMALL),

    # @Network(height = 12, width = 12, channels = 2, params = 361)
    # final class AvgPoolNet {
    #     @Conv(filters = 3, kernel = 3, activation = TANH) Layer conv1; // 10x10x3
    #     @Pool(kind = PoolKind.AVG, size = 2)              Layer pool1; // 5x5x3
    #     @Dense(units = 4, activation = SOFTMAX)           Layer output;
    # }
    ("avg_pool", "AvgPoolNet", (12, 12, 2), [
        conv("conv1", 3, 3, "TANH"),
        pool("pool1", "AVG", 2),
        dense("output", 4, "SOFTMAX"),
    ], SAMPLES_SMALL),

    # Stride-3 pooling that drops the last rows and columns: 25x22 -> 8x7 (size 3), 8x7 -> 3x2 (size 2).
    # @Network(height = 26, width = 23, channels = 1, params = 72)
    # final class Stride3MaxThenAvg {
    #     @Conv(filters = 3, kernel = 2, activation = TANH)       Layer conv1; // 25x22x3
    #     @Pool(kind = PoolKind.MAX, size = 3, stride = 3)        Layer pool1; // 8x7x3
    #     @Pool(kind = PoolKind.AVG, size = 2, stride = 3)        Layer pool2; // 3x2x3
    #     @Dense(units = 3, activation = LINEAR)                  Layer output;
    # }
    ("stride3_max_avg", "Stride3MaxThenAvg", (26, 23, 1), [
        conv("conv1", 3, 2, "TANH"),
        pool("pool1", "MAX", 3, 3),
        pool("pool2", "AVG", 2, 3),
        dense("output", 3, "LINEAR"),
    ], SAMPLES_SMALL),

    # @Network(height = 20, width = 19, channels = 2, params = 79)
    # final class Stride3AvgThenMax {
    #     @Conv(filters = 3, kernel = 2, activation = RELU)       Layer conv1; // 19x18x3
    #     @Pool(kind = PoolKind.AVG, size = 3, stride = 3)        Layer pool1; // 6x6x3
    #     @Pool(kind = PoolKind.MAX, size = 2, stride = 3)        Layer pool2; // 2x2x3
    #     @Dense(units = 4, activation = SOFTMAX)                 Layer output;
    # }
    ("stride3_avg_max", "Stride3AvgThenMax", (20, 19, 2), [
        conv("conv1", 3, 2, "RELU"),
        pool("pool1", "AVG", 3, 3),
        pool("pool2", "MAX", 2, 3),
        dense("output", 4, "SOFTMAX"),
    ], SAMPLES_SMALL),

    # TANH, SIGMOID and LINEAR everywhere, and a SIGMOID last layer (raw outputs taken as logits).
    # @Network(height = 6, width = 7, channels = 1, params = 412)
    # final class ActivationsNet {
    #     @Conv(filters = 2, kernel = 3, activation = TANH)    Layer conv1; // 4x5x2
    #     @Conv(filters = 3, kernel = 2, activation = SIGMOID) Layer conv2; // 3x4x3
    #     @Dense(units = 8, activation = LINEAR)               Layer fc1;
    #     @Dense(units = 5, activation = TANH)                 Layer fc2;
    #     @Dense(units = 4, activation = SIGMOID)              Layer output;
    # }
    ("activations", "ActivationsNet", (6, 7, 1), [
        conv("conv1", 2, 3, "TANH"),
        conv("conv2", 3, 2, "SIGMOID"),
        dense("fc1", 8, "LINEAR"),
        dense("fc2", 5, "TANH"),
        dense("output", 4, "SIGMOID"),
    ], SAMPLES_SMALL),
]

# ---- shape arithmetic (cnnc's rules) -----------------------------------------------------------


def same_padding(n, f, s):
    """TensorFlow's SAME: (before, after) with the smaller half before."""
    out = -(-n // s)
    total = max((out - 1) * s + f - n, 0)
    return total // 2, total - total // 2


def conv_out(n, f, s, padding):
    if padding == "SAME":
        return -(-n // s)
    return (n - f) // s + 1


def pool_out(n, size, stride):
    return (n - size) // stride + 1


def shapes(input_shape, layers):
    """Each layer's output shape, (H, W, C) for images and (units,) for dense layers, plus the
    cnnc architecture text (Fingerprint.architecture's format)."""
    height, width, channels = input_shape
    shape = (height, width, channels)
    text = ["input %dx%dx%d" % shape]
    result = []
    for layer in layers:
        if layer["kind"] == "conv":
            h, w, c = shape
            shape = (conv_out(h, layer["kernel"], layer["stride"], layer["padding"]),
                     conv_out(w, layer["kernel"], layer["stride"], layer["padding"]), layer["filters"])
            desc = "conv f%d k%d s%d %s %s" % (layer["filters"], layer["kernel"], layer["stride"],
                                               layer["padding"], layer["activation"])
        elif layer["kind"] == "pool":
            h, w, c = shape
            shape = (pool_out(h, layer["size"], layer["stride"]), pool_out(w, layer["size"], layer["stride"]), c)
            desc = "pool %s k%d s%d" % (layer["pool"], layer["size"], layer["stride"])
        else:
            shape = (layer["units"],)
            desc = "dense u%d %s" % (layer["units"], layer["activation"])
        if min(shape) < 1:
            raise ValueError("%s: empty output %s" % (layer["name"], shape))
        result.append(shape)
        text.append("%s %s -> %s" % (layer["name"], desc, "x".join(str(d) for d in shape)))
    return result, "; ".join(text)


# ---- the PyTorch twin --------------------------------------------------------------------------


class Twin(torch.nn.Module):
    """The PyTorch network of a cnnc layer list; submodule names are the cnnc layer names, so the
    state_dict keys are the names cnnc's tensors() and safetensors files use."""

    def __init__(self, input_shape, layers):
        super().__init__()
        self.layers = layers
        channels = input_shape[2]
        inputs = None
        out_shapes, _ = shapes(input_shape, layers)
        previous = input_shape
        for layer, out in zip(layers, out_shapes):
            if layer["kind"] == "conv":
                module = torch.nn.Conv2d(previous[2], layer["filters"], layer["kernel"], stride=layer["stride"])
            elif layer["kind"] == "dense":
                inputs = 1
                for d in previous:
                    inputs *= d
                module = torch.nn.Linear(inputs, layer["units"])
            else:
                module = None
            if module is not None:
                self.add_module(layer["name"], module.double())
            previous = out
        self.input_shape = input_shape

    def forward(self, image, record):
        """image: (1, C, H, W) float64. Returns (logits or outputs before softmax, output).
        record(kind, tensor) receives what the kink margins are computed from."""
        x = image
        pre_softmax = None
        for layer in self.layers:
            if layer["kind"] == "conv":
                if layer["padding"] == "SAME":
                    top, bottom = same_padding(x.shape[2], layer["kernel"], layer["stride"])
                    left, right = same_padding(x.shape[3], layer["kernel"], layer["stride"])
                    x = F.pad(x, (left, right, top, bottom))
                x = getattr(self, layer["name"])(x)
            elif layer["kind"] == "pool":
                if layer["pool"] == "MAX":
                    record("maxpool", x, layer)
                    x = F.max_pool2d(x, layer["size"], layer["stride"])
                else:
                    x = F.avg_pool2d(x, layer["size"], layer["stride"])
            else:
                x = getattr(self, layer["name"])(torch.flatten(x, 1))
            activation = layer.get("activation")
            if activation == "RELU":
                record("relu", x, layer)
                x = torch.relu(x)
            elif activation == "TANH":
                x = torch.tanh(x)
            elif activation == "SIGMOID":
                x = torch.sigmoid(x)
            elif activation == "SOFTMAX":
                pre_softmax = x
                x = torch.softmax(x, dim=1)
        return (pre_softmax if pre_softmax is not None else x), x


# ---- an independent check of the twin ----------------------------------------------------------


def naive_forward(input_shape, layers, params, image):
    """cnnc's forward pass written loop by loop from the definitions in NumPy float64, without
    PyTorch: explicit zero-padded copies, explicit windows. The twin must agree with it."""
    height, width, channels = input_shape
    x = np.asarray(image, dtype=np.float64).reshape(channels, height, width)
    offset = 0

    def take(count, shape):
        nonlocal offset
        values = np.asarray(params[offset:offset + count], dtype=np.float64).reshape(shape)
        offset += count
        return values

    for layer in layers:
        if layer["kind"] == "conv":
            k, s, filters = layer["kernel"], layer["stride"], layer["filters"]
            in_channels, h, w = x.shape
            (top, bottom), (left, right) = ((same_padding(h, k, s), same_padding(w, k, s))
                                            if layer["padding"] == "SAME" else ((0, 0), (0, 0)))
            padded = np.zeros((in_channels, h + top + bottom, w + left + right))
            padded[:, top:top + h, left:left + w] = x
            out_h, out_w = (padded.shape[1] - k) // s + 1, (padded.shape[2] - k) // s + 1
            weight = take(filters * in_channels * k * k, (filters, in_channels, k, k))
            bias = take(filters, (filters,))
            x = np.zeros((filters, out_h, out_w))
            for i in range(out_h):
                for j in range(out_w):
                    window = padded[:, i * s:i * s + k, j * s:j * s + k]
                    x[:, i, j] = np.tensordot(weight, window, axes=3) + bias
        elif layer["kind"] == "pool":
            size, s = layer["size"], layer["stride"]
            c, h, w = x.shape
            out_h, out_w = (h - size) // s + 1, (w - size) // s + 1
            reduce = np.max if layer["pool"] == "MAX" else np.mean
            pooled = np.zeros((c, out_h, out_w))
            for i in range(out_h):
                for j in range(out_w):
                    pooled[:, i, j] = reduce(x[:, i * s:i * s + size, j * s:j * s + size], axis=(1, 2))
            x = pooled
        else:
            flat = x.ravel()
            weight = take(layer["units"] * flat.size, (layer["units"], flat.size))
            x = weight @ flat + take(layer["units"], (layer["units"],))
        activation = layer.get("activation")
        if activation == "RELU":
            x = np.maximum(x, 0)
        elif activation == "TANH":
            x = np.tanh(x)
        elif activation == "SIGMOID":
            x = 1 / (1 + np.exp(-x))
        elif activation == "SOFTMAX":
            e = np.exp(x - x.max())
            x = e / e.sum()
    if offset != len(params):
        raise AssertionError("naive forward used %d of %d parameters" % (offset, len(params)))
    return x.ravel()


# ---- fixtures ----------------------------------------------------------------------------------


def float32_uniform(rng, count, bound):
    """count float32 values uniform in [-bound, bound)."""
    return np.array([rng.uniform(-bound, bound) for _ in range(count)], dtype=np.float32)


def draw_parameters(twin, rng):
    """torch.nn's default range, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), for weights and biases, as
    float32 values."""
    with torch.no_grad():
        for name, tensor in twin.state_dict(keep_vars=True).items():
            module = getattr(twin, name.split(".")[0])
            fan_in = module.weight[0].numel()
            values = float32_uniform(rng, tensor.numel(), 1.0 / math.sqrt(fan_in))
            tensor.copy_(torch.from_numpy(values.astype(np.float64)).reshape(tensor.shape))


def margins(twin, image):
    """The smallest ReLU |pre-activation| and max-pool winner lead for this input."""
    found = {"relu": math.inf, "maxpool": math.inf}

    def record(kind, x, layer):
        x = x.detach()
        if kind == "relu":
            found["relu"] = min(found["relu"], x.abs().min().item())
        else:
            windows = F.unfold(x, layer["size"], stride=layer["stride"])  # (1, C*k*k, L)
            windows = windows.reshape(x.shape[1], layer["size"] * layer["size"], -1)
            top = windows.topk(2, dim=1).values
            # A window whose winner is an exact 0 comes from ReLU-dead inputs: every candidate has
            # a zero gradient, so which one wins does not matter.
            lead = (top[:, 0] - top[:, 1])[top[:, 0] != 0]
            if lead.numel():
                found["maxpool"] = min(found["maxpool"], lead.min().item())

    with torch.no_grad():
        twin(image, record)
    return found


def f32(value):
    return float(np.float32(value))


def write_fixture(directory, name, java_class, architecture, input_shape, label, image, twin, loss, output):
    tensors = []
    offset = 0
    for key, tensor in twin.state_dict().items():
        tensors.append((key, tuple(tensor.shape), offset))
        offset += tensor.numel()
    if [key for key, _ in twin.named_parameters()] != list(twin.state_dict().keys()):
        raise AssertionError("parameters and state_dict disagree on the order")
    params = np.concatenate([t.detach().numpy().ravel() for t in twin.state_dict().values()]).astype(np.float32)
    grad = np.concatenate([p.grad.numpy().ravel() for p in twin.parameters()]).astype(np.float32)
    arrays = [
        ("input", image.detach().numpy().ravel().astype(np.float32)),
        ("params", params),
        ("output", output.detach().numpy().ravel().astype(np.float32)),
        ("grad", grad),
    ]
    height, width, channels = input_shape
    loss32 = f32(loss.item())
    lines = [
        "# cnnc parity fixture, made by samples/scripts/make_parity_fixtures.py with torch %s; do not edit."
        % torch.__version__,
        "fixture %s" % name,
        "network %s" % java_class,
        "architecture %s" % architecture,
        "input_shape %d %d %d" % (channels, height, width),
        "label %d" % label,
        "loss %s %r" % (loss32.hex(), loss32),
    ]
    lines += ["tensor %s %s %d" % (key, ",".join(str(d) for d in shape), off) for key, shape, off in tensors]
    lines += ["array %s %d" % (key, values.size) for key, values in arrays]
    found = margins(twin, image)
    lines += ["margin %s %s" % (kind, "none" if math.isinf(v) else "%.3g" % v) for kind, v in sorted(found.items())]
    with open(os.path.join(directory, name + ".txt"), "w") as manifest:
        manifest.write("\n".join(lines) + "\n")
    with open(os.path.join(directory, name + ".f32"), "wb") as data:
        for _, values in arrays:
            data.write(values.astype("<f4").tobytes())


def make(directory):
    os.makedirs(directory, exist_ok=True)
    names = []
    for index, (prefix, java_class, input_shape, layers, samples) in enumerate(NETWORKS):
        out_shapes, architecture = shapes(input_shape, layers)
        classes = out_shapes[-1][0]
        twin = Twin(input_shape, layers)
        draw_parameters(twin, random.Random(1000 + index))
        height, width, channels = input_shape
        for sample in range(samples):
            rng = random.Random(100_000 * (index + 1) + sample)
            for attempt in range(200):
                values = float32_uniform(rng, channels * height * width, 1.0)
                image = torch.from_numpy(values.astype(np.float64)).reshape(1, channels, height, width)
                found = margins(twin, image)
                if min(found.values()) >= MARGIN:
                    break
            else:
                raise RuntimeError("%s: no input with kink margins >= %g" % (prefix, MARGIN))
            label = rng.randrange(classes)
            twin.zero_grad()
            logits, output = twin(image, lambda kind, x, layer: None)
            loss = F.cross_entropy(logits, torch.tensor([label]))
            loss.backward()
            flat_params = np.concatenate([t.detach().numpy().ravel() for t in twin.state_dict().values()])
            expected = naive_forward(input_shape, layers, flat_params, image.numpy().ravel())
            if not np.allclose(output.detach().numpy().ravel(), expected, rtol=1e-12, atol=1e-12):
                raise AssertionError("%s: the PyTorch twin disagrees with the naive forward:\n%s\n%s"
                                     % (prefix, output.detach().numpy().ravel(), expected))
            name = "%s-%d" % (prefix, sample)
            write_fixture(directory, name, java_class, architecture, input_shape, label, image, twin, loss, output)
            names.append(name)
            print("%-22s %-18s params %6d  loss %.6f  margins %s" % (
                name, java_class, sum(p.numel() for p in twin.parameters()), loss.item(),
                {k: "%.2g" % v for k, v in found.items()}))
    with open(os.path.join(directory, "index.txt"), "w") as index_file:
        index_file.write("# cnnc parity fixtures (samples/scripts/make_parity_fixtures.py); one name per line.\n")
        index_file.write("\n".join(names) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_parity_fixtures.py OUTPUT_DIRECTORY  (e.g. processor/src/test/resources/parity)")
    make(sys.argv[1])
