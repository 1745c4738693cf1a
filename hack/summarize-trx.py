#!/usr/bin/env python3
"""Adds up the TRX files of a test run and prints one closing line.

Prints each failure with the first lines of its message.
Exit status 1 when a test failed, when a project produced no result file, or when an
integration test was skipped: tests that need the control plane must never skip silently.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def failure_lines(result, limit: int = 12) -> list:
    """The first lines of a failed test's message and stack trace: CI shows only the summary,
    so the reason has to be in it."""
    text = "\n".join(
        (node.text or "").strip()
        for node in (result.find(".//t:Message", NS), result.find(".//t:StackTrace", NS))
        if node is not None and node.text
    )
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    return lines[:limit] + (["..."] if len(lines) > limit else [])


def main(results_dir: str) -> int:
    files = sorted(glob.glob(os.path.join(results_dir, "*.trx")))
    if not files:
        print("no test results were written: did the build fail?")
        print("tests: 0 passed, 1 failed")
        return 1
    passed = failed = skipped = 0
    problems = []
    for path in files:
        name = os.path.basename(path)[: -len(".trx")]
        root = ET.parse(path).getroot()
        for result in root.iterfind(".//t:UnitTestResult", NS):
            outcome = result.get("outcome")
            test = result.get("testName")
            if outcome == "Passed":
                passed += 1
            elif outcome == "NotExecuted":
                skipped += 1
                if "Integration" in name:
                    problems.append(f"integration test skipped: {test}")
            else:
                failed += 1
                problems.append(f"{outcome.lower()}: {name}: {test}")
                problems.extend(f"    {line}" for line in failure_lines(result))
        counters = root.find(".//t:Counters", NS)
        if counters is not None and int(counters.get("total", "0")) == 0:
            problems.append(f"{name} ran no test")
    for p in problems:
        print(p)
    print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if problems or failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
