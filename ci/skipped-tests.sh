#!/usr/bin/env bash
# Prints every test Maven skipped, with the reason its assumption gave (Surefire's console shows only a
# count). Only what cannot be installed here may skip: SPDK and a GPU; anything else skipping is a CI fault.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python3 - "$root" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
count = 0
for report in sorted(glob.glob(sys.argv[1] + "/*/target/surefire-reports/TEST-*.xml")):
    for case in ET.parse(report).getroot().iter("testcase"):
        skipped = case.find("skipped")
        if skipped is not None:
            count += 1
            reason = (skipped.get("message") or (skipped.text or "").strip().split("\n")[0] or "no reason given").strip()
            print(f"skipped: {case.get('classname')}.{case.get('name')}: {reason}")
print(f"{count} test(s) skipped")
PY
