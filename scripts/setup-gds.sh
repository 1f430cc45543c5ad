#!/usr/bin/env bash
# setup-gds.sh -- prepare a GPU host for Conduit's GPUDirect Storage ("gds") data path.
#
# Usage:
#   scripts/setup-gds.sh [--check] [--data DIR]   report what GDS needs (read-only; the default)
#   scripts/setup-gds.sh --write-config DIR       write DIR/cufile.json for Conduit's data directory DIR
#   scripts/setup-gds.sh --help
#
# --check looks at: the NVIDIA driver and GPUs, nvidia-fs (or kernel P2PDMA), the IOMMU, where the
# GPUs and NVMe drives sit on PCIe (different root complexes cost bandwidth), the filesystem and
# mount options of the data directory (ext4 with data=ordered, or XFS), libcufile, and the cuFile
# configuration (/etc/cufile.json, or $CUFILE_ENV_PATH_JSON) with its allow_compat_mode setting.
# It changes nothing: the install commands for this distribution are printed, never run.
#
# Exit codes (stable; see docs/GDS.md):
#   0   ready         GPU, driver, nvidia-fs or P2PDMA, libcufile and a supported filesystem:
#                     cuFile can DMA between NVMe and GPU memory directly
#   2   degraded      a GPU and driver, but GDS would run in compat mode (POSIX IO plus a copy)
#                     or not at all; Conduit falls back to its bounce path; the report says why
#   3   not possible  no NVIDIA GPU, or no NVIDIA driver: Conduit uses its host path
#   64  usage error
#   1   the script itself failed
set -euo pipefail

readonly EXIT_READY=0
readonly EXIT_DEGRADED=2
readonly EXIT_NOT_POSSIBLE=3
readonly EXIT_USAGE=64
readonly NVIDIA_VENDOR=0x10de

mode="check"
data_dir=${CONDUIT_DATA:-./var}
config_dir=
problems=()
warnings=()

usage() {
  # The header comment, up to the first line of code.
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
}

die_usage() {
  echo "setup-gds.sh: $1" >&2
  echo "try: scripts/setup-gds.sh --help" >&2
  exit "$EXIT_USAGE"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --check) mode="check" ;;
    --data)
      [ $# -ge 2 ] || die_usage "--data needs a directory"
      data_dir=$2
      shift
      ;;
    --write-config)
      [ $# -ge 2 ] || die_usage "--write-config needs a directory"
      mode="write"
      config_dir=$2
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die_usage "unknown argument: $1" ;;
  esac
  shift
done

say() { printf '%-22s %s\n' "$1" "$2"; }
warn() { warnings+=("$1"); say "WARN" "$1"; }
problem() { problems+=("$1"); say "PROBLEM" "$1"; }

# ------------------------------------------------------------------ --write-config

write_config() {
  local dir=$1
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local target="$dir/cufile.json"
  local tmp
  tmp=$(mktemp "$dir/.cufile.json.XXXXXX")
  # Defaults from NVIDIA's configuration guide, tuned for Conduit: 1 MiB-aligned extents on
  # ext4/XFS over NVMe or NVMe-oF, 4 MiB requests, batches of up to 128 entries. Compat mode stays
  # allowed so that IO still completes (through POSIX) where GDS cannot be used; doctor reports it.
  cat >"$tmp" <<EOF
{
  "logging": {
    "dir": "$dir/log",
    "level": "ERROR"
  },
  "profile": {
    "nvtx": false,
    "cufile_stats": 0
  },
  "execution": {
    "max_io_queue_depth": 128,
    "max_io_threads": 4,
    "parallel_io": true,
    "min_io_threshold_size_kb": 8192,
    "max_request_parallelism": 4
  },
  "properties": {
    "max_direct_io_size_kb": 16384,
    "max_device_cache_size_kb": 131072,
    "max_device_pinned_mem_size_kb": 33554432,
    "use_poll_mode": false,
    "poll_mode_max_size_kb": 4,
    "allow_compat_mode": true,
    "gds_rdma_write_support": true,
    "io_batchsize": 128,
    "posix_unaligned_writes": false
  },
  "fs": {
    "generic": {
      "posix_unaligned_writes": false
    }
  },
  "denylist": {
    "drivers": [],
    "devices": [],
    "mounts": [],
    "filesystems": []
  }
}
EOF
  if [ -e "$target" ]; then
    cp -p "$target" "$target.bak"
    echo "kept the previous file as $target.bak"
  fi
  mv "$tmp" "$target"
  mkdir -p "$dir/log"
  echo "wrote $target"
  echo "point Conduit (and any cuFile user) at it with:"
  echo "  export CUFILE_ENV_PATH_JSON=$target"
}

if [ "$mode" = write ]; then
  write_config "$config_dir"
  exit 0
fi

# ------------------------------------------------------------------ --check helpers

# The PCI root complex of a device: the pciDDDD:BB component of its sysfs path.
root_complex() {
  local dev
  dev=$(readlink -f "/sys/bus/pci/devices/$1" 2>/dev/null) || return 0
  printf '%s\n' "$dev" | tr '/' '\n' | grep -m1 '^pci[0-9a-f]*:[0-9a-f]*$' || true
}

nvidia_gpus() {
  local dev class
  for dev in /sys/bus/pci/devices/*; do
    [ -r "$dev/vendor" ] || continue
    [ "$(cat "$dev/vendor")" = "$NVIDIA_VENDOR" ] || continue
    class=$(cat "$dev/class")
    # 0x0300xx VGA controller, 0x0302xx 3D controller (datacenter GPUs)
    case "$class" in 0x0300* | 0x0302*) basename "$dev" ;; esac
  done
}

nvme_controllers() {
  local ctrl
  for ctrl in /sys/class/nvme/nvme*; do
    [ -e "$ctrl/device" ] || continue
    basename "$(readlink -f "$ctrl/device")"
  done
}

kernel_config_has() {
  local option=$1
  if [ -r /proc/config.gz ] && command -v zgrep >/dev/null 2>&1; then
    zgrep -q "^$option=y" /proc/config.gz && return 0
    return 1
  fi
  if [ -r "/boot/config-$(uname -r)" ]; then
    grep -q "^$option=y" "/boot/config-$(uname -r)" && return 0
  fi
  return 1
}

install_hint() {
  local id=unknown version=
  if [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    id=$(. /etc/os-release && echo "${ID:-unknown}")
    # shellcheck disable=SC1091
    version=$(. /etc/os-release && echo "${VERSION_ID:-}")
  fi
  echo
  echo "To install GPUDirect Storage on this host ($id $version), as root (not run by this script):"
  case "$id" in
    ubuntu | debian)
      echo "  # NVIDIA CUDA network repository for $id, then:"
      echo "  apt-get update"
      echo "  apt-get install -y nvidia-gds          # nvidia-fs (DKMS) + libcufile + gdscheck"
      echo "  modprobe nvidia-fs"
      ;;
    rhel | centos | rocky | almalinux | fedora)
      echo "  # NVIDIA CUDA network repository for $id, then:"
      echo "  dnf install -y nvidia-gds"
      echo "  modprobe nvidia-fs"
      ;;
    sles | opensuse*)
      echo "  zypper install -y nvidia-gds"
      echo "  modprobe nvidia-fs"
      ;;
    *)
      echo "  install the NVIDIA driver and the nvidia-gds package from the CUDA repository for your distribution"
      ;;
  esac
  echo "  # kernel P2PDMA mode (CUDA 12.8+, open GPU kernel modules) needs no nvidia-fs;"
  echo "  # then verify with: /usr/local/cuda/gds/tools/gdscheck -p"
}

verdict() {
  local code=$1 text=$2
  echo
  echo "VERDICT: $text"
  if [ ${#warnings[@]} -gt 0 ]; then
    echo "  (${#warnings[@]} warning(s) above)"
  fi
  exit "$code"
}

# ------------------------------------------------------------------ --check

echo "== Conduit GPUDirect Storage check (read-only)"

# 1. GPUs and the NVIDIA driver.
mapfile -t gpus < <(nvidia_gpus)
driver_version=
if [ -r /sys/module/nvidia/version ]; then
  driver_version=$(cat /sys/module/nvidia/version)
elif [ -r /proc/driver/nvidia/version ]; then
  driver_version=$(sed -n 's/.*Kernel Module *\([0-9.]*\).*/\1/p' /proc/driver/nvidia/version | head -n1)
fi
if command -v nvidia-smi >/dev/null 2>&1 && [ -z "$driver_version" ]; then
  driver_version=$(nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>/dev/null | head -n1 || true)
fi
say "GPUs" "${#gpus[@]} NVIDIA GPU(s)${gpus[*]:+: ${gpus[*]}}"
say "NVIDIA driver" "${driver_version:-not loaded}"

if [ ${#gpus[@]} -eq 0 ]; then
  install_hint
  verdict "$EXIT_NOT_POSSIBLE" "not possible -- no GPU: no NVIDIA GPU on the PCI bus; Conduit uses its host path"
fi
if [ -z "$driver_version" ]; then
  install_hint
  verdict "$EXIT_NOT_POSSIBLE" "not possible -- NVIDIA driver not loaded; install it, then run this check again"
fi

# 2. nvidia-fs, or kernel P2PDMA.
nvfs=
if [ -r /proc/driver/nvidia-fs/version ]; then
  nvfs=$(head -n1 /proc/driver/nvidia-fs/version)
elif [ -d /sys/module/nvidia_fs ]; then
  nvfs="loaded"
fi
p2pdma=no
if kernel_config_has CONFIG_PCI_P2PDMA; then
  p2pdma=yes
fi
say "nvidia-fs" "${nvfs:-not loaded}"
say "kernel P2PDMA" "$p2pdma"
if [ -z "$nvfs" ] && [ "$p2pdma" = no ]; then
  problem "neither nvidia-fs nor kernel P2PDMA: cuFile can only run in compat mode"
elif [ -z "$nvfs" ]; then
  warn "nvidia-fs not loaded; GDS needs P2PDMA mode (CUDA 12.8+, open GPU kernel modules) or nvidia-fs"
fi

# 3. IOMMU: GDS wants it off or in passthrough mode.
iommu=off
if [ -n "$(ls -A /sys/class/iommu 2>/dev/null)" ]; then
  iommu=on
fi
cmdline=$(cat /proc/cmdline 2>/dev/null || true)
case " $cmdline " in
  *" iommu=pt "* | *" iommu.passthrough=1 "*) iommu="$iommu (passthrough)" ;;
esac
say "IOMMU" "$iommu"
if [ "$iommu" = on ]; then
  warn "the IOMMU translates DMA: boot with iommu=pt (or disable it) for GPUDirect, as NVIDIA's guide advises"
fi

# 4. PCIe placement of GPUs and NVMe controllers.
mapfile -t nvmes < <(nvme_controllers)
say "NVMe controllers" "${#nvmes[@]}${nvmes[*]:+: ${nvmes[*]}}"
for gpu in "${gpus[@]}"; do
  gpu_root=$(root_complex "$gpu")
  for nvme in "${nvmes[@]}"; do
    nvme_root=$(root_complex "$nvme")
    if [ -n "$gpu_root" ] && [ -n "$nvme_root" ] && [ "$gpu_root" != "$nvme_root" ]; then
      warn "GPU $gpu ($gpu_root) and NVMe $nvme ($nvme_root) sit on different root complexes: P2P crosses the CPU interconnect"
    else
      say "placement" "GPU $gpu and NVMe $nvme share root complex ${gpu_root:-?}"
    fi
  done
done
if command -v nvidia-smi >/dev/null 2>&1; then
  echo "-- nvidia-smi topo -m"
  nvidia-smi topo -m 2>/dev/null || true
fi
if [ ${#nvmes[@]} -eq 0 ]; then
  warn "no local NVMe controller (NVMe-oF or a network filesystem would need RDMA for GDS)"
fi

# 5. Filesystem of the data directory.
probe_dir=$data_dir
while [ ! -e "$probe_dir" ] && [ "$probe_dir" != / ]; do
  probe_dir=$(dirname "$probe_dir")
done
fstype=unknown
options=
if command -v findmnt >/dev/null 2>&1; then
  fstype=$(findmnt -no FSTYPE -T "$probe_dir" 2>/dev/null || echo unknown)
  options=$(findmnt -no OPTIONS -T "$probe_dir" 2>/dev/null || true)
fi
say "data directory" "$data_dir (examined at $probe_dir)"
say "filesystem" "$fstype ${options:+($options)}"
case "$fstype" in
  ext4)
    case ",$options," in
      *,data=journal,* | *,data=writeback,*) problem "ext4 must be mounted data=ordered (the default) for GDS" ;;
      *) say "ext4 journaling" "data=ordered" ;;
    esac
    ;;
  xfs) ;;
  *) problem "filesystem $fstype is not served by GDS (use ext4 data=ordered or XFS on NVMe)" ;;
esac

# 6. libcufile and the cuFile configuration.
cufile_lib=
for candidate in ${CUDA_HOME:+"$CUDA_HOME/lib64/libcufile.so.0"} /usr/local/cuda/lib64/libcufile.so.0; do
  if [ -e "$candidate" ]; then
    cufile_lib=$candidate
    break
  fi
done
if [ -z "$cufile_lib" ] && command -v ldconfig >/dev/null 2>&1; then
  cufile_lib=$(ldconfig -p 2>/dev/null | awk '/libcufile\.so\.0 /{print $NF; exit}')
fi
say "libcufile" "${cufile_lib:-not installed}"
if [ -z "$cufile_lib" ]; then
  problem "libcufile.so.0 is not installed"
fi
config=${CUFILE_ENV_PATH_JSON:-/etc/cufile.json}
if [ -r "$config" ]; then
  compat=$(grep -Eo '"allow_compat_mode"[[:space:]]*:[[:space:]]*(true|false)' "$config" | grep -Eo '(true|false)$' | tail -n1 || true)
  say "cuFile config" "$config"
  say "allow_compat_mode" "${compat:-not set (library default: true)}"
else
  say "cuFile config" "$config: not found (library defaults; allow_compat_mode true)"
fi
if [ ! -d /run/udev ]; then
  warn "/run/udev is missing (a container?): cuFile discovers devices through udev; mount it read-only"
fi

if [ ${#problems[@]} -gt 0 ]; then
  install_hint
  verdict "$EXIT_DEGRADED" "degraded -- GDS would run in compat mode or not at all (${#problems[@]} problem(s)); Conduit falls back to its bounce path"
fi
verdict "$EXIT_READY" "ready -- GPUDirect Storage can move data between NVMe and GPU memory directly"
