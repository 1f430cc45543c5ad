# shellcheck shell=bash
# shellcheck disable=SC2154 # work, root, endpoint, region and the keys are set by ci/s3-clients.sh and start_server
# s3cmd against conduit serve (sourced by ci/s3-clients.sh): a smoke test with a generated
# config, path-style addressing (host_bucket without %(bucket)s) and plain HTTP.

check_s3cmd() {
  local cfg="$work/s3cmd.cfg" bucket=s3cmd-check host=${endpoint#http://}
  say "s3cmd: $(s3cmd --version 2>&1)"
  cat >"$cfg" <<CFG
[default]
access_key = $access_key
secret_key = $secret_key
host_base = $host
host_bucket = $host
bucket_location = $region
use_https = False
signature_v2 = False
CFG
  s3c() { s3cmd -c "$cfg" --no-progress "$@"; }
  s3c mb "s3://$bucket" >/dev/null || fail "s3cmd mb"
  ok "s3cmd mb"
  s3c put "$work/tree/mid/three-mib.bin" "s3://$bucket/dir/three.bin" >/dev/null || fail "s3cmd put"
  ok "s3cmd put"
  s3c get "s3://$bucket/dir/three.bin" "$work/s3cmd.down" >/dev/null || fail "s3cmd get"
  same_file "s3cmd put and get" "$work/tree/mid/three-mib.bin" "$work/s3cmd.down"
  s3c ls "s3://$bucket/dir/" | grep -q "s3://$bucket/dir/three.bin" || fail "s3cmd ls does not show the object"
  ok "s3cmd ls"
  s3c del "s3://$bucket/dir/three.bin" >/dev/null || fail "s3cmd del"
  expect_eq "s3cmd ls after del" 0 "$(s3c ls "s3://$bucket/dir/" | wc -l)"
  s3c rb "s3://$bucket" >/dev/null || fail "s3cmd rb"
  ok "s3cmd rb"
}
