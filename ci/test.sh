#!/usr/bin/env bash
# The full test suite (the README's test command). Surefire's "Tests run:" lines stay visible.
# Extra Maven arguments pass through. The durability tests run short versions by default; the long runs are
#   ci/test.sh -Dconduit.powerloss.cuts=2000 -Dconduit.crash.kills=200 -Dconduit.catalog.keys=1000000 \
#       -Dconduit.test.forkTimeoutSeconds=3600
# (the fork timeout, 1200 s by default, fails a hung test JVM in every module).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
JAVA_HOME=$(bin/java-home)
export JAVA_HOME
echo "== JDK: $JAVA_HOME"

# The 3 GiB put-session test is off in a plain `mvnw verify` (disk) and on here.
./mvnw -B -ntp verify -Dconduit.put.large=true "$@"

echo "== every test class ran in a Surefire JVM"
ci/missing-test-reports.sh

echo "== skipped tests and why (only SPDK or a GPU may be missing)"
ci/skipped-tests.sh

echo "== launcher smoke test"
ci/launcher-smoke.sh

echo "== example training launcher: Conduit as a Maven dependency, the Loader over a small store"
examples/launcher/run.sh 2

echo "== S3 clients against conduit serve (awscli, boto3, rclone, s3cmd)"
ci/s3-clients.sh

echo "== bench report in headless Chromium"
ci/report-browser-check.sh --self-test

echo "== NVMe/TCP interop: the Linux kernel's initiator (QEMU) against conduit nvmf serve"
ci/nvmf-interop.sh

echo "== SPDK's NVMe/TCP initiator and Conduit's spdk backend against the kernel's nvmet-tcp (QEMU; skips without CONDUIT_SPDK_DIR)"
ci/spdk-kernel.sh
