#!/usr/bin/env bash
# Interop with the real Linux kernel: `conduit nvmf serve` (a 64 MiB RAM namespace, only the lab guest's
# host NQN allowed) on 127.0.0.1, and a stock Linux kernel under QEMU as the initiator (ci/nvmf/lab.sh):
# connect, O_DIRECT write, read back, compare, disconnect - plain, with header+data digests, with 2 I/O
# queues - each run captured on lo and judged by tshark's NVMe/TCP dissector. Then the target must stop
# on SIGTERM. Then the other direction: the kernel's nvmet-tcp target in a guest (ci/nvmf/lab.sh target-up,
# only `conduit nvmf check`'s host NQN allowed) and Conduit's initiator, `conduit nvmf check` (connect,
# Identify, write a 16 MiB pattern, flush, read back, compare), plain and with header+data digests, each
# captured and judged by tshark; `conduit nvmf discover` against the kernel's discovery controller.
# Then the scale-out picture: a second `conduit nvmf serve` beside the kernel target, `conduit format
# --namespace` a store striped over both, put objects, get them back, compare byte for byte, fsck. Last line: a summary; exit status non-zero on any failure.
# Environment: NVMF_PORT (14430), NVMF_KERNEL_PORT (the kernel target's host port, 14431),
# NVMF_STORE_PORT (the second Conduit target's port, 14432), NVMF_SERVE_TIMEOUT (hard cap on a
# target's life, 900 s).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
lab=ci/nvmf/lab.sh
# shellcheck source=ci/nvmf/store-roundtrip.sh
. ci/nvmf/store-roundtrip.sh
export PORT=${NVMF_PORT:-14430}
export NQN=nqn.2024-01.dev.conduit:interop
t0=$SECONDS
"$lab" setup
hostnqn=$("$lab" hostnqn)
work=$(mktemp -d "${TMPDIR:-/tmp}/conduit-nvmf-interop.XXXXXX")
serve_log="$work/serve.log"
serve_pid=""
stopped=""
kport=${NVMF_KERNEL_PORT:-14431}
kernel_target=""
sport=${NVMF_STORE_PORT:-14432}
store_nqn=nqn.2024-01.dev.conduit:store
# The host NQN `conduit nvmf check` sends unless told otherwise (NvmfCheckCommand.DEFAULT_HOST_NQN).
check_hostnqn=nqn.2014-08.org.nvmexpress:uuid:c0d0c7a1-0000-4000-8000-0000000c4ec0

# start_serve PORT NQN ALLOW_HOST: `conduit nvmf serve` on a 64 MiB RAM namespace in the background
# ($serve_pid), returns once it printed `listening on ...:PORT` (60 s at most).
start_serve() {
  local port=$1 nqn=$2 allow=$3 n=0
  echo "== conduit nvmf serve --nqn $nqn --namespace ram:64M --port $port --allow-host $allow"
  # timeout caps a target that never stops and passes stop_serve's SIGTERM on to the JVM; --foreground
  # makes that one signal (without it timeout also signals its process group: the JVM would get two).
  timeout --foreground -k 10 "${NVMF_SERVE_TIMEOUT:-900}" bin/conduit nvmf serve --nqn "$nqn" --namespace ram:64M --port "$port" \
    --allow-host "$allow" >"$serve_log" 2>&1 &
  serve_pid=$!
  until grep -qE "^listening on .*:$port( |$)" "$serve_log"; do
    if ! kill -0 "$serve_pid" 2>/dev/null || [ $n -ge 600 ]; then
      echo "FAIL conduit nvmf serve did not print 'listening on ...:$port' within 60 s"
      show_serve_log
      return 1
    fi
    sleep 0.1
    n=$((n + 1))
  done
  echo "== target: $(grep -m 1 '^listening on' "$serve_log") (pid $serve_pid)"
}

# stop_serve: SIGTERM to the target's own PID, SIGKILL after 20 s; how it ended lands in $stopped.
stop_serve() {
  local n=0 rc=0
  [ -n "$serve_pid" ] || return 0
  kill -TERM "$serve_pid" 2>/dev/null || true
  while kill -0 "$serve_pid" 2>/dev/null && [ $n -lt 200 ]; do sleep 0.1; n=$((n + 1)); done
  if kill -0 "$serve_pid" 2>/dev/null; then
    kill -KILL "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
    serve_pid=""
    stopped="still running 20 s after SIGTERM: killed"
    return 1
  fi
  wait "$serve_pid" || rc=$?
  serve_pid=""
  stopped="exited with status $rc after SIGTERM"
  # 143 is the JVM's status for a SIGTERM it did not turn into an exit code of its own.
  [ "$rc" -eq 0 ] || [ "$rc" -eq 143 ]
}
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  stop_serve || true
  if [ -n "$kernel_target" ]; then
    # capture-stop and target-down stop dumpcap and QEMU by the PIDs lab.sh recorded, nothing else.
    PORT=$kport "$lab" capture-stop check-plain >/dev/null 2>&1 || true
    PORT=$kport "$lab" capture-stop check-digests >/dev/null 2>&1 || true
    PORT=$kport "$lab" target-down >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

show_serve_log() {
  echo "--- conduit nvmf serve output (last 40 lines):"
  tail -n 40 "$serve_log"
}

if ! start_serve "$PORT" "$NQN" "$hostnqn"; then
  echo "nvmf interop: FAILED (the target did not start) in $((SECONDS - t0))s"
  exit 1
fi

failed=0
"$lab" suite interop || failed=1
if stop_serve; then echo "PASS target stop: $stopped"; else echo "FAIL target stop: $stopped"; failed=1; fi
if [ $failed -ne 0 ]; then show_serve_log; fi

# discover: `conduit nvmf discover` reads the kernel discovery controller's log page 0x70; it must list the subsystem.
discover() {
  local out="$work/discover.log" rc=0
  echo "== bin/conduit nvmf discover nvmf://127.0.0.1:$kport --host-nqn $check_hostnqn"
  timeout -k 10 120 bin/conduit nvmf discover "nvmf://127.0.0.1:$kport" --host-nqn "$check_hostnqn" >"$out" 2>&1 || rc=$?
  sed 's/^/  /' "$out"
  if [ $rc -ne 0 ]; then echo "FAIL discover: conduit nvmf discover exited with status $rc"; return 1; fi
  if ! grep -q "/$NQN subtype=nvm transport=tcp " "$out"; then echo "FAIL discover: $NQN not listed"; return 1; fi
  echo "PASS discover (kernel discovery controller, log page 0x70)"
}

# striped_store: the scale-out picture. A Conduit target beside the kernel's; one store striped over a
# namespace of each (`conduit format --namespace ... --namespace ...`); objects put, read back and
# compared byte for byte; fsck; then the Conduit target stops.
striped_store() {
  local store="$work/striped-store" rc=0
  local conduit_ns="nvmf://127.0.0.1:$sport/$store_nqn/1" kernel_ns="nvmf://127.0.0.1:$kport/$NQN/1"
  start_serve "$sport" "$store_nqn" "$check_hostnqn" || { echo "FAIL striped-store: the second Conduit target did not start"; return 1; }
  (
    # Explicit exits: set -e does not reach into a function called as `striped_store || ...`.
    store_roundtrip "$store" "$work" "$conduit_ns" "$kernel_ns" || exit 1
    # The 5 MiB object is striped in 1 MiB units: its extents must lie on both namespaces.
    rt_step timeout -k 10 120 bin/conduit --data "$store" stat roundtrip/5242893 --json >"$work/stat.json" || exit 1
    rt_step grep -Eq '"namespace" *: *0' "$work/stat.json" || exit 1
    rt_step grep -Eq '"namespace" *: *1' "$work/stat.json" || exit 1
    echo "roundtrip/5242893 has extents on both namespaces: ok"
  ) 2>&1 | sed 's/^/  /'
  rc=${PIPESTATUS[0]}
  if ! stop_serve; then echo "FAIL striped-store: the second Conduit target $stopped"; rc=1; fi
  if [ "$rc" -ne 0 ]; then show_serve_log; echo "FAIL striped-store (Conduit target + kernel nvmet-tcp)"; return 1; fi
  echo "PASS striped-store (one store striped over a Conduit target and the kernel's nvmet-tcp)"
}

# check NAME [--digests]: `conduit nvmf check` against the kernel target, captured as NAME and judged.
check() {
  local name=$1 out="$work/$1.log" rc=0 judge_args=()
  shift
  [ "${1:-}" = --digests ] && judge_args+=(digests)
  PORT=$kport "$lab" capture-start "$name" || { echo "FAIL $name: dumpcap did not start"; return 1; }
  echo "== bin/conduit nvmf check nvmf://127.0.0.1:$kport/$NQN/1 --host-nqn $check_hostnqn --size 16m${*:+ $*}"
  timeout -k 10 180 bin/conduit nvmf check "nvmf://127.0.0.1:$kport/$NQN/1" --host-nqn "$check_hostnqn" --size 16m "$@" \
    >"$out" 2>&1 || rc=$?
  PORT=$kport "$lab" capture-stop "$name"
  sed 's/^/  /' "$out"
  if [ $rc -ne 0 ]; then echo "FAIL $name: conduit nvmf check exited with status $rc"; return 1; fi
  if ! PORT=$kport "$lab" judge "${NVMF_LAB:-target/nvmf-lab}/logs/$name.pcapng" "${judge_args[@]}"; then
    echo "FAIL $name: tshark's judgement"
    return 1
  fi
  echo "PASS $name"
}

echo "== kernel nvmet-tcp target on 127.0.0.1:$kport, allowing $check_hostnqn"
kernel_target=1
if HOLD=600 PORT=$kport ALLOW_HOST=$check_hostnqn "$lab" target-up; then
  check check-plain || failed=1
  check check-digests --digests || failed=1
  discover || failed=1
  striped_store || failed=1
else
  echo "FAIL kernel target: did not come up on 127.0.0.1:$kport"
  failed=1
fi
PORT=$kport "$lab" target-down
kernel_target=""

if [ $failed -eq 0 ]; then
  echo "nvmf interop: all passed (kernel initiator plain, digests, 2 I/O queues; clean stop; Conduit initiator against kernel nvmet-tcp plain, digests; tshark judged; discovery; a store striped over Conduit and kernel targets) in $((SECONDS - t0))s"
else
  echo "nvmf interop: FAILED (see the FAIL lines above) in $((SECONDS - t0))s"
fi
exit $failed
