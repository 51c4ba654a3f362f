# SPDX-License-Identifier: LGPL-2.1-or-later
"""What each kernel of the test matrix offers, as tests/kernel/kernel_facts.cc
writes it down (the kernels' uapi headers and iommufd_ioctl_ops[]),
independently of the library's command table."""

NAMES = [
    "IOMMU_DESTROY", "IOMMU_IOAS_ALLOC", "IOMMU_IOAS_ALLOW_IOVAS", "IOMMU_IOAS_COPY",
    "IOMMU_IOAS_IOVA_RANGES", "IOMMU_IOAS_MAP", "IOMMU_IOAS_UNMAP", "IOMMU_OPTION",
    "IOMMU_VFIO_IOAS", "IOMMU_HWPT_ALLOC", "IOMMU_GET_HW_INFO", "IOMMU_HWPT_SET_DIRTY_TRACKING",
    "IOMMU_HWPT_GET_DIRTY_BITMAP", "IOMMU_HWPT_INVALIDATE", "IOMMU_FAULT_QUEUE_ALLOC",
    "IOMMU_IOAS_MAP_FILE", "IOMMU_VIOMMU_ALLOC", "IOMMU_VDEVICE_ALLOC",
    "IOMMU_IOAS_CHANGE_PROCESS", "IOMMU_VEVENTQ_ALLOC", "IOMMU_HW_QUEUE_ALLOC",
]

# sizeof() of each command's struct, 0x80 on; the kernel knows 0x80..last_cmd.
_SIZES_7_2 = [8, 12, 24, 40, 32, 40, 24, 24, 12, 48, 40, 16, 48, 32, 16,
              40, 40, 24, 8, 32, 40]

KERNELS = {
    # Debian 12's 6.12: stops at IOMMU_FAULT_QUEUE_ALLOC; newest ABI 6.11.
    (6, 12): {"name": "6.12", "last_cmd": 0x8e, "release": "6.11",
              "sizes": _SIZES_7_2[:15] + [0] * 6},
    # Debian unstable's 7.2: all 21 commands; newest ABI 6.17.
    (7, 2): {"name": "7.2", "last_cmd": 0x94, "release": "6.17", "sizes": _SIZES_7_2},
}


def for_release(release):
    """The facts for uname release @release ("7.2.13"), or None."""
    try:
        major, minor = (int(x) for x in release.split(".")[:2])
    except ValueError:
        return None
    return KERNELS.get((major, minor))
