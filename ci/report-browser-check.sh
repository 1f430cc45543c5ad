#!/usr/bin/env bash
# Opens a `conduit bench --report` page in headless Chromium from disk (file://, no network), as a person
# would, and fails when the browser logs any console message (the page has no scripts, so any message is a
# fault), when a chart's <figure> is missing or holds no drawn <svg>, or when a chart has a different number
# of lines than result.json has sides x rounds. Keeps a screenshot: bench/target/report-screenshot.png.
#
#   ci/report-browser-check.sh             make a report with a short real run (fio needed), then check it
#   ci/report-browser-check.sh DIR         check DIR/report.html (and DIR/result.json)
#   ci/report-browser-check.sh --self-test [DIR]  first prove the check fails broken copies (a console error, an
#                                          emptied chart) of bench/target/report-sample (written by the bench tests)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
echo "== report browser check"
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
  echo "FAIL chromium is not installed (Debian: apt-get install chromium)"
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shot="$root/bench/target/report-screenshot.png"
charts=(throughput iops latency ratio)

# browse HTML: the DOM after load into $work/dom, Chromium's log (console messages) into $work/log.
browse() {
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$work/profile" --enable-logging=stderr --v=0 --dump-dom "file://$1" >"$work/dom" 2>"$work/log"
}

# check DIR: 0 when the page passes; prints one line per failure.
check() {
  local dir=$1 failed=0 rounds expected name figure paths series
  browse "$dir/report.html" || { echo "FAIL chromium could not load $dir/report.html"; return 1; }
  if grep -q ':CONSOLE' "$work/log"; then
    echo "FAIL console messages:"; grep ':CONSOLE' "$work/log"; failed=1
  fi
  # One line per side and round: conduit and fio in each round of a --vs-fio run.
  rounds=$(grep -c '"round" : ' "$dir/result.json" || true)
  expected=$(( rounds > 0 ? 2 * rounds : 1 ))
  for name in "${charts[@]}"; do
    # The figure, joined onto one line: from its opening tag to the first </figure> after it.
    figure=$(tr '\n' ' ' <"$work/dom" | grep -o "<figure class=\"chart\" id=\"chart-$name\"[^>]*>.*" |
      sed 's#</figure>.*##' || true)
    if [ -z "$figure" ]; then
      echo "FAIL chart $name: no <figure id=chart-$name> in the page"; failed=1; continue
    fi
    paths=$(grep -o '<path' <<<"$figure" | wc -l)
    series=$(grep -o 'data-series="[0-9]*"' <<<"$figure" | grep -o '[0-9]*')
    if ! grep -q '<svg' <<<"$figure" || [ "$paths" -lt 10 ]; then
      echo "FAIL chart $name: nothing drawn ($paths paths)"; failed=1
    elif [ "$name" != ratio ] && [ "$series" -ne "$expected" ]; then
      echo "FAIL chart $name: $series lines, result.json has $expected sides x rounds"; failed=1
    else
      echo "ok   chart $name: $series lines, $paths paths"
    fi
  done
  return $failed
}

if [ "${1:-}" = --self-test ]; then
  # The check must be able to fail: a console error, and an emptied chart.
  dir=$root/bench/target/report-sample
  mkdir -p "$work/bad1" "$work/bad2"
  cp "$dir/result.json" "$work/bad1/" && cp "$dir/result.json" "$work/bad2/"
  sed 's#</body>#<script>console.error("self-test")</script></body>#' "$dir/report.html" >"$work/bad1/report.html"
  awk '/id="chart-latency"/ { skip = 1; print "<figure class=\"chart\" id=\"chart-latency\" data-series=\"0\"><svg></svg>"; next }
       skip && /<\/figure>/ { skip = 0 } !skip' "$dir/report.html" >"$work/bad2/report.html"
  for bad in bad1 bad2; do
    if check "$work/$bad" >"$work/out"; then
      echo "FAIL self-test: the check passed a broken page ($bad)"; exit 1
    fi
    echo "ok   self-test: the check fails a broken page ($bad): $(grep FAIL "$work/out" | head -n 1)"
  done
  shift
fi

dir=${1:-}
if [ -z "$dir" ]; then
  dir=$root/bench/target/report-check
  rm -rf "$dir" && mkdir -p "$dir"
  run=(bin/conduit bench --target "$dir/target.dat" --size 64m --mode randread --bs 4k --qd 16 --time 2s --rounds 2
    --vs-fio --report "$dir")
  # O_DIRECT first; a file system without it (tmpfs) gets the buffered run.
  "${run[@]}" >"$dir/bench.txt" 2>&1 || "${run[@]}" --buffered >"$dir/bench.txt" 2>&1 ||
    { echo "FAIL the bench run failed:"; tail -n 20 "$dir/bench.txt"; exit 1; }
  rm -f "$dir/target.dat"
fi
status=0
check "$dir" || status=1
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
  --user-data-dir="$work/profile" --window-size=1100,3600 --screenshot="$shot" "file://$dir/report.html" \
  >/dev/null 2>&1 || { echo "FAIL no screenshot"; status=1; }
[ -s "$shot" ] && echo "screenshot: $shot"
exit $status
