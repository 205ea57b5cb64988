#!/usr/bin/env bash
# Opens a replay report in headless Chromium and checks that it works offline:
# no console message, no script error, every chart rendered (ECharts draws SVG into each container).
#
#   check-report.sh REPORT.html WORK_DIR
#
# Installs Debian's chromium when it is missing (needs root and the Debian archive); exits 77 when
# no browser can be had, so that the caller can skip rather than fail. Leaves in WORK_DIR the DOM
# after the scripts ran (dom.html), the browser's log (chromium.log) and a screenshot (report.png).
set -euo pipefail

report="$(realpath "$1")"
work="$2"
mkdir -p "$work"

browser="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$browser" ]]; then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
    echo "chromium is missing: installing Debian's chromium package" >&2
    { apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; }; } >"$work/apt.log" 2>&1 || true
  fi
  browser="$(command -v chromium || true)"
fi
if [[ -z "$browser" ]]; then
  echo "no chromium and it cannot be installed here (see $work/apt.log)" >&2
  exit 77
fi

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
       --disable-sync --no-first-run --user-data-dir="$profile" --enable-logging=stderr --v=0
       --virtual-time-budget=10000)

timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$report" >"$work/dom.html" 2>"$work/chromium.log"
timeout 120 "$browser" "${flags[@]}" --window-size=1280,3200 --hide-scrollbars \
  --screenshot="$work/report.png" "file://$report" >/dev/null 2>>"$work/screenshot.log" || true

failed=0
if grep -E "CONSOLE|Uncaught" "$work/chromium.log" >&2; then
  echo "the page wrote to the console (above)" >&2
  failed=1
fi
body="$(grep -o '<body[^>]*>' "$work/dom.html" || true)"
if [[ "$body" == *data-errors=* ]]; then
  echo "script errors: $body" >&2
  failed=1
fi
expected="$(sed -n 's/.*data-charts-expected="\([0-9]*\)".*/\1/p' <<<"$body")"
rendered="$(sed -n 's/.*data-charts-rendered="\([0-9]*\)".*/\1/p' <<<"$body")"
svgs="$(grep -o '<svg' "$work/dom.html" | wc -l)"
if [[ -z "$expected" || "$expected" == "0" || "$rendered" != "$expected" || "$svgs" -lt "$expected" ]]; then
  echo "charts: expected ${expected:-none}, rendered ${rendered:-none}, svg elements $svgs" >&2
  failed=1
fi
if [[ "$failed" == "0" ]]; then
  echo "report ok: $rendered of $expected charts rendered, $svgs svg elements, no console output"
fi
exit "$failed"
