# shellcheck shell=bash
# shellcheck disable=SC2154 # work, root, endpoint, region and the keys are set by ci/s3-clients.sh and start_server
# Helpers for ci/s3-clients.sh (sourced, not run): one `conduit serve` child with a fresh data
# directory, check/fail reporting, a test tree of mixed sizes and names, and tree checksums.
# Expects: $root (the repository) and $work (a scratch directory the caller removes).

checks=0

# say TEXT: one progress line.
say() { printf '== [%4ds] %s\n' "$SECONDS" "$*"; }

# fail TEXT: the reason, the server's log tail, and a nonzero exit (the caller's EXIT trap cleans up).
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  if [ -f "$work/serve.log" ]; then
    printf -- '--- last lines of conduit serve output:\n' >&2
    tail -n 20 "$work/serve.log" >&2
  fi
  exit 1
}

# ok TEXT: records one passed check.
ok() { checks=$((checks + 1)); printf 'ok   %s\n' "$*"; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
  if [ "$2" != "$3" ]; then fail "$1: expected '$2', got '$3'"; fi
  ok "$1 (${3//$'\n'/, })"
}

# same_file WHAT A B: byte-identical files.
same_file() {
  cmp -s "$2" "$3" || fail "$1: $3 differs from $2"
  ok "$1"
}

# tree_sums DIR: "sha256  ./path" of every file, sorted (NUL-safe for spaces and unicode).
tree_sums() {
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
}

# same_tree WHAT A B: the same files with the same bytes.
same_tree() {
  tree_sums "$2" >"$work/sums.expected"
  tree_sums "$3" >"$work/sums.actual"
  if ! diff -u "$work/sums.expected" "$work/sums.actual" >"$work/sums.diff"; then
    head -n 40 "$work/sums.diff" >&2
    fail "$1: trees differ ($2 vs $3)"
  fi
  ok "$1: $(wc -l <"$work/sums.expected") files byte-identical"
}

# file_count DIR
file_count() { find "$1" -type f | wc -l; }

# random_file PATH BYTES
random_file() {
  mkdir -p "$(dirname "$1")"
  head -c "$2" /dev/urandom >"$1"
}

# make_tree DIR BIG_FILE: 0 B, 1 B, 4 KiB, 300 small files in nested dirs, a few MiB, names with
# spaces and unicode, and BIG_FILE hard-linked in (no second copy on disk).
make_tree() {
  local dir=$1 big=$2 i
  random_file "$dir/empty.bin" 0
  random_file "$dir/one-byte.bin" 1
  random_file "$dir/four-k.bin" 4096
  for i in $(seq 1 300); do
    random_file "$dir/small/d$((i % 12))/file-$i.txt" $((i * 37))
  done
  random_file "$dir/mid/three-mib.bin" $((3 << 20))
  random_file "$dir/mid/nine-mib.bin" $((9 << 20))
  random_file "$dir/with space/naïve façade ☃.txt" 1234
  random_file "$dir/日本語/ファイル 1.bin" 77777
  random_file "$dir/deep/a/b/c/d/e/leaf.txt" 42
  mkdir -p "$dir/big"
  ln "$big" "$dir/big/two-hundred-mib.bin"
}

# start_server: `conduit serve` on a free port with a fresh data directory in $work; sets
# server_pid, endpoint, region, access_key, secret_key. Bounded wait for the banner.
start_server() {
  "$root/bin/conduit" --version >/dev/null # builds on first use, outside the start timeout
  : >"$work/serve.log" # exists before the first grep, whichever of the two runs first
  "$root/bin/conduit" --data "$work/var" serve --port 0 --size "${CONDUIT_S3_CI_SIZE:-2g}" >"$work/serve.log" 2>&1 &
  server_pid=$!
  local waited=0
  until grep -q '^secret key: ' "$work/serve.log"; do
    kill -0 "$server_pid" 2>/dev/null || fail "conduit serve exited before listening"
    [ "$waited" -lt 600 ] || fail "conduit serve printed no banner within 60 s"
    sleep 0.1
    waited=$((waited + 1))
  done
  endpoint=$(sed -n 's/^endpoint: *//p' "$work/serve.log")
  access_key=$(sed -n 's/^access key: *//p' "$work/serve.log")
  secret_key=$(sed -n 's/^secret key: *//p' "$work/serve.log")
  region=$(sed -n 's/^region: *//p' "$work/serve.log")
  if [ -z "$endpoint" ] || [ -z "$access_key" ] || [ -z "$secret_key" ] || [ -z "$region" ]; then
    fail "the banner lacks the endpoint, region or key"
  fi
  say "conduit serve (pid $server_pid) at $endpoint"
}

# stop_server: SIGTERM, bounded wait; the exit status must be 0 and the store must fsck clean.
stop_server() {
  local pid=$server_pid waited=0 status=0
  server_pid=
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 600 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -0 "$pid" 2>/dev/null && fail "conduit serve did not stop within 60 s of SIGTERM"
  wait "$pid" || status=$?
  expect_eq "conduit serve exit status after SIGTERM" 0 "$status"
  grep -q 'stopped cleanly' "$work/serve.log" || fail "conduit serve did not report a clean stop"
  "$root/bin/conduit" --data "$work/var" fsck >"$work/fsck.log" 2>&1 || fail "fsck after stop: $(cat "$work/fsck.log")"
  ok "store fsck clean after stop"
}

# kill_server: for the EXIT trap; SIGKILL after a bounded SIGTERM, never waits forever.
kill_server() {
  [ -n "${server_pid:-}" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || return 0
  local waited=0
  while kill -0 "$server_pid" 2>/dev/null && [ "$waited" -lt 100 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
