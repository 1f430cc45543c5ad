# shellcheck shell=bash
# Sourced by ci/nvmf/lab.sh: the Debian packages the lab needs, the guest kernel (a Debian
# linux-image package unpacked into the cache, never installed on the host) and the guest's
# initramfs (busybox-static + nvme-cli + the NVMe/TCP modules + ci/nvmf/guest-init.sh as /init).
# Uses: LAB (cache folder), HERE (ci/nvmf), log().

# Debian package : file that proves it is there.
LAB_PACKAGES=("qemu-system-x86:/usr/bin/qemu-system-x86_64" "busybox-static:/bin/busybox" "cpio:/usr/bin/cpio"
  "nvme-cli:/usr/sbin/nvme" "tshark:/usr/bin/tshark")

# Modules the guest loads; their dependencies come from modules.dep.
GUEST_MODULES=(virtio_pci virtio_net configfs nvme-tcp nvmet-tcp brd crc32c_generic crc32c-intel crct10dif_generic)

install_packages() {
  local missing=() entry
  for entry in "${LAB_PACKAGES[@]}"; do
    [ -e "${entry#*:}" ] || missing+=("${entry%%:*}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LAB/apt.log" 2>&1 || { tail -n 20 "$LAB/apt.log"; return 1; }
}

# The kernel package linux-image-amd64 points at today, e.g. linux-image-6.1.0-57-amd64.
kernel_package() {
  local pkg
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
  if [ -z "$pkg" ]; then
    apt-get update -qq
    pkg=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
  fi
  [ -n "$pkg" ] || { echo "no linux-image package found behind linux-image-amd64" >&2; return 1; }
  echo "$pkg"
}

# Fills $LAB/kernel: vmlinuz, vmlinux (when it can be extracted) and lib/modules/VER with only the
# modules the guest uses. Kept as long as $LAB/kernel/READY names a package (KERNEL_PACKAGE pins one).
fetch_kernel() {
  [ -f "$LAB/kernel/READY" ] && return 0
  local pkg deb unpack ver dep path kept=0
  pkg=${KERNEL_PACKAGE:-$(kernel_package)}
  mkdir -p "$LAB/debs"
  deb=$(find "$LAB/debs" -name "${pkg}_*.deb" | head -n 1)
  if [ -z "$deb" ]; then
    log "downloading $pkg (apt-get download: the host's kernel is not touched)"
    (cd "$LAB/debs" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >/dev/null)
    deb=$(find "$LAB/debs" -name "${pkg}_*.deb" | head -n 1)
  fi
  unpack="$LAB/unpack"
  rm -rf "$unpack" "$LAB/kernel"
  mkdir -p "$unpack" "$LAB/kernel"
  dpkg-deb -x "$deb" "$unpack"
  ver=$(basename "$(find "$unpack/lib/modules" -mindepth 1 -maxdepth 1 -type d | head -n 1)")
  busybox depmod -b "$unpack" "$ver"
  dep="$unpack/lib/modules/$ver/modules.dep"
  for path in $(module_closure "$dep"); do
    mkdir -p "$LAB/kernel/lib/modules/$ver/$(dirname "$path")"
    cp "$unpack/lib/modules/$ver/$path" "$LAB/kernel/lib/modules/$ver/$path"
    kept=$((kept + 1))
  done
  cp "$unpack/lib/modules/$ver"/modules.{builtin,builtin.modinfo,order} "$LAB/kernel/lib/modules/$ver/"
  busybox depmod -b "$LAB/kernel" "$ver"
  cp "$unpack/boot/vmlinuz-$ver" "$LAB/kernel/vmlinuz"
  rm -rf "$unpack"
  extract_vmlinux "$LAB/kernel/vmlinuz" "$LAB/kernel/vmlinux" || log "no vmlinux extracted: booting the compressed image (slower)"
  echo "$pkg $ver" >"$LAB/kernel/READY"
  log "kernel $pkg ($ver): $kept modules kept"
}

# Every module file GUEST_MODULES need, dependencies included (modules.dep lists them all on one line).
module_closure() {
  local dep=$1 name pattern line
  for name in "${GUEST_MODULES[@]}"; do
    pattern="/($name|$(tr '_-' '-_' <<<"$name"))\.ko:"
    line=$(grep -E "$pattern" "$dep" | head -n 1) || { echo "module $name not in the kernel package" >&2; return 1; }
    tr -d ':' <<<"$line" | tr ' ' '\n'
  done | sed '/^$/d' | sort -u
}

# The bzImage carries an xz-compressed ELF; QEMU boots an ELF vmlinux through its PVH note, which
# skips the in-guest decompression (seconds under software emulation).
extract_vmlinux() {
  python3 - "$1" "$2" <<'PY'
import lzma, sys
image = open(sys.argv[1], "rb").read()
start = image.find(b"\xfd7zXZ\x00")
if start < 0:
    sys.exit(1)
elf = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(image[start:])
if elf[:4] != b"\x7fELF":
    sys.exit(1)
with open(sys.argv[2], "wb") as out:
    out.write(elf)
PY
}

kernel_image() {
  if [ -s "$LAB/kernel/vmlinux" ]; then echo "$LAB/kernel/vmlinux"; else echo "$LAB/kernel/vmlinuz"; fi
}

# $LAB/initramfs.cpio, rebuilt when the kernel, this file or the guest's /init changed.
build_initramfs() {
  local out="$LAB/initramfs.cpio" root="$LAB/rootfs" ver applet lib
  if [ -f "$out" ] && [ "$out" -nt "$LAB/kernel/READY" ] && [ "$out" -nt "$HERE/guest-init.sh" ] && [ "$out" -nt "$HERE/build.sh" ]; then
    return 0
  fi
  ver=$(awk '{print $2}' "$LAB/kernel/READY")
  rm -rf "$root"
  mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc/nvme,lib64,lib/modules}
  ln -s bin "$root/sbin"
  mkdir -p "$root/usr"
  ln -s ../bin "$root/usr/bin"
  ln -s ../bin "$root/usr/sbin"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  cp /usr/sbin/nvme "$root/bin/nvme"
  for lib in $(ldd /usr/sbin/nvme | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/lib/ {print $1}'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  cp -a "$LAB/kernel/lib/modules/$ver" "$root/lib/modules/"
  echo "$GUEST_HOSTNQN" >"$root/etc/nvme/hostnqn"
  echo "$GUEST_HOSTID" >"$root/etc/nvme/hostid"
  cp "$HERE/guest-init.sh" "$root/init"
  chmod 755 "$root/init"
  mknod -m 600 "$root/dev/console" c 5 1 # the kernel opens it before /init can mount devtmpfs
  # Uncompressed: unpacking a gzip costs the emulated guest more than reading 20 MB more.
  (cd "$root" && find . | cpio -o -H newc --quiet) >"$out.tmp"
  mv "$out.tmp" "$out"
  rm -rf "$root"
  log "initramfs $(du -h "$out" | cut -f1) for $ver"
}
