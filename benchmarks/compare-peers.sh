#!/usr/bin/env bash
# Measures cnnc's generated LeNets, ONNX Runtime Java and PyTorch side by side and prints the ratios
# cnnc / peer per measurement (docs/PERFORMANCE.md explains the method and holds one run's table).
#
#   benchmarks/compare-peers.sh [--rounds N] [--quick] [--only ours|ort|torch] [--jdk PATH]...
#
# Builds the benchmarks module with the reactor (nothing is installed), exports the ONNX models with
# Debian's python3-torch into benchmarks/target/onnx, then runs ROUNDS rounds, each alternating
#   cnnc (JMH) and ONNX Runtime (JMH) on every JDK, then PyTorch (benchmarks/peers/torch_lenet.py),
# so that load from other processes hits every contender alike; then, once per JDK, cnnc paired with
# ONNX Runtime in one JVM and with PyTorch's training (PeerSideBySide on CifarLeNet, ~14 min per JDK) and the per-image
# allocation (JMH -prof gc). JDKs: the `java` on PATH (or $JAVA_HOME), plus
# /usr/lib/jvm/temurin-25-jdk-amd64 when it exists, unless --jdk is given. Results and the report go
# to benchmarks/target/compare/<UTC time>/ (report.md). Takes ~18 min per round with two JDKs, plus ~34 min.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
PYTHON=/usr/bin/python3
SECOND_JDK=/usr/lib/jvm/temurin-25-jdk-amd64

rounds=2
only=""
jdks=()
# cnnc's kernels need C2 (seconds of compile time on a busy 2-core machine): long warm-up.
# ONNX Runtime is native code: a short warm-up suffices. Measurement: 3 x 2 s for both.
# -gc true: a full GC before each iteration moves cnnc's per-thread buffers, and where they land
# changes its speed by up to 25% (docs/PERFORMANCE.md, "Where the buffers land"); each iteration then
# measures another placement instead of a whole fork measuring one.
ours_options=(-f 1 -wi 5 -w 4s -i 3 -r 2s -gc true)
ort_options=(-f 1 -wi 2 -w 2s -i 3 -r 2s -gc true)
# PeerSideBySide: 40 s of warm-up (the JIT and the generated class's tuning), then 150 pairs of 200 ms
# windows (with 20 ms windows cnnc's batch on two threads read 19,700 images/s against 27,500 with 200 ms)
paired_options=(--phases 150 --window-ms 200)
# training: windows of one epoch (50 batches of 64) each, about 0.3-0.7 s, each after an untimed epoch of
# the same contender, so neither is timed straight after the other's work
paired_training_options=(--phases 60 --window-ms 20 --lead-in-ms 20)
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --quick) rounds=1; ours_options=(-f 1 -wi 1 -i 1 -w 1s -r 1s -gc true); ort_options=("${ours_options[@]}"); paired_options=(--phases 20 --window-ms 20 --warm-up-s 5); paired_training_options=(--phases 3 --window-ms 20 --lead-in-ms 20 --warm-up-s 5); quick=1; shift ;;
    --only) only=$2; shift 2 ;;
    --jdk) jdks+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ ${#jdks[@]} -eq 0 ]; then
  if [ -n "${JAVA_HOME:-}" ]; then jdks+=("$JAVA_HOME"); else jdks+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"); fi
  [ -x "$SECOND_JDK/bin/java" ] && [ "$(readlink -f "$SECOND_JDK")" != "$(readlink -f "${jdks[0]}")" ] && jdks+=("$SECOND_JDK")
fi
wants() { [ -z "$only" ] || [ "$only" = "$1" ]; }

echo "== build (the whole reactor; nothing installed)"
# The whole reactor, not `-pl benchmarks -am`: the samples reach the processor only through
# annotationProcessorPaths, which -am does not follow, so a partial build would generate the
# networks with whatever cnnc-processor sits in ~/.m2 and measure stale kernels.
(cd "$ROOT" && mvn -B -q package -DskipTests)
echo "== export the ONNX models"
"$PYTHON" "$HERE/peers/export_onnx.py" "$HERE/target/onnx"

run=$HERE/target/compare/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$run"
classpath="$HERE/target/classes:$(cat "$HERE/target/benchmarks.classpath")"
"${jdks[0]}/bin/java" -cp "$classpath" dev.cnnc.benchmarks.FlopsPerImage > "$run/flops.jsonl"

jdk_name() { "$1/bin/java" -version 2>&1 | head -1 | sed -E 's/.*version "([^"]+)".*/jdk\1/' | tr -c 'A-Za-z0-9._\n' '_'; }
note_load() { echo "$(date -u +%H:%M:%S) $1: $(uptime | sed 's/.*load average: //')" | tee -a "$run/load.txt"; }
jmh() { # jdk, output json, benchmark regexp, JMH options...
  local jdk=$1 out=$2 pattern=$3; shift 3
  (cd "$HERE" && "$jdk/bin/java" -cp "$classpath" org.openjdk.jmh.Main "$pattern" \
     -jvmArgsAppend "-Dcnnc.onnx.dir=$HERE/target/onnx" "$@" -rf json -rff "$out" > "${out%.json}.log" 2>&1) \
    || { echo "JMH failed, see ${out%.json}.log" >&2; tail -20 "${out%.json}.log" >&2; exit 1; }
}

echo "commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . 2>/dev/null || echo ' (with uncommitted changes)')" | tee "$run/commit.txt"
for jdk in "${jdks[@]}"; do echo "JDK $(jdk_name "$jdk"): $("$jdk/bin/java" -version 2>&1 | head -2 | tail -1)" | tee -a "$run/jdks.txt"; done
for round in $(seq "$rounds"); do
  for jdk in "${jdks[@]}"; do
    name=$(jdk_name "$jdk")
    if wants ours; then
      note_load "round $round $name cnnc"
      jmh "$jdk" "$run/ours-$name-$round.json" 'InferenceLatencyBenchmark|BatchInferenceBenchmark|TrainingBenchmark' "${ours_options[@]}"
    fi
    if wants ort; then
      note_load "round $round $name onnxruntime"
      jmh "$jdk" "$run/ort-$name-$round.json" 'OnnxRuntimeBenchmark' "${ort_options[@]}"
    fi
  done
  if wants torch; then
    note_load "round $round pytorch"
    (cd "$HERE/peers" && "$PYTHON" torch_lenet.py ${quick:+--quick} --rounds 3 > "$run/torch-$round.jsonl" 2> "$run/torch-$round.log")
  fi
done
if wants ours; then
  # cnnc and its peer in alternating windows (ORT in the same JVM, 200 ms; PyTorch in a torch_lenet.py
  # --serve process, one epoch of 50 batches): both meet the same host, whose slow stretches decided the
  # step ratios above in earlier runs; the report judges the ORT targets and, since its windows have
  # lead-ins, the training target by these ratios (docs/PERFORMANCE.md)
  measures=()
  wants ort && measures+=(latency batch)
  wants torch && measures+=(training)
  for jdk in "${jdks[@]}"; do
    name=$(jdk_name "$jdk")
    for measure in "${measures[@]}"; do
      for threads in 1 2; do
        options=("${paired_options[@]}")
        [ "$measure" = training ] && options=("${paired_training_options[@]}")
        note_load "paired $name $measure $threads"
        (cd "$HERE" && "$jdk/bin/java" -Dcnnc.onnx.dir="$HERE/target/onnx" -Dcnnc.python="$PYTHON" -cp "$classpath" dev.cnnc.benchmarks.PeerSideBySide \
           --network CifarLeNet --measure "$measure" --threads "$threads" "${options[@]}" \
           --json "$run/paired-$name.jsonl" \
           > "$run/paired-$name-$measure-$threads.txt" 2>&1) \
          || { echo "PeerSideBySide failed, see $run/paired-$name-$measure-$threads.txt" >&2; exit 1; }
      done
    done
  done
fi
if wants ours; then
  for jdk in "${jdks[@]}"; do
    name=$(jdk_name "$jdk")
    note_load "allocation $name"
    # cnnc's warm-up: the generated classes tune their convolution layout on their first ~8,000 images,
    # and the decision's one-time allocation must not land in a measured iteration
    jmh "$jdk" "$run/alloc-$name.json" 'PerImageBenchmark' "${ours_options[@]}" -prof gc
  done
fi
note_load "done"
"$PYTHON" "$HERE/scripts/ratios.py" "$run" | tee "$run/report.md"
echo "== results in $run"
