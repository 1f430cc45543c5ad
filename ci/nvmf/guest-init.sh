#!/bin/sh
# shellcheck shell=sh
# /init of the lab guest (busybox sh). The kernel command line picks the role:
#   nvmf.role=initiator  nvme-tcp connects to nvmf.addr:nvmf.port (nqn nvmf.nqn), writes nvmf.mib MiB with
#                        O_DIRECT dd, reads them back, compares, disconnects; nvmf.ioq I/O queues,
#                        nvmf.digest=1 for header and data digests.
#   nvmf.role=target     nvmet-tcp on :4420 with a RAM disk (brd, nvmf.size_mib MiB) as namespace 1 of
#                        nvmf.nqn, any host allowed unless nvmf.allow names one; powers off after nvmf.hold s.
# Results are lines "CHECK <name> PASS|FAIL <detail>" on the console; the host reads them.
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp

ROLE=none ADDR=10.0.2.2 PORT=4420 NQN=nqn.2024-01.dev.conduit:lab IOQ=1 DIGEST=0 MIB=16 SIZE_MIB=64 HOLD=60 ALLOW=
read -r cmdline </proc/cmdline
for arg in $cmdline; do
  case "$arg" in
    nvmf.role=*) ROLE=${arg#*=} ;;
    nvmf.addr=*) ADDR=${arg#*=} ;;
    nvmf.port=*) PORT=${arg#*=} ;;
    nvmf.nqn=*) NQN=${arg#*=} ;;
    nvmf.ioq=*) IOQ=${arg#*=} ;;
    nvmf.digest=*) DIGEST=${arg#*=} ;;
    nvmf.mib=*) MIB=${arg#*=} ;;
    nvmf.size_mib=*) SIZE_MIB=${arg#*=} ;;
    nvmf.hold=*) HOLD=${arg#*=} ;;
    nvmf.allow=*) ALLOW=${arg#*=} ;;
  esac
done

uptime_s() { cut -d ' ' -f 1 /proc/uptime; }
say() { echo "guest[$(uptime_s)]: $*"; }
check() { echo "CHECK $1 $2 ${3:-}"; }
off() { say "power off"; sync; poweroff -f; }

load() {
  for m in "$@"; do
    modprobe "$m" || { check modules FAIL "modprobe $m"; off; }
  done
}

# 10.0.2.15/24 and no default route: the guest reaches the QEMU host alias 10.0.2.2 and nothing else.
load virtio_pci virtio_net
n=0
while [ ! -e /sys/class/net/eth0 ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
dmesg -n 7 # nvme/nvmet kernel messages go to the console from here on
say "role=$ROLE kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo)"

# dd_parts IF OF FLAG: MIB MiB in IOQ slices, slice i pinned to CPU i, so every I/O queue carries data
# (nvme-tcp maps a queue to each CPU).
dd_parts() {
  i=0 per=$((MIB / IOQ)) pids=
  while [ $i -lt "$IOQ" ]; do
    at=$((i * per))
    if [ "$3" = oflag ]; then
      taskset "$((1 << i))" dd if="$1" of="$2" bs=1M skip="$at" seek="$at" count="$per" oflag=direct conv=notrunc 2>/tmp/dd.$i &
    else
      taskset "$((1 << i))" dd if="$1" of="$2" bs=1M skip="$at" seek="$at" count="$per" iflag=direct conv=notrunc 2>/tmp/dd.$i &
    fi
    pids="$pids $!"
    i=$((i + 1))
  done
  rc=0
  for p in $pids; do wait "$p" || rc=1; done
  [ $rc -eq 0 ] || cat /tmp/dd.*
  return $rc
}

initiator() {
  load crc32c_generic crct10dif_generic nvme-tcp
  digest_flags=
  [ "$DIGEST" = 1 ] && digest_flags="--hdr-digest --data-digest"
  t0=$(uptime_s)
  # shellcheck disable=SC2086 # digest_flags is a list of flags
  if ! timeout 60 nvme connect -t tcp -a "$ADDR" -s "$PORT" -n "$NQN" -i "$IOQ" -l 10 \
      --hostnqn="$(cat /etc/nvme/hostnqn)" --hostid="$(cat /etc/nvme/hostid)" $digest_flags; then
    check connect FAIL "nvme connect to $ADDR:$PORT nqn $NQN"
    return
  fi
  n=0 dev=
  while [ -z "$dev" ] && [ $n -lt 100 ]; do
    for f in /dev/nvme*n1; do [ -b "$f" ] && dev=$f && break; done
    [ -n "$dev" ] || sleep 0.1
    n=$((n + 1))
  done
  [ -n "$dev" ] || { check connect FAIL "connected but no namespace block device appeared"; return; }
  ctrl=/sys/class/nvme/$(basename "$dev" n1)
  check connect PASS "$dev in $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{print b-a}')s: subsysnqn=$(cat "$ctrl/subsysnqn") model=$(cat "$ctrl/model") size=$(($(cat /sys/block/"$(basename "$dev")"/size) / 2048))MiB"
  queues=$(($(cat "$ctrl/queue_count") - 1))
  if [ "$queues" = "$IOQ" ]; then check queues PASS "$queues I/O queues"; else check queues FAIL "$queues I/O queues, asked for $IOQ"; fi

  dd if=/dev/urandom of=/tmp/pattern bs=1M count="$MIB" 2>/dev/null
  : >/tmp/back
  t0=$(uptime_s)
  if dd_parts /tmp/pattern "$dev" oflag; then check write PASS "${MIB} MiB O_DIRECT in $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{print b-a}')s"
  else check write FAIL "dd oflag=direct to $dev"; fi
  t0=$(uptime_s)
  if dd_parts "$dev" /tmp/back iflag; then check read PASS "${MIB} MiB O_DIRECT in $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{print b-a}')s"
  else check read FAIL "dd iflag=direct from $dev"; fi
  if cmp /tmp/pattern /tmp/back; then check compare PASS "read back what was written (md5 $(md5sum </tmp/pattern | cut -c 1-16))"
  else check compare FAIL "read-back data differs from the pattern"; fi

  timeout 30 nvme disconnect -n "$NQN"
  n=0
  while [ -e "$dev" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
  if [ -e "$dev" ]; then check disconnect FAIL "$dev still there"; else check disconnect PASS; fi
}

target() {
  load configfs crc32c_generic crct10dif_generic nvmet-tcp
  modprobe brd rd_nr=1 rd_size=$((SIZE_MIB * 1024)) || { check target FAIL "modprobe brd"; return; }
  mount -t configfs none /sys/kernel/config
  sub=/sys/kernel/config/nvmet/subsystems/$NQN
  port=/sys/kernel/config/nvmet/ports/1
  mkdir "$sub" || { check target FAIL "mkdir $sub"; return; }
  if [ -n "$ALLOW" ]; then
    echo 0 >"$sub/attr_allow_any_host"
    mkdir "/sys/kernel/config/nvmet/hosts/$ALLOW"
    ln -s "/sys/kernel/config/nvmet/hosts/$ALLOW" "$sub/allowed_hosts/$ALLOW"
  else
    echo 1 >"$sub/attr_allow_any_host"
  fi
  echo conduit-lab-0001 >"$sub/attr_serial"
  mkdir "$sub/namespaces/1"
  printf %s /dev/ram0 >"$sub/namespaces/1/device_path"
  echo 1 >"$sub/namespaces/1/enable" || { check target FAIL "enable namespace /dev/ram0"; return; }
  mkdir "$port"
  echo tcp >"$port/addr_trtype"
  echo ipv4 >"$port/addr_adrfam"
  echo 0.0.0.0 >"$port/addr_traddr"
  echo 4420 >"$port/addr_trsvcid"
  ln -s "$sub" "$port/subsystems/$NQN" || { check target FAIL "bind port 4420"; return; }
  check target PASS "nqn $NQN, ${SIZE_MIB} MiB RAM namespace, allow ${ALLOW:-any host}, hold ${HOLD}s"
  sleep "$HOLD"
  say "hold time over"
}

case "$ROLE" in
  initiator) initiator ;;
  target) target ;;
  *) check role FAIL "unknown nvmf.role=$ROLE" ;;
esac
off
