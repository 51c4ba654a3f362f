#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The README's first-screen examples hold: the C program compiles and
links against the library with -Wall -Wextra -Werror, the Python one
parses and names only attributes the package has (looked up in its
sources), and every Context method the Go one calls exists.

Usage: readme_snippets.py --readme README.md --cc CC --include DIR
         --lib LIBFILE --python-src DIR --go-src DIR
"""
import argparse
import ast
import os
import re
import subprocess
import sys
import tempfile


def blocks(text, lang):
    return re.findall(r"^```" + lang + r"\n(.*?)^```", text, re.S | re.M)


def main():
    ap = argparse.ArgumentParser()
    for a in ("readme", "cc", "include", "lib", "python_src", "go_src"):
        ap.add_argument("--" + a.replace("_", "-"), required=True)
    args = ap.parse_args()
    text = open(args.readme).read()
    failed = 0

    def check(ok, what):
        nonlocal failed
        print(("ok   " if ok else "FAIL ") + what)
        failed += not ok

    c = blocks(text, "c")
    check(len(c) >= 1, "README has a C example")
    if c:
        with tempfile.TemporaryDirectory() as d:
            src, exe = os.path.join(d, "readme.c"), os.path.join(d, "readme")
            open(src, "w").write(c[0])
            r = subprocess.run([args.cc, "-std=gnu11", "-Wall", "-Wextra", "-Werror",
                                "-I", args.include, src, args.lib, "-o", exe],
                               capture_output=True, text=True)
            print(r.stdout + r.stderr, end="")
            check(r.returncode == 0, "the C example compiles and links")

    py = blocks(text, "python")
    check(len(py) >= 1, "README has a Python example")
    if py:
        tree = ast.parse(py[0])
        pkg = ""
        for root, _, files in os.walk(args.python_src):
            pkg += "".join(open(os.path.join(root, f)).read() for f in files if f.endswith(".py"))
        attrs = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        # Attributes of the standard library's objects (mmap.mmap, enum .name).
        attrs -= {"mmap", "items", "name"}
        missing = sorted(a for a in attrs
                         if not re.search(r"(def |class |^\s*)" + a + r"\b", pkg, re.M))
        check(not missing, f"the Python example's names exist in the package {sorted(attrs)}"
              + (f"; missing {missing}" if missing else ""))

    go = blocks(text, "go")
    check(len(go) >= 1, "README has a Go example")
    if go:
        gosrc = "".join(open(os.path.join(args.go_src, f)).read()
                        for f in os.listdir(args.go_src) if f.endswith(".go"))
        calls = set(re.findall(r"\bctx\.(\w+)\(", go[0])) | {
            "func " + f for f in re.findall(r"\biommufd\.(\w+)\(", go[0])}
        missing = sorted(m for m in calls if not (
            re.search(r"func \(c \*Context\) " + m + r"\(", gosrc) if not m.startswith("func ")
            else re.search(m + r"\(", gosrc)))
        check(not missing, f"the Go example's calls exist {sorted(calls)}"
              + (f"; missing {missing}" if missing else ""))
        fields = set(re.findall(r"\bf\.(\w+)", go[0]))
        missing = sorted(f for f in fields if not re.search(r"^\s*" + f + r"\s", gosrc, re.M))
        check(not missing, f"the Go example's FeatureStatus fields exist {sorted(fields)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
