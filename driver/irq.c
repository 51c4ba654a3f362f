// SPDX-License-Identifier: GPL-2.0-only
/*
 * The two interrupts, one vector each: completion (index 0) and error
 * (index 1), delivered to eventfds set with VFIO_DEVICE_SET_IRQS.  They are
 * edge events, so neither index can be masked.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vfio_dmatest.h"

long dmatest_irq_info(struct dmatest_dev *d, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_DMATEST_NUM_IRQS)
		return -EINVAL;
	info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
	info.count = 1;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* Replace the eventfd of @index (@fd -1: none).  Called with d->lock. */
static int dmatest_set_trigger(struct dmatest_dev *d, unsigned int index, s32 fd)
{
	struct eventfd_ctx *ctx = NULL;

	if (fd >= 0) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	} else if (fd != -1) {
		return -EINVAL;
	}
	if (d->trigger[index])
		eventfd_ctx_put(d->trigger[index]);
	d->trigger[index] = ctx;
	return 0;
}

static int dmatest_irq_trigger(struct dmatest_dev *d, struct vfio_irq_set *hdr,
			       const void *data)
{
	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		if (hdr->count == 0)
			return dmatest_set_trigger(d, hdr->index, -1);
		dmatest_irq_signal(d, hdr->index); /* loopback, as vfio-pci */
		return 0;
	case VFIO_IRQ_SET_DATA_BOOL:
		if (hdr->count == 0)
			return -EINVAL;
		if (*(const u8 *)data)
			dmatest_irq_signal(d, hdr->index);
		return 0;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		if (hdr->count == 0)
			return -EINVAL;
		return dmatest_set_trigger(d, hdr->index, *(const s32 *)data);
	}
	return -EINVAL;
}

long dmatest_set_irqs(struct dmatest_dev *d, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	void *data = NULL;
	long ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr, 1, VFIO_DMATEST_NUM_IRQS,
						 &data_size);
	if (ret)
		return ret;
	if ((hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) != VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL; /* not maskable */
	if (data_size) {
		data = memdup_user(arg + minsz, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}
	mutex_lock(&d->lock);
	ret = dmatest_irq_trigger(d, &hdr, data);
	mutex_unlock(&d->lock);
	kfree(data);
	return ret;
}

/* Called with d->lock held: the trigger cannot change underneath. */
void dmatest_irq_signal(struct dmatest_dev *d, unsigned int index)
{
	lockdep_assert_held(&d->lock);
	if (d->trigger[index])
		eventfd_signal(d->trigger[index]);
}

void dmatest_irqs_release(struct dmatest_dev *d)
{
	unsigned int i;

	mutex_lock(&d->lock);
	for (i = 0; i < VFIO_DMATEST_NUM_IRQS; i++)
		dmatest_set_trigger(d, i, -1);
	mutex_unlock(&d->lock);
}
