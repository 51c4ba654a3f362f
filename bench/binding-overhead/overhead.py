# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Python side of bench/run-binding-overhead.sh: the calls overhead.c
times, through the binding, on an empty IOAS.  Prints, best of --reps runs:

    python: iova_ranges <ns> ns/op        ioas.iova_ranges() (a new list)
    python-lowlevel: iova_ranges <ns> ns/op   the SWIG call into a reused buffer
    python: alloc_destroy <ns> ns/op      ctx.ioas().destroy()
    python-lowlevel: alloc_destroy <ns> ns/op
"""

import argparse
import time

import libiommufd
from libiommufd import libiommufd_c as _c


def best(loop, count, reps):
    out = None
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        loop(count)
        ns = (time.perf_counter_ns() - t0) / count
        out = ns if out is None else min(out, ns)
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--count", type=int, default=100000)
    p.add_argument("--reps", type=int, default=5)
    a = p.parse_args()

    with libiommufd.Context() as ctx, ctx.ioas() as ioas:
        h, ioas_id, buf = ctx._handle, ioas.id, bytearray(4 * 16)

        def ranges(n):
            for _ in range(n):
                ioas.iova_ranges()

        def ranges_low(n):
            for _ in range(n):
                _c.iommufd_ioas_iova_ranges(h, ioas_id, buf)

        def alloc(n):
            for _ in range(n):
                ctx.ioas().destroy()

        def alloc_low(n):
            for _ in range(n):
                _c.iommufd_destroy(h, _c.iommufd_ioas_alloc(h))

        for name, loop, count in (("python: iova_ranges", ranges, a.count),
                                  ("python-lowlevel: iova_ranges", ranges_low, a.count),
                                  ("python: alloc_destroy", alloc, a.count // 5),
                                  ("python-lowlevel: alloc_destroy", alloc_low, a.count // 5)):
            print(f"{name} {best(loop, count, a.reps):.0f} ns/op", flush=True)


if __name__ == "__main__":
    main()
