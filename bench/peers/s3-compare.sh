#!/usr/bin/env bash
# Conduit's S3 server next to two peers, in one run, on the same bytes on the same disk:
#   nginx    static files (sendfile, tcp_nopush, keep-alive, no access log), the ceiling for serving files over HTTP;
#   S3Proxy  a Java S3 server (jclouds filesystem backend), the baseline for "an S3 server in Java";
#   Conduit  bin/conduit serve (black box).
# S3Proxy's filesystem backend keeps each object as a plain file (DIR/bucket/key), so nginx serves exactly the
# files S3Proxy wrote, and Conduit is given the same object set by the same generator (same sizes, same pattern).
# GETs are measured with wrk (nginx: plain paths; S3 servers: one presigned GET URL per object, rotated by
# wrk-rotate.lua) and with the bench's S3 load generator (conduit bench --target s3://..., GET and PUT) for the
# two S3 servers. Everything listens on 127.0.0.1 on free ports; every child is killed on exit.
#
# Usage: bench/peers/s3-compare.sh [--peers-only] [--sizes "64m 4k"] [--time 10s] [--ramp 15s] [--qd 8]
#                                  [--objects-large 4] [--objects-small 256] [--out FILE.json] [--dir DIR] [--keep]
# Exit status: 0 when every measurement ran, 2 for a usage or environment problem (e.g. no `conduit serve`),
# 1 when a server or a measurement failed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
peers="$root/bench/peers"

sizes="64m 4k"
time_arg="10s"
ramp_arg="15s"
qd=8
objects_large=4
objects_small=256
out=""
base_dir="${TMPDIR:-/tmp}"
keep=0
peers_only=0

die() { echo "s3-compare: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --peers-only) peers_only=1 ;;
    --sizes) sizes="$2"; shift ;;
    --time) time_arg="$2"; shift ;;
    --ramp) ramp_arg="$2"; shift ;;
    --qd) qd="$2"; shift ;;
    --objects-large) objects_large="$2"; shift ;;
    --objects-small) objects_small="$2"; shift ;;
    --out) out="$2"; shift ;;
    --dir) base_dir="$2"; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

seconds() { # 10s, 500ms, 2m, 30 -> whole seconds (at least 1)
  case "$1" in
    *ms) echo $(( (${1%ms} + 999) / 1000 )) ;;
    *s) echo "${1%s}" ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *) echo "$1" ;;
  esac
}
bytes() { # 64m, 4k, 1g, 512 -> bytes
  local n=${1%[kKmMgG]}
  case "$1" in
    *[kK]) echo $(( n << 10 )) ;;
    *[mM]) echo $(( n << 20 )) ;;
    *[gG]) echo $(( n << 30 )) ;;
    *) echo "$1" ;;
  esac
}
time_s=$(seconds "$time_arg")
ramp_s=$(seconds "$ramp_arg")
[[ "$qd" =~ ^[0-9]+$ && "$qd" -ge 1 ]] || die "--qd must be a positive number: $qd"

for tool in nginx wrk jq curl; do
  command -v "$tool" >/dev/null || die "$tool is not installed (Debian: apt-get install $tool)"
done
JAVA_HOME=$("$root/bin/java-home") || die "no JDK >= 25 (bin/java-home)"
export JAVA_HOME
java="$JAVA_HOME/bin/java"

# bin/conduit builds the CLI (and with it bench/target/peers/s3proxy.jar) when sources changed.
"$root/bin/conduit" --version >/dev/null || die "bin/conduit does not build or run"
s3proxy_jar="$root/bench/target/peers/s3proxy.jar"
[ -f "$s3proxy_jar" ] || die "$s3proxy_jar is missing: ./mvnw -pl cli -am package -DskipTests"
classpath="$root/cli/target/conduit-cli.jar:$root/cli/target/lib/*"

# `conduit serve --help` would exit 0 even without serve (picocli answers --help first): read the command list.
if [ "$peers_only" = 0 ] && ! "$root/bin/conduit" --help 2>/dev/null | grep -Eq '^ +serve +'; then
  die "'bin/conduit serve' is missing from this build (the S3 server is written on another branch); \
rerun with --peers-only to measure nginx and S3Proxy alone"
fi

tool="s3-compare"
work=$(mktemp -d "$base_dir/s3-compare.XXXXXX")
children=()
# shellcheck source=peers-lib.sh
. "$peers/peers-lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

export AWS_ACCESS_KEY_ID="conduit-compare"
export AWS_SECRET_ACCESS_KEY="secret-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
export AWS_REGION="us-east-1"
bucket="compare"
wrk_threads=$(( qd < $(nproc) ? qd : $(nproc) ))
results="$work/results.jsonl"
: > "$results"

# --- S3Proxy (its data directory is nginx's docroot) ---
mkdir -p "$work/s3proxy"
s3proxy_port=$(free_port)
"$java" -cp "$classpath" dev.conduit.bench.s3.S3ProxyPeer --jar "$s3proxy_jar" --dir "$work/s3proxy" \
  --port "$s3proxy_port" --identity "$AWS_ACCESS_KEY_ID" --credential "$AWS_SECRET_ACCESS_KEY" \
  > "$work/s3proxy/peer.out" 2>&1 &
children+=($!)
wait_http S3Proxy "http://127.0.0.1:$s3proxy_port/" "$!" "$work/s3proxy/peer.out"
s3proxy_endpoint="http://127.0.0.1:$s3proxy_port"

# --- nginx ---
mkdir -p "$work/nginx"
nginx_port=$(free_port)
{
  [ "$(id -u)" = 0 ] && echo "user root;" # workers must read the files S3Proxy wrote (mode 0600 dirs/files)
  cat <<EOF
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 120s;
  keepalive_requests 100000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/s3proxy/data;
  }
}
EOF
} > "$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" > "$work/nginx/out.log" 2>&1 &
children+=($!)
wait_http nginx "http://127.0.0.1:$nginx_port/" "$!" "$work/nginx/out.log"
nginx_endpoint="http://127.0.0.1:$nginx_port"

# --- Conduit ---
conduit_endpoint=""
if [ "$peers_only" = 0 ]; then
  mkdir -p "$work/conduit"
  conduit_port=$(free_port)
  "$root/bin/conduit" --data "$work/conduit/data" serve --port "$conduit_port" \
    --access-key "$AWS_ACCESS_KEY_ID" --secret-key "$AWS_SECRET_ACCESS_KEY" > "$work/conduit/serve.log" 2>&1 &
  children+=($!)
  wait_http "conduit serve" "http://127.0.0.1:$conduit_port/" "$!" "$work/conduit/serve.log"
  conduit_endpoint="http://127.0.0.1:$conduit_port"
fi

# record_generator SERVER OP SIZE OBJECTS JSON-FILE: one normalised line in results.jsonl.
record_generator() {
  jq -c --arg server "$1" --arg op "$2" --arg size "$3" --argjson objects "$4" \
    '{server: $server, tool: "conduit-bench", op: $op, size: $size, objects: $objects,
      gib_s: .conduit.gib_s, req_s: .conduit.req_s, p50_ms: (.conduit.lat_us.p50 / 1000),
      p99_ms: (.conduit.lat_us.p99 / 1000), requests: .conduit.requests, errors: .conduit.errors}' "$5" >> "$results"
}
# record_wrk SERVER SIZE OBJECTS JSON-FILE
record_wrk() {
  jq -c --arg server "$1" --arg size "$2" --argjson objects "$3" \
    '{server: $server, tool: "wrk", op: "get", size: $size, objects: $objects,
      gib_s: (.bytes / (.duration_us / 1e6) / 1073741824), req_s: (.requests / (.duration_us / 1e6)),
      p50_ms: (.lat_us.p50 / 1000), p99_ms: (.lat_us.p99 / 1000), requests: .requests,
      errors: (.errors | with_entries(select(.value > 0)))}' "$4" >> "$results"
}

# generator SERVER ENDPOINT OP SIZE OBJECTS SETUP(1/0) TAG
generator() {
  local json="$work/gen-$1-$3-$4.json"
  local setup_flag=()
  [ "$6" = 1 ] || setup_flag=(--no-setup)
  echo "s3-compare: conduit bench $3 $4 x $5 on $1 (qd $qd, $time_arg)" >&2
  if ! timeout $(( time_s + ramp_s + 900 )) "$root/bin/conduit" bench --target "s3://$bucket/$7/" --endpoint "$2" \
      --mode "$3" --objects "$5" --bs "$4" --qd "$qd" --time "$time_arg" --ramp "$ramp_arg" \
      "${setup_flag[@]}" --json > "$json" 2> "$work/gen-$1-$3-$4.log"; then
    echo "s3-compare: the load generator failed on $1:" >&2; tail -n 20 "$work/gen-$1-$3-$4.log" >&2; exit 1
  fi
  record_generator "$1" "$3" "$4" "$5" "$json"
}

# wrk_get SERVER BASE-URL PATHS-FILE SIZE OBJECTS
wrk_get() {
  local json="$work/wrk-$1-$4.json"
  echo "s3-compare: wrk GET $4 x $5 on $1 (qd $qd, $time_arg)" >&2
  # wrk has no ramp: a first unmeasured run warms the server as --ramp does for the generator.
  WRK_PATHS="$3" WRK_JSON="$json" timeout $(( ramp_s + 60 )) \
    wrk -t "$wrk_threads" -c "$qd" -d "${ramp_s}s" --timeout 60s -s "$peers/wrk-rotate.lua" "$2" > /dev/null
  WRK_PATHS="$3" WRK_JSON="$json" timeout $(( time_s + 120 )) \
    wrk -t "$wrk_threads" -c "$qd" -d "${time_s}s" --timeout 60s -s "$peers/wrk-rotate.lua" "$2" \
    > "$work/wrk-$1-$4.log"
  record_wrk "$1" "$4" "$5" "$json"
}

# presigned_paths ENDPOINT TAG OBJECTS FILE: the path and query of one presigned GET URL per object.
presigned_paths() {
  if ! "$java" -cp "$classpath" dev.conduit.bench.s3.S3Presign --target "s3://$bucket/$2/" --endpoint "$1" \
      --objects "$3" --expiry-s 7200 2> "$4.log" > "$4.urls"; then
    echo "s3-compare: presigning failed:" >&2; tail -n 20 "$4.log" >&2; exit 1
  fi
  sed -E 's#^https?://[^/]+##' "$4.urls" > "$4"
}

for size in $sizes; do
  size_bytes=$(bytes "$size")
  if [ "$size_bytes" -ge $(( 1 << 20 )) ]; then objects=$objects_large; else objects=$objects_small; fi
  tag="s$size"
  # The generator's GET run PUTs the set first (setup), on each S3 server; nginx serves S3Proxy's copy.
  generator s3proxy "$s3proxy_endpoint" get "$size" "$objects" 1 "$tag"
  [ -z "$conduit_endpoint" ] || generator conduit "$conduit_endpoint" get "$size" "$objects" 1 "$tag"
  generator s3proxy "$s3proxy_endpoint" put "$size" "$objects" 0 "$tag-put"
  [ -z "$conduit_endpoint" ] || generator conduit "$conduit_endpoint" put "$size" "$objects" 0 "$tag-put"

  for i in $(seq 0 $(( objects - 1 ))); do printf '/%s/%s/obj-%08d\n' "$bucket" "$tag" "$i"; done \
    > "$work/paths-nginx-$size"
  wrk_get nginx "$nginx_endpoint" "$work/paths-nginx-$size" "$size" "$objects"
  presigned_paths "$s3proxy_endpoint" "$tag" "$objects" "$work/paths-s3proxy-$size"
  wrk_get s3proxy "$s3proxy_endpoint" "$work/paths-s3proxy-$size" "$size" "$objects"
  if [ -n "$conduit_endpoint" ]; then
    presigned_paths "$conduit_endpoint" "$tag" "$objects" "$work/paths-conduit-$size"
    wrk_get conduit "$conduit_endpoint" "$work/paths-conduit-$size" "$size" "$objects"
  fi
done

# --- report ---
report=$(jq -s --arg qd "$qd" --arg time "$time_arg" --arg ramp "$ramp_arg" --arg cpus "$(nproc)" \
  --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --arg host "$(uname -srm)" '
  def ratio($a; $b): if ($a == null or $b == null or $b.gib_s == 0) then null
    else {gib_s: ($a.gib_s / $b.gib_s), req_s: ($a.req_s / $b.req_s)} end;
  def find($s; $t; $o; $z): map(select(.server == $s and .tool == $t and .op == $o and .size == $z)) | first;
  . as $r
  | {machine: {cpus: ($cpus | tonumber), loadavg_at_end: $load, kernel: $host},
     config: {qd: ($qd | tonumber), time: $time, ramp: $ramp},
     results: $r,
     ratios: ([$r[] | .size] | unique | map(. as $z | {size: $z,
       conduit_over_nginx_wrk_get: ratio(($r | find("conduit"; "wrk"; "get"; $z)); ($r | find("nginx"; "wrk"; "get"; $z))),
       conduit_over_s3proxy_wrk_get: ratio(($r | find("conduit"; "wrk"; "get"; $z)); ($r | find("s3proxy"; "wrk"; "get"; $z))),
       conduit_over_s3proxy_get: ratio(($r | find("conduit"; "conduit-bench"; "get"; $z)); ($r | find("s3proxy"; "conduit-bench"; "get"; $z))),
       conduit_over_s3proxy_put: ratio(($r | find("conduit"; "conduit-bench"; "put"; $z)); ($r | find("s3proxy"; "conduit-bench"; "put"; $z)))}))}' \
  "$results")

printf '%-8s %-14s %-4s %-5s %10s %12s %10s %10s  %s\n' server tool op size GiB/s req/s p50_ms p99_ms errors
jq -r '.results[] | [.server, .tool, .op, .size, (.gib_s * 1000 | round / 1000), (.req_s | round),
  (.p50_ms * 100 | round / 100), (.p99_ms * 100 | round / 100), (.errors | tostring)] | @tsv' <<< "$report" |
  while IFS=$'\t' read -r s t o z g r p50 p99 e; do
    printf '%-8s %-14s %-4s %-5s %10s %12s %10s %10s  %s\n' "$s" "$t" "$o" "$z" "$g" "$r" "$p50" "$p99" "$e"
  done
echo
jq -r '.ratios[] | "\(.size): Conduit/nginx (wrk GET) \(.conduit_over_nginx_wrk_get.gib_s // "n/a")  " +
  "Conduit/S3Proxy (wrk GET) \(.conduit_over_s3proxy_wrk_get.gib_s // "n/a")  " +
  "(generator GET) \(.conduit_over_s3proxy_get.gib_s // "n/a")  (generator PUT) \(.conduit_over_s3proxy_put.gib_s // "n/a")"' \
  <<< "$report"
echo "machine: $(nproc) CPUs, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$out" ]; then
  printf '%s\n' "$report" > "$out"
  echo "s3-compare: wrote $out" >&2
fi
