#!/usr/bin/env bash
# Hardware check for a GPU host, in under 10 minutes: builds the CLI, runs `conduit doctor`, reads a few
# GiB of a store object into device memory through the bounce path and, when libcufile is installed
# (compat mode allowed), through the GDS path, each with every block checked on the host after a
# device-to-host copy (`bench --verify`), runs the training Loader into a ring of device memory on the
# path doctor selects (`bench --loader --path`), then prints the figures next to gdsio's on the same host
# (gdsio -x 2 and -x 0), or next to fio reading the same bytes when gdsio is not installed.
# On a host without an NVIDIA GPU it says so and exits 0.
#   ci/gpu-check.sh            GPU_CHECK_GIB=4 (GiB read per path), GPU_CHECK_DIR=target/gpu-check
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

gpus=""
if command -v nvidia-smi >/dev/null 2>&1; then
  gpus=$(nvidia-smi -L 2>/dev/null | grep '^GPU ' || true)
fi
if [ -z "$gpus" ] && compgen -G '/proc/driver/nvidia/gpus/*' >/dev/null; then
  gpus=$(ls /proc/driver/nvidia/gpus)
fi
if [ -z "$gpus" ]; then
  echo "gpu-check: no NVIDIA GPU on this host (nvidia-smi lists none, /proc/driver/nvidia/gpus is empty): nothing to check"
  exit 0
fi
echo "== GPUs"
echo "$gpus"

gib=${GPU_CHECK_GIB:-4}
work=${GPU_CHECK_DIR:-$root/target/gpu-check}
# O_DIRECT and cuFile need a real file system: the store lives under target/, never in /tmp (often tmpfs).
rm -rf "$work"
mkdir -p "$work"
data="$work/data"
conduit() { timeout 300 "$root/bin/conduit" "$@"; }

echo "== building the CLI"
conduit --version

echo "== conduit doctor"
conduit doctor
conduit doctor --json "$work" >"$work/doctor.json"
selected=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["path"]["selected"])' "$work/doctor.json")
echo "doctor selects the $selected path"

echo "== a store of $((gib * 2 + 2)) GiB in $data"
conduit --data "$data" format --size "$((gib * 2 + 2))g" >/dev/null

failed=0
run_path() {
  local path=$1
  echo "== $path path: ${gib} GiB into device memory, every block checked on the host"
  if conduit --data "$data" bench --path "$path" --size "${gib}g" --bs 1m --qd 32 --threads 4 --verify --json \
      >"$work/$path.json"; then
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["gdsio"]); print("verified", r["verified_bytes"], "bytes;", r["cpu"]["s_per_gib"], "CPU-s/GiB")' \
      "$work/$path.json"
  else
    echo "gpu-check: the $path path failed (above)"
    rm -f "$work/$path.json"
    failed=1
  fi
}
run_path bounce
if ldconfig -p 2>/dev/null | grep -q 'libcufile\.so' || compgen -G '/usr/local/cuda*/lib64/libcufile.so*' >/dev/null; then
  # Compat mode allowed (cuFile's own POSIX fallback where nvidia-fs is missing), from setup-gds.sh's cufile.json.
  scripts/setup-gds.sh --write-config "$work/cufile" >/dev/null
  export CUFILE_ENV_PATH_JSON="$work/cufile/cufile.json"
  run_path gds
else
  echo "== gds path: skipped, libcufile is not installed (scripts/setup-gds.sh --check says what is missing)"
fi

echo "== the Loader on the $selected path: 1 GiB of 4 MiB tar shards into a ring of its memory, 4 epochs"
if conduit --data "$data" bench --loader --path "$selected" --size 1g --epochs 4 --ramp 2s --json >"$work/loader.json"; then
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); l=r["loader"]; print("loader on", r["config"]["path"], "path:", l["samples_per_s"], "samples/s,", l["gib_s"], "GiB/s,", l["cpu"]["s_per_gib"], "CPU-s/GiB")' \
    "$work/loader.json"
else
  echo "gpu-check: the Loader on the $selected path failed (above)"
  failed=1
fi

gdsio=$(command -v gdsio || true)
if [ -z "$gdsio" ] && [ -x /usr/local/cuda/gds/tools/gdsio ]; then
  gdsio=/usr/local/cuda/gds/tools/gdsio
fi
if [ -n "$gdsio" ]; then
  echo "== gdsio on the same file system ($gdsio)"
  timeout 300 "$gdsio" -f "$work/gdsio.dat" -d 0 -w 4 -s "${gib}G" -i 1M -x 1 -I 1 >/dev/null
  for x in 2 0; do
    if timeout 300 "$gdsio" -f "$work/gdsio.dat" -d 0 -w 4 -s "${gib}G" -i 1M -x "$x" -I 0 >"$work/gdsio-$x.txt" 2>&1; then
      grep 'IoType:' "$work/gdsio-$x.txt" || true
    else
      echo "gdsio -x $x failed: $(tail -n 3 "$work/gdsio-$x.txt")"
    fi
  done
elif command -v fio >/dev/null 2>&1; then
  echo "== gdsio is not installed: fio over the same store's extents instead"
  conduit --data "$data" bench --target store --size "${gib}g" --bs 1m --qd 32 --threads 4 --vs-fio --rounds 1 --json \
    >"$work/fio.json"
else
  echo "== neither gdsio nor fio is installed: no peer figures"
fi

echo "== figures"
python3 - "$work" <<'PY'
import json, os, re, sys
work = sys.argv[1]
def load(name):
    p = os.path.join(work, name)
    return json.load(open(p)) if os.path.exists(p) else None
def gdsio(x):
    p = os.path.join(work, "gdsio-%d.txt" % x)
    if not os.path.exists(p):
        return None
    m = re.search(r"Throughput: ([0-9.]+) GiB/sec", open(p).read())
    return float(m.group(1)) if m else None
fio = load("fio.json")
fio_gib = fio["fio"]["gib_s"] if fio else None
print("%-8s %14s %12s %-22s %12s %8s" % ("path", "conduit GiB/s", "CPU-s/GiB", "peer", "peer GiB/s", "ratio"))
for path, x in (("bounce", 2), ("gds", 0)):
    r = load(path + ".json")
    if r is None:
        continue
    peer, value = ("gdsio -x %d" % x, gdsio(x)) if gdsio(x) is not None else ("fio, same extents", fio_gib)
    ratio = "%.3f" % (r["conduit"]["gib_s"] / value) if value else "-"
    print("%-8s %14.3f %12.4f %-22s %12s %8s" % (path, r["conduit"]["gib_s"], r["cpu"]["s_per_gib"], peer,
          "%.3f" % value if value else "-", ratio))
PY
exit "$failed"
