#!/usr/bin/env python3
"""Counts test outcomes from the TRX files of a run and prints the summary line CI reads.

Usage: trx-summary.py RESULTS_DIR [ABORTED_PROJECTS]
The last line printed is "N passed, N failed" (", N skipped" when any are skipped). Failed
tests are listed above it. A test project whose host died without writing results counts as
one failure. Exits 1 when anything failed.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"


def main() -> int:
    results_dir = sys.argv[1]
    aborted = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    passed = failed = skipped = 0
    failures = []
    files = sorted(glob.glob(os.path.join(results_dir, "**", "*.trx"), recursive=True))
    for path in files:
        root = ET.parse(path).getroot()
        for result in root.iter(NS + "UnitTestResult"):
            outcome = result.get("outcome", "")
            if outcome == "Passed":
                passed += 1
            elif outcome in ("NotExecuted", "Inconclusive"):
                skipped += 1
            else:
                failed += 1
                message = result.find(f"{NS}Output/{NS}ErrorInfo/{NS}Message")
                text = (message.text or "").strip().splitlines()[0][:300] if message is not None and message.text else outcome
                failures.append(f"  FAILED {result.get('testName')}: {text}")
    failed += aborted
    if not files and not aborted:
        print("no test results were found")
        failed = max(failed, 1)
    if failures:
        print("\n".join(failures))
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
