#!/usr/bin/env bash
# A stock Linux kernel under QEMU (software emulation) as an NVMe/TCP peer on host loopback.
# See ci/nvmf/README.md. Usage: ci/nvmf/lab.sh MODE [ARGS]
#   setup                       install packages, fetch the kernel, build the initramfs (cached in $LAB)
#   initiator                   guest nvme-tcp -> host 127.0.0.1:$PORT ($NQN): connect, O_DIRECT dd write,
#                               read back, compare, disconnect. DIGEST=1, IOQ=n. CAPTURE=1 records the
#                               traffic on lo and judges it (see judge). Exit 0 only if every check passed.
#   target-up / target-down     guest nvmet-tcp (RAM namespace) reachable on host 127.0.0.1:$PORT; up returns
#                               once an ICReq is answered; the guest powers off by itself after $HOLD s.
#   capture-start NAME / capture-stop NAME   dumpcap on lo, tcp port $PORT, into $LAB/logs/NAME.pcapng
#   judge PCAP [digests] [queues=N]          tshark NVMe/TCP decode: no malformed PDU, no expert error,
#                               the PDU types of a write+read, digests all marked good, N queues carrying data
#   suite [PREFIX]              initiator with CAPTURE=1 three times: plain, DIGEST=1, IOQ=2; a summary line
#   self-test                   suite against target-up (kernel initiator -> host loopback -> kernel target)
#   hostnqn                     print the guest initiator's host NQN (fixed, for allow-lists)
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LAB=${NVMF_LAB:-$ROOT/target/nvmf-lab}
PORT=${PORT:-14420}
NQN=${NQN:-nqn.2024-01.dev.conduit:lab}
IOQ=${IOQ:-1}
DIGEST=${DIGEST:-0}
MIB=${MIB:-16}
SIZE_MIB=${SIZE_MIB:-64}
HOLD=${HOLD:-300}
MAX_HOLD=1800
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}
RUN_TIMEOUT=${RUN_TIMEOUT:-240}
NAME=${NAME:-initiator}
# The guest initiator's identity, fixed so a target can allow-list it.
GUEST_HOSTNQN=nqn.2014-08.org.nvmexpress:uuid:c0d0c7a1-0000-4000-8000-00000000f00d
GUEST_HOSTID=c0d0c7a1-0000-4000-8000-00000000f00d
export GUEST_HOSTNQN GUEST_HOSTID

log() { echo "nvmf-lab: $*" >&2; }
mkdir -p "$LAB/logs" "$LAB/run"
# shellcheck source=build.sh
. "$HERE/build.sh"
# shellcheck source=judge.sh
. "$HERE/judge.sh"

setup() {
  install_packages
  fetch_kernel
  build_initramfs
}

# boot_guest NAME TIMEOUT_S NETDEV_EXTRA APPEND: QEMU in the background under a hard timeout; its own
# PID lands in $LAB/run/NAME.pid (QEMU's -pidfile), the serial console in $LAB/logs/NAME.console.
boot_guest() {
  local name=$1 limit=$2 netdev=$3 append=$4 cpus=1
  [ "$IOQ" -gt 1 ] && cpus=$IOQ # nvme-tcp opens at most one I/O queue per CPU
  rm -f "$LAB/run/$name.pid"
  : >"$LAB/logs/$name.console"
  timeout -s KILL "$limit" qemu-system-x86_64 -nodefaults -no-user-config -machine pc -accel tcg -cpu max \
    -smp "$cpus" -m 384 -display none -monitor none -no-reboot -serial "file:$LAB/logs/$name.console" \
    -kernel "$(kernel_image)" -initrd "$LAB/initramfs.cpio" \
    -append "console=ttyS0 quiet panic=-1 mitigations=off $append" \
    -netdev "user,id=net0,ipv6=off,net=10.0.2.0/24,host=10.0.2.2$netdev" -device virtio-net-pci,netdev=net0 \
    -pidfile "$LAB/run/$name.pid" >"$LAB/logs/$name.qemu.log" 2>&1 &
  BOOT_WRAPPER=$!
}

# stop_pid FILE [SIGNAL]: stop the process FILE names if it is still one of ours (QEMU or dumpcap of
# this lab: its command line names $LAB); SIGKILL after 10 s.
stop_pid() {
  local file=$1 signal=${2:-TERM} pid n=0
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if [ -n "$pid" ] && grep -qa -e "$LAB" "/proc/$pid/cmdline" 2>/dev/null; then
    kill -"$signal" "$pid" 2>/dev/null || true
    while [ -d "/proc/$pid" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    [ -d "/proc/$pid" ] && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$file"
}

checks_of() { grep -a '^CHECK ' "$1" | tr -d '\r' || true; }

# icreq_answered PORT: an NVMe/TCP ICReq to 127.0.0.1:PORT gets an ICResp (type 1, hlen 128, plen 128).
# A bare TCP connect proves nothing here: QEMU's hostfwd accepts before the guest listens.
icreq_answered() {
  local head
  # shellcheck disable=SC2016 # the inner shell expands $1
  head=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    { printf "\x00\x00\x80\x00\x80\x00\x00\x00"; head -c 120 /dev/zero; } >&3
    head -c 8 <&3 | od -An -tx1 | tr -s " \n" " "' icreq "$1" 2>/dev/null) || return 1
  [[ $head == " 01 "??" 80 "??" 80 00 00 00 " ]]
}

initiator() {
  local console="$LAB/logs/$NAME.console" failed
  setup
  if [ "$CAPTURE" = 1 ] && ! capture_start "$NAME"; then
    echo "CHECK capture FAIL dumpcap did not start (see $LAB/logs/$NAME.dumpcap.log)"
    return 1
  fi
  local t0=$SECONDS
  boot_guest "$NAME" "$RUN_TIMEOUT" "" \
    "nvmf.role=initiator nvmf.addr=10.0.2.2 nvmf.port=$PORT nvmf.nqn=$NQN nvmf.ioq=$IOQ nvmf.digest=$DIGEST nvmf.mib=$MIB"
  wait "$BOOT_WRAPPER" || log "QEMU exited with status $? (137: killed after ${RUN_TIMEOUT}s)"
  rm -f "$LAB/run/$NAME.pid"
  if [ "$CAPTURE" = 1 ]; then capture_stop "$NAME"; fi
  log "guest $NAME ran $((SECONDS - t0))s (ioq=$IOQ digest=$DIGEST, $MIB MiB) -> 127.0.0.1:$PORT $NQN"
  checks_of "$console"
  grep -a -E 'nvme|nvmet' "$console" | grep -v '^CHECK' | tail -n 15 | sed 's/^/  console: /' >&2 || true
  failed=0
  local check
  for check in connect queues write read compare disconnect; do
    grep -aq "^CHECK $check PASS" "$console" && continue
    failed=1
    grep -aq "^CHECK $check " "$console" || echo "CHECK $check FAIL not reached (console: $console)"
  done
  if [ "$CAPTURE" = 1 ]; then
    local args=()
    [ "$DIGEST" = 1 ] && args+=(digests)
    args+=("queues=$IOQ")
    judge "$LAB/logs/$NAME.pcapng" "${args[@]}" || failed=1
  fi
  return $failed
}

target_up() {
  [ "$HOLD" -le "$MAX_HOLD" ] || { log "HOLD=$HOLD is over $MAX_HOLD s"; return 2; }
  setup
  stop_pid "$LAB/run/target.pid"
  local allow=""
  [ -n "${ALLOW_HOST:-}" ] && allow=" nvmf.allow=$ALLOW_HOST"
  boot_guest target "$((HOLD + BOOT_TIMEOUT + 30))" ",restrict=on,hostfwd=tcp:127.0.0.1:$PORT-:4420" \
    "nvmf.role=target nvmf.nqn=$NQN nvmf.size_mib=$SIZE_MIB nvmf.hold=$HOLD$allow"
  local t0=$SECONDS
  until icreq_answered "$PORT"; do
    if ! kill -0 "$BOOT_WRAPPER" 2>/dev/null || [ $((SECONDS - t0)) -ge "$BOOT_TIMEOUT" ]; then
      log "target guest not answering ICReq on 127.0.0.1:$PORT after $((SECONDS - t0))s"
      checks_of "$LAB/logs/target.console"
      tail -n 20 "$LAB/logs/target.console" >&2
      stop_pid "$LAB/run/target.pid"
      return 1
    fi
    sleep 1
  done
  checks_of "$LAB/logs/target.console"
  echo "target ready: 127.0.0.1:$PORT nqn $NQN (ICResp after $((SECONDS - t0))s, QEMU pid $(cat "$LAB/run/target.pid"), off in ${HOLD}s)"
}

target_down() {
  stop_pid "$LAB/run/target.pid"
  echo "target stopped"
}

# suite PREFIX: the initiator against 127.0.0.1:$PORT ($NQN) three times, each captured and judged:
# plain, header+data digests, 2 I/O queues; then the judge must reject the digest capture with one data
# digest flipped. One PASS/FAIL line per variant, then a count.
suite() {
  local prefix=$1 results=() failed=0 t0=$SECONDS variant
  for variant in "plain:0:1" "digests:1:1" "queues2:0:2"; do
    IFS=: read -r NAME DIGEST IOQ <<<"$variant"
    NAME="$prefix-$NAME"
    if CAPTURE=1 initiator; then results+=("PASS $NAME"); else results+=("FAIL $NAME"); failed=$((failed + 1)); fi
  done
  if judge_rejects_corruption "$LAB/logs/$prefix-digests.pcapng"; then results+=("PASS $prefix-judge-self-check")
  else results+=("FAIL $prefix-judge-self-check"); failed=$((failed + 1)); fi
  printf '%s\n' "${results[@]}"
  echo "$prefix: $((${#results[@]} - failed)) passed, $failed failed in $((SECONDS - t0))s"
  [ $failed -eq 0 ]
}

# Kernel to kernel: the guest initiator reaches the guest target through host 127.0.0.1:$PORT.
self_test() {
  local rc=0
  HOLD=600 ALLOW_HOST=$GUEST_HOSTNQN target_up || return 1
  suite self || rc=$?
  target_down
  return $rc
}

# An interrupted run leaves no guest or dumpcap behind (target-up's guest is meant to outlive the script).
on_exit() {
  stop_pid "$LAB/run/$NAME.pid"
  stop_pid "$LAB/run/capture-$NAME.pid" INT
  [ "${1:-}" != self-test ] || stop_pid "$LAB/run/target.pid"
}

CAPTURE=${CAPTURE:-0}
case "${1:-}" in
  initiator | suite | self-test) trap 'on_exit "$1"' EXIT ;;
esac
case "${1:-}" in
  setup) setup ;;
  initiator) initiator ;;
  target-up) target_up ;;
  target-down) target_down ;;
  capture-start) capture_start "${2:?name}" ;;
  capture-stop) capture_stop "${2:?name}" ;;
  judge) shift; judge "$@" ;;
  suite) suite "${2:-suite}" ;;
  self-test) self_test ;;
  hostnqn) echo "$GUEST_HOSTNQN" ;;
  *) sed -n '2,/^[^#]/{/^# shellcheck/d;/^#/p}' "$0" >&2; exit 2 ;;
esac
