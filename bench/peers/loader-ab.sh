#!/usr/bin/env bash
# Loader ÷ fio A/B of conduit builds on a RAM-backed block device: a loop device over a tmpfs file (fio's O_DIRECT
# reads of a virtual disk swing too much for a ratio), formatted once with 64 KiB CRC chunks by the first build,
# then `conduit bench --loader --vs-fio --size 512m --epochs 8 --rounds 3 --json` (fio reads the same extents in the
# same invocation; the bench warms the Loader up for 5 s first and runs fio for 1 s a round, and 8 epochs, 4 GiB, make
# the Loader's window about as long) for each build in turn, alternated for --runs runs, so builds measured in one
# window see the same machine. Prints one line per run (Loader ÷ fio, Loader GiB/s, fio GiB/s, storage bytes per byte delivered) and the
# median ratio per build. A build is a repository root whose bin/conduit runs (this one by default). Arguments after
# -- go to every bench run (e.g. -- --no-crc, -- --ring 4, -- --read-ahead 64m).
#
# Usage: sudo bench/peers/loader-ab.sh [--runs 3] [--chunk 64k] [--image-mib 1400] [--dir DIR] [ROOT ...] [-- BENCH ARGS]
# Needs root (losetup), fio and jq. Exit status: 0 when every run worked, 2 for a usage or environment problem,
# 1 when a run failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
runs=3
chunk="64k"
image_mib=1400
base_dir="${TMPDIR:-/tmp}"
roots=()
extra=()

die() { echo "loader-ab: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift ;;
    --chunk) chunk="$2"; shift ;;
    --image-mib) image_mib="$2"; shift ;;
    --dir) base_dir="$2"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) roots+=("$(cd "$1" && pwd)") ;;
  esac
  shift
done
[ ${#roots[@]} -gt 0 ] || roots=("$here")
[[ "$runs" =~ ^[0-9]+$ && "$runs" -ge 1 ]] || die "--runs must be a positive number: $runs"
[ "$(id -u)" -eq 0 ] || die "needs root for losetup"
for tool in fio jq losetup; do
  command -v "$tool" >/dev/null || die "$tool is not installed (Debian: apt-get install ${tool/losetup/mount})"
done
for root in "${roots[@]}"; do
  "$root/bin/conduit" --version >/dev/null || die "$root/bin/conduit does not build or run"
done

work=$(mktemp -d "$base_dir/loader-ab.XXXXXX")
image=/dev/shm/loader-ab-$$.img
dev=""
# shellcheck disable=SC2317  # runs from the EXIT trap
cleanup() {
  if [ -n "$dev" ]; then
    losetup -d "$dev" 2>/dev/null || true
  fi
  rm -f "$image"
  rm -rf "$work"
}
trap cleanup EXIT

truncate -s "${image_mib}M" "$image"
dev=$(losetup -f --show "$image")
"${roots[0]}/bin/conduit" --data "$work/store" format --namespace "$dev" --chunk-size "$chunk" --force >/dev/null

declare -A ratios
failed=0
for run in $(seq 1 "$runs"); do
  for i in "${!roots[@]}"; do
    root=${roots[$i]}
    out="$work/run-$run-$i.json"
    if ! "$root/bin/conduit" --data "$work/store" bench --loader --vs-fio --size 512m --epochs 8 --rounds 3 --json "${extra[@]}" \
        >"$out" 2>"$work/run-$run-$i.err"; then
      echo "run $run, $root: failed: $(tail -n 3 "$work/run-$run-$i.err")" >&2
      failed=1
      continue
    fi
    line=$(jq -r '[.ratio.gib_s, .conduit.gib_s, .fio.gib_s, .loader.read_amplification] | @tsv' "$out")
    read -r ratio loader fio amp <<<"$line"
    printf 'run %d  %-40s loader/fio %.3f  loader %.3f GiB/s  fio %.3f GiB/s  storage/delivered %.3f\n' \
      "$run" "$root" "$ratio" "$loader" "$fio" "$amp"
    ratios[$i]="${ratios[$i]:-} $ratio"
  done
done
for i in "${!roots[@]}"; do
  median=$(tr ' ' '\n' <<<"${ratios[$i]:-}" | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "none"}')
  echo "median loader/fio ${roots[$i]}: $median"
done
exit "$failed"
