// SPDX-License-Identifier: GPL-2.0-only
/*
 * CMD_PIN transfers pin every page of their buffers through the iommufd
 * access (vfio_pin_pages) before moving a byte, and hold the pins until
 * they end or until an IOAS unmap takes them away.
 *
 * Pages are pinned one at a time: the failing page is then the faulting
 * IOVA exactly, and iommufd needs every unpin to name a range exactly as it
 * was pinned, which one page per call makes trivially true.
 */
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "vfio_dmatest.h"

static u64 dmatest_page_iova(const struct dmatest_buf *b, int i)
{
	return ALIGN_DOWN(b->iova, PAGE_SIZE) + (u64)i * PAGE_SIZE;
}

static int dmatest_buf_npages(const struct dmatest_buf *b)
{
	u64 first = ALIGN_DOWN(b->iova, PAGE_SIZE);
	u64 end = ALIGN(b->iova + b->len, PAGE_SIZE);

	return (end - first) >> PAGE_SHIFT;
}

u64 dmatest_pinned_pages(struct dmatest_dev *d)
{
	return d->xfer.src.npinned + d->xfer.dst.npinned;
}

static void dmatest_update_pinned(struct dmatest_dev *d)
{
	dmatest_reg_write64(d, VFIO_DMATEST_REG_PINNED, dmatest_pinned_pages(d));
}

/* Pin @b whole, or nothing: on failure *@fault_iova is the first byte of
 * the buffer that could not be pinned.  Called with d->lock held. */
int dmatest_pin_buf(struct dmatest_dev *d, struct dmatest_buf *b, u64 *fault_iova)
{
	int prot = IOMMU_READ | (b->write ? IOMMU_WRITE : 0);
	int ret;

	lockdep_assert_held(&d->lock);
	b->npages = dmatest_buf_npages(b);
	b->pages = kvcalloc(b->npages, sizeof(*b->pages), GFP_KERNEL);
	if (!b->pages) {
		*fault_iova = b->iova;
		return -ENOMEM;
	}
	for (b->npinned = 0; b->npinned < b->npages; b->npinned++) {
		ret = vfio_pin_pages(&d->vdev, dmatest_page_iova(b, b->npinned), 1, prot,
				     &b->pages[b->npinned]);
		if (ret < 0) {
			*fault_iova = max(b->iova, dmatest_page_iova(b, b->npinned));
			dmatest_unpin_buf(d, b);
			return ret;
		}
	}
	dmatest_update_pinned(d);
	return 0;
}

void dmatest_unpin_buf(struct dmatest_dev *d, struct dmatest_buf *b)
{
	lockdep_assert_held(&d->lock);
	while (b->npinned > 0) {
		b->npinned--;
		vfio_unpin_pages(&d->vdev, dmatest_page_iova(b, b->npinned), 1);
	}
	kvfree(b->pages);
	b->pages = NULL;
	b->npages = 0;
	dmatest_update_pinned(d);
}

void dmatest_unpin_all(struct dmatest_dev *d)
{
	dmatest_unpin_buf(d, &d->xfer.src);
	dmatest_unpin_buf(d, &d->xfer.dst);
}
