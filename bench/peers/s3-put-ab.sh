#!/usr/bin/env bash
# PUT latency A/B of Conduit's S3 server: `conduit serve` from this checkout ("new") and, optionally, from another
# build ("base": a directory holding conduit-cli.jar and lib/, e.g. a copy of cli/target from an older commit),
# alternated round by round on fresh data directories, each measured by the bench's S3 load generator
# (conduit bench --target s3://... --mode put). Prints req/s, p50 and p99 per run and the median of each build.
#
# Usage: bench/peers/s3-put-ab.sh [--base DIR] [--size 4k] [--qd 8] [--time 10s] [--ramp 5s] [--rounds 3]
#                                 [--audit true|false] [--count-syncs] [--s3proxy] [--dir DIR] [--keep]
# --s3proxy adds S3Proxy (filesystem backend, as in s3-compare.sh) to every round, measured the same way, so the
# peer's figure comes from the same window as Conduit's (its CPU is the S3Proxy process's, not its launcher's).
# Each run also reports the server's and the load generator's CPU (user + system, from /proc) and the server's context
# switches (voluntary + involuntary, summed over its threads), per PUT of the measured window (sampled when the ramp
# ends and when the run ends), so a change's cost per request shows even where req/s is bound by the machine.
# --count-syncs runs each server under `strace -f -c -e trace=fdatasync,fsync` and reports its flushes per PutObject
# (all of them, setup and ramp included, counted from the access log): a count that the machine's load barely
# changes, unlike req/s and latency on a shared machine (strace slows the server; compare builds, not to other runs). CONDUIT_JAVA_OPTS is passed to the servers (e.g. a JFR recording). Exit status: 0 when every run worked,
# 1 when a server or a run failed, 2 for a usage problem.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
peers="$root/bench/peers"

base=""
size="4k"
qd=8
time_arg="10s"
ramp_arg="5s"
rounds=3
audit="true"
base_dir="${TMPDIR:-/tmp}"
keep=0
count_syncs=0
s3proxy=0

die() { echo "s3-put-ab: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --base) base="$2"; shift ;;
    --size) size="$2"; shift ;;
    --qd) qd="$2"; shift ;;
    --time) time_arg="$2"; shift ;;
    --ramp) ramp_arg="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --audit) audit="$2"; shift ;;
    --dir) base_dir="$2"; shift ;;
    --keep) keep=1 ;;
    --count-syncs) count_syncs=1 ;;
    --s3proxy) s3proxy=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
[[ "$rounds" =~ ^[0-9]+$ && "$rounds" -ge 1 ]] || die "--rounds must be a positive number: $rounds"
[ -z "$base" ] || [ -f "$base/conduit-cli.jar" ] || die "--base $base holds no conduit-cli.jar"
[ "$count_syncs" = 0 ] || command -v strace >/dev/null || die "strace is not installed (Debian: apt-get install strace)"
for tool in jq curl; do
  command -v "$tool" >/dev/null || die "$tool is not installed (Debian: apt-get install $tool)"
done
JAVA_HOME=$("$root/bin/java-home") || die "no JDK >= 25 (bin/java-home)"
export JAVA_HOME
"$root/bin/conduit" --version >/dev/null || die "bin/conduit does not build or run"

new_cp="$root/cli/target/conduit-cli.jar:$root/cli/target/lib/*"
s3proxy_jar="$root/bench/target/peers/s3proxy.jar"
[ "$s3proxy" = 0 ] || [ -f "$s3proxy_jar" ] || die "$s3proxy_jar is missing: ./mvnw -pl cli -am package -DskipTests"
[ "$s3proxy" = 0 ] || [ "$count_syncs" = 0 ] || die "--s3proxy and --count-syncs do not go together"

tool="s3-put-ab"
work=$(mktemp -d "$base_dir/s3-put-ab.XXXXXX")
children=()
# shellcheck source=peers-lib.sh
. "$peers/peers-lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

export AWS_ACCESS_KEY_ID="conduit-put-ab"
export AWS_SECRET_ACCESS_KEY="secret-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
export AWS_REGION="us-east-1"
export CONDUIT_S3_AUDIT="$audit"
results="$work/results.jsonl"
: > "$results"

# cpu_ticks PID: user + system clock ticks of the process (all its threads).
cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# ctx_switches PID: voluntary + involuntary context switches summed over the process's threads (live ones).
ctx_switches() {
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches:/ { n += $2 } END { print n + 0 }'
}

# sample SERVER-PID GENERATOR-PID: "server-ticks generator-ticks server-switches".
sample() {
  echo "$(cpu_ticks "$1") $(cpu_ticks "$2") $(ctx_switches "$1")"
}

# seconds TEXT: a duration such as 10s, 2m or 500ms in seconds.
seconds() {
  case "$1" in
    *ms) awk -v v="${1%ms}" 'BEGIN { print v / 1000 }' ;;
    *s) echo "${1%s}" ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *) echo "$1" ;;
  esac
}
hz=$(getconf CLK_TCK)

# run BUILD-NAME CLASSPATH ROUND: one server on a fresh data directory, one measured PUT run, then the server stops.
run() {
  local dir="$work/$1-$3" port pid json syncs=0 wrap=()
  mkdir -p "$dir"
  port=$(free_port)
  [ "$count_syncs" = 0 ] || wrap=(strace -f -qq -c -e trace=fdatasync,fsync -o "$dir/syncs.txt")
  if [ "$1" = s3proxy ]; then
    mkdir -p "$dir/s3proxy"
    "$JAVA_HOME/bin/java" -cp "$new_cp" dev.conduit.bench.s3.S3ProxyPeer --jar "$s3proxy_jar" --dir "$dir/s3proxy" \
      --port "$port" --identity "$AWS_ACCESS_KEY_ID" --credential "$AWS_SECRET_ACCESS_KEY" > "$dir/serve.log" 2>&1 &
  else
    # shellcheck disable=SC2086
    "${wrap[@]}" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${CONDUIT_JAVA_OPTS:-} -cp "$2" dev.conduit.cli.Main \
      --data "$dir/data" serve --port "$port" --access-key "$AWS_ACCESS_KEY_ID" --secret-key "$AWS_SECRET_ACCESS_KEY" \
      > "$dir/serve.log" 2>&1 &
  fi
  pid=$!
  children+=("$pid")
  wait_http "server ($1)" "http://127.0.0.1:$port/" "$pid" "$dir/serve.log"
  json="$dir/put.json"
  local server_pid="$pid" bench_pid before after rc=0
  # strace and the S3Proxy launcher each run the measured server as their child.
  [ "$count_syncs" = 0 ] && [ "$1" != s3proxy ] || server_pid=$(pgrep -P "$pid" | head -n 1)
  "$root/bin/conduit" bench --target "s3://putab/r$3/" --endpoint "http://127.0.0.1:$port" --mode put \
      --objects 256 --bs "$size" --qd "$qd" --time "$time_arg" --ramp "$ramp_arg" --json > "$json" 2> "$dir/bench.log" &
  bench_pid=$!
  sleep "$(seconds "$ramp_arg")"
  before=$(sample "$server_pid" "$bench_pid")
  sleep "$(seconds "$time_arg")"
  after=$(sample "$server_pid" "$bench_pid")
  wait "$bench_pid" || rc=$?
  if [ "$rc" != 0 ]; then
    echo "s3-put-ab: the load generator failed on $1:" >&2; tail -n 20 "$dir/bench.log" >&2; exit 1
  fi
  if [ "$count_syncs" = 1 ]; then
    # Stop the server itself, not strace (which would pass the signal on to this script's process group).
    kill "$(pgrep -P "$pid" | head -n 1)"
  elif [ "$1" = s3proxy ]; then
    kill "$server_pid" "$pid" 2>/dev/null || true
  else
    kill "$pid"
  fi
  wait "$pid" 2>/dev/null || true
  if [ "$count_syncs" = 1 ]; then
    syncs=$(awk '$NF == "fdatasync" || $NF == "fsync" { n += $4 } END { print n + 0 }' "$dir/syncs.txt")
  fi
  jq -c --arg build "$1" --argjson round "$3" --argjson syncs "$syncs" --argjson count "$count_syncs" \
    --argjson hz "$hz" --argjson secs "$(seconds "$time_arg")" --arg before "$before" --arg after "$after" \
    --argjson puts "$(grep -c '"operation":"PutObject","bucket":"putab"' "$dir/serve.log" || true)" \
    '{build: $build, round: $round, req_s: .conduit.req_s, p50_ms: (.conduit.lat_us.p50 / 1000),
      p99_ms: (.conduit.lat_us.p99 / 1000), errors: .conduit.errors}
     + (($before | split(" ") | map(tonumber)) as $b | ($after | split(" ") | map(tonumber)) as $a
        | ([.conduit.req_s * $secs, 1] | max) as $n
        | {server_cpu_us: (($a[0] - $b[0]) / $hz * 1e6 / $n), bench_cpu_us: (($a[1] - $b[1]) / $hz * 1e6 / $n),
           server_cs: (($a[2] - $b[2]) / $n)})
     + (if $count == 1 then {syncs: $syncs, puts: $puts, syncs_per_put: ($syncs / ([$puts, 1] | max))} else {} end)' \
    "$json" | tee -a "$results"
}

for round in $(seq 1 "$rounds"); do
  [ "$s3proxy" = 0 ] || run s3proxy "" "$round"
  [ -z "$base" ] || run base "$base/conduit-cli.jar:$base/lib/*" "$round"
  run new "$new_cp" "$round"
done

echo "PUT $size qd $qd, audit $audit, $rounds round(s) of $time_arg (median per build):"
jq -s -r 'def med(f): map(f) | sort | .[(length / 2 | floor)];
  group_by(.build)[]
  | "\(.[0].build)\treq/s \(med(.req_s) | round)\tp50 \(med(.p50_ms) * 100 | round / 100) ms\tp99 \(med(.p99_ms) * 100 | round / 100) ms"
    + "\tserver CPU \(med(.server_cpu_us) | round) us/PUT\tswitches \(med(.server_cs) * 10 | round / 10)/PUT"
    + "\tgenerator CPU \(med(.bench_cpu_us) | round) us/PUT"
    + (if .[0].syncs_per_put then "\tflushes/PUT \(med(.syncs_per_put) * 100 | round / 100)" else "" end)' "$results"
