#!/usr/bin/python3
"""The PyTorch peer: the LeNets of lenets.py on the CPU, the measurements that the cnnc JMH
benchmarks make, at 1 and 2 threads (torch.set_num_threads: PyTorch splits each operation).

  infer_b1_us     batch 1 under torch.inference_mode(): median microseconds of individually timed calls
  infer_b256_ips  batch 256, images per second (median over repetitions of several calls)
  train_b64_ips   batch 64, images per second of zero_grad + forward + CrossEntropyLoss + backward
                  + SGD(lr 0.01, momentum 0.9) step (median over repetitions of STEPS steps)

Inference returns logits (no softmax; the cnnc and ONNX models include it, so this favours PyTorch
by one small operation). Thread counts and networks are interleaved round by round, so noise from
other processes hits every configuration alike. Prints one JSON object per (network, threads,
metric) on stdout; progress goes to stderr.

Usage: /usr/bin/python3 benchmarks/peers/torch_lenet.py [--network cifar-lenet] [--threads 1,2]
                                                        [--rounds 5] [--quick]
       /usr/bin/python3 benchmarks/peers/torch_lenet.py --serve cifar-lenet

--serve runs one network on request, for PeerSideBySide (cnnc and PyTorch in alternating windows): it
prints "ready", then answers each line on stdin until stdin ends:
  train THREADS STEPS     the images per second of that many training steps on that many threads
  latency THREADS MILLIS  the median microseconds of batch-1 calls, each timed as infer_b1_us is, made on
                          that many threads for about that many milliseconds (at least one call)
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn

from lenets import NETWORKS, build

TRAIN_BATCH = 64
INFER_BATCH = 256


def latency_b1_ns(net, image, calls):
    clock = time.perf_counter_ns
    times = []
    with torch.inference_mode():
        for _ in range(calls):
            start = clock()
            net(image)
            times.append(clock() - start)
    return times


def batch_images_per_s(net, images, calls):
    with torch.inference_mode():
        start = time.perf_counter()
        for _ in range(calls):
            net(images)
        seconds = time.perf_counter() - start
    return images.shape[0] * calls / seconds


class Training:
    """SGD with momentum on a few fixed random batches, cycled."""

    def __init__(self, name, batches=8):
        generator = torch.Generator().manual_seed(1)
        self.net, shape = build(name)
        self.optimizer = torch.optim.SGD(self.net.parameters(), lr=0.01, momentum=0.9)
        self.loss = nn.CrossEntropyLoss()
        self.images = [torch.randn(TRAIN_BATCH, *shape, generator=generator) for _ in range(batches)]
        self.labels = [torch.randint(0, 10, (TRAIN_BATCH,), generator=generator) for _ in range(batches)]

    def images_per_s(self, steps):
        start = time.perf_counter()
        for step in range(steps):
            images, labels = self.images[step % len(self.images)], self.labels[step % len(self.labels)]
            self.optimizer.zero_grad(set_to_none=True)
            self.loss(self.net(images), labels).backward()
            self.optimizer.step()
        seconds = time.perf_counter() - start
        return TRAIN_BATCH * steps / seconds


def latency_window_us(net, image, millis):
    """The median microseconds of batch-1 calls timed one by one for about millis milliseconds (one at least)."""
    clock = time.perf_counter_ns
    end = clock() + millis * 1_000_000
    times = []
    with torch.inference_mode():
        while True:
            start = clock()
            net(image)
            now = clock()
            times.append(now - start)
            if now >= end:
                break
    return statistics.median(times) / 1e3


def serve(name):
    torch.manual_seed(0)
    training = Training(name)
    net, shape = build(name)
    net.eval()
    image = torch.randn(1, *shape)
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if len(words) != 3 or words[0] not in ("train", "latency") or not words[1].isdigit() or not words[2].isdigit():
            print(f"error: expected 'train THREADS STEPS' or 'latency THREADS MILLIS', got {line.strip()!r}", flush=True)
            continue
        torch.set_num_threads(int(words[1]))
        if words[0] == "train":
            print(f"{training.images_per_s(int(words[2])):.1f}", flush=True)
        else:
            print(f"{latency_window_us(net, image, int(words[2])):.2f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--network", choices=list(NETWORKS) + ["all"], default="all")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 7, quick 2)")
    parser.add_argument("--quick", action="store_true", help="a smoke test: few calls")
    parser.add_argument("--serve", choices=list(NETWORKS), help="train this network on request (see above)")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return

    names = list(NETWORKS) if args.network == "all" else [args.network]
    thread_counts = [int(t) for t in args.threads.split(",")]
    rounds = args.rounds or (2 if args.quick else 7)
    latency_calls = 200 if args.quick else 400
    batch_calls = 2 if args.quick else 8
    train_steps = 10 if args.quick else 50

    torch.manual_seed(0)
    setups = {}
    for name in names:
        net, shape = build(name)
        setups[name] = (net.eval(), torch.randn(1, *shape), torch.randn(INFER_BATCH, *shape), Training(name))
    print(f"# torch {torch.__version__}, rounds {rounds}, threads {thread_counts}", file=sys.stderr)

    keys = [(name, threads) for name in names for threads in thread_counts]
    latency = {key: [] for key in keys}
    batch = {key: [] for key in keys}
    train = {key: [] for key in keys}
    for warm_up in (True, False):
        for round_index in range(1 if warm_up else rounds):
            for name, threads in keys:
                net, image, images, training = setups[name]
                torch.set_num_threads(threads)
                times = latency_b1_ns(net, image, latency_calls)
                ips = batch_images_per_s(net, images, batch_calls)
                tips = training.images_per_s(train_steps)
                if not warm_up:
                    latency[(name, threads)].extend(times)
                    batch[(name, threads)].append(ips)
                    train[(name, threads)].append(tips)
            print(f"# {'warm-up' if warm_up else 'round %d/%d' % (round_index + 1, rounds)} done", file=sys.stderr)

    for name, threads in keys:
        common = dict(impl="pytorch", network=name, threads=threads, torch=torch.__version__)
        print(json.dumps(dict(common, metric="infer_b1_us", value=round(statistics.median(latency[(name, threads)]) / 1e3, 2),
                              samples=len(latency[(name, threads)]))))
        print(json.dumps(dict(common, metric="infer_b256_ips", value=round(statistics.median(batch[(name, threads)]), 1),
                              samples=len(batch[(name, threads)]))))
        print(json.dumps(dict(common, metric="train_b64_ips", value=round(statistics.median(train[(name, threads)]), 1),
                              samples=len(train[(name, threads)]))))


if __name__ == "__main__":
    main()
