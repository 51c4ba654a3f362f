#!/usr/bin/env python3
"""Check the reference documentation.

usage: doccheck.py --include DIR --map FILE [--man DIR]

Fails (exit 1, one "FAIL:" line per problem) when
  - a function the version script exports, or a header declares, has no
    comment naming it in its title ("name - summary");
  - a parameter is not documented: neither an "@name:" line nor "@name" in
    the text of its comment.  By convention the first parameter needs
    neither when it is a handle (a pointer to an opaque struct of the
    public headers: the context, device, queue... the call works on);
  - an "@name:" line names no parameter of the functions it documents, or
    a title names a function that is not declared below it;
  - a struct comment's "@field:" line names no member of the struct;
  - with --man: a function has no page, a .so link points nowhere, or
    groff -man -ww (and mandoc -Tlint, where installed) warns on a page.
"""
import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hdrdoc  # noqa: E402
import pages  # noqa: E402


def check_functions(headers, exported):
    errors = []
    handles = pages.handle_types(headers)
    declared = {f.name: f for h in headers for f in h.functions}
    for name in sorted(exported - declared.keys()):
        errors.append(f"{name} is exported (version script) but declared in no public header, "
                      "so it has no documentation")
    checked_docs = set()
    for h in headers:
        for f in h.functions:
            where = f"{h.name}:{f.line}: {f.name}"
            doc = f.doc
            if doc is None:
                errors.append(f"{where}: no documentation comment right above it")
                continue
            if doc.title_of(f.name) is None:
                errors.append(f"{where}: its comment (line {doc.line}) does not name it "
                              "in a title line \"{f.name} - summary\"")
            for i, p in enumerate(f.params):
                if doc.mentions(p.name):
                    continue
                if i == 0 and pages.handle_of(p, handles):
                    continue
                errors.append(f"{where}: parameter {p.name} is not documented "
                              f"(no \"@{p.name}:\" line, no \"@{p.name}\" in the text)")
            if id(doc) in checked_docs:
                continue
            checked_docs.add(id(doc))
            group = [declared[n] for n in (f.group or [f.name])]
            params = {p.name for g in group for p in g.params}
            for name in doc.params:
                if name not in params:
                    errors.append(f"{h.name}:{doc.line}: @{name} documents no parameter of "
                                  f"{', '.join(g.name for g in group)}")
            for first, spec in doc.specs():
                if not any(hdrdoc.spec_matches(first, spec, g.name) for g in group):
                    errors.append(f"{h.name}:{doc.line}: the title names {spec}, which is not "
                                  "declared right below the comment")
    return errors


def check_structs(headers):
    errors = []
    for h in headers:
        for t in h.types:
            if t.kind != "struct" or t.doc is None or "{" not in t.text:
                continue
            body = re.sub(r"/\*.*?\*/", " ", t.text, flags=re.S)
            members = set(re.findall(r"(\w+)\s*(?:\[[^\]]*\])?\s*[;,]", body))
            for name in t.doc.params:
                if name not in members:
                    errors.append(f"{h.name}:{t.doc.line}: @{name} is no member of struct {t.name}")
    return errors


def lint_pages(man_dir, headers):
    errors = []
    man_dir = Path(man_dir)
    for h in headers:
        for f in h.functions:
            if not (man_dir / f"{f.name}.3").exists():
                errors.append(f"{f.name}: no man page {f.name}.3 in {man_dir}")
    real = []
    for page in sorted(man_dir.glob("*.3")):
        text = page.read_text()
        m = re.match(r"\.so (\S+)\n?$", text)
        if m:
            if not (man_dir.parent / m.group(1)).exists():
                errors.append(f"{page.name}: .so target {m.group(1)} does not exist")
        else:
            real.append(page)
    if not real:
        return errors + [f"no man pages in {man_dir}"]
    for page in real:
        r = subprocess.run(["groff", "-man", "-ww", "-z", str(page)], capture_output=True, text=True)
        if r.returncode or r.stderr.strip():
            errors.append(f"{page.name}: groff -man -ww: {r.stderr.strip() or r.returncode}")
    if shutil.which("mandoc"):
        r = subprocess.run(["mandoc", "-Tlint", *map(str, real)], capture_output=True, text=True)
        for line in (r.stdout + r.stderr).splitlines():
            errors.append(f"mandoc -Tlint: {line}")
        if r.returncode and not (r.stdout + r.stderr).strip():
            errors.append(f"mandoc -Tlint exited {r.returncode}")
        print(f"groff -man -ww and mandoc -Tlint: {len(real)} pages")
    else:
        print(f"groff -man -ww: {len(real)} pages; mandoc is not installed: its lint did not run")
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--include", required=True)
    ap.add_argument("--map", required=True)
    ap.add_argument("--man")
    args = ap.parse_args()
    headers = hdrdoc.parse_headers(args.include)
    exported = hdrdoc.exported_names(args.map)
    errors = check_functions(headers, exported) + check_structs(headers)
    if args.man:
        errors += lint_pages(args.man, headers)
    nfunc = sum(len(h.functions) for h in headers)
    for e in errors:
        print("FAIL:", e)
    print(f"{nfunc} functions in {len(headers)} headers, {len(exported)} exported: "
          f"{len(errors)} problems")
    return 1 if errors or not nfunc else 0


if __name__ == "__main__":
    sys.exit(main())
