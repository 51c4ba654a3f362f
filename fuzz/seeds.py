#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Seed inputs for the fuzzers: the meaningful cases of each input format
(well-formed replies, each way they break, the boundaries), written to
fuzz/corpus/<target>/<name>.  The formats are described at the top of each
fuzz/<target>_fuzz.c; the structs are the kernel ABI as src/uapi/ writes it.

Usage: fuzz/seeds.py [corpus-dir]     (default: fuzz/corpus next to this file)
Rerun after changing a format; fuzz/run (FUZZ_MERGE=1) adds what it finds.
"""
import os
import struct
import sys

u8 = lambda v: struct.pack("<B", v)
u16 = lambda v: struct.pack("<H", v)
u32 = lambda v: struct.pack("<I", v)
u64 = lambda v: struct.pack("<Q", v)

INT_MAX = 0x7FFFFFFF
LAST = 2  # IOMMUFD_FAULT_LAST_PAGE
PASID = 1  # IOMMUFD_FAULT_PASID_VALID


# ---- fault_group: u8 n, n x (u8 flags, u16 cookie), u8 start, u8 mode, operations ----

def records(recs):
    return u8(len(recs)) + b"".join(u8(f) + u16(c) for f, c in recs)


def walks(recs, start=0, queue=False):
    return records(recs) + u8(start) + u8(1 if queue else 0)


def q_read(recs, max_records=64, cut=0):
    return u8(0) + u8(max_records - 1) + u8(len(recs)) + u8(cut) \
        + b"".join(u8(f) + u16(c) for f, c in recs)


def q_respond(sels, answer, partial=None):
    """sels: (model index or ('raw', cookie), code); answer: 0 all, 1 partial
    bytes, 2 EINVAL, 3 ENOMEM, 4 nothing taken."""
    out = u8(1) + u8(len(sels) - 1)
    for s, code in sels:
        out += (u8(200) + u32(s[1]) if isinstance(s, tuple) else u8(s)) + u8(code)
    return out + u8(answer) + (u8(partial) if answer == 1 else b"")


def group(cookie, n, flags=0):
    return [(flags, cookie)] * (n - 1) + [(flags | LAST, cookie)]


def op_add(recs):
    return u8(0) + u8(len(recs) - 1) + b"".join(u8(f) + u16(c) for f, c in recs)


def op_take(sels, done, drop=0):
    """sels: model indexes (< 192) or ('raw', cookie)."""
    out = u8(1) + u8(len(sels) - 1)
    for s in sels:
        out += u8(200) + u32(s[1]) if isinstance(s, tuple) else u8(s)
    out += u8(done)
    if done < len(sels):
        out += u8(drop)
    return out


def op_probe(cookie):
    return u8(2) + u32(cookie)


def fault_group_seeds():
    big = lambda v: 0x8000 | v  # spread over 32 bits by the fuzzer
    three = group(1, 3) + group(2, 1) + group(3, 2, PASID)
    singles = [(LAST, c) for c in range(1, 17)]
    return {
        "one-group": walks(group(1, 1)),
        "three-groups": walks(three, 3),
        "three-groups-answered": walks(three) + op_take([0, 1], 2)
        + op_take([0], 0, 1) + op_probe(99),
        "partial-write": walks(three) + op_take([0, 1, 2], 1, 0) + op_probe(2),
        "cookie-zero": walks(group(0, 2)),
        "no-last-page": walks([(0, 5), (0, 5)]),
        "cookie-changes": walks([(0, 5), (LAST, 6)], 1),
        "last-then-garbage": walks(group(4, 2) + [(0xFC, 4)], 2),
        "start-past-end": walks(group(1, 2), 4),
        "empty": walks([], 1),
        "big-cookies": walks([(LAST, big(i)) for i in range(1, 9)])
        + op_take([3, 5, 7], 3) + op_probe(0),
        "hash-churn": walks(singles) + op_take([0, 1, 2, 3], 0, 1)
        + op_add([(LAST, c) for c in range(17, 33)]) + op_take([5, 9, 13, 17, 21], 5)
        + op_probe(1) + op_take([("raw", 7), 0], 2) + op_take([0, 0], 2),
        "duplicate-cookie-read": walks(group(9, 1) + group(9, 1)) + op_add(group(9, 1))
        + op_take([0], 1),
        "unknown-response": walks(group(1, 1)) + op_take([("raw", 12345)], 1)
        + op_take([("raw", 0)], 1),
        # Through a queue: reads of what the kernel has, then responses.
        "queue-read-answer": walks(three, queue=True) + q_read(three, 8)
        + q_respond([(0, 0), (1, 1), (2, 0)], 0),
        "queue-partial-write": walks([], queue=True) + q_read(three)
        + q_respond([(0, 0), (1, 0), (2, 0)], 1, 12) + q_respond([(0, 0)], 0),
        "queue-kernel-forgot": walks([], queue=True) + q_read(three)
        + q_respond([(0, 1), (1, 1)], 2) + q_respond([(0, 1)], 0),
        "queue-write-fails": walks([], queue=True) + q_read(singles)
        + q_respond([(3, 0), (4, 0)], 3) + q_respond([(3, 0)], 4),
        "queue-refused": walks([], queue=True) + q_read(three)
        + q_respond([(0, 2)], 0) + q_respond([(0, 0), (("raw", 77), 0)], 0)
        + q_respond([(0, 0), (0, 0)], 0),
        "queue-garbled-read": walks([], queue=True) + q_read(three, cut=203) + q_read(three),
        "queue-group-too-big": walks([], queue=True) + q_read(three, cut=255),
        "queue-read-cuts-group": walks([], queue=True) + q_read(three, 2) + q_read(group(5, 1)),
        "queue-duplicate-groups": walks([], queue=True) + q_read(group(9, 1) + group(9, 2))
        + q_respond([(0, 0)], 0),
    }


# ---- vevent: u8 data_len, u32 first, u8 n + n cuts, u8 per read, bytes ----

def ev(seq, data=b"", lost=False):
    return u32(1 if lost else 0) + u32(seq) + data


def vevent(data_len, first, stream, cuts=(), per_read=8):
    return (u8(data_len) + u32(first) + u8(len(cuts)) + bytes(cuts) + u8(per_read - 1)
            + stream)


def vevent_seeds():
    d4 = lambda i: u32(0x100 + i)  # the mock's virt_id
    consecutive = b"".join(ev(i, d4(i)) for i in range(4))
    d72 = bytes(range(72))
    return {
        "consecutive": vevent(4, 0, consecutive),
        "gap": vevent(4, 0, ev(0, d4(0)) + ev(5, d4(5))),
        "lost-record": vevent(4, 0, ev(0, d4(0)) + ev(3, lost=True) + ev(4, d4(4))),
        "lost-only": vevent(4, 0, ev(9, lost=True)),
        "wrap": vevent(4, INT_MAX - 1, ev(INT_MAX - 1, d4(0)) + ev(INT_MAX, d4(1)) + ev(0, d4(2))),
        "behind": vevent(4, 10, ev(3, d4(3))),
        "no-data": vevent(0, 0, ev(0) + ev(1) + ev(3, lost=True)),
        "max-data": vevent(64, 0, ev(0, bytes(range(64))) + ev(1, bytes(64))),
        "truncated-copy": vevent(72, 0, ev(0, d72) + ev(2, lost=True) + ev(3, d72)),
        "bad-flags": vevent(4, 0, ev(0, d4(0)) + u32(2) + u32(1) + d4(1)),
        "sequence-past-31-bits": vevent(4, 0, ev(0x80000000, d4(0))),
        "short-data": vevent(8, 0, ev(0, d4(0))),
        "short-header": vevent(4, 0, ev(0, d4(0)) + b"\0\0\0"),
        "split-reads": vevent(4, 0, consecutive, cuts=(12, 5, 7, 24), per_read=2),
        "one-per-call": vevent(4, 0, consecutive + ev(6, lost=True) + ev(7, d4(7)), per_read=1),
    }


# ---- vfio_caps: u8 min, u16 first, u8 fail_at, u8 mode, u16 off, u16 len (pages), reply ----

READ, WRITE, MMAP, CAPS = 1, 2, 4, 8
SPARSE, TYPE, MSIX = 1, 2, 3
INFO = 32  # sizeof(struct vfio_region_info)


def cap(cid, nxt, body=b"", version=1):
    return u16(cid) + u16(version) + u32(nxt) + body


def region(flags, index, size, caps=b"", cap_offset=INFO, argsz=None):
    body = (u32(argsz or INFO + len(caps)) + u32(flags) + u32(index)
            + u32(cap_offset if caps else 0) + u64(size) + u64(0x10000000000 * index))
    return body + caps


def sparse(areas, nxt=0):
    return cap(SPARSE, nxt, u32(len(areas)) + u32(0) + b"".join(u64(o) + u64(s) for o, s in areas))


def vfio(reply, first=INFO, min_offset=INFO, fail_at=255, mode=3, off=0, length=1):
    return (u8(min_offset) + u16(first) + u8(fail_at) + u8(mode) + u16(off) + u16(length)
            + reply)


def vfio_caps_seeds():
    rw = READ | WRITE
    two_areas = sparse([(0, 0x1000), (0x4000, 0x2000)])
    typed = cap(TYPE, INFO + 16, u32(1) + u32(3)) + cap(MSIX, 0)
    chain3 = cap(TYPE, INFO + 16, u32(1) + u32(1)) + cap(MSIX, INFO + 24) \
        + sparse([(0, 0x8000)])
    return {
        "plain": vfio(region(rw | MMAP, 0, 0x4000), first=0),
        "not-mmapable": vfio(region(rw, 7, 0x100), first=0, length=0),
        "sparse-two-areas": vfio(region(rw | MMAP | CAPS, 0, 0x10000, two_areas), off=4, length=2),
        "sparse-outside-areas": vfio(region(rw | MMAP | CAPS, 0, 0x10000, two_areas), off=1,
                                     length=4),
        "type-and-msix": vfio(region(rw | MMAP | CAPS, 2, 0x2000, typed), length=2),
        "chain-of-three": vfio(region(rw | MMAP | CAPS, 0, 0x10000, chain3), length=8),
        "fail-in-callback": vfio(region(rw | MMAP | CAPS, 0, 0x10000, chain3), fail_at=1),
        "sparse-area-outside-region": vfio(region(rw | MMAP | CAPS, 0, 0x1000,
                                                  sparse([(0x1000, 0x1000)]))),
        "sparse-twice": vfio(region(rw | MMAP | CAPS, 0, 0x10000,
                                    sparse([(0, 0x1000)], INFO + 32) + sparse([(0, 0x1000)]))),
        "sparse-truncated": vfio(region(rw | MMAP | CAPS, 0, 0x10000,
                                        cap(SPARSE, 0, u32(1000) + u32(0)))),
        "loop": vfio(region(rw | CAPS, 0, 0x1000, cap(MSIX, INFO))),
        "backwards": vfio(region(rw | CAPS, 0, 0x1000, cap(MSIX, INFO + 8) + cap(TYPE, INFO)
                                 + u64(0))),
        "misaligned": vfio(region(rw | CAPS, 0, 0x1000, bytes(4) + cap(MSIX, 0), cap_offset=36),
                           first=36),
        "inside-info": vfio(region(rw | CAPS, 0, 0x1000, cap(MSIX, 0), cap_offset=8), first=8),
        "past-end": vfio(region(rw | CAPS, 0, 0x1000, cap(MSIX, 0x1000))),
        "needs-bigger-buffer": vfio(region(rw | MMAP | CAPS, 0, 0x100000,
                                           bytes(320) + sparse([(0, 0x1000)]),
                                           cap_offset=INFO + 320), first=INFO + 320),
        "argsz-lies": vfio(region(rw | MMAP, 0, 0x1000, argsz=0x200000), first=0, mode=2),
        "wrong-index": vfio(region(rw | MMAP, 5, 0x1000), first=0, mode=0),
        "short-reply": vfio(u32(8) + u32(rw), first=0),
        # The same bytes answer GET_INFO: a device info (24 bytes) with a chain.
        "device-info-chain": vfio(u32(48) + u32(0x80 | 2) + u32(9) + u32(5) + u32(24) + u32(0)
                                  + cap(0x1234, 40, u64(0)) + cap(2, 0), first=24, min_offset=24,
                                  mode=0),
    }


# ---- hw_info: u8 kernel, u8 uname, u8 answer, u8 type, u32 data_len, u64 caps, u8 pasid, data ----

RELEASES = ["6.2", "6.6", "6.7", "6.8", "6.11", "6.12", "6.13", "6.15", "6.16", "7.2"]
VTD, SMMU, TEGRA, AMD, SELFTEST = 1, 2, 3, 4, 5  # index in the fuzzer's table


def hw(kernel, vendor_type, data, caps=0, pasid=0, uname=None, answer=None, data_len=None):
    k = RELEASES.index(kernel)
    out = u8(k) + u8(RELEASES.index(uname or kernel))
    out += u8(0) + u8(answer) if answer is not None else u8(1)
    return out + u8(vendor_type) + u32(len(data) if data_len is None else data_len) \
        + u64(caps) + u8(pasid) + data


def vtd(ecap):
    return u32(0) + u32(0) + u64(0) + u64(ecap)


def smmu(idr0):
    return u32(0) + u32(0) + u32(idr0) + bytes(20) + u32(0) + u32(0)


def hw_info_seeds():
    nest, prs, smts = 1 << 26, 1 << 29, 1 << 43
    return {
        "vtd-nesting": hw("7.2", VTD, vtd(nest | smts | prs), caps=1, pasid=20),
        "vtd-no-nest": hw("6.12", VTD, vtd(0), pasid=0),
        "vtd-no-sm": hw("6.8", VTD, vtd(nest), caps=0),
        "smmu-stalls": hw("7.2", SMMU, smmu(3 | (2 << 24)), caps=1, pasid=16),
        "smmu-terminate": hw("6.13", SMMU, smmu(3 | (1 << 24))),
        "smmu-no-s2": hw("6.7", SMMU, smmu(2)),
        "amd-ppr": hw("6.16", AMD, u64(2) + u64(0)),
        "amd-no-ppr": hw("6.16", AMD, u64(0) + u64(0)),
        "selftest": hw("6.11", SELFTEST, u32(0) + u32(0xdeadbeef), caps=1),
        "tegra": hw("7.2", TEGRA, bytes(16), caps=0),
        "unknown-type": u8(9) + u8(9) + u8(1) + u8(200) + u32(0x1234) + u32(8) + u64(0) + u8(0)
        + bytes(8),
        "old-kernel-zero-outputs": hw("6.6", VTD, vtd(0), uname="6.6"),
        "old-probe-new-uname": hw("6.11", VTD, vtd(0), uname="7.2"),
        "too-old": hw("6.2", VTD, vtd(0)),
        "long-data": hw("7.2", VTD, bytes(range(256)) + bytes(44), data_len=300),
        "lying-length": hw("7.2", SMMU, smmu(3), data_len=0xFFFFFFFF),
        "enoent": hw("7.2", VTD, vtd(0), answer=1),
        "eopnotsupp": hw("7.2", VTD, vtd(0), answer=3),
        "e2big": hw("7.2", VTD, vtd(0), answer=11),
        "odd-sizes": u8(10) + bytes(range(21)) + u8(9) + u8(1) + u8(1) + u32(32) + u64(1) + u8(5)
        + vtd(nest),
    }


# ---- opts: u8 target, [u8 known,] u8 mode + operand, struct bytes, pointers, answers ----

T_LOAD, T_CTX, T_HWPT, T_VIOMMU, T_VEVENTQ, T_FAULT, T_BIND = range(7)
NULL_OPTS = 0x80


def opts(target, body, mode=0, operand=b"", tail=b"", known=None):
    out = u8(target)
    if known is not None:
        out += u8(known - 8)
    return out + u8(mode) + operand + body + tail


def opts_seeds():
    hwpt = u32(0) + u32(0) + u32(0xDEAD) + u32(8) + u64(0)  # flags fault type len data
    return {
        "load-exact": opts(T_LOAD, bytes(range(1, 17)), known=24, mode=4, operand=u16(24)),
        "load-older": opts(T_LOAD, bytes(8), known=40, mode=1, operand=u8(8)),
        "load-newer-zero-tail": opts(T_LOAD, bytes(24), known=16, mode=4, operand=u16(32)),
        "load-newer-set-tail": opts(T_LOAD, bytes(23) + b"\1", known=16, mode=4, operand=u16(32)),
        "load-sz-zero": opts(T_LOAD, b"", known=16, mode=4, operand=u16(0)),
        "load-sz-huge": opts(T_LOAD, b"", known=16, mode=3, operand=u64(1 << 40)),
        "load-null": opts(T_LOAD, b"", known=16, mode=NULL_OPTS),
        "ctx-default": opts(T_CTX, bytes(32), tail=u8(0) + u8(1) + u8(0) + u8(0)),
        "ctx-path-log": opts(T_CTX, bytes(24) + u32(5) + u32(0), tail=u8(0) + u8(1) + u8(1) + u8(1)),
        "ctx-bad-path": opts(T_CTX, bytes(32), tail=u8(1) + u8(1) + u8(0) + u8(0)),
        "ctx-bad-level": opts(T_CTX, bytes(24) + u32(9) + u32(0), tail=u8(0) + u8(0) * 3),
        "ctx-older": opts(T_CTX, bytes(8), mode=1, operand=u8(8), tail=u8(0) + u8(1) * 3),
        "ctx-null": opts(T_CTX, b"", mode=NULL_OPTS),
        "hwpt-nested": opts(T_HWPT, hwpt, tail=u8(1) + u8(0)),
        "hwpt-fault": opts(T_HWPT, u32(0) + u32(4) + bytes(16), tail=u8(0) + u8(0)),
        "hwpt-data-no-len": opts(T_HWPT, u32(0) + u32(0) + u32(1) + u32(0) + u64(0),
                                 tail=u8(1)),
        "hwpt-nest-parent-fault": opts(T_HWPT, u32(1) + u32(3) + bytes(16), tail=u8(0) + u8(0)),
        "hwpt-kernel-refuses": opts(T_HWPT, hwpt, tail=u8(1) + u8(3)),
        "hwpt-older": opts(T_HWPT, u32(1) + u32(7), mode=1, operand=u8(8)),
        "hwpt-newer-set-tail": opts(T_HWPT, hwpt + u64(1), mode=2, operand=u8(0), tail=u8(1)),
        "hwpt-sz-huge": opts(T_HWPT, b"", mode=3, operand=u64(0x10000)),
        "viommu-data": opts(T_VIOMMU, u32(0) + u32(16) + u64(0), tail=u8(1) + u8(0)),
        "viommu-flags": opts(T_VIOMMU, u32(1) + u32(0) + u64(0), tail=u8(0)),
        "veventq": opts(T_VEVENTQ, u32(0) + u32(4), tail=u8(0)),
        "veventq-older": opts(T_VEVENTQ, u32(0), mode=1, operand=u8(4), tail=u8(0)),
        "fault": opts(T_FAULT, u32(0) + u32(0), tail=u8(0)),
        "fault-flags": opts(T_FAULT, u32(2) + u32(0)),
        "fault-enomem": opts(T_FAULT, u32(0) + u32(0), tail=u8(5)),
        "bind-token": opts(T_BIND, u64(0), tail=u8(1) + u8(0)),
        "bind-token-refused": opts(T_BIND, u64(0), tail=u8(1) + u8(2) + u8(0)),
        "bind-plain": opts(T_BIND, u64(0), tail=u8(0) + u8(0)),
        "bind-null": opts(T_BIND, b"", mode=NULL_OPTS, tail=u8(0)),
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus")
    targets = {
        "fault_group": fault_group_seeds(),
        "vevent": vevent_seeds(),
        "vfio_caps": vfio_caps_seeds(),
        "hw_info": hw_info_seeds(),
        "opts": opts_seeds(),
    }
    for target, seeds in targets.items():
        d = os.path.join(root, target)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        print(f"{target}: {len(seeds)} seeds in {d}")


if __name__ == "__main__":
    main()
