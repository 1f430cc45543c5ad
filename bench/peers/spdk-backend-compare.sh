#!/usr/bin/env bash
# Conduit's spdk backend against SPDK's own nvmf_tgt, divided by spdk_nvme_perf against the same target:
# 4 KiB random reads, QD 32, loopback NVMe/TCP (docs/SPDK.md, "Performance"). nvmf_tgt (no hugepages, a
# Malloc namespace) polls TGT_CORE; perf and Conduit's JVM each run alone on CLIENT_CORE, one after the
# other, ROUNDS times alternating; medians and the ratio per Conduit mode at the end.
# Usage: CONDUIT_SPDK_DIR=<SPDK build (--with-shared)> bench/peers/spdk-backend-compare.sh [ROUNDS=3] [SECONDS=5] [MODES="invoker dedicated"]
# Env: CONDUIT_CP (the Conduit side's class path; default: this checkout's cli jars and spdk test classes,
#      built by bin/conduit and `./mvnw -pl spdk -am test-compile`), CONDUIT_JAVA_OPTS (e.g. a JFR recording),
#      CONDUIT_CP_BASE (a second class path, e.g. a main-branch build: each round then also runs each mode
#      with it, as "base-MODE", for an A/B in the same window), TGT_CORE (0), CLIENT_CORE (1), PORT (4431).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
spdk=${CONDUIT_SPDK_DIR:?set CONDUIT_SPDK_DIR to an SPDK build (configure --with-shared)}
rounds=${1:-3} seconds=${2:-5} modes=${3:-invoker dedicated}
tgt_core=${TGT_CORE:-0} client_core=${CLIENT_CORE:-1} port=${PORT:-4431}
nqn=nqn.2026-01.dev.conduit:spdk-compare
hostnqn=nqn.2014-08.org.nvmexpress:uuid:6b1f3c1e-0000-4000-8000-000000000001
export LD_LIBRARY_PATH=$spdk/build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export CONDUIT_SPDK_LIB=$spdk/build/lib/libspdk_nvme.so
JAVA_HOME=$(bin/java-home)
cp=${CONDUIT_CP:-$root/cli/target/conduit-cli.jar:$root/cli/target/lib/*:$root/spdk/target/test-classes}
work=$(mktemp -d "${TMPDIR:-/tmp}/conduit-spdk-compare.XXXXXX")
tgt=""
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  if [ -n "$tgt" ]; then
    kill -TERM "$tgt" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$tgt" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$tgt" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

rpc() { timeout 30 python3 "$spdk/scripts/rpc.py" -s "$work/rpc.sock" -t 20 "$@" >/dev/null; }
"$spdk/build/bin/nvmf_tgt" --no-huge -s 1024 -m "$((1 << tgt_core))" -r "$work/rpc.sock" >"$work/nvmf_tgt.log" 2>&1 &
tgt=$!
for i in $(seq 120); do
  kill -0 "$tgt" 2>/dev/null || { cat "$work/nvmf_tgt.log"; exit 1; }
  rpc spdk_get_version 2>/dev/null && break
  [ "$i" -lt 120 ] || { echo "nvmf_tgt: RPC did not answer"; exit 1; }
  sleep 0.5
done
rpc nvmf_create_transport -t TCP
rpc bdev_malloc_create -b Malloc0 256 4096
rpc nvmf_create_subsystem "$nqn" -a -s SPDK00000000000001 -d conduit-compare
rpc nvmf_subsystem_add_ns "$nqn" Malloc0
rpc nvmf_subsystem_add_listener "$nqn" -t tcp -a 127.0.0.1 -s "$port" -f ipv4
trid="trtype:TCP adrfam:IPv4 traddr:127.0.0.1 trsvcid:$port subnqn:$nqn hostnqn:$hostnqn"
echo "nvmf_tgt on core $tgt_core, 127.0.0.1:$port; clients on core $client_core; $rounds rounds of $seconds s"

perf() {
  timeout -k 5 $((seconds + 60)) "$spdk/build/bin/spdk_nvme_perf" --no-huge -s 512 -c "$((1 << client_core))" -q 32 -o 4096 \
    -w randread -t "$seconds" -r "$trid" 2>&1 | awk '/^Total/ {printf "%.0f\n", $3}'
}
# conduit MODE [CLASSPATH]
conduit() {
  # shellcheck disable=SC2086 # CONDUIT_JAVA_OPTS is a list of options
  timeout -k 5 $((seconds + 60)) taskset -c "$client_core" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    ${CONDUIT_JAVA_OPTS:-} -cp "${2:-$cp}" dev.conduit.spdk.SpdkRandomReadRate "spdk://${trid// /,},ns:1" 32 "$seconds" "$1" 2>&1 |
    sed -n 's/.*: \([0-9]*\) IOPS.*/\1/p'
}
median() { sort -n | awk '{v[NR] = $1} END {print (NR == 0) ? 0 : v[int((NR + 1) / 2)]}'; }

for r in $(seq "$rounds"); do
  p=$(perf); echo "round $r: spdk_nvme_perf ${p:-FAILED} IOPS"; echo "${p:-0}" >>"$work/perf"
  for m in $modes; do
    c=$(conduit "$m"); echo "round $r: conduit $m ${c:-FAILED} IOPS"; echo "${c:-0}" >>"$work/$m"
    if [ -n "${CONDUIT_CP_BASE:-}" ]; then
      c=$(conduit "$m" "$CONDUIT_CP_BASE"); echo "round $r: conduit base-$m ${c:-FAILED} IOPS"; echo "${c:-0}" >>"$work/base-$m"
    fi
  done
done
# shellcheck disable=SC2086 # one word per mode
[ -z "${CONDUIT_CP_BASE:-}" ] || modes="$modes $(printf 'base-%s ' $modes)"
pm=$(median <"$work/perf")
echo "median spdk_nvme_perf: $pm IOPS"
for m in $modes; do
  cm=$(median <"$work/$m")
  echo "median conduit $m: $cm IOPS; ratio $(awk -v c="$cm" -v p="$pm" 'BEGIN {printf "%.2f", (p > 0) ? c / p : 0}')"
done
