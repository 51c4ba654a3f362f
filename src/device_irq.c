/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Device interrupts to eventfds (VFIO_DEVICE_SET_IRQS).  Kernel fact: with
 * DATA_EVENTFD | ACTION_TRIGGER each int32 of the data routes one vector
 * (-1: none) and enables the index; DATA_NONE | ACTION_TRIGGER with count 0
 * disables it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "device_private.h"

static int check_irq_args(struct iommufd_device *dev, const char *fn, uint32_t start,
			  const int32_t *fds, uint32_t count)
{
	int rc = ifd_check_dev(dev, fn);

	if (rc)
		return rc;
	if (count > IOMMUFD_IRQ_MAX_VECTORS)
		return ifd_dev_fail(dev, EINVAL, "%s: %u vectors, more than %u", fn, count,
				    IOMMUFD_IRQ_MAX_VECTORS);
	if (count && !fds)
		return ifd_dev_fail(dev, EINVAL, "%s: fds is NULL", fn);
	if (start > UINT32_MAX - count)
		return ifd_dev_fail(dev, EINVAL, "%s: vectors %u+%u wrap", fn, start, count);
	return 0;
}

int iommufd_device_set_irq_eventfds(struct iommufd_device *dev, uint32_t index, uint32_t start,
				    const int32_t *fds, uint32_t count)
{
	static const char fn[] = "iommufd_device_set_irq_eventfds";
	static const char cmd[] = "VFIO_DEVICE_SET_IRQS";
	size_t data = (size_t)count * sizeof(int32_t);
	struct uapi_vfio_irq_set *set;
	int rc = check_irq_args(dev, fn, start, fds, count);

	if (rc)
		return rc;
	set = ifd_calloc(1, sizeof(*set) + data);
	if (!set)
		return ifd_dev_fail(dev, ENOMEM, "%s: out of memory", fn);
	set->argsz = (uint32_t)(sizeof(*set) + data);
	set->flags = UAPI_VFIO_IRQ_SET_ACTION_TRIGGER |
		     (count ? UAPI_VFIO_IRQ_SET_DATA_EVENTFD : UAPI_VFIO_IRQ_SET_DATA_NONE);
	set->index = index;
	set->start = start;
	set->count = count;
	if (count)
		memcpy(set->data, fds, data);
	rc = ifd_dev_ioctl(dev, UAPI_VFIO_DEVICE_SET_IRQS, set);
	free(set);
	if (rc >= 0)
		return 0;
	ifd_dev_explain(dev, cmd, rc);
	if (rc == -EINVAL && dev->bound)
		return ifd_dev_fail(dev, EINVAL, "%s on %s: no IRQ index %u with vectors %u..%u "
				    "(iommufd_device_irq_info() tells its count)", cmd, dev->name,
				    index, start, start + (count ? count - 1 : 0));
	if (rc == -EBADF)
		return ifd_dev_fail(dev, EBADF, "%s on %s: an fd of index %u is not an eventfd",
				    cmd, dev->name, index);
	return rc;
}
