#!/usr/bin/env bash
# Small-GET A/B of `conduit serve` builds: wrk GETs of presigned URLs (as s3-compare.sh runs them) against each
# build in turn, alternated for --rounds rounds, so two builds measured in the same window see the same machine.
# Each round starts a fresh server per build, PUTs the object set with the load generator, warms with one
# unmeasured wrk run of --ramp, then measures one of --time. Prints one line per run and the median req/s per
# build. A build is a repository root whose bin/conduit runs (this one by default), optionally followed by
# @NAME=VALUE: an environment variable its server runs with (e.g. ROOT@CONDUIT_S3_SMALL_OBJECT_CACHE_BYTES=0).
#
# Usage: bench/peers/s3-get-ab.sh [--size 4k] [--objects 256] [--qd 8] [--time 10s] [--ramp 5s] [--rounds 3]
#                                 [--java-opts 'OPTS'] [--dir DIR] [--keep] [ROOT[@NAME=VALUE] ...]
#   --java-opts  given to every server as CONDUIT_JAVA_OPTS (e.g. a JFR recording: -XX:StartFlightRecording=...)
# Exit status: 0 when every run worked, 2 for a usage or environment problem, 1 when a server or a run failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
peers="$here/bench/peers"

size="4k"
objects=256
qd=8
time_arg="10s"
ramp_arg="5s"
rounds=3
java_opts=""
base_dir="${TMPDIR:-/tmp}"
keep=0
roots=()

die() { echo "s3-get-ab: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="$2"; shift ;;
    --objects) objects="$2"; shift ;;
    --qd) qd="$2"; shift ;;
    --time) time_arg="$2"; shift ;;
    --ramp) ramp_arg="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --java-opts) java_opts="$2"; shift ;;
    --dir) base_dir="$2"; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) if [[ "$1" == *@* ]]; then roots+=("$(cd "${1%%@*}" && pwd)@${1#*@}"); else roots+=("$(cd "$1" && pwd)"); fi ;;
  esac
  shift
done
[ ${#roots[@]} -gt 0 ] || roots=("$here")
[[ "$rounds" =~ ^[0-9]+$ && "$rounds" -ge 1 ]] || die "--rounds must be a positive number: $rounds"
for tool in wrk jq curl; do
  command -v "$tool" >/dev/null || die "$tool is not installed (Debian: apt-get install $tool)"
done
time_s=${time_arg%s}
ramp_s=${ramp_arg%s}
[[ "$time_s" =~ ^[0-9]+$ && "$ramp_s" =~ ^[0-9]+$ ]] || die "--time and --ramp take whole seconds (10s)"
for spec in "${roots[@]}"; do
  root=${spec%%@*}
  "$root/bin/conduit" --version >/dev/null || die "$root/bin/conduit does not build or run"
done

tool="s3-get-ab"
work=$(mktemp -d "$base_dir/s3-get-ab.XXXXXX")
children=()
# shellcheck source=peers-lib.sh
. "$peers/peers-lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

export AWS_ACCESS_KEY_ID="conduit-ab"
export AWS_SECRET_ACCESS_KEY="secret-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
export AWS_REGION="us-east-1"
wrk_threads=$(( qd < $(nproc) ? qd : $(nproc) ))
results="$work/results.tsv"
: > "$results"

# one_run ROUND INDEX ROOT[@NAME=VALUE]: a fresh server from ROOT, the object set, a warm-up and one measured
# wrk run.
one_run() {
  local dir="$work/r$1-b$2" root="${3%%@*}" port pid
  local env=()
  [[ "$3" != *@* ]] || env=("${3#*@}")
  mkdir -p "$dir"
  port=$(free_port)
  env "${env[@]}" CONDUIT_JAVA_OPTS="$java_opts" "$root/bin/conduit" --data "$dir/data" serve --port "$port" \
    --access-key "$AWS_ACCESS_KEY_ID" --secret-key "$AWS_SECRET_ACCESS_KEY" > "$dir/serve.log" 2>&1 &
  pid=$!
  children+=("$pid")
  wait_http "conduit serve ($root)" "http://127.0.0.1:$port/" "$pid" "$dir/serve.log"
  local endpoint="http://127.0.0.1:$port"
  local classpath="$root/cli/target/conduit-cli.jar:$root/cli/target/lib/*"
  "$root/bin/conduit" bench --target "s3://get-ab/set/" --endpoint "$endpoint" --mode get --objects "$objects" \
    --bs "$size" --qd "$qd" --time 1s --ramp 1s --json > "$dir/put.json" 2> "$dir/put.log" \
    || { echo "$tool: PUT of the object set failed:" >&2; tail -n 20 "$dir/put.log" >&2; exit 1; }
  "$JAVA_HOME/bin/java" -cp "$classpath" dev.conduit.bench.s3.S3Presign --target "s3://get-ab/set/" \
    --endpoint "$endpoint" --objects "$objects" --expiry-s 7200 2> "$dir/presign.log" > "$dir/urls" \
    || { echo "$tool: presigning failed:" >&2; tail -n 20 "$dir/presign.log" >&2; exit 1; }
  sed -E 's#^https?://[^/]+##' "$dir/urls" > "$dir/paths"
  WRK_PATHS="$dir/paths" WRK_JSON="$dir/warm.json" timeout $(( ramp_s + 60 )) \
    wrk -t "$wrk_threads" -c "$qd" -d "${ramp_s}s" --timeout 60s -s "$peers/wrk-rotate.lua" "$endpoint" > /dev/null
  WRK_PATHS="$dir/paths" WRK_JSON="$dir/wrk.json" timeout $(( time_s + 60 )) \
    wrk -t "$wrk_threads" -c "$qd" -d "${time_s}s" --timeout 60s -s "$peers/wrk-rotate.lua" "$endpoint" \
    > "$dir/wrk.log"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local line
  line=$(jq -r --arg b "$2" --arg r "$1" --arg root "$3" \
    '[$b, $r, $root, (.requests * 1000000 / .duration_us | round), (.lat_us.p50 / 1000), (.lat_us.p99 / 1000),
      ([.errors[]] | add)] | @tsv' "$dir/wrk.json")
  echo "$line" >> "$results"
  echo "$tool: round $1 build $2 ($root): $(echo "$line" | cut -f4) req/s" >&2
}

export JAVA_HOME="${JAVA_HOME:-$("$here/bin/java-home")}"
for round in $(seq 1 "$rounds"); do
  for i in "${!roots[@]}"; do
    one_run "$round" "$i" "${roots[$i]}"
  done
done

printf '%-5s %-5s %10s %8s %8s %6s  %s\n' build round req/s p50_ms p99_ms errors root
sort -k1,1n -k2,2n "$results" | awk -F'\t' '{ printf "%-5s %-5s %10s %8.2f %8.2f %6s  %s\n", $1, $2, $4, $5, $6, $7, $3 }'
for i in "${!roots[@]}"; do
  median=$(awk -F'\t' -v b="$i" '$1 == b { print $4 }' "$results" | sort -n \
    | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  echo "median build $i: $median req/s (${roots[$i]})"
done
