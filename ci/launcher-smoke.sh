#!/usr/bin/env bash
# Checks the README's main-job command works from a built tree: bin/conduit --help lists the
# commands and bin/conduit doctor --json prints the documented top-level keys.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
pass=0 fail=0
check() { # name, command...
  local name=$1; shift
  if "$@"; then echo "ok   $name"; pass=$((pass + 1)); else echo "FAIL $name"; fail=$((fail + 1)); fi
}
help=$(bin/conduit --help)
check "help lists doctor" grep -q 'doctor' <<<"$help"
json=$(bin/conduit doctor --json)
for key in jdk kernel io_uring fs cuda cufile spdk path config; do
  check "doctor --json has $key" grep -q "^  \"$key\" : " <<<"$json"
done
check "doctor exits 0" bin/conduit doctor >/dev/null
override=$(CONDUIT_CUFILE_LIB=/nonexistent/libcufile.so bin/conduit doctor)
check "doctor flags a library override first" grep -q '^OVERRIDE: libcufile from CONDUIT_CUFILE_LIB=/nonexistent/libcufile.so' <<<"$(head -n 1 <<<"$override")"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
