// SPDX-License-Identifier: GPL-2.0-only
/*
 * Attach and detach through VFIO's emulated-IOMMU helpers, and the IOAS
 * unmap callback iommufd calls before it lets pinned pages go.
 *
 * iommufd calls the callback for every unmap that covers pages this device
 * pinned, and for the whole IOVA space when the device is detached or
 * moved to another IOAS; when it returns, the pins in that range must be
 * gone.  A transfer that held them ends in ERROR with the first of its
 * IOVAs that was taken away.
 */
#include "vfio_dmatest.h"

/* The first byte of @b inside [iova, iova + length), or U64_MAX.  A range
 * running past the top (a detach says 0, ULONG_MAX) ends at the top. */
static u64 dmatest_buf_hit(const struct dmatest_buf *b, u64 iova, u64 length)
{
	u64 last = iova + length - 1;

	if (!b->npinned)
		return U64_MAX;
	if (length == 0 || last < iova)
		last = U64_MAX;
	if (b->iova > last || b->iova + b->len - 1 < iova)
		return U64_MAX;
	return max(b->iova, iova);
}

void dmatest_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
	struct dmatest_dev *d = to_dmatest(vdev);
	struct dmatest_xfer *x = &d->xfer;
	u64 hit;
	u32 error;

	mutex_lock(&d->lock);
	hit = min(dmatest_buf_hit(&x->src, iova, length), dmatest_buf_hit(&x->dst, iova, length));
	if (hit == U64_MAX)
		goto out;
	error = d->detaching ? VFIO_DMATEST_ERR_DETACHED : VFIO_DMATEST_ERR_UNMAPPING;
	if (d->status == VFIO_DMATEST_STATUS_HELD) {
		dmatest_finish(d, error, hit, -ENOENT);
		goto out;
	}
	/* BUSY: the work item ends it at its next step, without the pins. */
	dmatest_unpin_all(d);
	d->abort = true;
	d->abort_error = error;
	d->abort_iova = hit;
out:
	mutex_unlock(&d->lock);
}

/* Attaching while attached replaces the IOAS: the old one's pins go. */
int dmatest_attach_ioas(struct vfio_device *vdev, u32 *pt_id)
{
	struct dmatest_dev *d = to_dmatest(vdev);
	int ret;

	mutex_lock(&d->lock);
	d->detaching = d->attached;
	mutex_unlock(&d->lock);
	ret = vfio_iommufd_emulated_attach_ioas(vdev, pt_id);
	mutex_lock(&d->lock);
	d->detaching = false;
	if (!ret)
		d->attached = true;
	mutex_unlock(&d->lock);
	return ret;
}

void dmatest_detach_ioas(struct vfio_device *vdev)
{
	struct dmatest_dev *d = to_dmatest(vdev);

	mutex_lock(&d->lock);
	d->detaching = true;
	mutex_unlock(&d->lock);
	vfio_iommufd_emulated_detach_ioas(vdev);
	mutex_lock(&d->lock);
	d->detaching = false;
	d->attached = false;
	mutex_unlock(&d->lock);
}
