# shellcheck shell=bash
# shellcheck disable=SC2154 # work, root, endpoint, region and the keys are set by ci/s3-clients.sh and start_server
# The AWS CLI against conduit serve (sourced by ci/s3-clients.sh): default client settings, so
# PUTs carry the CLI's default CRC checksums; only the addressing style is set (path), as docs/S3.md
# tells users to.

# awsc ARGS...: the CLI pointed at the server.
awsc() { aws --endpoint-url "$endpoint" "$@"; }

check_awscli() {
  local bucket=awscli-check etag tags
  say "awscli: $(aws --version 2>&1)"
  awsc s3 mb "s3://$bucket" >/dev/null || fail "aws s3 mb"
  ok "aws s3 mb s3://$bucket"

  awsc s3 cp --only-show-errors "$work/tree/four-k.bin" "s3://$bucket/small.bin" || fail "aws s3 cp (4 KiB up)"
  awsc s3 cp --only-show-errors "s3://$bucket/small.bin" "$work/small.down" || fail "aws s3 cp (4 KiB down)"
  same_file "aws s3 cp 4 KiB up and down" "$work/tree/four-k.bin" "$work/small.down"

  awsc s3 cp --only-show-errors "$work/big.bin" "s3://$bucket/big.bin" || fail "aws s3 cp (200 MiB up)"
  etag=$(awsc s3api head-object --bucket "$bucket" --key big.bin --query ETag --output text) || fail "head-object big.bin"
  [[ $etag =~ -[0-9]+\"?$ ]] || fail "200 MiB upload was not multipart: ETag $etag"
  ok "aws s3 cp 200 MiB went multipart (ETag $etag)"
  awsc s3 cp --only-show-errors "s3://$bucket/big.bin" "$work/big.down" || fail "aws s3 cp (200 MiB down)"
  same_file "aws s3 cp 200 MiB up and down" "$work/big.bin" "$work/big.down"
  rm -f "$work/big.down"

  awsc s3 sync --only-show-errors "$work/tree" "s3://$bucket/tree" || fail "aws s3 sync up"
  awsc s3 sync --only-show-errors "s3://$bucket/tree" "$work/aws-down" || fail "aws s3 sync down"
  same_tree "aws s3 sync up and down" "$work/tree" "$work/aws-down"
  rm -rf "$work/aws-down"
  expect_eq "aws s3 ls --recursive count" "$(file_count "$work/tree")" \
    "$(awsc s3 ls --recursive "s3://$bucket/tree/" | wc -l)"
  awsc s3 sync --only-show-errors "$work/tree" "s3://$bucket/tree" || fail "aws s3 sync (no changes)"
  expect_eq "aws s3 ls after a second sync (nothing duplicated)" "$(file_count "$work/tree")" \
    "$(awsc s3 ls --recursive "s3://$bucket/tree/" | wc -l)"

  expect_eq "s3api head-object ContentLength" 4096 \
    "$(awsc s3api head-object --bucket "$bucket" --key tree/four-k.bin --query ContentLength --output text)"
  expect_eq "s3api head-object of the unicode key" 77777 \
    "$(awsc s3api head-object --bucket "$bucket" --key "tree/日本語/ファイル 1.bin" --query ContentLength --output text)"
  awsc s3api put-object-tagging --bucket "$bucket" --key small.bin \
    --tagging 'TagSet=[{Key=team,Value=storage},{Key=stage,Value=ci}]' || fail "put-object-tagging"
  # shellcheck disable=SC2016 # the backticks are a JMESPath literal, not a command substitution
  tags=$(awsc s3api get-object-tagging --bucket "$bucket" --key small.bin \
    --query 'sort_by(TagSet,&Key)[].join(`=`,[Key,Value])' --output text) || fail "get-object-tagging"
  expect_eq "s3api put/get-object-tagging" "$(printf 'stage=ci\tteam=storage')" "$tags"
  expect_eq "s3api list-objects-v2 --delimiter / (common prefixes)" \
    "$(cd "$work/tree" && find . -mindepth 1 -maxdepth 1 -type d -printf 'tree/%P/\n' | LC_ALL=C sort)" \
    "$(awsc s3api list-objects-v2 --bucket "$bucket" --prefix tree/ --delimiter / \
      --query 'CommonPrefixes[].Prefix' --output text | tr '\t' '\n' | LC_ALL=C sort)"
  expect_eq "s3api list-objects-v2 --delimiter / (keys at the top)" \
    "$(cd "$work/tree" && find . -mindepth 1 -maxdepth 1 -type f -printf 'tree/%P\n' | LC_ALL=C sort)" \
    "$(awsc s3api list-objects-v2 --bucket "$bucket" --prefix tree/ --delimiter / \
      --query 'Contents[].Key' --output text | tr '\t' '\n' | LC_ALL=C sort)"

  awsc s3 rm --only-show-errors --recursive "s3://$bucket/" || fail "aws s3 rm --recursive"
  expect_eq "aws s3 ls after rm --recursive" 0 "$(awsc s3 ls --recursive "s3://$bucket/" | wc -l)"
  awsc s3 rb "s3://$bucket" >/dev/null || fail "aws s3 rb"
  ok "aws s3 rb s3://$bucket"
}
