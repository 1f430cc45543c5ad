#!/usr/bin/env bash
# Sourced by ci/nvmf-interop.sh and ci/spdk-kernel.sh: a store on remote namespaces, end to end.
# store_roundtrip STORE SCRATCH NAMESPACE...: `conduit --data STORE format --namespace NS ...`, then
# objects of 1000 B, 1 MiB and 5 MiB + 13 B put (written and flushed through the store's journal), got
# back and compared byte for byte, then fsck. Prints each step; returns non-zero at the first failure.
# Uses bin/conduit relative to the current directory (the repository root).

store_roundtrip() {
  local store=$1 scratch=$2 size key
  shift 2
  local format=(bin/conduit --data "$store" format)
  for ns in "$@"; do format+=(--namespace "$ns"); done
  format+=(--journal 2m)
  echo "== ${format[*]}"
  rt_step timeout -k 10 120 "${format[@]}" || return 1
  for size in 1000 1048576 5242893; do
    key="roundtrip/$size"
    rt_step head -c "$size" -- /dev/urandom >"$scratch/in.$size" || return 1
    rt_step timeout -k 10 120 bin/conduit --data "$store" put "$key" "$scratch/in.$size" >/dev/null || return 1
    rt_step timeout -k 10 120 bin/conduit --data "$store" get "$key" "$scratch/out.$size" || return 1
    rt_step cmp "$scratch/in.$size" "$scratch/out.$size" || return 1
    echo "put, get and compare $size B: ok"
  done
  rt_step timeout -k 10 180 bin/conduit --data "$store" fsck || return 1
}

# rt_step CMD...: runs CMD; on failure says which and returns its status.
rt_step() {
  local rc=0
  "$@" || rc=$?
  [ $rc -eq 0 ] || echo "failed ($rc): $*"
  return $rc
}
