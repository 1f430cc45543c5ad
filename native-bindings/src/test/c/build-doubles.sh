#!/usr/bin/env bash
# Builds the test doubles (test-only shared libraries, never shipped) into OUT_DIR:
#   libcuda_double.so          CUDA driver API subset  (cuda_double.c)
#   libcudart_double.so        CUDA runtime subset     (cudart_double.c, links libcuda_double)
#   libcufile_double.so        libcufile, full surface (cufile_double.c, links libcuda_double)
#   libcufile_legacy_double.so libcufile 1.6: no batch/stream/vector/parameter/stats calls
#   libspdk_double.so          SPDK env + NVMe driver subset (spdk_double.c)
# Each double also compiles double_common.c (call counters, failure table) as a private copy.
# Run by Maven at process-test-classes; surefire then points CONDUIT_*_LIB at these files.
# Usage: build-doubles.sh OUT_DIR
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:?usage: build-doubles.sh OUT_DIR}
mkdir -p "$out"
cc=${CC:-gcc}
flags=(-std=c11 -O1 -g -Wall -Wextra -Werror -fPIC -shared -fvisibility=hidden -pthread -Wl,--no-undefined)
common=("$src/double_common.c")
on_cuda=(-L"$out" -l:libcuda_double.so -Wl,-rpath,'$ORIGIN')

"$cc" "${flags[@]}" -Wl,-soname,libcuda_double.so -o "$out/libcuda_double.so" "$src/cuda_double.c" "${common[@]}"
"$cc" "${flags[@]}" -Wl,-soname,libcudart_double.so -o "$out/libcudart_double.so" "$src/cudart_double.c" "${common[@]}" "${on_cuda[@]}"
"$cc" "${flags[@]}" -Wl,-soname,libcufile_double.so -o "$out/libcufile_double.so" "$src/cufile_double.c" "${common[@]}" "${on_cuda[@]}"
"$cc" "${flags[@]}" -DCUFILE_DOUBLE_LEGACY -Wl,-soname,libcufile_legacy_double.so \
  -o "$out/libcufile_legacy_double.so" "$src/cufile_double.c" "${common[@]}" "${on_cuda[@]}"
"$cc" "${flags[@]}" -Wl,-soname,libspdk_double.so -o "$out/libspdk_double.so" "$src/spdk_double.c" "${common[@]}"
echo "test doubles built in $out"
