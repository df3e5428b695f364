#!/usr/bin/python3
"""Reads one compare-peers.sh run directory and prints, per JDK, the figures of cnnc, ONNX Runtime and
PyTorch, the ratios cnnc / peer for each measurement, GFLOP/s and the fraction of the machine's FP32
peak, the allocation per image, and which acceptance targets are met. Markdown on stdout.

Files read from the run directory (written by compare-peers.sh):
  ours-<jdk>-<round>.json, ort-<jdk>-<round>.json, alloc-<jdk>.json   JMH JSON results
  torch-<round>.jsonl                                                   torch_lenet.py output
  paired-<jdk>.jsonl                                                    PeerSideBySide (cnnc and its peer alternating)
  paired-<jdk>-pinned.jsonl                                             the same, the JVM and the peer held to one CPU
  flops.jsonl                                                           FlopsPerImage output
  load.txt                                                              uptime before each step
Every value is the median over the rounds of that run. Where a paired measurement exists (CifarLeNet), the
inference targets against ORT and PyTorch are judged by its ratio: the median over its phases of cnnc/peer in
the same phase. Batch-1 latency against PyTorch on one thread is judged by the pairs held to one CPU each
(taskset) where there are such, by the worst CPU. The
training target is judged by the paired ratio against PyTorch only when each timed window followed an
untimed lead-in of the same contender (PeerSideBySide --lead-in-ms), so that neither side is timed straight
after the other's work; otherwise by the steps. The two-thread scaling targets are judged by cnnc on two threads
paired with cnnc on one (PeerSideBySide --against-one-thread) where that was measured, otherwise by the steps.

Usage: /usr/bin/python3 benchmarks/scripts/ratios.py RUN_DIR [--peak-per-core GFLOPS]
"""
import argparse
import glob
import json
import os
import re
import statistics

NETWORK_NAMES = {"CifarLeNet": "cifar-lenet", "FashionLeNet": "fashion-lenet"}
METRICS = [("infer_b1_us", "batch-1 latency, us/image (median)", False),
           ("infer_b256_ips", "batch-256 inference, images/s", True),
           ("train_b64_ips", "training batch 64, images/s", True)]


def jmh_rows(path):
    """(impl, network, threads, metric, value) of one JMH JSON file."""
    rows = []
    try:
        entries = json.load(open(path))
    except ValueError:  # JMH writes the file only at the end: a run still going or stopped
        print(f"(skipped {os.path.basename(path)}: not a complete JMH result)\n")
        return rows
    for entry in entries:
        name = entry["benchmark"].rsplit(".", 2)
        cls, method = name[-2], name[-1]
        params = entry.get("params", {})
        network = NETWORK_NAMES[params["network"]]
        metric = entry["primaryMetric"]
        if cls == "InferenceLatencyBenchmark":
            # the 2-thread row is one caller on twoThreads(), as the peers' are one caller on 2 intra-op
            # threads; twoCallers (two independent callers) measures something else and is left out
            if method in ("oneThread", "predictTwoThreads"):
                rows.append(("cnnc", network, 1 if method == "oneThread" else 2, "infer_b1_us",
                             metric["scorePercentiles"]["50.0"]))
        elif cls == "BatchInferenceBenchmark":
            rows.append(("cnnc", network, int(params["threads"]), "infer_b256_ips", metric["score"]))
        elif cls == "TrainingBenchmark":
            rows.append(("cnnc", network, int(params["threads"]), "train_b64_ips", metric["score"]))
        elif cls == "OnnxRuntimeBenchmark":
            threads = int(params["intraOpThreads"])
            if method == "latencyBatch1":
                rows.append(("ort", network, threads, "infer_b1_us", metric["scorePercentiles"]["50.0"]))
            else:
                rows.append(("ort", network, threads, "infer_b256_ips", metric["score"]))
        elif cls == "PerImageBenchmark":
            metrics = entry.get("secondaryMetrics", {})
            norm = metrics.get("gc.alloc.rate.norm", metrics.get("\u00b7gc.alloc.rate.norm"))
            if norm is not None:
                rows.append(("cnnc", network, 1, "alloc_" + method, norm["score"]))
    return rows


def torch_rows(path):
    rows = []
    for line in open(path):
        if line.startswith("{"):
            row = json.loads(line)
            rows.append(("pytorch", row["network"], row["threads"], row["metric"], row["value"]))
    return rows


def collect(run, jdk):
    """{(impl, network, threads, metric): median over rounds} for one JDK (PyTorch: all rounds)."""
    values = {}
    files = sorted(glob.glob(os.path.join(run, f"ours-{jdk}-*.json")) + glob.glob(os.path.join(run, f"ort-{jdk}-*.json"))
                   + glob.glob(os.path.join(run, f"alloc-{jdk}.json")))
    rows = [row for path in files for row in jmh_rows(path)]
    rows += [row for path in sorted(glob.glob(os.path.join(run, "torch-*.jsonl"))) for row in torch_rows(path)]
    for impl, network, threads, metric, value in rows:
        values.setdefault((impl, network, threads, metric), []).append(value)
    return {key: statistics.median(v) for key, v in values.items()}, {key: len(v) for key, v in values.items()}


# PeerSideBySide's measures, as the report names them
PAIRED_LABELS = {"latency": "batch-1 latency, us/image (median)", "batch": "batch-256 inference, images/s",
                 "training": "training batch 64, images/s"}
ONE_THREAD = "cnnc-1-thread"  # PeerSideBySide --against-one-thread: cnnc's own one-thread side as the peer


def paired(run, jdk, against_one_thread=False):
    """{(network, measure, threads, peer): PeerSideBySide's JSON row} for one JDK (the last row of each): cnnc
    against its peers, or with against_one_thread cnnc against itself on one thread."""
    rows = {}
    path = os.path.join(run, f"paired-{jdk}.jsonl")
    if os.path.exists(path):
        for line in open(path):
            row = json.loads(line)
            if (row["peer"] == ONE_THREAD) == against_one_thread:
                rows[(row["network"], row["measure"], row["threads"], row["peer"])] = row
    return rows


def pinned(run, jdk):
    """{(network, measure, threads, peer): [PeerSideBySide's JSON rows, one per CPU it was held to]} for one JDK."""
    rows = {}
    path = os.path.join(run, f"paired-{jdk}-pinned.jsonl")
    if os.path.exists(path):
        for line in open(path):
            row = json.loads(line)
            rows.setdefault((row["network"], row["measure"], row["threads"], row["peer"]), []).append(row)
    return rows


def lead_in(row):
    """', lead-in N ms' for a paired row whose timed windows each followed an untimed one, else ''."""
    return f", lead-in {row['lead_in_ms']} ms" if row.get("lead_in_ms") else ""


def switch_cost(row):
    """The lead-in's figure over the timed window's, cnnc / peer (medians over the phases), or n/a."""
    if not row.get("lead_in_ms"):
        return "n/a"
    return f"{fmt(row['cnnc_lead_in_over_timed'], 3)} / {fmt(row['peer_lead_in_over_timed'], 3)}"


def fmt(value, digits=1):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def ratio(ours, peer):
    return None if ours is None or peer is None or peer == 0 else ours / peer


def report(run, jdk, flops, peak_per_core):
    values, counts = collect(run, jdk)
    get = values.get
    networks = sorted({key[1] for key in values})
    print(f"### {jdk}\n")
    print("| network | thr | measurement | cnnc | ONNX Runtime | PyTorch | cnnc/ORT | cnnc/PyTorch | cnnc GFLOP/s (% of peak) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for network in networks:
        for threads in (1, 2):
            for metric, label, higher_better in METRICS:
                ours = get(("cnnc", network, threads, metric))
                ort = get(("ort", network, threads, metric))
                torch = get(("pytorch", network, threads, metric))
                if metric == "infer_b1_us":
                    rate = None if ours is None else 1e6 / ours
                    work = flops[network]["forward"]
                    cores = threads  # 2 threads: one image over the caller's and twoThreads()'s helper thread
                elif metric == "infer_b256_ips":
                    rate, work, cores = ours, flops[network]["forward"], threads
                else:
                    rate, work, cores = ours, flops[network]["training"], threads
                gflops = None if rate is None else rate * work / 1e9
                share = None if gflops is None else 100 * gflops / (peak_per_core * cores)
                print(f"| {network} | {threads} | {label} | {fmt(ours)} | {fmt(ort)} | {fmt(torch)} | "
                      f"{fmt(ratio(ours, ort), 2)} | {fmt(ratio(ours, torch), 2)} | {fmt(gflops)} ({fmt(share)}%) |")
    print()
    print("The 2-thread batch-1 rows: one caller, each image over 2 threads: cnnc's generated twoThreads() "
          "(InferenceLatencyBenchmark.predictTwoThreads), ONNX Runtime's and PyTorch's 2 intra-op threads.\n")

    print("| network | forward B/image | gradient B/image | predict B/image |")
    print("| --- | --- | --- | --- |")
    for network in networks:
        print(f"| {network} | " + " | ".join(fmt(get(("cnnc", network, 1, "alloc_" + m)), 3)
                                           for m in ("forward", "gradient", "predict")) + " |")
    print()

    pairs = paired(run, jdk)
    if pairs:
        print("cnnc and its peer paired (PeerSideBySide: alternating windows, ONNX Runtime in the same JVM, PyTorch in "
              "a torch_lenet.py --serve process; cnnc/peer per pair of windows; latency below 1 and images/s above 1 "
              "mean cnnc is faster):\n")
        print("| network | thr | measurement | peer | cnnc | peer's figure | cnnc/peer, median over pairs | range | pairs x window "
              "| lead-in over timed window, cnnc / peer |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        order = {"latency": 0, "batch": 1, "training": 2}
        for (network, measure, threads, _), row in sorted(pairs.items(),
                                                          key=lambda kv: (kv[0][0], order[kv[0][1]], kv[0][3], kv[0][2])):
            print(f"| {network} | {threads} | {PAIRED_LABELS[measure]} | {row['peer']} | {fmt(row['cnnc'])} | {fmt(row['peer_value'])} | "
                  f"{fmt(row['ratio_median'], 3)} | {fmt(row['ratio_low'], 2)}-{fmt(row['ratio_high'], 2)} | "
                  f"{row['phases']} x {row['window_ms']} ms{lead_in(row)} | {switch_cost(row)} |")
        print()
        if any(row.get("lead_in_ms") for row in pairs.values()):
            print("Lead-in: each timed window came right after an untimed one of the same contender; the last column sets "
                  "that lead-in's figure against the timed window's (images/s below 1, latency above 1: the first window "
                  "after the other contender ran slower).\n")

    held = pinned(run, jdk)
    if held:
        print("cnnc and its peer paired with the JVM and the peer's process held to one CPU (taskset), once per CPU:\n")
        print("| network | thr | measurement | peer | CPU | cnnc | peer's figure | cnnc/peer, median over pairs | range | pairs x window |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for (network, measure, threads, peer), rows in sorted(held.items()):
            for row in rows:
                print(f"| {network} | {threads} | {PAIRED_LABELS[measure]} | {peer} | {row.get('cpus')} | {fmt(row['cnnc'])} | "
                      f"{fmt(row['peer_value'])} | {fmt(row['ratio_median'], 3)} | {fmt(row['ratio_low'], 2)}-"
                      f"{fmt(row['ratio_high'], 2)} | {row['phases']} x {row['window_ms']} ms |")
        print()

    scaling = paired(run, jdk, against_one_thread=True)
    if scaling:
        print("cnnc on two threads paired with cnnc on one (PeerSideBySide --against-one-thread, alternating windows in one "
              "JVM; the ratio per pair of windows):\n")
        print("| network | measurement | 2 threads | 1 thread | 2T/1T, median over pairs | range | pairs x window |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for (network, measure, threads, _), row in sorted(scaling.items()):
            print(f"| {network} | {PAIRED_LABELS[measure]} | {fmt(row['cnnc'])} | {fmt(row['peer_value'])} | "
                  f"{fmt(row['ratio_median'], 3)} | {fmt(row['ratio_low'], 2)}-{fmt(row['ratio_high'], 2)} | "
                  f"{row['phases']} x {row['window_ms']} ms{lead_in(row)} |")
        print()

    def versus(peer, network, threads, metric):
        """cnnc/peer: the paired median if there is one, else the ratio of the steps' figures; and its source."""
        measure = {"infer_b1_us": "latency", "infer_b256_ips": "batch"}[metric]
        key = (network, measure, threads, {"ort": "ORT", "pytorch": "PyTorch"}[peer])
        if key in held:
            worst = max(held[key], key=lambda row: row["ratio_median"] if metric == "infer_b1_us" else -row["ratio_median"])
            each = ", ".join(f"CPU {row.get('cpus')} {row['ratio_median']:.3f}" for row in held[key])
            return worst["ratio_median"], f"paired on each CPU, the worst: {each}"
        row = pairs.get(key)
        if row is not None:
            return row["ratio_median"], "paired"
        return ratio(get(("cnnc", network, threads, metric)), get((peer, network, threads, metric))), "steps"

    checks = []
    for network in networks:
        for threads in (1, 2):
            r, source = versus("ort", network, threads, "infer_b1_us")
            checks.append((f"{network}: batch-1 latency lower than ORT at {threads} thread(s) ({source})", r,
                           r is not None and r < 1))
            r, source = versus("pytorch", network, threads, "infer_b1_us")
            checks.append((f"{network}: batch-1 latency >= 5x lower than PyTorch at {threads} thread(s) (cnnc/PyTorch <= 0.2, "
                           f"{source})", r, r is not None and r <= 0.2))
        r, source = versus("ort", network, 2, "infer_b256_ips")
        checks.append((f"{network}: batch-256 on 2 threads >= 0.9x ORT ({source})", r, r is not None and r >= 0.9))
        # paired only with lead-ins: without them PyTorch's windows came straight after cnnc's, which costs
        # it 2-3% on two threads and cnnc nothing (docs/PERFORMANCE.md, "Training paired with lead-ins")
        row = pairs.get((network, "training", 2, "PyTorch"))
        if row is not None and row.get("lead_in_ms"):
            r, source = row["ratio_median"], "paired, with lead-ins"
        else:
            r = ratio(get(("cnnc", network, 2, "train_b64_ips")), get(("pytorch", network, 2, "train_b64_ips")))
            source = "steps"
        checks.append((f"{network}: training batch 64 on 2 threads >= 2x PyTorch ({source})", r, r is not None and r >= 2))
        for metric, measure, label in (("train_b64_ips", "training", "training"),
                                       ("infer_b256_ips", "batch", "batch-256 inference")):
            row = scaling.get((network, measure, 2, ONE_THREAD))
            if row is not None:
                r, source = row["ratio_median"], "paired"
            else:
                r, source = ratio(get(("cnnc", network, 2, metric)), get(("cnnc", network, 1, metric))), "steps"
            checks.append((f"{network}: {label} 2 threads >= 1.8x 1 thread ({source})", r, r is not None and r >= 1.8))
        for method in ("forward", "gradient"):
            v = get(("cnnc", network, 1, "alloc_" + method))
            # JMH's -prof gc reports ~0.001-0.01 B/op of its own bookkeeping when the code allocates nothing.
            checks.append((f"{network}: {method} allocates 0 bytes per image (< 1 B/op measured)", v, v is not None and v < 1))
    print("| acceptance target | value | met |")
    print("| --- | --- | --- |")
    for label, value, met in checks:
        print(f"| {label} | {fmt(value, 3)} | {'yes' if met else 'NO'} |")
    print()
    rounds = max((c for k, c in counts.items() if k[0] == "cnnc" and not k[3].startswith("alloc")), default=0)
    print(f"Rounds per cnnc/ORT figure: {rounds} (median); PyTorch: median of its rounds' medians.\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run")
    parser.add_argument("--peak-per-core", type=float, default=117.4,
                        help="measured FP32 peak of one core in GFLOP/s (FMA throughput probe; docs/PERFORMANCE.md)")
    args = parser.parse_args()
    flops = {}
    for line in open(os.path.join(args.run, "flops.jsonl")):
        row = json.loads(line)
        flops[row["network"]] = row
    jdks = sorted({re.match(r"ours-(.+)-\d+\.json", os.path.basename(p)).group(1)
                   for p in glob.glob(os.path.join(args.run, "ours-*-*.json"))})
    print(f"## compare-peers run {os.path.basename(os.path.normpath(args.run))}\n")
    for extra in ("commit.txt", "jdks.txt"):
        path = os.path.join(args.run, extra)
        if os.path.exists(path):
            print(open(path).read().rstrip().replace("\n", "  \n") + "\n")
    load = os.path.join(args.run, "load.txt")
    if os.path.exists(load):
        print("Load average before each step (1, 5, 15 min):\n\n```")
        print(open(load).read().rstrip())
        print("```\n")
    print("FLOPs per image: " + ", ".join(f"{n} forward {r['forward']:,} / training {r['training']:,}"
                                          for n, r in sorted(flops.items())) + f"; peak {args.peak_per_core} GFLOP/s per core.\n")
    for jdk in jdks:
        report(args.run, jdk, flops, args.peak_per_core)


if __name__ == "__main__":
    main()
