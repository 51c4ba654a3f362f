/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What differs between the kernels the module builds against.  Kbuild
 * detects features in the kernel's headers (not by version numbers, which
 * distribution kernels backport around).
 *
 * DMATEST_HAVE_REGION_INFO_CAPS: VFIO core answers
 * VFIO_DEVICE_GET_REGION_INFO itself and asks the driver through
 * vfio_device_ops.get_region_info_caps; before that the driver's ioctl op
 * answered it whole.
 */
#ifndef VFIO_DMATEST_COMPAT_H
#define VFIO_DMATEST_COMPAT_H

#include "vfio_dmatest.h"

#ifdef DMATEST_HAVE_REGION_INFO_CAPS
int dmatest_region_info_caps(struct vfio_device *vdev, struct vfio_region_info *info,
			     struct vfio_info_cap *caps);
#define DMATEST_REGION_INFO_OP .get_region_info_caps = dmatest_region_info_caps,
static inline long dmatest_compat_ioctl(struct dmatest_dev *d, unsigned int cmd,
					void __user *arg)
{
	return -ENOTTY;
}
#else
#define DMATEST_REGION_INFO_OP
long dmatest_compat_ioctl(struct dmatest_dev *d, unsigned int cmd, void __user *arg);
#endif

#endif
