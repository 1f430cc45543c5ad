#!/usr/bin/env bash
# Fails when a test class ran in no Surefire JVM: every class under */src/test/java that declares a JUnit or jqwik test
# must have a Surefire report. A test JVM that dies quietly (Surefire then counts only the tests it saw, and the build
# passes) or a class Surefire's naming rules never pick up would otherwise go unnoticed. Run it on a clean tree after
# the Maven run (as ci/test.sh does): reports left by an earlier run would hide a class that no longer runs.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python3 - "$root" <<'PY'
import glob, os, re, sys
root = sys.argv[1]
annotation = re.compile(r"@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|Property|Example|FuzzTest)\b")
declaration = re.compile(r"^\s*(?:public\s+|final\s+)*(abstract\s+)?(?:final\s+)?(class|record|interface|enum)\s+\w+", re.M)
missing = checked = 0
for source in sorted(glob.glob(root + "/*/src/test/java/**/*.java", recursive=True)):
    text = open(source, encoding="utf-8").read()
    first = declaration.search(text)
    if not annotation.search(text) or first is None or first.group(1) or first.group(2) != "class":
        continue
    module = source[len(root) + 1:].split("/")[0]
    name = source.split("/src/test/java/")[1][:-len(".java")].replace("/", ".")
    report = os.path.join(root, module, "target/surefire-reports", "TEST-" + name + ".xml")
    checked += 1
    if not os.path.exists(report):
        missing += 1
        print(f"no Surefire report for {module}: {name}")
print(f"{checked} test classes, {missing} without a report")
sys.exit(1 if missing else 0)
PY
