// SPDX-License-Identifier: GPL-2.0-only
/* The region info entry point each kernel wants (see compat.h). */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"

#ifdef DMATEST_HAVE_REGION_INFO_CAPS
int dmatest_region_info_caps(struct vfio_device *vdev, struct vfio_region_info *info,
			     struct vfio_info_cap *caps)
{
	return dmatest_region_info(to_dmatest(vdev), info, caps);
}
#else
/* VFIO's contract for capability chains: when argsz cannot hold them, say
 * how much would, and return no chain. */
static long dmatest_get_region_info(struct dmatest_dev *d, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info = {};
	struct vfio_info_cap caps = {};
	long ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	ret = dmatest_region_info(d, &info, &caps);
	if (ret)
		goto out;
	if (caps.size) {
		info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
		if (info.argsz < sizeof(info) + caps.size) {
			info.argsz = sizeof(info) + caps.size;
			info.cap_offset = 0;
		} else {
			vfio_info_cap_shift(&caps, sizeof(info));
			if (copy_to_user(arg + sizeof(info), caps.buf, caps.size)) {
				ret = -EFAULT;
				goto out;
			}
			info.cap_offset = sizeof(info);
		}
	}
	if (copy_to_user(arg, &info, minsz))
		ret = -EFAULT;
out:
	kfree(caps.buf);
	return ret;
}

long dmatest_compat_ioctl(struct dmatest_dev *d, unsigned int cmd, void __user *arg)
{
	if (cmd == VFIO_DEVICE_GET_REGION_INFO)
		return dmatest_get_region_info(d, arg);
	return -ENOTTY;
}
#endif
