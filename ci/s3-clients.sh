#!/usr/bin/env bash
# End to end with real S3 clients: starts `bin/conduit serve` on a free port with a fresh data
# directory, then runs awscli, boto3, rclone and s3cmd against it (ci/s3/*), comparing every byte
# that comes back; finally stops the server with SIGTERM (exit 0) and fscks the store.
#   ci/s3-clients.sh                 # every client
#   ci/s3-clients.sh awscli rclone   # some of them
# Needs: aws, python3 with boto3, rclone, s3cmd (.ci/run installs them). The server is killed on
# any exit. CONDUIT_S3_CI_SIZE sets the store size (default 2g).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/conduit-s3-clients.XXXXXX")
server_pid=

# shellcheck source=s3/lib.sh
. "$root/ci/s3/lib.sh"
# shellcheck source=s3/awscli.sh
. "$root/ci/s3/awscli.sh"
# shellcheck source=s3/rclone.sh
. "$root/ci/s3/rclone.sh"
# shellcheck source=s3/s3cmd.sh
. "$root/ci/s3/s3cmd.sh"

cleanup() {
  kill_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# python_with_boto3: the first python3 that imports boto3 (pip's or Debian's python3-boto3).
python_with_boto3() {
  local candidate
  for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import boto3' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

check_boto3() {
  local python
  python=$(python_with_boto3) || fail "no python3 with boto3 (install python3-boto3)"
  CONDUIT_S3_ENDPOINT="$endpoint" CONDUIT_S3_WORK="$work" "$python" "$root/ci/s3/boto3_check.py" \
    || fail "boto3 checks (see above)"
}

clients=("$@")
[ ${#clients[@]} -gt 0 ] || clients=(awscli boto3 rclone s3cmd)
for client in "${clients[@]}"; do
  case $client in
    awscli) command -v aws >/dev/null || fail "aws is not installed (.ci/run installs awscli)" ;;
    boto3) python_with_boto3 >/dev/null || fail "no python3 with boto3 (.ci/run installs python3-boto3)" ;;
    rclone | s3cmd) command -v "$client" >/dev/null || fail "$client is not installed (.ci/run installs it)" ;;
    *) fail "unknown client: $client (awscli, boto3, rclone, s3cmd)" ;;
  esac
done

say "test data in $work"
random_file "$work/big.bin" $((200 << 20))
make_tree "$work/tree" "$work/big.bin"
start_server
export AWS_ACCESS_KEY_ID="$access_key" AWS_SECRET_ACCESS_KEY="$secret_key" AWS_DEFAULT_REGION="$region"
# Only this run's settings: no profile, endpoint or checksum override from whoever runs CI. The
# endpoint is plain HTTP, so no CA bundle is needed, and rclone's S3 backend refuses to start when
# AWS_CA_BUNDLE is set ("LoadCustomCABundleError: unsupported transport").
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 AWS_CA_BUNDLE \
  AWS_REQUEST_CHECKSUM_CALCULATION AWS_RESPONSE_CHECKSUM_VALIDATION
export AWS_SHARED_CREDENTIALS_FILE="$work/aws.credentials" AWS_CONFIG_FILE="$work/aws.config"
printf '[default]\ns3 =\n    addressing_style = path\n' >"$AWS_CONFIG_FILE"

for client in "${clients[@]}"; do
  started=$SECONDS
  "check_$client"
  say "$client passed in $((SECONDS - started)) s"
done
stop_server
say "S3 clients: ${clients[*]}: $checks checks passed"
