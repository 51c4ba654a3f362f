#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The iommufd-info example's tests (CTest label `example`).

    iommufd_info_test.py host|vm|edu --tool PATH --schema PATH [--save DIR]

host: no iommufd needed: usage errors and their exit code, --help and
      --version, an iommufd that cannot be opened (exit 2, its message, a
      valid document with every kernel answer unknown), the validator
      itself refusing broken documents.
vm:   inside the test VM (tests/vm/run latest|6.12) with the selftest mock:
      --json --mock checked against the schema and against what the
      running kernel is known to have (commands, sizes, release, features),
      the mock kinds, devices that cannot be opened, the text tables.
edu:  inside the VM booted with QEMU's edu device behind its Intel IOMMU
      and bound to vfio-pci (tests/kernel/run-edu.sh): the device found by
      the scan, named by PCI address and by cdev, its VT-d HW info and the
      probe's answers against the ECAP bits.

Every JSON document is saved under --save (the sample outputs).  The last
line is "[host] ..." or "[kernel X.Y.Z] iommufd-info example (MODE): N
checks, N passed, N failed" for scripts/check.
"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import json_schema  # noqa: E402
import kernel_facts  # noqa: E402

try:
    import jsonschema  # a second opinion on the schema when it is installed
except ImportError:
    jsonschema = None

FEATURES = ["BIND_PGTBL", "BIND_PASID_TABLE", "CACHE_INVLD", "PAGE_REQUEST", "PASID",
            "SYSWIDE_PASID", "DIRTY_TRACKING", "NEST_PARENT", "VIOMMU", "VEVENTQ",
            "HW_QUEUE", "MAP_FILE", "CHANGE_PROCESS"]


class Checks:
    def __init__(self, args):
        self.args = args
        self.passed = self.failed = 0
        with open(args.schema) as f:
            self.schema = json.load(f)

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print(f"  ok    {what}")
        else:
            self.failed += 1
            print(f"  FAIL  {what}" + (f": {detail}" if detail else ""))
        return ok

    def run(self, *argv):
        p = subprocess.run([self.args.tool, *argv], capture_output=True, text=True,
                           timeout=600)
        print(f"$ iommufd-info {' '.join(argv)}  -> exit {p.returncode}")
        return p

    def document(self, save_as, *argv, want_exit):
        """Run with --json; check the exit code, the schema and exit_code.
        Returns the document (None when it could not be read)."""
        p = self.run("--json", *argv)
        self.check(p.returncode == want_exit, f"exit status {want_exit}",
                   f"got {p.returncode}; stderr: {p.stderr.strip()[:300]}")
        try:
            doc = json.loads(p.stdout)
        except ValueError as e:
            self.check(False, "the output is JSON", str(e))
            return None
        if self.args.save:
            os.makedirs(self.args.save, exist_ok=True)
            with open(os.path.join(self.args.save, save_as), "w") as f:
                f.write(p.stdout)
        errors = json_schema.validate(doc, self.schema)
        self.check(not errors, "valid against iommufd-info.schema.json", "; ".join(errors[:5]))
        if jsonschema:
            try:
                jsonschema.Draft202012Validator(self.schema).validate(doc)
                self.check(True, "valid for the jsonschema package too")
            except jsonschema.ValidationError as e:
                self.check(False, "valid for the jsonschema package too", e.message)
        self.check(doc.get("exit_code") == p.returncode, "exit_code matches the exit status",
                   f"{doc.get('exit_code')} vs {p.returncode}")
        return doc

    def summary(self, tag, mode):
        total = self.passed + self.failed
        print(f"[{tag}] iommufd-info example ({mode}): {total} checks, {self.passed} passed, "
              f"{self.failed} failed")
        return 1 if self.failed or not total else 0


def features_by_name(features):
    return {f["name"]: f for f in features or []}


# -- host --------------------------------------------------------------------

def host_usage(c):
    for argv, what in [(["--bogus"], "an unknown option"), (["-x"], "an unknown short option"),
                       (["--mock=bogus"], "an unknown mock kind"),
                       (["--iommu"], "--iommu without its value"),
                       ([""], "an empty DEVICE")]:
        p = c.run(*argv)
        c.check(p.returncode == 1 and "usage:" in p.stderr and not p.stdout,
                f"{what}: exit 1, the usage on stderr, nothing on stdout",
                f"exit {p.returncode}, stderr {p.stderr[:120]!r}, stdout {p.stdout[:80]!r}")
    p = c.run("--help")
    c.check(p.returncode == 0 and p.stdout.startswith("usage:"), "--help: exit 0, the usage")
    c.check(all(re.search(rf"\b{n}\b", p.stdout) for n in "012345"),
            "--help documents every exit status")
    p = c.run("--version")
    c.check(p.returncode == 0 and re.match(r"iommufd-info \d+\.\d+\.\d+ \(libiommufd ", p.stdout)
            and "schema_version 1" in p.stdout, "--version: the versions and the schema's",
            p.stdout)


def host_no_iommufd(c):
    missing = "/nonexistent/iommu"
    doc = c.document("host-no-iommufd.json", "--iommu", missing, "--mock", want_exit=2)
    if doc:
        h = doc["host"]
        c.check(h["iommufd"]["available"] is False and h["iommufd"]["error"]["errno"] == "ENOENT"
                and missing in h["iommufd"]["error"]["message"],
                "iommufd unavailable, ENOENT, the path in the message", json.dumps(h["iommufd"]))
        c.check(h["kernel_release"] == os.uname().release, "kernel_release is uname -r")
        names = [cmd["name"] for cmd in h["commands"]]
        c.check(names == kernel_facts.NAMES, "the 21 commands, in number order", str(names))
        c.check([cmd["nr"] for cmd in h["commands"]] == list(range(0x80, 0x95)),
                "command numbers 0x80..0x94")
        c.check(all(cmd["status"] == "unknown" and cmd["kernel_size"] is None and
                    all(f["status"] == "unknown" for f in cmd["fields"])
                    for cmd in h["commands"]), "every command and field unknown")
        c.check(all(cmd["fields"] and cmd["fields"][0]["name"] == "size" for cmd in h["commands"]),
                "every command's first field is size")
        c.check([f["name"] for f in h["features"]] == FEATURES and
                all(f["supported"] is None and f["error"] for f in h["features"]),
                "every host feature named, not probed, saying why")
        mock = [d for d in doc["devices"] if d["source"] == "mock"]
        c.check(len(mock) == 1 and mock[0]["error"]["stage"] == "iommufd",
                "the mock device not made: no iommufd", json.dumps(mock))
    p = c.run("--iommu", missing)
    c.check(p.returncode == 2 and f"{missing}: cannot open" in p.stderr,
            "text: exit 2 and the reason on stderr", p.stderr)
    c.check("not usable" in p.stdout and all(n in p.stdout for n in kernel_facts.NAMES),
            "text: says iommufd is not usable, still lists every command")
    # This machine's own /dev/iommu: development machines here have none.
    p = c.run("--json")
    usable = os.access("/dev/iommu", os.R_OK | os.W_OK)
    if usable:
        c.check(p.returncode != 2, "/dev/iommu is usable here: not exit 2", p.stderr)
    else:
        c.check(p.returncode == 2 and "/dev/iommu: cannot open" in p.stderr,
                "no usable /dev/iommu here: exit 2 and the reason on stderr", p.stderr)


def host_validator(c):
    """The validator must refuse what the schema forbids (else its 'ok' means nothing)."""
    p = c.run("--json", "--iommu", "/nonexistent/iommu")
    doc = json.loads(p.stdout)

    def broken(change):
        d = json.loads(p.stdout)
        change(d)
        return json_schema.validate(d, c.schema)

    c.check(not json_schema.validate(doc, c.schema), "the validator accepts the document")
    cases = {
        "a missing key": lambda d: d["host"].pop("kernel_release"),
        "an unknown key": lambda d: d["host"]["commands"][0].update(extra=1),
        "a status outside the enum": lambda d: d["host"]["commands"][3].update(status="yes"),
        "a malformed release": lambda d: d["host"]["commands"][0].update(release="6"),
        "a string for an integer": lambda d: d["host"]["commands"][0].update(nr="128"),
        "a boolean for an integer": lambda d: d.update(exit_code=True),
        "schema_version 2": lambda d: d.update(schema_version=2),
    }
    for what, change in cases.items():
        c.check(broken(change), f"the validator refuses {what}")


# -- vm (mock) -----------------------------------------------------------------

def vm_host(c, doc, facts, release):
    h = doc["host"]
    c.check(h["kernel_release"] == release and h["iommufd"]["available"] and
            h["iommufd"]["error"] is None, "kernel_release is uname -r, iommufd available")
    c.check(h["iommufd"]["abi_release"] == facts["release"],
            f"abi_release {facts['release']}", str(h["iommufd"]["abi_release"]))
    wrong = [f"{cmd['name']}: {cmd['status']}, {cmd['kernel_size']} bytes"
             for cmd in h["commands"]
             if (cmd["status"], cmd["kernel_size"]) !=
             (("supported", facts["sizes"][cmd["nr"] - 0x80]) if cmd["nr"] <= facts["last_cmd"]
              else ("absent", 0))]
    c.check(not wrong, f"commands 0x80..{facts['last_cmd']:#x} supported with this kernel's "
            "sizes, the rest absent", "; ".join(wrong))
    kver = tuple(map(int, release.split(".")[:2]))
    wrong = [f"{cmd['name']}.{f['name']} ({f['release']}): {f['status']}"
             for cmd in h["commands"] for f in cmd["fields"]
             if f["status"] != ("supported" if tuple(map(int, f["release"].split("."))) <= kver
                                else "absent")]
    c.check(not wrong, "every field of this release or older supported, newer ones absent",
            "; ".join(wrong))
    feats = features_by_name(h["features"])
    c.check(list(feats) == FEATURES, "the 13 host features")
    wrong = [n for n, f in feats.items()
             if f["supported"] is None or not f["reason"] or f["error"] is not None]
    c.check(not wrong, "every host feature probed, with a reason", str(wrong))
    newer = ["VIOMMU", "VEVENTQ", "HW_QUEUE", "MAP_FILE", "CHANGE_PROCESS", "BIND_PASID_TABLE"]
    want = facts["name"] == "7.2"
    wrong = [n for n in newer if feats[n]["supported"] is not want or
             (not want and "needs Linux" not in feats[n]["reason"])]
    c.check(not wrong, f"host features of 6.13+ {'present' if want else 'absent (needs Linux)'}",
            "; ".join(f"{n}: {feats[n]['reason']}" for n in wrong))


def mock_device(c, doc, kind):
    mocks = [d for d in doc["devices"] if d["source"] == "mock"]
    if not c.check(len(mocks) == 1, f"one {kind} device", json.dumps(doc["devices"])[:300]):
        return None
    d = mocks[0]
    c.check(d["name"] == kind and d["path"] is None and d["pci_address"] is None and
            isinstance(d["dev_id"], int) and d["error"] is None,
            f"{kind}: named, no cdev, bound, no error", json.dumps(d["error"]))
    hw = d["hw_info"] or {}
    c.check(hw.get("type") == "SELFTEST" and hw.get("type_value") == 0xfeedbeef and
            hw.get("vendor", {}).get("test_reg") == "0xdeadbeef",
            f"{kind}: SELFTEST HW info, test_reg 0xdeadbeef", json.dumps(hw)[:300])
    feats = features_by_name(d["features"])
    c.check(list(feats) == FEATURES and
            all(f["supported"] is not None and f["reason"] for f in feats.values()),
            f"{kind}: the 13 features probed, each with a reason")
    return d, hw, feats


def vm_mock(c, facts, release):
    is_72 = facts["name"] == "7.2"
    doc = c.document(f"mock-{facts['name']}.json", "--mock", want_exit=0)
    if not doc:
        return
    vm_host(c, doc, facts, release)
    got = mock_device(c, doc, "mock")
    if got:
        d, hw, feats = got
        c.check("DIRTY_TRACKING" in (hw["capability_names"] or []) and
                hw["max_pasid_log2"] == 0, "mock: DIRTY_TRACKING capability, PASID width 0",
                json.dumps(hw)[:200])
        # The mock's answers, from the kernels' sources: 6.12 lacks the
        # vIOMMU family; PASIDs need the PASID kind.
        on_612 = {"BIND_PGTBL", "NEST_PARENT", "DIRTY_TRACKING", "CACHE_INVLD", "PAGE_REQUEST"}
        want = {n: (n not in ("PASID", "SYSWIDE_PASID")) if is_72 else n in on_612
                for n in FEATURES}
        wrong = [f"{n}: {f['supported']} ({f['reason']})" for n, f in feats.items()
                 if f["supported"] is not want[n]]
        c.check(not wrong, "mock: each feature's answer as the kernel's mock gives it",
                "; ".join(wrong))

    doc = c.document(f"mock-no-dirty-{facts['name']}.json", "--mock=no-dirty", want_exit=0)
    got = doc and mock_device(c, doc, "mock:no-dirty")
    if got:
        _, hw, feats = got
        c.check("DIRTY_TRACKING" not in (hw["capability_names"] or []) and
                feats["DIRTY_TRACKING"]["supported"] is False,
                "mock:no-dirty: no DIRTY_TRACKING capability or feature")

    if is_72:
        doc = c.document("mock-pasid-7.2.json", "--mock=pasid", want_exit=0)
        got = doc and mock_device(c, doc, "mock:pasid")
        if got:
            _, hw, feats = got
            c.check(hw["max_pasid_log2"] == 20 and feats["PASID"]["supported"] is True,
                    "mock:pasid: PASID width 20, PASID supported")
    else:
        doc = c.document("mock-pasid-6.12.json", "--mock=pasid", want_exit=4)
        mocks = [d for d in (doc or {}).get("devices", []) if d["source"] == "mock"]
        c.check(len(mocks) == 1 and mocks[0]["error"]["stage"] == "mock" and
                "6.15" in mocks[0]["error"]["message"] and mocks[0]["hw_info"] is None,
                "mock:pasid on 6.12: not made, the release it needs said (exit 4)",
                json.dumps(mocks)[:300])


def vm_bad_devices(c):
    doc = c.document("bad-devices.json", "/dev/vfio/devices/vfio-none", "0000:ff:1f.7", "--mock",
                     want_exit=3)
    if not doc:
        return
    byname = {d["name"]: d for d in doc["devices"]}
    cdev = byname.get("/dev/vfio/devices/vfio-none", {})
    pci = byname.get("0000:ff:1f.7", {})
    c.check((cdev.get("error") or {}).get("stage") == "open" and
            cdev["error"]["errno"] == "ENOENT", "a missing cdev: open failed, ENOENT",
            json.dumps(cdev))
    c.check((pci.get("error") or {}).get("stage") == "open" and pci["error"]["errno"] == "ENODEV"
            and pci["hw_info"] is None and pci["features"] is None,
            "a missing PCI device: open failed, ENODEV, nothing probed", json.dumps(pci))
    c.check(len(doc["devices"]) == 3 and doc["devices"][2]["source"] == "mock" and
            doc["devices"][2]["error"] is None, "the mock still shown after them")


def table_aligned(lines, column):
    """Do all @lines have a column boundary at the same place as the header?"""
    return len({len(line.split(column)[0]) for line in lines if column in line}) == 1


def vm_text(c, release):
    p = c.run("--mock")
    out = p.stdout.splitlines()
    c.check(p.returncode == 0 and f"kernel   {release}" in out, "text: exit 0, the kernel release")
    header = next((line for line in out if line.startswith("COMMAND / field")), "")
    cmds = [line for line in out if re.match(r"IOMMU_\w+ +0x[89][0-9a-f] ", line)]
    c.check(len(cmds) == 21 and {line.index(" 0x") + 1 for line in cmds} == {header.find("NR")},
            "text: 21 command rows, the NR column under its header")
    header = next((line for line in out if line.startswith("  FEATURE ")), "")
    col = header.find("SUPPORTED")
    feats = [line for line in out
             if re.match(r"  (" + "|".join(FEATURES) + r") +(\d+\.\d+|-) ", line)]
    c.check(len(feats) == 13 and col > 0 and
            all(line[col:col + 4] in ("yes ", "no  ") for line in feats),
            "text: the mock's 13 features, yes/no under SUPPORTED")
    c.check(any(line.startswith("DEVICE mock (mock), dev_id ") for line in out) and
            any("SELFTEST (0xfeedbeef)" in line for line in out),
            "text: the mock device and its HW info type")


# -- edu ---------------------------------------------------------------------

def edu_bdf():
    base = "/sys/bus/pci/devices"
    for name in sorted(os.listdir(base)):
        def read(attr):
            with open(os.path.join(base, name, attr)) as f:
                return f.read().strip()
        if read("vendor") == "0x1234" and read("device") == "0x11e8":
            return name
    return None


def edu_device(c, doc, source, bdf):
    devs = doc["devices"]
    if not c.check(len(devs) == 1 and devs[0]["source"] == source and
                   devs[0]["pci_address"] == bdf,
                   f"edu shown once ({source}), PCI address {bdf}", json.dumps(devs)[:400]):
        return None
    d = devs[0]
    c.check(d["error"] is None and re.match(r"/dev/vfio/devices/vfio\d+$", d["path"] or ""),
            "edu: its cdev path, no error", json.dumps(d["error"]))
    return d


def edu(c, facts, release):
    bdf = edu_bdf()
    if not c.check(bdf is not None, "an edu device (1234:11e8) in this VM"):
        return
    doc = c.document(f"edu-{facts['name']}.json", want_exit=0)
    d = doc and edu_device(c, doc, "scan", bdf)
    if d:
        vm_host(c, doc, facts, release)
        hw = d["hw_info"] or {}
        vendor = hw.get("vendor", {})
        c.check(hw.get("type") == "INTEL_VTD" and set(vendor) == {"flags", "cap_reg", "ecap_reg"}
                and int(vendor["cap_reg"], 16) != 0 and len(hw["raw"]) == 2 * hw["data_len"],
                "edu: INTEL_VTD with flags, cap_reg, ecap_reg, raw bytes", json.dumps(hw)[:300])
        raw = bytes.fromhex(hw.get("raw", ""))
        c.check(len(raw) >= 24 and int.from_bytes(raw[16:24], "little") ==
                int(vendor.get("ecap_reg", "0"), 16), "edu: ecap_reg is the raw bytes 16..23")
        # VT-d spec 11.4.3 bit positions, not the library's.
        ecap = int(vendor.get("ecap_reg", "0"), 16)
        nest = bool(ecap >> 43 & 1) and bool(ecap >> 26 & 1)
        feats = features_by_name(d["features"])
        want = {"NEST_PARENT": nest, "BIND_PGTBL": nest, "PAGE_REQUEST": bool(ecap >> 29 & 1),
                "DIRTY_TRACKING": bool(ecap >> 43 & 1) and bool(ecap >> 45 & 1),
                "PASID": False, "VIOMMU": False}
        wrong = [f"{n}: {feats.get(n, {}).get('supported')} ({feats.get(n, {}).get('reason')})"
                 for n, w in want.items() if feats.get(n, {}).get("supported") is not w]
        c.check(not wrong, f"edu: features follow ECAP {ecap:#x}", "; ".join(wrong))
        c.check(all(f["reason"] and f["error"] is None for f in feats.values()) and
                len(feats) == 13, "edu: the 13 features probed, each with a reason")
    doc = c.document(f"edu-by-pci-{facts['name']}.json", bdf, want_exit=0)
    d_pci = doc and edu_device(c, doc, "argument", bdf)
    short = bdf[5:] if bdf.startswith("0000:") else bdf
    doc = c.document("edu-short-all.json", short, "--all-devices", want_exit=0)
    doc and edu_device(c, doc, "argument", bdf)
    if d and d_pci:
        doc = c.document("edu-twice.json", d["path"], bdf, want_exit=0)
        doc and edu_device(c, doc, "argument", bdf)
    p = c.run(bdf)
    c.check(p.returncode == 0 and f", PCI {bdf}, dev_id " in p.stdout and
            "INTEL_VTD (0x1)" in p.stdout and "ecap_reg 0x" in p.stdout,
            "text: the edu device with its PCI address and VT-d registers")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["host", "vm", "edu"])
    ap.add_argument("--tool", required=True)
    ap.add_argument("--schema", required=True)
    ap.add_argument("--save")
    args = ap.parse_args()
    c = Checks(args)
    print("schema validators: json_schema.py" +
          (" and the jsonschema package" if jsonschema else " (no jsonschema package here)"))
    release = os.uname().release
    if args.mode == "host":
        host_usage(c)
        host_no_iommufd(c)
        host_validator(c)
        return c.summary("host", args.mode)
    facts = kernel_facts.for_release(release)
    if not c.check(facts is not None, f"kernel {release} is one of the test matrix"):
        return c.summary(f"kernel {release}", args.mode)
    if args.mode == "vm":
        vm_mock(c, facts, release)
        vm_bad_devices(c)
        vm_text(c, release)
    else:
        edu(c, facts, release)
    return c.summary(f"kernel {release}", args.mode)


if __name__ == "__main__":
    sys.exit(main())
