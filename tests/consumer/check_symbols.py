#!/usr/bin/env python3
"""Every exported symbol is declared in a public header and versioned
LIBIOMMUFD_x.y; every public function is exported; the version script
lists exactly the public functions."""
import re
import subprocess
import sys
from pathlib import Path

root = Path(sys.argv[1])
lib = sys.argv[2]

decl = re.compile(r"\bLIBIOMMUFD_API\b[^;(]*?\b(iommufd_\w+)\s*\(")
declared = set()
for header in (root / "include" / "libiommufd").glob("*.h"):
    text = re.sub(r"/\*.*?\*/", " ", header.read_text(), flags=re.S)
    text = re.sub(r"^\s*#.*$", " ", text, flags=re.M)
    declared |= set(decl.findall(text))

nm = subprocess.run(["nm", "-D", "--defined-only", "--with-symbol-versions", lib],
                    check=True, capture_output=True, text=True).stdout
exported = {}
for line in nm.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1] in "TtDdBbRrVWi":
        name, _, version = parts[2].partition("@@")
        if name.startswith("LIBIOMMUFD_") and parts[1] == "A":
            continue
        exported[name] = version

script = set(re.findall(r"^\s*(iommufd_\w+);", (root / "src" / "libiommufd.map").read_text(), re.M))

errors = []
for name, version in sorted(exported.items()):
    # The selftest-mock wrappers carry an explicitly unstable version node.
    wanted = r"LIBIOMMUFD_TESTING_UNSTABLE" if name.startswith("iommufd_test_") \
        else r"LIBIOMMUFD_\d+\.\d+"
    if not re.fullmatch(wanted, version):
        errors.append(f"exported {name} has version {version or 'none'}, wants {wanted}")
    if name not in declared:
        errors.append(f"exported {name} is not declared in a public header")
for name in sorted(declared - exported.keys()):
    errors.append(f"public {name} is not exported")
if script != declared:
    errors.append(f"version script and headers differ: {sorted(script ^ declared)}")
for e in errors:
    print("FAIL:", e)
print(f"{len(exported)} exported symbols, {len(declared)} public functions, "
      f"{len(errors)} problems")
sys.exit(1 if errors or not declared else 0)
