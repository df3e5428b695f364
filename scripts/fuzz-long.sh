#!/usr/bin/env bash
# Long fuzzing run: the same properties CI runs (parsers, images, the generated weights reader,
# random networks through the processor), with SCALE times their cases and a fresh seed.
#
#   scripts/fuzz-long.sh [SCALE] [SEED]      defaults: SCALE=20 (about 10 minutes on 2 cores), SEED from the clock
#
# A failure prints the property, case number, seed and the edits that made the input, and saves the
# input under <module>/target/fuzz-failures/; rerun with the same SCALE and SEED to reproduce it.
# The per-property totals ("fuzz ..." lines) are printed at the end and kept in target/fuzz-long-SEED.log.
set -euo pipefail
cd "$(dirname "$0")/.."

scale="${1:-20}"
seed="${2:-$(date +%s)}"
mkdir -p target
log="target/fuzz-long-$seed.log"
echo "fuzzing with -Dcnnc.fuzz.scale=$scale -Dcnnc.fuzz.seed=$seed (log: $log)"
start=$(date +%s)
status=0
mvn -B -pl runtime,processor,samples -am test \
    -Dtest='*FuzzTest,RandomNetworksTest' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dcnnc.fuzz.scale="$scale" -Dcnnc.fuzz.seed="$seed" >"$log" 2>&1 || status=$?
echo "--- totals (seed $seed, scale $scale, $(( $(date +%s) - start )) s) ---"
grep -E '^fuzz ' "$log" || true
if [ "$status" -ne 0 ]; then
    grep -E -A12 'FAILURE!|AssertionError' "$log" | head -80
    echo "fuzzing FAILED (exit $status); full output in $log"
fi
exit "$status"
