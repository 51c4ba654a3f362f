# SPDX-License-Identifier: LGPL-2.1-or-later
"""Map a buffer for DMA through libiommufd, and prove where it landed.

Needs /dev/iommu with the selftest mock (CONFIG_IOMMUFD_TEST), as the
project's test VM has: tests/vm/run latest -- python3 map_buffer.py
"""

import mmap
import os
import sys

import libiommufd
from libiommufd import testing


def linked_library():
    """Which libiommufd this process uses: a shared one, or compiled in."""
    with open("/proc/self/maps") as maps:
        for line in maps:
            if "libiommufd.so" in line:
                return line.split()[-1]
    return "compiled into " + os.path.basename(sys.modules["libiommufd._libiommufd_c"].__file__)


def main():
    print(f"libiommufd {libiommufd.version()} from {os.path.dirname(libiommufd.__file__)}")
    print(f"C library: {linked_library()}")
    with libiommufd.Context() as ctx, ctx.ioas() as ioas:
        print(f"Linux {os.uname().release}: kernel looks like >= "
              f"{'.'.join(map(str, ctx.kernel_release()))}")
        with testing.MockDevice(ctx, ioas) as dev:
            buf = mmap.mmap(-1, 64 * 1024)
            buf[:11] = b"hello, DMA!"
            iova = ioas.map(buf)
            print(f"mapped {len(buf)} bytes at IOVA {iova:#x} for mock device {dev.dev_id}")
            testing.check_map(ctx, dev.hwpt_id, iova, buf)
            print(f"the device's page table maps IOVA {iova:#x} to the buffer's pages")
            try:
                buf.close()
            except BufferError:
                print("the buffer stays alive while mapped (close() refused)")
            print(f"unmapped {ioas.unmap(iova, len(buf))} bytes")
            buf.close()
    print("ok")


if __name__ == "__main__":
    main()
