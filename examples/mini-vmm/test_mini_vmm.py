#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runs mini-vmm (inside the test VM) and checks what it reports.

mini-vmm checks its own work (bytes seen through the mock's access,
invalidations accepted and the mock's IOTLB cleared, PASID resolved, page
requests answered); this test holds it to that: exit status 0, every step
present, each step that the kernel supports ran its checks (the number each
step makes), each step it does not support was skipped with the probe's
reason, and the summary line agrees with the lines above it.

Usage: test_mini_vmm.py --vmm PATH [--skipped STEP:TEXT]...
Ends with "[kernel X.Y.Z] mini-vmm example: N checks, N passed, N failed".
"""
import argparse
import os
import re
import subprocess
import sys

# Step headings, in order, and the self-checks each makes when it runs.
STEPS = [
    ("memory", "Guest memory as an IOAS", 0),
    ("devices", "Devices attached to the guest's IOAS", 4),
    ("iova", "A guest IOVA space", 4),
    ("sva", "A guest SVA space via PASID attach", 4),
    ("prq", "The page-request loop", 3),
]


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def __call__(self, ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if ok:
            self.passed += 1
        else:
            self.failed += 1


def sections(out):
    """The output split at the step headings: {key: [lines]}."""
    found, key = {}, None
    for line in out.splitlines():
        if line.startswith("== "):
            key = next((k for k, title, _ in STEPS if line[3:].startswith(title)), None)
            found[key] = []
        elif key is not None:
            found[key].append(line)
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vmm", required=True)
    ap.add_argument("--skipped", action="append", default=[],
                    help="STEP:TEXT -- this kernel lacks STEP; its skip line says TEXT")
    args = ap.parse_args()
    skipped = dict(s.split(":", 1) for s in args.skipped)
    check = Checks()

    r = subprocess.run([args.vmm], capture_output=True, text=True, timeout=300)
    print(r.stdout, end="")
    print(r.stderr, end="", file=sys.stderr)
    check(r.returncode == 0, f"mini-vmm exit status {r.returncode} (0: every check passed)")
    check("stand in" in r.stdout, "it says the selftest mock's devices stand in")

    found = sections(r.stdout)
    for key, title, n in STEPS:
        lines = found.get(key)
        if lines is None:
            check(False, f"step '{title}' missing")
            continue
        oks = sum(l.startswith("   ok ") for l in lines)
        fails = [l for l in lines if l.startswith("   FAIL")]
        skips = [l for l in lines if l.startswith("   skip")]
        check(not fails, f"{key}: no failed check {fails}")
        if key in skipped:
            check(oks == 0 and len(skips) == 1 and skipped[key] in skips[0],
                  f"{key}: skipped, saying '{skipped[key]}' ({skips})")
        else:
            check(oks == n and not skips, f"{key}: ran its {n} checks ({oks} ok, {len(skips)} skipped)")

    m = re.search(r"mini-vmm: (\d+) checks passed, (\d+) failed, (\d+) skipped", r.stdout)
    check(m is not None, "summary line present")
    if m:
        all_ok = sum(l.startswith("   ok ") for l in r.stdout.splitlines())
        all_skip = sum(l.startswith("   skip") for l in r.stdout.splitlines())
        check((int(m[1]), int(m[2]), int(m[3])) == (all_ok, 0, all_skip),
              f"summary {m[1]}/{m[2]}/{m[3]} agrees with the lines ({all_ok} ok, {all_skip} skip)")

    release = os.uname().release
    total = check.passed + check.failed
    note = f", skipped: {', '.join(skipped)} (this kernel lacks them)" if skipped else ""
    print(f"[kernel {release}] mini-vmm example: {total} checks, {check.passed} passed, "
          f"{check.failed} failed{note}")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
