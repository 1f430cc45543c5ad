#!/usr/bin/env bash
# The full test suite (the README's test command). Surefire's "Tests run:" lines stay visible.
# Extra Maven arguments pass through, e.g. ci/test.sh -Dconduit.crash.kills=500
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
JAVA_HOME=$(bin/java-home)
export JAVA_HOME
echo "== JDK: $JAVA_HOME"

./mvnw -B -ntp verify "$@"

echo "== launcher smoke test"
ci/launcher-smoke.sh
