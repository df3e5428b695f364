#!/usr/bin/env bash
# Renders an HTML report in headless Chromium and saves a PNG screenshot, to look at the report's
# design without a desktop.
#
#   samples/scripts/screenshot-report.sh REPORT.html OUT.png [WIDTH,HEIGHT]
#
# A demo report with made-up numbers (after `mvn -B test -pl samples -am` has compiled the tests):
#   java -cp samples/target/classes:samples/target/test-classes dev.cnnc.samples.report.ReportDemo samples/target/report-demo
#   samples/scripts/screenshot-report.sh samples/target/report-demo/report-rgb.html samples/target/report-rgb.png
#
# Needs Debian's `chromium` (apt-get install -y chromium). Chromium gets a throw-away profile and
# every background network feature off; the report itself loads nothing from the network.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 REPORT.html OUT.png [WIDTH,HEIGHT]" >&2
  exit 2
fi
report=$1
out=$2
size=${3:-1280,2400}

if [ ! -f "$report" ]; then
  echo "$0: $report: no such report file" >&2
  exit 1
fi
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "$0: chromium is not installed; run: apt-get install -y chromium" >&2
  exit 1
fi

report_url="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
out_path="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$out_path" --window-size="$size" "$report_url" >/dev/null 2>&1

if [ ! -s "$out_path" ]; then
  echo "$0: chromium wrote no screenshot to $out_path" >&2
  exit 1
fi
echo "$out_path"
