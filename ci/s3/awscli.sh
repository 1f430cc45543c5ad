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
  check_awscli_versioning
}

# check_awscli_versioning: bucket versioning with s3api: overwrites kept, get by version id,
# delete markers, rollback by copying an old version over the current one.
check_awscli_versioning() {
  local bucket=awscli-versions first second marker versions
  awsc s3 mb "s3://$bucket" >/dev/null || fail "aws s3 mb (versions)"
  awsc s3api put-bucket-versioning --bucket "$bucket" --versioning-configuration Status=Enabled \
    || fail "put-bucket-versioning"
  expect_eq "s3api get-bucket-versioning" Enabled \
    "$(awsc s3api get-bucket-versioning --bucket "$bucket" --query Status --output text)"
  first=$(awsc s3api put-object --bucket "$bucket" --key model.bin --body "$work/tree/four-k.bin" \
    --query VersionId --output text) || fail "put-object (first version)"
  second=$(awsc s3api put-object --bucket "$bucket" --key model.bin --body "$work/tree/mid/three-mib.bin" \
    --query VersionId --output text) || fail "put-object (second version)"
  [ "$first" != "$second" ] || fail "two puts got the same version id $first"
  expect_eq "s3api list-object-versions (newest first)" "$(printf '%s\t%s' "$second" "$first")" \
    "$(awsc s3api list-object-versions --bucket "$bucket" --query 'Versions[].VersionId' --output text)"
  awsc s3api get-object --bucket "$bucket" --key model.bin --version-id "$first" "$work/first.down" >/dev/null \
    || fail "get-object --version-id"
  same_file "s3api get-object --version-id (the first version)" "$work/tree/four-k.bin" "$work/first.down"

  marker=$(awsc s3api delete-object --bucket "$bucket" --key model.bin --query VersionId --output text) \
    || fail "delete-object (delete marker)"
  if awsc s3api head-object --bucket "$bucket" --key model.bin >/dev/null 2>&1; then
    fail "head-object found model.bin behind its delete marker"
  fi
  expect_eq "s3api list-object-versions DeleteMarkers" "$marker" \
    "$(awsc s3api list-object-versions --bucket "$bucket" --query 'DeleteMarkers[].VersionId' --output text)"
  awsc s3api delete-object --bucket "$bucket" --key model.bin --version-id "$marker" >/dev/null \
    || fail "delete-object --version-id (the marker)"
  expect_eq "head-object after removing the marker" "$second" \
    "$(awsc s3api head-object --bucket "$bucket" --key model.bin --query VersionId --output text)"

  awsc s3api copy-object --bucket "$bucket" --key model.bin --copy-source "$bucket/model.bin?versionId=$first" >/dev/null \
    || fail "copy-object (rollback to the first version)"
  awsc s3api get-object --bucket "$bucket" --key model.bin "$work/rolled.down" >/dev/null || fail "get-object (rolled back)"
  same_file "rollback by copy-object of an old version" "$work/tree/four-k.bin" "$work/rolled.down"
  rm -f "$work/first.down" "$work/rolled.down"

  versions=$(awsc s3api list-object-versions --bucket "$bucket" --query 'Versions[].VersionId' --output text)
  for version in $versions; do
    awsc s3api delete-object --bucket "$bucket" --key model.bin --version-id "$version" >/dev/null \
      || fail "delete-object --version-id $version"
  done
  awsc s3 rb "s3://$bucket" >/dev/null || fail "aws s3 rb (versions)"
  ok "aws s3 rb s3://$bucket after removing every version"
}
