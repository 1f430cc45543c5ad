#!/usr/bin/env bash
# Conduit as the hot tier in front of a cold S3 server (S3Proxy, filesystem backend), in one run, on loopback:
#   hit GET      conduit bench GET on a read-through bucket whose objects were fetched from the cold tier first
#                (conduit tier --server ... prefetch; the fills inside the windows are counted: 0) vs the same GET
#                on a plain local bucket, both after an unmeasured warm-up pass, in --hit-rounds rounds that alternate
#                which bucket goes first; a hit-ratio row has each round's tiered/plain GiB/s ratio, their median and
#                the pooled ratio;
#   miss GET     time to first byte and throughput of the first GET of each object through Conduit (a miss:
#                fetched from the cold tier while served) vs a direct GET from the cold server (curl, presigned),
#                after an unmeasured pass of misses over other objects (miss-warm-up);
#   prefetch     conduit tier prefetch of a prefix vs `aws s3 sync` of the same prefix into a local directory, both
#                with a stopped server (the command opens the store itself) and through a running, warmed-up server
#                (conduit tier --server ... prefetch into a fresh bucket per run: server_prefetch_s);
#   write-back   conduit bench PUT p50/p99 on a plain local bucket (put-plain: the local PUT's own cost), then on a
#                write-back bucket (acknowledged once local, uploads running meanwhile) vs PUT straight to the cold
#                server, and the time the backlog takes to drain (upload GiB/s).
# Every process listens on 127.0.0.1 on a free port and is killed on exit. docs/TIERING.md explains the tier.
#
# Usage: bench/peers/tier-compare.sh [--size 8m] [--objects 16] [--time 10s] [--ramp 5s] [--qd 8] [--out FILE.json]
#                                    [--dir DIR] [--keep] [--only prefetch|tier] [--repeat N] [--no-aot] [--timeline]
#                                    [--hit-rounds N] [--seed put|aws]
# --only tier: only the hit, miss and write-back rows (no prefetch row). --hit-rounds N (default 9): hit GET rounds.
# --only prefetch: only the prefetch row (no server is started; the cold data is seeded once), --repeat N times
# (a fresh store each time, alternating with aws s3 sync; every run is one JSON line). CONDUIT_JAVA_OPTS reaches the
# prefetch's JVM only (a JFR recording: -XX:StartFlightRecording=filename=DIR/,settings=profile).
# Each prefetch row also has the CPU seconds (user + system) of the prefetch, of the sync, and of the cold server during
# each (prefetch_cpu_s, aws_sync_cpu_s, cold_cpu_s_prefetch, cold_cpu_s_sync): on a shared machine they say what each
# side cost when the wall times do not. Needs /usr/bin/time (Debian: time).
# --timeline: one more prefetch (not measured) under strace (Debian: strace), whose system calls mark where its wall time
# went from the launcher's start to the process's exit (JVM boot, store open, first LIST and GETs, last commit, summary,
# exit): one JSON line {name: "prefetch-timeline", marks: [{s, what}]}, seconds since bin/conduit started; and the same
# prefetch's own phases (tier prefetch --timeline: JVM boot, picocli, store open, cold client, first and last object,
# close): {name: "prefetch-phases", marks: [{s, what}]}, seconds since its JVM was created.
# The measured prefetches use an AOT cache (bin/conduit's CONDUIT_AOT_CACHE) recorded by one unmeasured prefetch first,
# as an installed conduit would have it; --no-aot measures without (the unmeasured prefetch still runs, so the cold
# server is as warm for both).
# --seed aws (with --only prefetch): the cold objects are uploaded by `aws s3 cp --recursive` from local files instead
# of one PUT each by conduit bench, so objects of 8 MiB and more are multipart uploads with multipart ETags (`-N`), as
# a dataset uploaded with the AWS CLI is.
# Exit status: 0 when every measurement ran, 2 for a usage or environment problem, 1 when something failed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

size="8m"
objects=16
time_arg="10s"
ramp_arg="5s"
qd=8
out=""
base_dir="${TMPDIR:-/tmp}"
keep=0
only=""
repeat=1
aot=1
timeline=0
hit_rounds=9
seed="put"
# Only the measured prefetch gets the caller's JVM options (a JFR recording's messages would break the generator's JSON).
prefetch_java_opts="${CONDUIT_JAVA_OPTS:-}"
unset CONDUIT_JAVA_OPTS

die() { echo "tier-compare: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="$2"; shift ;;
    --objects) objects="$2"; shift ;;
    --time) time_arg="$2"; shift ;;
    --ramp) ramp_arg="$2"; shift ;;
    --qd) qd="$2"; shift ;;
    --out) out="$2"; shift ;;
    --dir) base_dir="$2"; shift ;;
    --keep) keep=1 ;;
    --only) only="$2"; shift ;;
    --repeat) repeat="$2"; shift ;;
    --no-aot) aot=0 ;;
    --timeline) timeline=1 ;;
    --hit-rounds) hit_rounds="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    -h|--help) sed -n '2,39p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
[[ "$objects" =~ ^[0-9]+$ && "$objects" -ge 1 ]] || die "--objects must be a positive number: $objects"
[[ "$repeat" =~ ^[0-9]+$ && "$repeat" -ge 1 ]] || die "--repeat must be a positive number: $repeat"
[[ "$hit_rounds" =~ ^[0-9]+$ && "$hit_rounds" -ge 1 ]] || die "--hit-rounds must be a positive number: $hit_rounds"
[ -z "$only" ] || [ "$only" = prefetch ] || [ "$only" = tier ] || die "--only takes prefetch or tier: $only"
[ "$repeat" = 1 ] || [ "$only" = prefetch ] || die "--repeat needs --only prefetch"
[ "$seed" = put ] || [ "$seed" = aws ] || die "--seed takes put or aws: $seed"
[ "$seed" = put ] || [ "$only" = prefetch ] || die "--seed aws needs --only prefetch"

[ -x /usr/bin/time ] || die "/usr/bin/time is not installed (Debian: apt-get install time)"
[ "$timeline" = 0 ] || command -v strace >/dev/null || die "--timeline needs strace (Debian: apt-get install strace)"
for tool in jq curl aws; do
  command -v "$tool" >/dev/null || die "$tool is not installed (Debian: apt-get install $tool; aws: pip install awscli)"
done
JAVA_HOME=$("$root/bin/java-home") || die "no JDK >= 25 (bin/java-home)"
export JAVA_HOME
java="$JAVA_HOME/bin/java"
"$root/bin/conduit" --version >/dev/null || die "bin/conduit does not build or run"
classpath="$root/cli/target/conduit-cli.jar:$root/cli/target/lib/*"
s3proxy_jar="$root/bench/target/peers/s3proxy.jar"
[ -f "$s3proxy_jar" ] || die "$s3proxy_jar is missing (./mvnw -pl bench -am package -DskipTests)"

tool="tier-compare"
work=$(mktemp -d "$base_dir/tier-compare.XXXXXX")
children=()
# shellcheck source=peers-lib.sh
. "$root/bench/peers/peers-lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

# One key pair for everything: clients sign with it, and Conduit's cold client takes it from the standard
# AWS environment variables, as it would in production.
export AWS_ACCESS_KEY_ID="tier-compare"
export AWS_SECRET_ACCESS_KEY="secret-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
export AWS_REGION="us-east-1"
export AWS_EC2_METADATA_DISABLED=true
results="$work/results.jsonl"
: > "$results"
conduit=("$root/bin/conduit" --data "$work/conduit/data")

# --- the cold tier ---
mkdir -p "$work/s3proxy" "$work/conduit"
cold_port=$(free_port)
"$java" -cp "$classpath" dev.conduit.bench.s3.S3ProxyPeer --jar "$s3proxy_jar" --dir "$work/s3proxy" \
  --port "$cold_port" --identity "$AWS_ACCESS_KEY_ID" --credential "$AWS_SECRET_ACCESS_KEY" > "$work/s3proxy/peer.out" 2>&1 &
cold_pid=$!
children+=($cold_pid)
wait_http S3Proxy "http://127.0.0.1:$cold_port/" "$!" "$work/s3proxy/peer.out"
cold="http://127.0.0.1:$cold_port"
aws --endpoint-url "$cold" s3api create-bucket --bucket cold > /dev/null

# generator ENDPOINT TARGET MODE SETUP(1/0) NAME [ROUND]: conduit bench's S3 load generator, its JSON summary recorded as
# NAME (with {round: ROUND} when given).
generator() {
  local json="$work/gen-$5.json" setup_flag=()
  [ "$4" = 1 ] || setup_flag=(--no-setup)
  echo "tier-compare: $5 ($3 $size x $objects, qd $qd, $time_arg)" >&2
  if ! "$root/bin/conduit" bench --target "$2" --endpoint "$1" --mode "$3" --objects "$objects" --bs "$size" --qd "$qd" \
      --time "$time_arg" --ramp "$ramp_arg" "${setup_flag[@]}" --json > "$json" 2> "$work/gen-$5.log"; then
    echo "tier-compare: the load generator failed ($5):" >&2; tail -n 20 "$work/gen-$5.log" >&2; exit 1
  fi
  jq -c --arg name "$5" --arg round "${6:-}" '{name: $name, gib_s: .conduit.gib_s, req_s: .conduit.req_s,
    p50_ms: (.conduit.lat_us.p50 / 1000), p99_ms: (.conduit.lat_us.p99 / 1000), errors: .conduit.errors}
    + (if $round == "" then {} else {round: ($round | tonumber)} end)' "$json" >> "$results"
}
# print_report: every row, as one JSON document (--out) and one line per row.
print_report() {
  local report
  report=$(jq -s -c '{size: "'"$size"'", objects: '"$objects"', results: .}' "$results")
  if [ -n "$out" ]; then echo "$report" > "$out"; fi
  echo "$report" | jq -r '.results[] | tostring'
}

# Cold data: one object set per experiment, written straight to the cold server.
prefixes=(hit miss mwarm pf)
[ "$only" != prefetch ] || prefixes=(pf)
[ "$only" != tier ] || prefixes=(hit miss mwarm)
bytes_of() { numfmt --from=iec "${1^^}"; } # 8m -> 8388608
for prefix in "${prefixes[@]}"; do
  if [ "$seed" = aws ]; then
    mkdir -p "$work/seed/$prefix"
    for ((i = 0; i < objects; i++)); do head -c "$(bytes_of "$size")" /dev/urandom > "$work/seed/$prefix/obj-$i"; done
    # S3Proxy refuses the checksum-algorithm header the CLI sends with CreateMultipartUpload by default (NotImplemented):
    # this seeds the peer, nothing of Conduit's is tested by it.
    AWS_REQUEST_CHECKSUM_CALCULATION=when_required \
      aws --endpoint-url "$cold" s3 cp --recursive --only-show-errors "$work/seed/$prefix" "s3://cold/$prefix/"
    rm -rf "$work/seed/$prefix"
  else
    generator "$cold" "s3://cold/$prefix/" put 1 "seed-$prefix" > /dev/null
  fi
done

if [ "$only" != prefetch ]; then
# --- Conduit: a store, three bindings, the server ---
"${conduit[@]}" format --size 4g > /dev/null
"${conduit[@]}" tier attach tiered s3://cold --endpoint "$cold" --policy read-through > /dev/null
"${conduit[@]}" tier attach wback s3://cold/wb --endpoint "$cold" --policy write-back > /dev/null
conduit_port=$(free_port)
"${conduit[@]}" serve --port "$conduit_port" --access-key "$AWS_ACCESS_KEY_ID" --secret-key "$AWS_SECRET_ACCESS_KEY" \
  > "$work/conduit/serve.log" 2>&1 &
serve_pid=$!
children+=($serve_pid)
wait_http "conduit serve" "http://127.0.0.1:$conduit_port/" "$serve_pid" "$work/conduit/serve.log"
endpoint="http://127.0.0.1:$conduit_port"
aws --endpoint-url "$endpoint" s3api create-bucket --bucket plain > /dev/null

# --- miss GET: first touch through Conduit vs direct from the cold server (curl, one presigned URL per object) ---
presign() { # ENDPOINT TARGET FILE: one presigned GET URL per object
  "$java" -cp "$classpath" dev.conduit.bench.s3.S3Presign --target "$2" --endpoint "$1" --objects "$objects" > "$3"
}
presign "$endpoint" "s3://tiered/miss/" "$work/paths-miss-conduit"
presign "$cold" "s3://cold/miss/" "$work/paths-miss-cold"
curl_each() { # URLS NAME: TTFB and throughput of one GET per presigned URL
  while read -r url; do
    curl -sf -o /dev/null -w '%{time_starttransfer} %{time_total} %{size_download}\n' "$url"
  done < "$1" | jq -R -s -c --arg name "$2" 'split("\n") | map(select(length > 0) | split(" ") | map(tonumber)) |
    {name: $name, ttfb_ms_p50: (map(.[0]) | sort | .[(length / 2 | floor)] * 1000),
     ttfb_ms_max: (map(.[0]) | max * 1000), gib_s: ((map(.[2]) | add) / (map(.[1]) | add) / 1073741824)}' >> "$results"
}
echo "tier-compare: miss GET vs direct cold GET" >&2
# A fresh server's first fills also pay its JIT warm-up and the cold client's first requests: an unmeasured pass of
# misses over other objects first, so the measured misses show the fill path itself (as the hit row's warm-up does).
presign "$endpoint" "s3://tiered/mwarm/" "$work/paths-miss-warm-up"
curl_each "$work/paths-miss-warm-up" miss-warm-up
curl_each "$work/paths-miss-cold" miss-direct-cold
curl_each "$work/paths-miss-conduit" miss-conduit

# --- hit GET: read-through copies vs a plain local bucket with the same object set ---
# The copies are fetched first (through the running server), so the measured window holds hits only: when the cold
# server is slow, the generator's ramp alone does not fetch them all, and misses inside the window made this figure
# a mix of hits and misses.
# The server's GET path is warmed up first by an unmeasured pass over the plain bucket (the first GET run of a fresh
# server is slower whichever bucket it reads: measured first, the tiered bucket read ~0.7x of a plain bucket measured
# second, and ~1.0x when measured after a warm-up). Both buckets get their pass: the tiered bucket's hits run code a
# plain GET never does (the tier's freshness check), and warmed by the plain pass alone its first round still read
# 0.75x (one run, 2026-12-03) against 0.95x and 1.06x in the next two.
CONDUIT_ACCESS_KEY="$AWS_ACCESS_KEY_ID" CONDUIT_SECRET_KEY="$AWS_SECRET_ACCESS_KEY" \
  "${conduit[@]}" tier --server "$endpoint" prefetch s3://tiered/hit/ --parallel "$qd" > "$work/prefetch-hit.out"
generator "$endpoint" "s3://plain/hit/" get 1 hit-warm-up
generator "$endpoint" "s3://tiered/hit/" get 0 hit-warm-up-tiered
# One run each can differ by more than the 5% the goal allows, even on a quiet machine (one round's ratio moved between
# 0.94 and 1.07 in a 9-round run of one server): --hit-rounds rounds, alternating which bucket goes first, the median of
# the rounds' tiered/plain ratios, and the pooled ratio (all tiered GiB/s over all plain GiB/s).
fills_before=$(curl -s "$endpoint/_conduit/metrics" | awk '$1 == "conduit_tier_fills_total" {print $2}')
for round in $(seq "$hit_rounds"); do
  if [ $((round % 2)) = 1 ]; then
    generator "$endpoint" "s3://tiered/hit/" get 0 hit-tiered "$round"
    generator "$endpoint" "s3://plain/hit/" get 0 hit-plain "$round"
  else
    generator "$endpoint" "s3://plain/hit/" get 0 hit-plain "$round"
    generator "$endpoint" "s3://tiered/hit/" get 0 hit-tiered "$round"
  fi
done
fills_after=$(curl -s "$endpoint/_conduit/metrics" | awk '$1 == "conduit_tier_fills_total" {print $2}')
jq -n -c --argjson f "$(echo "${fills_after:-0} - ${fills_before:-0}" | bc -l)" '{name: "hit-tiered-fills-in-window", fills: $f}' \
  >> "$results"
jq -s -c '[.[] | select(.round != null)] | group_by(.round) | map({t: (map(select(.name == "hit-tiered"))[0].gib_s),
    p: (map(select(.name == "hit-plain"))[0].gib_s)}) as $pairs | ($pairs | map(.t / .p)) as $r
  | {name: "hit-ratio", ratios: $r, median: ($r | sort | .[(length / 2 | floor)]),
     pooled: (($pairs | map(.t) | add) / ($pairs | map(.p) | add)), goal: 0.95}' "$results" >> "$results.tmp"
cat "$results.tmp" >> "$results"
rm -f "$results.tmp"

# --- write-back PUT vs a plain local PUT (no uploads running) and a direct cold PUT, then the drain ---
generator "$endpoint" "s3://plain/ckpt/" put 1 put-plain
generator "$endpoint" "s3://wback/ckpt/" put 1 put-write-back
drain_start=$(date +%s.%N)
for _ in $(seq 6000); do
  backlog=$(curl -s "$endpoint/_conduit/metrics" | awk '$1 == "conduit_tier_backlog_objects" {print $2}')
  [ "${backlog:-1}" = "0" ] || [ "${backlog:-1}" = "0.0" ] && break
  sleep 0.1
done
drain_s=$(echo "$(date +%s.%N) - $drain_start" | bc -l)
uploaded=$(curl -s "$endpoint/_conduit/metrics" | awk '$1 == "conduit_tier_upload_bytes_total" {print $2}')
jq -n -c --argjson s "$drain_s" --argjson b "${uploaded:-0}" \
  '{name: "write-back-drain", drain_s: $s, uploaded_bytes: $b}' >> "$results"
generator "$cold" "s3://cold/direct-put/" put 1 put-direct-cold

kill "$serve_pid"
wait "$serve_pid" || true
fi
if [ "$only" = tier ]; then
  print_report
  exit 0
fi

# --- prefetch vs aws s3 sync ---
# A store of its own per run (format, attach, prefetch: the stopped-server path), then aws s3 sync into a new directory.
prefetch_store() { # RUN: a new store with the pfetch binding
  local data="$work/pfetch-$1/data"
  mkdir -p "$work/pfetch-$1"
  "$root/bin/conduit" --data "$data" format --size 4g > /dev/null
  "$root/bin/conduit" --data "$data" tier attach pfetch s3://cold --endpoint "$cold" --policy read-through > /dev/null
}
# CPU time, so a run on a shared machine still says what each side cost: the prefetch's and the sync's (user + system,
# /usr/bin/time) and the cold server's during each (its /proc ticks before and after).
ticks=$(getconf CLK_TCK)
cpu_ticks() { # PID: user + system clock ticks so far of PID and its children (S3ProxyPeer runs S3Proxy as a child)
  local pids pid
  pids="$1 $(cat /proc/"$1"/task/*/children 2>/dev/null)"
  for pid in $pids; do cat "/proc/$pid/stat" 2>/dev/null; done | awk '{n += $14 + $15} END {print n + 0}'
}
cpu_seconds() { awk '{print $1 + $2}' "$1"; } # FILE of /usr/bin/time -f '%U %S': seconds
prefetch_row() { # RUN
  local data="$work/pfetch-$1/data" sync_dir="$work/sync-$1" start prefetch_s sync_s pf_bytes cold_cpu
  prefetch_store "$1"
  echo "tier-compare: prefetch vs aws s3 sync (run $1)" >&2
  cold_cpu=$(cpu_ticks "$cold_pid")
  start=$(date +%s.%N)
  CONDUIT_JAVA_OPTS="$prefetch_java_opts" CONDUIT_AOT_CACHE="$aot_cache" /usr/bin/time -f '%U %S' -o "$work/prefetch-$1.cpu" \
    "$root/bin/conduit" --data "$data" tier prefetch s3://pfetch/pf/ --parallel "$qd" --no-progress > "$work/prefetch-$1.out"
  prefetch_s=$(echo "$(date +%s.%N) - $start" | bc -l)
  cold_cpu_prefetch=$(( $(cpu_ticks "$cold_pid") - cold_cpu ))
  cold_cpu=$(cpu_ticks "$cold_pid")
  start=$(date +%s.%N)
  # Current AWS CLIs ask for response checksums (x-amz-checksum-mode), which S3Proxy does not implement.
  AWS_RESPONSE_CHECKSUM_VALIDATION=when_required AWS_REQUEST_CHECKSUM_CALCULATION=when_required /usr/bin/time -f '%U %S' \
    -o "$work/sync-$1.cpu" aws --endpoint-url "$cold" s3 sync s3://cold/pf/ "$sync_dir" --only-show-errors
  sync_s=$(echo "$(date +%s.%N) - $start" | bc -l)
  cold_cpu_sync=$(( $(cpu_ticks "$cold_pid") - cold_cpu ))
  echo "tier-compare: prefetch through the running server (run $1)" >&2
  srv_cpu=$(cpu_ticks "$pf_serve_pid")
  srv_s=$(server_prefetch "pfsrv-$1" "$work/pfsrv-$1.out")
  srv_cpu=$(( $(cpu_ticks "$pf_serve_pid") - srv_cpu ))
  pf_bytes=$(find "$sync_dir" -type f -printf '%s\n' | awk '{n += $1} END {print n + 0}')
  jq -n -c --argjson p "$prefetch_s" --argjson s "$sync_s" --argjson b "$pf_bytes" --arg summary "$(cat "$work/prefetch-$1.out")" \
    --argjson pcpu "$(cpu_seconds "$work/prefetch-$1.cpu")" --argjson scpu "$(cpu_seconds "$work/sync-$1.cpu")" \
    --argjson ccp "$(echo "$cold_cpu_prefetch / $ticks" | bc -l)" --argjson ccs "$(echo "$cold_cpu_sync / $ticks" | bc -l)" \
    --argjson srv "$srv_s" --argjson srvcpu "$(cpu_seconds "$work/pfsrv-$1.out.cpu")" --arg srvsum "$(cat "$work/pfsrv-$1.out")" \
    --argjson srvscpu "$(echo "$srv_cpu / $ticks" | bc -l)" \
    '{name: "prefetch", prefetch_s: $p, aws_sync_s: $s, bytes: $b, prefetch_gib_s: ($b / $p / 1073741824),
      aws_sync_gib_s: ($b / $s / 1073741824), prefetch_over_sync: ($s / $p), prefetch_cpu_s: $pcpu, aws_sync_cpu_s: $scpu,
      cold_cpu_s_prefetch: $ccp, cold_cpu_s_sync: $ccs, conduit_summary: $summary,
      server_prefetch_s: $srv, server_prefetch_over_sync: ($s / $srv), server_prefetch_cli_cpu_s: $srvcpu,
      server_prefetch_server_cpu_s: $srvscpu,
      server_summary: $srvsum}' >> "$results"
  rm -rf "$work/pfetch-$1" "$sync_dir"
}
# The same prefetch through a running server (conduit tier --server ... prefetch), the way a hot tier that is already
# serving is warmed before training: one server, warmed up by an unmeasured prefetch into a bucket of its own, and a
# fresh local bucket (bound to the same cold prefix) per measured run, so every run fetches the whole tree.
pf_data="$work/pfserve/data"
mkdir -p "$work/pfserve"
"$root/bin/conduit" --data "$pf_data" format --size 8g > /dev/null
for b in warm-up $(seq "$repeat"); do
  "$root/bin/conduit" --data "$pf_data" tier attach "pfsrv-$b" s3://cold --endpoint "$cold" --policy read-through > /dev/null
done
pf_port=$(free_port)
"$root/bin/conduit" --data "$pf_data" serve --port "$pf_port" --access-key "$AWS_ACCESS_KEY_ID" \
  --secret-key "$AWS_SECRET_ACCESS_KEY" > "$work/pfserve/serve.log" 2>&1 &
pf_serve_pid=$!
children+=($pf_serve_pid)
wait_http "conduit serve (prefetch)" "http://127.0.0.1:$pf_port/" "$pf_serve_pid" "$work/pfserve/serve.log"
server_prefetch() { # BUCKET OUT: wall seconds of a prefetch of BUCKET's pf/ through the running server
  local start
  start=$(date +%s.%N)
  CONDUIT_ACCESS_KEY="$AWS_ACCESS_KEY_ID" CONDUIT_SECRET_KEY="$AWS_SECRET_ACCESS_KEY" CONDUIT_AOT_CACHE="$aot_cache" \
    /usr/bin/time -f '%U %S' -o "$2.cpu" "$root/bin/conduit" --data "$pf_data" tier --server "http://127.0.0.1:$pf_port" \
    prefetch "s3://$1/pf/" --parallel "$qd" --no-progress > "$2"
  echo "$(date +%s.%N) - $start" | bc -l
}

aot_cache=""
[ "$aot" = 0 ] || aot_cache="$work/conduit.aot"
echo "tier-compare: an unmeasured prefetch first$([ "$aot" = 0 ] || echo ", recording the AOT cache")" >&2
prefetch_store warm-up
CONDUIT_AOT_CACHE="$aot_cache" "$root/bin/conduit" --data "$work/pfetch-warm-up/data" tier prefetch s3://pfetch/pf/ \
  --parallel "$qd" --no-progress > /dev/null
rm -rf "$work/pfetch-warm-up"
server_prefetch pfsrv-warm-up "$work/pfsrv-warm-up.out" > /dev/null
for run in $(seq "$repeat"); do
  prefetch_row "$run"
done

# timeline_marks STRACE: the prefetch's milestones from `strace -f -tt` output, as "SECONDS<TAB>WHAT" lines.
timeline_marks() {
  awk '
    function t(s,  a) { split(s, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
    function mark(at, what) { if (!(what in seen)) { seen[what] = 1; printf "%.3f\t%s\n", t(at) - t0, what } }
    /execve\(/ && !t0 { t0 = t($2); mark($2, "bin/conduit starts") }
    /execve\(.*\/bin\/java"/ { mark($2, "java starts") }
    /openat\(.*conduit-cli\.jar/ { mark($2, "JVM booted (class path opened)") }
    /openat\(.*\.aws\// { mark($2, "AWS config or credentials file read") }
    /connect\(.*169\.254\./ { mark($2, "instance metadata (IMDS) probed") }
    /openat\(.*\/data\/\.lock"/ { mark($2, "store open begins") }
    /io_uring_setup\(/ { uring = $2 }
    /connect\(.*htons/ { conns++
      if (conns == 1) { if (uring) mark(uring, "store open (last io_uring_setup)"); mark($2, "first connection (LIST)") }
      if (conns == 2) mark($2, "second connection (first GETs)") }
    /fdatasync\(/ { synced = $2 }
    /write\(1, "prefetched/ { if (synced) mark(synced, "last fdatasync (last commit)"); mark($2, "summary printed") }
    /exit_group\(/ { exited = $2 }
    END { if (exited) mark(exited, "process exits") }
  ' "$1"
}
if [ "$timeline" = 1 ]; then
  echo "tier-compare: one prefetch under strace, for its timeline" >&2
  prefetch_store timeline
  CONDUIT_AOT_CACHE="$aot_cache" strace -f --seccomp-bpf -tt -o "$work/timeline.strace" \
    -e trace=execve,connect,io_uring_setup,openat,fdatasync,write,exit_group \
    "$root/bin/conduit" --data "$work/pfetch-timeline/data" tier prefetch s3://pfetch/pf/ --parallel "$qd" --no-progress \
    --timeline > /dev/null 2> "$work/timeline.phases"
  timeline_marks "$work/timeline.strace" | sort -n | jq -R -s -c 'split("\n") | map(select(length > 0) | split("\t") |
    {s: (.[0] | tonumber), what: .[1]}) | {name: "prefetch-timeline", marks: .}' >> "$results"
  # The command's own phases (tier prefetch --timeline: seconds since its JVM was created, under strace as well).
  sed -n 's/^timeline *\([0-9.]*\) s (+[0-9.]* s) \(.*\)$/\1\t\2/p' "$work/timeline.phases" | jq -R -s -c 'split("\n") |
    map(select(length > 0) | split("\t") | {s: (.[0] | tonumber), what: .[1]}) | {name: "prefetch-phases", marks: .}' >> "$results"
  rm -rf "$work/pfetch-timeline"
fi

print_report
