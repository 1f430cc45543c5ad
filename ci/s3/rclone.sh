# shellcheck shell=bash
# shellcheck disable=SC2154 # work, root, endpoint, region and the keys are set by ci/s3-clients.sh and start_server
# rclone against conduit serve (sourced by ci/s3-clients.sh), configured only by environment
# variables, as a user without a config file would.

check_rclone() {
  local remote="conduit:rclone-check"
  say "rclone: $(rclone version 2>&1 | head -n 1)"
  export RCLONE_CONFIG="$work/rclone.conf" # absent on purpose: the remote comes from the variables below
  export RCLONE_CONFIG_CONDUIT_TYPE=s3 RCLONE_CONFIG_CONDUIT_PROVIDER=Other
  export RCLONE_CONFIG_CONDUIT_ENDPOINT="$endpoint" RCLONE_CONFIG_CONDUIT_REGION="$region"
  export RCLONE_CONFIG_CONDUIT_ACCESS_KEY_ID="$access_key" RCLONE_CONFIG_CONDUIT_SECRET_ACCESS_KEY="$secret_key"
  export RCLONE_CONFIG_CONDUIT_FORCE_PATH_STYLE=true

  rclone mkdir "$remote" 2>"$work/rclone.err" || fail "rclone mkdir: $(cat "$work/rclone.err")"
  rclone sync "$work/tree" "$remote/tree" 2>"$work/rclone.err" || fail "rclone sync up: $(cat "$work/rclone.err")"
  ok "rclone sync up"
  rclone check "$work/tree" "$remote/tree" 2>"$work/rclone.err" || fail "rclone check: $(tail -n 20 "$work/rclone.err")"
  ok "rclone check: 0 differences"
  rclone sync "$remote/tree" "$work/rclone-down" 2>"$work/rclone.err" || fail "rclone sync down: $(cat "$work/rclone.err")"
  same_tree "rclone sync up and down" "$work/tree" "$work/rclone-down"
  rm -rf "$work/rclone-down"
  expect_eq "rclone lsf -R --files-only count" "$(file_count "$work/tree")" \
    "$(rclone lsf -R --files-only "$remote/tree" 2>"$work/rclone.err" | wc -l)"
  rclone purge "$remote" 2>"$work/rclone.err" || fail "rclone purge: $(cat "$work/rclone.err")"
  ok "rclone purge"
}
