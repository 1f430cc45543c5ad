#!/usr/bin/env bash
# SPDK's spdk_nvme_perf (4 KiB random read, QD 32, loopback NVMe/TCP) against Conduit's target
# (`conduit nvmf serve --namespace ram:256m`) and against SPDK's own nvmf_tgt (a 256 MiB Malloc bdev), alternating
# the two targets run by run, then the median IOPS of each and their ratio (issue 14's goal: Conduit / nvmf_tgt >= 0.7).
# nvmf_tgt's reactor polls core 0 (-m 0x1), perf polls core 1 (-c 0x2), Conduit's JVM is not pinned. Nothing needs
# hugepages (--no-huge). Every process listens on 127.0.0.1 on a free port and is stopped on exit.
#
# Usage: bench/peers/nvmf-perf-compare.sh [--spdk DIR] [--runs 3] [--time 5] [--digests] [--only conduit|nvmf_tgt]
#                                         [--conduit CMD] [--keep]
#   --spdk DIR     an SPDK build tree (default: $SPDK_DIR): DIR/build/bin/{spdk_nvme_perf,nvmf_tgt}, DIR/build/lib,
#                  DIR/scripts/rpc.py. Without one the script says so and exits 0 (SPDK is a peer, never required).
#   --digests      perf with header and data digests (-H -I).
#   --conduit CMD  how to start Conduit (default: bin/conduit of this checkout), e.g. another build's launcher for A/B.
# Exit status: 0 when every run worked (or SPDK is absent), 2 for a usage problem, 1 when something failed.
# shellcheck disable=SC2034 # keep, tool and work are read by peers-lib.sh's cleanup
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tool=nvmf-perf-compare
spdk="${SPDK_DIR:-}"
runs=3
seconds=5
digest_flags=""
only=""
conduit="$root/bin/conduit"
keep=0

die() { echo "$tool: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --spdk) spdk="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    --time) seconds="$2"; shift ;;
    --digests) digest_flags="-H -I" ;;
    --only) only="$2"; shift ;;
    --conduit) conduit="$2"; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
  shift
done

if [ -z "$spdk" ] || [ ! -x "$spdk/build/bin/spdk_nvme_perf" ]; then
  echo "$tool: skipped: no SPDK build (set SPDK_DIR or pass --spdk DIR with build/bin/spdk_nvme_perf)" >&2
  exit 0
fi
export LD_LIBRARY_PATH="$spdk/build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

work=$(mktemp -d "${TMPDIR:-/tmp}/$tool.XXXXXX")
children=()
# shellcheck source=SCRIPTDIR/peers-lib.sh
. "$root/bench/peers/peers-lib.sh"
trap cleanup EXIT

nqn_conduit="nqn.2026-01.dev.conduit:perf"
nqn_spdk="nqn.2016-06.io.spdk:perf"
hostnqn="nqn.2014-08.org.nvmexpress:uuid:6b1f3c1e-0000-4000-8000-000000000001"

# perf PORT NQN LOG: one spdk_nvme_perf run; sets iops to its total IOPS.
perf() {
  # Conduit's target refuses an empty host NQN, which perf sends unless the transport id names one.
  # shellcheck disable=SC2086
  "$spdk/build/bin/spdk_nvme_perf" --no-huge -s 512 -c 0x2 -q 32 -o 4096 -w randread -t "$seconds" $digest_flags \
    -r "trtype:TCP adrfam:IPv4 traddr:127.0.0.1 trsvcid:$1 subnqn:$2 hostnqn:$hostnqn" >"$3" 2>&1 \
    || { echo "$tool: spdk_nvme_perf failed; its log:" >&2; tail -n 20 "$3" >&2; return 1; }
  iops=$(awk '/^Total/ { for (i = 1; i <= NF; i++) if ($i == ":") { print int($(i + 1)); exit } }' "$3")
}

# stop PID: TERM the process and wait for it.
stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# run_conduit RUN / run_nvmf_tgt RUN: start the target, run perf against it (setting iops), stop it.
run_conduit() {
  local port log pid
  port=$(free_port)
  log="$work/conduit-$1.log"
  $conduit nvmf serve --nqn "$nqn_conduit" --namespace ram:256m --allow-any-host --port "$port" >"$log" 2>&1 &
  pid=$!
  children+=("$pid")
  for _ in $(seq 600); do
    grep -q '^listening on' "$log" && break
    kill -0 "$pid" 2>/dev/null || { echo "$tool: conduit exited; its log:" >&2; tail -n 20 "$log" >&2; return 1; }
    sleep 0.1
  done
  grep -q '^listening on' "$log" || { echo "$tool: conduit did not listen within 60 s" >&2; return 1; }
  perf "$port" "$nqn_conduit" "$work/perf-conduit-$1.log"
  stop "$pid"
}

run_nvmf_tgt() {
  local port sock log pid
  port=$(free_port)
  sock="$work/spdk-$1.sock"
  log="$work/nvmf_tgt-$1.log"
  rpc() { "$spdk/scripts/rpc.py" -s "$sock" "$@" >>"$log" 2>&1; }
  "$spdk/build/bin/nvmf_tgt" --no-huge -s 1024 -m 0x1 -r "$sock" >"$log" 2>&1 &
  pid=$!
  children+=("$pid")
  for _ in $(seq 600); do
    [ -S "$sock" ] && rpc rpc_get_methods && break
    kill -0 "$pid" 2>/dev/null || { echo "$tool: nvmf_tgt exited; its log:" >&2; tail -n 20 "$log" >&2; return 1; }
    sleep 0.1
  done
  rpc nvmf_create_transport -t TCP
  rpc bdev_malloc_create -b Malloc0 256 4096
  rpc nvmf_create_subsystem "$nqn_spdk" -a -s SPDK00000000000001
  rpc nvmf_subsystem_add_ns "$nqn_spdk" Malloc0
  rpc nvmf_subsystem_add_listener "$nqn_spdk" -t tcp -a 127.0.0.1 -s "$port" -f ipv4
  perf "$port" "$nqn_spdk" "$work/perf-nvmf_tgt-$1.log"
  stop "$pid"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else print v[int((NR + 1) / 2)] }'; }

conduit_iops=()
spdk_iops=()
for run in $(seq "$runs"); do
  if [ "$only" != nvmf_tgt ]; then
    run_conduit "$run"
    conduit_iops+=("$iops")
    echo "run $run: spdk_nvme_perf ${digest_flags:+$digest_flags }-> conduit  ${conduit_iops[-1]} IOPS"
  fi
  if [ "$only" != conduit ]; then
    run_nvmf_tgt "$run"
    spdk_iops+=("$iops")
    echo "run $run: spdk_nvme_perf ${digest_flags:+$digest_flags }-> nvmf_tgt ${spdk_iops[-1]} IOPS"
  fi
done

c=$( [ ${#conduit_iops[@]} -gt 0 ] && printf '%s\n' "${conduit_iops[@]}" | median || echo 0)
s=$( [ ${#spdk_iops[@]} -gt 0 ] && printf '%s\n' "${spdk_iops[@]}" | median || echo 0)
echo "median: conduit $c IOPS, nvmf_tgt $s IOPS"
if [ "$c" -gt 0 ] && [ "$s" -gt 0 ]; then
  awk -v c="$c" -v s="$s" 'BEGIN { printf "ratio conduit / nvmf_tgt: %.2f (goal >= 0.7)\n", c / s }'
fi
