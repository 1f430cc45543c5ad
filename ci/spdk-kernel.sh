#!/usr/bin/env bash
# Conduit's SPDK backend against the Linux kernel's nvmet-tcp: the kernel target runs in a QEMU guest
# (ci/nvmf/lab.sh target-up, a 64 MiB RAM namespace, any host allowed: spdk_nvme_identify v25.09 drops the
# transport id's hostnqn, so it cannot name an allowed one) on host
# 127.0.0.1:$NVMF_SPDK_PORT (14433), and SPDK's NVMe/TCP initiator reaches it:
#   1. spdk_nvme_identify: the controller is the kernel's (model "Linux"), the subsystem is ours;
#   2. spdk_nvme_perf, 4 KiB random read, QD 32, 3 s, plain and with header+data digests: no errors;
#   3. a store formatted on the spdk:// namespace (Conduit's spdk backend: write, flush through the
#      journal, read back), objects compared byte for byte, fsck (ci/nvmf/store-roundtrip.sh), the
#      traffic captured on lo and judged by tshark's NVMe/TCP dissector.
# Needs an SPDK build (configure --with-shared): CONDUIT_SPDK_DIR names its source tree (build/lib,
# build/bin, include). Without it the script says why it skips and exits 0: CI has no SPDK.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
lab=ci/nvmf/lab.sh
# shellcheck source=ci/nvmf/store-roundtrip.sh
. ci/nvmf/store-roundtrip.sh
spdk=${CONDUIT_SPDK_DIR:-}
if [ -z "$spdk" ]; then
  echo "SKIP spdk against kernel nvmet-tcp: CONDUIT_SPDK_DIR is not set (it names an SPDK build made with --with-shared; CI has no SPDK)"
  exit 0
fi
for need in build/lib/libspdk_nvme.so build/bin/spdk_nvme_identify build/bin/spdk_nvme_perf; do
  if [ ! -e "$spdk/$need" ]; then
    echo "SKIP spdk against kernel nvmet-tcp: CONDUIT_SPDK_DIR=$spdk has no $need (an SPDK build made with --with-shared)"
    exit 0
  fi
done
export CONDUIT_SPDK_LIB=$spdk/build/lib/libspdk_nvme.so
export LD_LIBRARY_PATH=$spdk/build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export PORT=${NVMF_SPDK_PORT:-14433}
export NQN=nqn.2024-01.dev.conduit:spdk-kernel
# The host NQN perf and Conduit send (both take it from the transport id).
hostnqn=nqn.2014-08.org.nvmexpress:uuid:c0d0c7a1-0000-4000-8000-0000000005d4
trid="trtype:TCP adrfam:IPv4 traddr:127.0.0.1 trsvcid:$PORT subnqn:$NQN hostnqn:$hostnqn"
t0=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/conduit-spdk-kernel.XXXXXX")
target=""
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  if [ -n "$target" ]; then
    # capture-stop and target-down stop dumpcap and QEMU by the PIDs lab.sh recorded, nothing else.
    "$lab" capture-stop spdk-store >/dev/null 2>&1 || true
    "$lab" target-down >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$lab" setup
echo "== kernel nvmet-tcp target on 127.0.0.1:$PORT ($NQN), any host"
target=1
if ! HOLD=600 "$lab" target-up; then
  echo "spdk against kernel nvmet-tcp: FAILED (the kernel target did not come up) in $((SECONDS - t0))s"
  exit 1
fi
failed=0

# tool NAME PATTERN CMD...: runs one of SPDK's tools (120 s at most), shows its output, and passes
# when it exits 0 and its output matches the extended regex PATTERN.
tool() {
  local name=$1 pattern=$2 out="$work/$1.log" rc=0
  shift 2
  echo "== $*"
  timeout -k 10 120 "$@" >"$out" 2>&1 || rc=$?
  sed 's/^/  /' "$out"
  if [ $rc -ne 0 ]; then echo "FAIL $name: exited with status $rc"; return 1; fi
  if ! grep -Eq "$pattern" "$out"; then echo "FAIL $name: no line matches /$pattern/"; return 1; fi
  echo "PASS $name"
}

# --no-huge with DPDK's memory in anonymous pages: this runs without hugepages (see docs/SPDK.md).
tool identify "Model Number: +Linux" "$spdk/build/bin/spdk_nvme_identify" --no-huge -s 256 -r "$trid" || failed=1
grep -q "Subsystem NQN: *$NQN" "$work/identify.log" || { echo "FAIL identify: subsystem $NQN not reported"; failed=1; }
perf_ok='^Total +: +[0-9.]*[1-9][0-9.]* +'
tool perf "$perf_ok" "$spdk/build/bin/spdk_nvme_perf" --no-huge -s 512 -q 32 -o 4096 -w randread -t 3 -r "$trid" || failed=1
tool perf-digests "$perf_ok" "$spdk/build/bin/spdk_nvme_perf" --no-huge -s 512 -q 32 -o 4096 -w randread -t 3 -H -I -r "$trid" || failed=1

ns="spdk://${trid// /,},ns:1"
"$lab" capture-start spdk-store || { echo "FAIL spdk-store: dumpcap did not start"; failed=1; }
rc=0
( store_roundtrip "$work/store" "$work" "$ns" ) >"$work/store.log" 2>&1 || rc=$?
sed 's/^/  /' "$work/store.log"
"$lab" capture-stop spdk-store
if [ "$rc" -ne 0 ]; then
  echo "FAIL spdk-store (Conduit's spdk backend against kernel nvmet-tcp)"
  failed=1
elif ! "$lab" judge "${NVMF_LAB:-target/nvmf-lab}/logs/spdk-store.pcapng"; then
  echo "FAIL spdk-store: tshark's judgement"
  failed=1
else
  echo "PASS spdk-store (a store on $ns: put, get, byte-for-byte compare, fsck; captured and judged)"
fi
"$lab" target-down
target=""

if [ $failed -eq 0 ]; then
  echo "spdk against kernel nvmet-tcp: all passed (identify, perf plain and with digests, a store through Conduit's spdk backend, tshark judged) in $((SECONDS - t0))s"
else
  echo "spdk against kernel nvmet-tcp: FAILED (see the FAIL lines above) in $((SECONDS - t0))s"
fi
exit $failed
