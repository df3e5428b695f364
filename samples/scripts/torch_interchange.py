#!/usr/bin/python3
"""The PyTorch side of cnnc's weight interchange sample (FashionLeNet on Fashion-MNIST).

Two subcommands, one per direction:

  train-export    train FashionLeNet in PyTorch, export its state_dict as safetensors (cnnc's
                  tensor names) and write PyTorch's predictions on the 10,000 test images;
                  the Java side (dev.cnnc.samples.interchange.TorchInterchange import-compare)
                  loads the weights into FashionLeNetInference and compares.
  import-compare  load a safetensors file written by cnnc (TorchInterchange train-export) into
                  the same PyTorch network, predict the test images, compare with cnnc's
                  predictions file and print the agreement; also writes PyTorch's predictions.
  make-fixture    write the small test fixture of the Java side (no PyTorch needed in CI): the
                  weights of train-export (or a seeded init) exported by this script, a few
                  synthetic images as an IDX t10k split, and PyTorch's predictions on them.

Usage (from the repository root; needs PyTorch and NumPy, e.g. Debian's python3-torch):

  /usr/bin/python3 samples/scripts/torch_interchange.py train-export \
      --weights torch.safetensors --predictions torch.predictions [--epochs 2] [--seed 0]
  /usr/bin/python3 samples/scripts/torch_interchange.py import-compare \
      --weights cnnc.safetensors --predictions cnnc.predictions [--out torch-on-cnnc.predictions]
  /usr/bin/python3 samples/scripts/torch_interchange.py make-fixture samples/src/test/resources/interchange \
      --weights torch.safetensors

Preprocessing, identical on both sides: each pixel byte b becomes the float32 quotient
float32(b) / float32(255) (IEEE division, correctly rounded, as Java's `(b & 0xff) / 255f` in
cnnc's IdxReader), in [0, 1], no mean/std normalisation, CHW = 1x28x28. Each predictions file
carries the SHA-256 of the preprocessed test images as little-endian float32 bytes, and the
comparing side refuses a file whose inputs differ from its own.

The safetensors format is written and read here by hand (the `safetensors` package is not
needed): 8-byte little-endian header length N, N bytes of JSON (padded with spaces to a multiple
of 8), then the raw little-endian F32 data of each tensor, packed in state_dict order.

Predictions file (text, shared with the Java side, see Predictions.java):
  # comment lines
  format cnnc-predictions 1
  producer TEXT
  inputs-sha256 HEX
  images N
  classes K
  then N lines: INDEX PREDICTED S0 .. S(K-1), where S are the log-softmax scores (float32 as
  decimal text); differences of scores are differences of logits.
"""
import argparse
import gzip
import hashlib
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"
CLASSES = 10
# The state_dict of FashionLeNet: cnnc's parameter order, names and shapes.
STATE_DICT_SHAPES = [
    ("conv1.weight", (6, 1, 5, 5)), ("conv1.bias", (6,)),
    ("conv2.weight", (16, 6, 5, 5)), ("conv2.bias", (16,)),
    ("fc1.weight", (120, 400)), ("fc1.bias", (120,)),
    ("fc2.weight", (84, 120)), ("fc2.bias", (84,)),
    ("output.weight", (10, 84)), ("output.bias", (10,)),
]


class FashionLeNet(nn.Module):
    """The PyTorch twin of dev.cnnc.samples.FashionLeNet; attribute names are cnnc's layer names.

    SAME padding of a 5x5 stride-1 convolution on 28x28 is 2 on every side (TensorFlow's rule gives
    total 4, split 2/2), so padding=2 is exact. The last layer returns logits; cnnc's SOFTMAX layer
    is CrossEntropyLoss's softmax.
    """

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.output = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.output(x)


# ---- data ---------------------------------------------------------------------------------------


def find_idx(directory, split, kind, suffix):
    """<split>-<kind>-<suffix>, raw or .gz, '-' or '.' before idx (as cnnc's IdxReader.readSplit)."""
    stem = f"{split}-{kind}"
    for name in (f"{stem}-{suffix}", f"{stem}-{suffix}.gz", f"{stem}.{suffix}", f"{stem}.{suffix}.gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    sys.exit(f"error: no {stem}-{suffix}[.gz] in {directory}; pass --data DIR with the Fashion-MNIST IDX files")


def read_idx(path, expected_magic):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    magic = int.from_bytes(data[0:4], "big")
    if magic != expected_magic:
        sys.exit(f"error: {path}: magic 0x{magic:08x} at byte 0, expected 0x{expected_magic:08x}")
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    start = 4 + 4 * ndim
    if len(data) - start != int(np.prod(dims)):
        sys.exit(f"error: {path}: header claims {dims} but the data has {len(data) - start} bytes")
    return np.frombuffer(data, dtype=np.uint8, offset=start).reshape(dims)


def load_split(directory, split):
    """Images as float32 N x 1 x 28 x 28 in [0, 1] (byte / 255 in float32), labels as int64."""
    pixels = read_idx(find_idx(directory, split, "images", "idx3-ubyte"), 0x00000803)
    labels = read_idx(find_idx(directory, split, "labels", "idx1-ubyte"), 0x00000801)
    if len(pixels) != len(labels):
        sys.exit(f"error: {directory}: {len(pixels)} {split} images but {len(labels)} labels")
    images = pixels.astype(np.float32) / np.float32(255)
    assert images.dtype == np.float32
    return torch.from_numpy(images).unsqueeze(1), torch.from_numpy(labels.astype(np.int64))


def inputs_sha256(images):
    """SHA-256 of the preprocessed images as little-endian float32, image after image, CHW."""
    return hashlib.sha256(images.numpy().astype("<f4").tobytes()).hexdigest()


# ---- safetensors --------------------------------------------------------------------------------


def write_safetensors(state_dict, path):
    """Writes every tensor as F32 in state_dict order; the file is renamed into place when complete."""
    header, blobs, position = {"__metadata__": {"format": "pt"}}, [], 0
    for name, tensor in state_dict.items():
        data = tensor.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape),
                        "data_offsets": [position, position + len(data)]}
        blobs.append(data)
        position += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # data 8-byte aligned, as the reference writer does
    temporary = path + ".tmp"
    with open(temporary, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)
    os.replace(temporary, path)


def read_safetensors(path):
    """Returns {name: float32 tensor}; every defect stops with a message naming the file and tensor."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        sys.exit(f"error: {path}: {len(data)} bytes, too short for the 8-byte header length")
    (length,) = struct.unpack("<Q", data[:8])
    if 8 + length > len(data):
        sys.exit(f"error: {path}: header length {length} at byte 0 runs past the end of the file ({len(data)} bytes)")
    try:
        header = json.loads(data[8:8 + length].decode("utf-8"))
    except ValueError as e:
        sys.exit(f"error: {path}: header is not JSON: {e}")
    body = data[8 + length:]
    tensors, end = {}, 0
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry.get("dtype") != "F32":
            sys.exit(f"error: {path}: tensor {name} has dtype {entry.get('dtype')}, expected F32")
        begin, stop = entry["data_offsets"]
        shape = tuple(entry["shape"])
        if stop - begin != 4 * int(np.prod(shape)) or stop > len(body) or begin < 0:
            sys.exit(f"error: {path}: tensor {name} {list(shape)} has data_offsets [{begin}, {stop}] "
                     f"that do not fit its shape or the {len(body)} data bytes")
        values = np.frombuffer(body[begin:stop], dtype="<f4").astype(np.float32).reshape(shape)
        tensors[name] = torch.from_numpy(values.copy())
        end = max(end, stop)
    if end != len(body):
        sys.exit(f"error: {path}: {len(body) - end} bytes after the last tensor")
    return tensors


def load_into(net, tensors, path):
    """Strict: exactly the network's state_dict names, each with its shape."""
    expected = net.state_dict()
    missing = [n for n in expected if n not in tensors]
    extra = [n for n in tensors if n not in expected]
    if missing or extra:
        sys.exit(f"error: {path}: tensors do not match FashionLeNet's state_dict: missing {missing}, unexpected {extra}")
    for name, tensor in expected.items():
        if tuple(tensors[name].shape) != tuple(tensor.shape):
            sys.exit(f"error: {path}: tensor {name} has shape {list(tensors[name].shape)}, "
                     f"FashionLeNet needs {list(tensor.shape)}")
    net.load_state_dict(tensors, strict=True)


# ---- predictions --------------------------------------------------------------------------------


def predict(net, images):
    """Log-softmax scores (float32) and predicted classes (first maximum on ties) of every image."""
    net.eval()
    scores = []
    with torch.inference_mode():
        for i in range(0, images.shape[0], 1000):
            scores.append(F.log_softmax(net(images[i:i + 1000]), dim=1))
    scores = torch.cat(scores)
    return scores, scores.argmax(dim=1)


def write_predictions(path, producer, digest, scores, predicted):
    lines = ["# predictions of FashionLeNet on the test images",
             "# INDEX PREDICTED then the log-softmax score of each class",
             "format cnnc-predictions 1", f"producer {producer}", f"inputs-sha256 {digest}",
             f"images {scores.shape[0]}", f"classes {scores.shape[1]}"]
    for i, (row, best) in enumerate(zip(scores.tolist(), predicted.tolist())):
        # repr of the float64 holding a float32 parses back to the same float32 in Java and Python
        lines.append(f"{i} {best} " + " ".join(repr(v) for v in row))
    temporary = path + ".tmp"
    with open(temporary, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(temporary, path)


def read_predictions(path):
    keys, rows = {}, []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            if fields[0].isdigit():
                rows.append((number, fields))
            else:
                keys[fields[0]] = " ".join(fields[1:])
    if keys.get("format") != "cnnc-predictions 1":
        sys.exit(f"error: {path}: not a predictions file (line 'format cnnc-predictions 1' missing)")
    try:
        count, classes = int(keys["images"]), int(keys["classes"])
    except (KeyError, ValueError):
        sys.exit(f"error: {path}: needs 'images N' and 'classes K' lines before the predictions")
    if len(rows) != count:
        sys.exit(f"error: {path}: header says {count} images but {len(rows)} lines follow")
    predicted, scores = np.zeros(count, dtype=np.int64), np.zeros((count, classes), dtype=np.float32)
    for i, (number, fields) in enumerate(rows):
        if int(fields[0]) != i or len(fields) != 2 + classes:
            sys.exit(f"error: {path}:{number}: expected image {i} with a class and {classes} scores")
        try:
            predicted[i] = int(fields[1])
            scores[i] = [float(v) for v in fields[2:]]
        except ValueError:
            sys.exit(f"error: {path}:{number}: the class or a score is not a number")
        if not 0 <= predicted[i] < classes:
            sys.exit(f"error: {path}:{number}: predicted class {predicted[i]} but there are {classes} classes")
    return keys, predicted, scores


# ---- the two directions -------------------------------------------------------------------------


def train_export(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_x, train_y = load_split(args.data, "train")
    test_x, test_y = load_split(args.data, "t10k")
    net = FashionLeNet()
    shapes = [(n, tuple(t.shape)) for n, t in net.state_dict().items()]
    assert shapes == STATE_DICT_SHAPES, shapes
    optimizer = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.9)
    order = torch.Generator().manual_seed(args.seed)
    for epoch in range(1, args.epochs + 1):
        net.train()
        start, total = time.perf_counter(), 0.0
        permutation = torch.randperm(train_x.shape[0], generator=order)
        for i in range(0, train_x.shape[0], args.batch):
            batch = permutation[i:i + args.batch]
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(net(train_x[batch]), train_y[batch])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        scores, predicted = predict(net, test_x)
        accuracy = (predicted == test_y).float().mean().item()
        print(f"epoch {epoch}/{args.epochs}: train loss {total / train_x.shape[0]:.4f}, "
              f"test accuracy {accuracy:.2%}, {time.perf_counter() - start:.1f} s", flush=True)
    write_safetensors(net.state_dict(), args.weights)
    write_predictions(args.predictions, f"pytorch {torch.__version__} train-export seed {args.seed} "
                      f"epochs {args.epochs}", inputs_sha256(test_x), scores, predicted)
    print(f"wrote {args.weights} (PyTorch state_dict, {sum(t.numel() for t in net.state_dict().values()):,} "
          f"floats) and {args.predictions} ({test_x.shape[0]:,} predictions)")


def import_compare(args):
    torch.set_num_threads(args.threads)
    test_x, test_y = load_split(args.data, "t10k")
    net = FashionLeNet()
    load_into(net, read_safetensors(args.weights), args.weights)
    scores, predicted = predict(net, test_x)
    digest = inputs_sha256(test_x)
    if args.out:
        write_predictions(args.out, f"pytorch {torch.__version__} import {os.path.basename(args.weights)}",
                          digest, scores, predicted)
    keys, other_predicted, other_scores = read_predictions(args.predictions)
    if keys.get("inputs-sha256") != digest:
        sys.exit(f"error: {args.predictions}: its inputs-sha256 {keys.get('inputs-sha256')} differs from this "
                 f"side's {digest}: the two sides did not preprocess the same images the same way")
    if len(other_predicted) != len(predicted):
        sys.exit(f"error: {args.predictions}: {len(other_predicted)} predictions, PyTorch made {len(predicted)}")
    other = keys.get("producer", "other").split()[0]
    mine, labels, mine_scores = predicted.numpy(), test_y.numpy(), scores.numpy()
    same, count = int((mine == other_predicted).sum()), len(mine)
    hundredths = same * 10000 // count  # cut, not rounded: 100.00% only if every image agrees
    print(f"PyTorch loaded {args.weights} and classified {count:,} test images")
    print(f"same predicted class (PyTorch vs {other}): {same:,} / {count:,} = {hundredths // 100}.{hundredths % 100:02d}%")
    print(f"test accuracy: PyTorch {100 * (mine == labels).mean():.2f}%, {other} {100 * (other_predicted == labels).mean():.2f}%")
    finite = np.isfinite(mine_scores) & np.isfinite(other_scores)  # cnnc's ln(0) is -inf
    print(f"largest |log-softmax difference|: {np.abs(mine_scores - other_scores)[finite].max():.3g}")
    for i in np.flatnonzero(mine != other_predicted):
        a, b = mine[i], other_predicted[i]
        print(f"  image {i} (label {labels[i]}): PyTorch says {a} by {mine_scores[i, a] - mine_scores[i, b]:.3g}, "
              f"{other} says {b} by {other_scores[i, b] - other_scores[i, a]:.3g} (logit margins)")
    if same < args.require * count:
        sys.exit(f"error: agreement {same:,} / {count:,} is below the required {100 * args.require:g}%")


# Smallest logit margin (top class over runner-up) of a fixture image, so float rounding on the Java
# side (about 1e-6 here) cannot change its class.
FIXTURE_MARGIN = 1e-3


def write_idx(path, magic, array):
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in array.shape)
    with open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def random_image(rng):
    """A few bright rectangles on a dark background plus noise: varied enough to spread the classes."""
    image = np.zeros((28, 28))
    for _ in range(rng.integers(1, 4)):
        top, left = rng.integers(0, 24, size=2)
        bottom, right = top + rng.integers(4, 28 - top + 1), left + rng.integers(4, 28 - left + 1)
        image[top:bottom, left:right] += rng.uniform(60, 255)
    image += rng.normal(0, rng.uniform(0, 40), size=(28, 28))
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def make_fixture(args):
    torch.manual_seed(args.seed)
    net = FashionLeNet().eval()
    if args.weights:
        load_into(net, read_safetensors(args.weights), args.weights)
    rng = np.random.default_rng(args.seed)
    kept = []
    while len(kept) < args.images:
        pixels = random_image(rng)
        x = torch.from_numpy(pixels.astype(np.float32) / np.float32(255)).reshape(1, 1, 28, 28)
        with torch.inference_mode():
            top = torch.topk(net(x)[0], 2).values
        if (top[0] - top[1]).item() >= FIXTURE_MARGIN:
            kept.append(pixels)
    pixels = np.stack(kept)
    labels = rng.integers(0, CLASSES, size=len(kept), dtype=np.uint8)  # random: accuracy means nothing here
    os.makedirs(args.directory, exist_ok=True)
    write_idx(os.path.join(args.directory, "t10k-images-idx3-ubyte"), 0x00000803, pixels)
    write_idx(os.path.join(args.directory, "t10k-labels-idx1-ubyte"), 0x00000801, labels)
    images, _ = load_split(args.directory, "t10k")
    write_safetensors(net.state_dict(), os.path.join(args.directory, "torch.safetensors"))
    scores, predicted = predict(net, images)
    write_predictions(os.path.join(args.directory, "torch.predictions"),
                      f"pytorch {torch.__version__} make-fixture seed {args.seed}", inputs_sha256(images),
                      scores, predicted)
    print(f"wrote {len(kept)} images (margin >= {FIXTURE_MARGIN}), torch.safetensors and torch.predictions "
          f"to {args.directory}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train-export", help="train in PyTorch, export safetensors and predictions")
    train.add_argument("--weights", required=True, help="safetensors file to write")
    train.add_argument("--predictions", required=True, help="predictions file to write")
    train.add_argument("--epochs", type=int, default=2)
    train.add_argument("--batch", type=int, default=64)
    train.add_argument("--lr", type=float, default=0.01)
    train.add_argument("--seed", type=int, default=0)
    compare = commands.add_parser("import-compare", help="load cnnc's safetensors, compare with its predictions")
    compare.add_argument("--weights", required=True, help="safetensors file written by cnnc")
    compare.add_argument("--predictions", required=True, help="cnnc's predictions file")
    compare.add_argument("--out", help="also write PyTorch's predictions here")
    compare.add_argument("--require", type=float, default=0.0,
                         help="fail unless at least this fraction agrees, e.g. 0.999")
    fixture = commands.add_parser("make-fixture", help="write the Java tests' PyTorch fixture")
    fixture.add_argument("directory", help="e.g. samples/src/test/resources/interchange")
    fixture.add_argument("--images", type=int, default=32)
    fixture.add_argument("--seed", type=int, default=0)
    fixture.add_argument("--weights", help="start from these weights (e.g. train-export's) instead of PyTorch's init")
    for command in (train, compare):
        command.add_argument("--data", default=DEFAULT_DATA, help=f"Fashion-MNIST IDX directory ({DEFAULT_DATA})")
        command.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    {"train-export": train_export, "import-compare": import_compare, "make-fixture": make_fixture}[args.command](args)


if __name__ == "__main__":
    main()
