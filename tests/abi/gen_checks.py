#!/usr/bin/env python3
"""Turn the library's command table (dump_table output on stdin) into C
checks against a kernel's <linux/iommufd.h>: each command's ioctl number,
whether the kernel has it, its struct size in that kernel, every field's
offset and size, and (given the kernel's drivers/iommu/iommufd/main.c) the
kernel's minimum size.  Releases decide what the kernel must have, so the
checks also prove the table's release numbers at this kernel.

usage: gen_checks.py [main.c] < table > checks.c"""
import re
import sys

# The kernel's IOCTL_OP(ioctl, fn, struct S, last) table: min size = offsetofend(S, last).
min_members = {}
if len(sys.argv) > 1:
    src = re.sub(r"\s+", " ", open(sys.argv[1]).read())
    for ioctl, struct, last in re.findall(r"IOCTL_OP\( ?(IOMMU_\w+), \w+, struct (\w+), (\w+)\)", src):
        min_members[ioctl] = (struct, last)

# Command name -> kernel struct, where the struct is not named after it.
STRUCT = {"IOMMU_GET_HW_INFO": "iommu_hw_info",
          "IOMMU_FAULT_QUEUE_ALLOC": "iommu_fault_alloc"}

cmds, fields = [], {}
for line in sys.stdin:
    kind, *rest = line.split()
    if kind == "cmd":
        nr, name, rel, first, size = rest
        cmds.append((int(nr), name, int(rel), int(first), int(size)))
    else:
        cmd, name, off, size, rel, carved, _dir = rest
        fields.setdefault(cmd, []).append((name, int(off), int(size), int(rel), int(carved)))

out = ['#include "abi_check.h"', "", "void check_command_table(void)", "{"]
for nr, name, rel, first, size in cmds:
    struct = STRUCT.get(name, name.lower())
    maj, minor = rel >> 8, rel & 0xff
    out.append(f"#if KERNEL_AT_LEAST({maj}, {minor})")
    out.append(f"\tCHECK_EQ({name}, _IO(';', {nr:#x}));")
    for fname, off, fsize, frel, carved in fields[name]:
        newer = frel > rel
        if newer:
            out.append(f"#if KERNEL_AT_LEAST({frel >> 8}, {frel & 0xff})")
        out.append(f"\tCHECK_EQ(offsetof(struct {struct}, {fname}), {off});")
        out.append(f"\tCHECK_EQ(sizeof(((struct {struct} *)0)->{fname}), {fsize});")
        if newer and not carved:
            out.append("#else")
            out.append(f"\tCHECK_LE(sizeof(struct {struct}), {off}); /* {fname} absent */")
        if newer:
            out.append("#endif")
    if name in min_members:
        kstruct, last = min_members[name]
        out.append(f"\tCHECK_EQ(offsetofend(struct {kstruct}, {last}), {first}); /* minimum size */")
    elif min_members:
        out.append(f'\tcheck_fail("{name}: not in the kernel\'s IOCTL_OP table");')
    known = [f for f in fields[name] if not f[4]]
    ends = " ".join(f"KERNEL_AT_LEAST({f[3] >> 8}, {f[3] & 0xff}) ? {f[1] + f[2]} :"
                    for f in sorted(known, key=lambda f: -(f[1] + f[2])))
    out.append(f"\tCHECK_EQ(sizeof(struct {struct}), ({ends} 0));")
    out.append("#else")
    out.append(f"#ifdef {name}")
    out.append(f'\tcheck_fail("{name} exists in a kernel older than its release");')
    out.append("#endif")
    out.append("\tcheck_pass();")
    out.append("#endif")
out.append("}")
print("\n".join(out))
