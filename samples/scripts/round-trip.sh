#!/bin/sh
# FashionLeNet between PyTorch and cnnc, both directions, on the 10,000 Fashion-MNIST test images:
#   1. PyTorch trains and exports safetensors; cnnc's FashionLeNetInference loads it; predictions compared.
#   2. cnnc trains (FashionLeNetModel, runtime Trainer) and exports safetensors; PyTorch loads it;
#      predictions compared (by the Python script and again by the Java comparison).
# Each comparison fails the script if fewer than REQUIRE of the predicted classes agree.
#
# Usage, from anywhere:  samples/scripts/round-trip.sh [WORK_DIR]      (default: target/round-trip)
# Environment: DATA     Fashion-MNIST IDX directory (default /usr/share/datasets/fashion-mnist)
#              PYTHON   a Python with PyTorch and NumPy (default /usr/bin/python3)
#              EPOCHS   training epochs on each side (default 2)
#              REQUIRE  least fraction of equal predictions (default 0.999)
#              MVN_FLAGS flags of the build (default "-B -q"; add -o to build offline)
#              SKIP_BUILD=1 to use the classes already built
# See docs/INTERCHANGE.md.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$root/target/round-trip}
DATA=${DATA:-/usr/share/datasets/fashion-mnist}
PYTHON=${PYTHON:-/usr/bin/python3}
EPOCHS=${EPOCHS:-2}
REQUIRE=${REQUIRE:-0.999}
MVN_FLAGS=${MVN_FLAGS:--B -q}

mkdir -p "$work"
cd "$root"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    # The whole reactor: `-pl samples -am` would not rebuild the processor (the samples reach it only
    # through annotationProcessorPaths) and would generate FashionLeNet with the one in ~/.m2.
    echo "== building (mvn $MVN_FLAGS package -DskipTests)"
    # shellcheck disable=SC2086  # MVN_FLAGS is a list of flags
    mvn $MVN_FLAGS package -DskipTests
fi
# samples.classpath (written by the package phase) holds the runtime and picocli
classpath=$root/samples/target/classes:$(cat "$root/samples/target/samples.classpath")
cnnc() { java -cp "$classpath" dev.cnnc.samples.Cnnc torch "$@"; }
torch() { "$PYTHON" "$root/samples/scripts/torch_interchange.py" "$@"; }

echo "== PyTorch -> cnnc: train in PyTorch ($EPOCHS epochs), export safetensors"
torch train-export --data "$DATA" --epochs "$EPOCHS" \
    --weights "$work/torch.safetensors" --predictions "$work/torch.predictions"
echo "== PyTorch -> cnnc: load into FashionLeNetInference, compare"
cnnc import-compare --data "$DATA" --require "$REQUIRE" --weights "$work/torch.safetensors" \
    --predictions "$work/torch.predictions" --out "$work/cnnc-on-torch.predictions" | tee "$work/torch-to-cnnc.txt"

echo "== cnnc -> PyTorch: train FashionLeNetModel ($EPOCHS epochs), export safetensors"
cnnc train-export --data "$DATA" --epochs "$EPOCHS" \
    --weights "$work/cnnc.safetensors" --predictions "$work/cnnc.predictions"
echo "== cnnc -> PyTorch: load into PyTorch, compare"
torch import-compare --data "$DATA" --require "$REQUIRE" --weights "$work/cnnc.safetensors" \
    --predictions "$work/cnnc.predictions" --out "$work/torch-on-cnnc.predictions"
echo "== cnnc -> PyTorch: the same comparison by the Java side"
cnnc compare --data "$DATA" --require "$REQUIRE" --a "$work/cnnc.predictions" \
    --b "$work/torch-on-cnnc.predictions" | tee "$work/cnnc-to-torch.txt"

echo "== agreement on the same predicted class"
echo "PyTorch -> cnnc: $(grep 'same predicted class' "$work/torch-to-cnnc.txt" | sed 's/.*: //')"
echo "cnnc -> PyTorch: $(grep 'same predicted class' "$work/cnnc-to-torch.txt" | sed 's/.*: //')"
