// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DMA engine: the doorbell latches a transfer, a work item moves it a
 * chunk at a time, and the transfer ends DONE or ERROR with an interrupt.
 *
 * A chunk never crosses a page boundary of either buffer, so when a chunk
 * fails, its first IOVA is the first byte the device could not reach.
 *
 * Who ends a transfer: a BUSY one only the work item (others ask it to
 * stop through d->abort); a HELD one whoever finds it (abort, unmap,
 * reset, close), since no work item runs for it.
 */
#include <linux/highmem.h>
#include <linux/slab.h>

#include "vfio_dmatest.h"

u32 dmatest_error_from_errno(int err)
{
	switch (err) {
	case -ENOENT:
		return VFIO_DMATEST_ERR_UNMAPPED;
	case -EPERM:
		return VFIO_DMATEST_ERR_READ_ONLY;
	case -ENOMEM:
		return VFIO_DMATEST_ERR_NOMEM;
	case -ECANCELED:
		return VFIO_DMATEST_ERR_ABORTED;
	}
	return VFIO_DMATEST_ERR_IO;
}

/* End the transfer: drop its pins, publish the outcome (STATUS last, so a
 * poller that sees it sees the rest), and interrupt.  Called with d->lock. */
void dmatest_finish(struct dmatest_dev *d, u32 error, u64 fault_iova, int err)
{
	struct dmatest_xfer *x = &d->xfer;

	lockdep_assert_held(&d->lock);
	dmatest_unpin_all(d);
	d->abort = false;
	d->status = error ? VFIO_DMATEST_STATUS_ERROR : VFIO_DMATEST_STATUS_DONE;
	if (error)
		d->errors++;
	else
		d->completions++;
	dmatest_reg_write32(d, VFIO_DMATEST_REG_ERROR, error);
	dmatest_reg_write32(d, VFIO_DMATEST_REG_ERRNO, error ? -err : 0);
	dmatest_reg_write64(d, VFIO_DMATEST_REG_FAULT_IOVA, error ? fault_iova : 0);
	dmatest_reg_write64(d, VFIO_DMATEST_REG_DONE_BYTES, x->done);
	dmatest_reg_write64(d, VFIO_DMATEST_REG_RESULT,
			    x->op == VFIO_DMATEST_OP_CHECKSUM ? x->checksum : 0);
	dmatest_reg_write64(d, VFIO_DMATEST_REG_COMPLETIONS, d->completions);
	dmatest_reg_write64(d, VFIO_DMATEST_REG_ERRORS, d->errors);
	smp_wmb();
	dmatest_reg_write32(d, VFIO_DMATEST_REG_STATUS, d->status);
	dmatest_irq_signal(d, error ? VFIO_DMATEST_IRQ_ERROR : VFIO_DMATEST_IRQ_COMPLETION);
}

static void dmatest_set_status(struct dmatest_dev *d, u32 status)
{
	d->status = status;
	dmatest_reg_write32(d, VFIO_DMATEST_REG_STATUS, status);
}

static bool dmatest_reads_src(u32 op)
{
	return op == VFIO_DMATEST_OP_COPY || op == VFIO_DMATEST_OP_CHECKSUM;
}

static bool dmatest_writes_dst(u32 op)
{
	return op == VFIO_DMATEST_OP_COPY || op == VFIO_DMATEST_OP_FILL;
}

/* The parameters as the registers hold them now; user space may change
 * the registers (even through its mapping) without disturbing this copy. */
static void dmatest_latch(struct dmatest_dev *d)
{
	struct dmatest_xfer *x = &d->xfer;
	u32 cmd = dmatest_reg_read32(d, VFIO_DMATEST_REG_CMD);
	u64 len = dmatest_reg_read64(d, VFIO_DMATEST_REG_LEN);

	memset(x, 0, sizeof(*x));
	x->op = cmd & VFIO_DMATEST_OP_MASK;
	x->flags = cmd & ~VFIO_DMATEST_OP_MASK;
	x->pattern = dmatest_reg_read64(d, VFIO_DMATEST_REG_PATTERN);
	x->checksum = VFIO_DMATEST_FNV_OFFSET;
	if (dmatest_reads_src(x->op)) {
		x->src.iova = dmatest_reg_read64(d, VFIO_DMATEST_REG_SRC);
		x->src.len = len;
	}
	if (dmatest_writes_dst(x->op)) {
		x->dst.iova = dmatest_reg_read64(d, VFIO_DMATEST_REG_DST);
		x->dst.len = len;
		x->dst.write = true;
	}
	d->seq++;
	dmatest_reg_write32(d, VFIO_DMATEST_REG_SEQ, d->seq);
	dmatest_reg_write32(d, VFIO_DMATEST_REG_ERROR, 0);
	dmatest_reg_write32(d, VFIO_DMATEST_REG_ERRNO, 0);
	dmatest_reg_write64(d, VFIO_DMATEST_REG_FAULT_IOVA, 0);
	dmatest_reg_write64(d, VFIO_DMATEST_REG_DONE_BYTES, 0);
	dmatest_reg_write64(d, VFIO_DMATEST_REG_RESULT, 0);
}

static u64 dmatest_len(const struct dmatest_xfer *x)
{
	return max(x->src.len, x->dst.len);
}

static bool dmatest_xfer_valid(const struct dmatest_dev *d, const struct dmatest_xfer *x)
{
	u64 len = dmatest_len(x);

	if (x->op < VFIO_DMATEST_OP_COPY || x->op > VFIO_DMATEST_OP_CHECKSUM)
		return false;
	if (x->flags & ~VFIO_DMATEST_CMD_FLAGS)
		return false;
	if (len == 0 || len > d->max_len)
		return false;
	if (x->src.len && x->src.iova + len - 1 < x->src.iova)
		return false;
	return !x->dst.len || x->dst.iova + len - 1 >= x->dst.iova;
}

/* The first IOVA the transfer would touch at its current position. */
static u64 dmatest_cursor(const struct dmatest_xfer *x)
{
	return x->src.len ? x->src.iova + x->done : x->dst.iova + x->done;
}

static int dmatest_pin_xfer(struct dmatest_dev *d, u64 *fault_iova)
{
	struct dmatest_xfer *x = &d->xfer;
	int ret = 0;

	if (x->src.len)
		ret = dmatest_pin_buf(d, &x->src, fault_iova);
	if (!ret && x->dst.len)
		ret = dmatest_pin_buf(d, &x->dst, fault_iova);
	return ret;
}

static int dmatest_start(struct dmatest_dev *d)
{
	struct dmatest_xfer *x = &d->xfer;
	u64 fault_iova = 0;
	int ret;

	if (d->status == VFIO_DMATEST_STATUS_BUSY || d->status == VFIO_DMATEST_STATUS_HELD)
		return -EBUSY;
	dmatest_latch(d);
	if (!dmatest_xfer_valid(d, x)) {
		dmatest_finish(d, VFIO_DMATEST_ERR_INVALID, 0, -EINVAL);
		return 0;
	}
	if (!d->attached) {
		dmatest_finish(d, VFIO_DMATEST_ERR_DETACHED, dmatest_cursor(x), -ENODEV);
		return 0;
	}
	if (x->flags & VFIO_DMATEST_CMD_PIN) {
		ret = dmatest_pin_xfer(d, &fault_iova);
		if (ret) {
			dmatest_finish(d, dmatest_error_from_errno(ret), fault_iova, ret);
			return 0;
		}
	}
	if (x->flags & VFIO_DMATEST_CMD_HOLD) {
		dmatest_set_status(d, VFIO_DMATEST_STATUS_HELD);
		return 0;
	}
	dmatest_set_status(d, VFIO_DMATEST_STATUS_BUSY);
	queue_work(d->wq, &d->work);
	return 0;
}

static int dmatest_release(struct dmatest_dev *d)
{
	if (d->status != VFIO_DMATEST_STATUS_HELD)
		return -EINVAL;
	dmatest_set_status(d, VFIO_DMATEST_STATUS_BUSY);
	queue_work(d->wq, &d->work);
	return 0;
}

static int dmatest_abort(struct dmatest_dev *d, u32 error)
{
	if (d->status == VFIO_DMATEST_STATUS_HELD) {
		dmatest_finish(d, error, dmatest_cursor(&d->xfer), -ECANCELED);
		return 0;
	}
	if (d->status != VFIO_DMATEST_STATUS_BUSY)
		return -EINVAL;
	d->abort = true;
	d->abort_error = error;
	d->abort_iova = dmatest_cursor(&d->xfer);
	return 0;
}

int dmatest_doorbell(struct dmatest_dev *d, u32 value)
{
	int ret;

	mutex_lock(&d->lock);
	switch (value) {
	case VFIO_DMATEST_DOORBELL_START:
		ret = dmatest_start(d);
		break;
	case VFIO_DMATEST_DOORBELL_RELEASE:
		ret = dmatest_release(d);
		break;
	case VFIO_DMATEST_DOORBELL_ABORT:
		ret = dmatest_abort(d, VFIO_DMATEST_ERR_ABORTED);
		break;
	default:
		ret = -EINVAL;
	}
	mutex_unlock(&d->lock);
	return ret;
}

/* Stop whatever runs or is held (reset, close), and wait for the work. */
void dmatest_engine_stop(struct dmatest_dev *d, u32 error)
{
	mutex_lock(&d->lock);
	dmatest_abort(d, error);
	mutex_unlock(&d->lock);
	flush_work(&d->work);
}

/* Bytes up to the next page boundary of either buffer, or the end. */
static size_t dmatest_chunk_len(const struct dmatest_xfer *x)
{
	u64 n = dmatest_len(x) - x->done;

	if (x->src.len)
		n = min(n, PAGE_SIZE - offset_in_page(x->src.iova + x->done));
	if (x->dst.len)
		n = min(n, PAGE_SIZE - offset_in_page(x->dst.iova + x->done));
	return n;
}

/* The pinned page holding byte x->done of @b, and the offset in it. */
static struct page *dmatest_pinned_page(const struct dmatest_buf *b, u64 done,
					size_t *offset)
{
	u64 iova = b->iova + done;

	*offset = offset_in_page(iova);
	return b->pages[(iova >> PAGE_SHIFT) - (b->iova >> PAGE_SHIFT)];
}

static int dmatest_buf_rw(struct dmatest_dev *d, struct dmatest_buf *b, u64 done,
			  void *data, size_t n, bool write)
{
	size_t offset;
	void *p;

	if (!b->pages)
		return vfio_dma_rw(&d->vdev, b->iova + done, data, n, write);
	p = kmap_local_page(dmatest_pinned_page(b, done, &offset));
	if (write)
		memcpy(p + offset, data, n);
	else
		memcpy(data, p + offset, n);
	kunmap_local(p);
	return 0;
}

static void dmatest_fill(const struct dmatest_xfer *x, u8 *data, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		data[i] = x->pattern >> (8 * ((x->done + i) % 8));
}

static void dmatest_checksum(struct dmatest_xfer *x, const u8 *data, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		x->checksum = (x->checksum ^ data[i]) * VFIO_DMATEST_FNV_PRIME;
}

/* Move one chunk; on failure *@fault_iova says where. */
static int dmatest_chunk(struct dmatest_dev *d, size_t n, u64 *fault_iova)
{
	struct dmatest_xfer *x = &d->xfer;
	int ret;

	if (x->src.len) {
		ret = dmatest_buf_rw(d, &x->src, x->done, d->bounce, n, false);
		if (ret) {
			*fault_iova = x->src.iova + x->done;
			return ret;
		}
	}
	if (x->op == VFIO_DMATEST_OP_CHECKSUM)
		dmatest_checksum(x, d->bounce, n);
	if (x->op == VFIO_DMATEST_OP_FILL)
		dmatest_fill(x, d->bounce, n);
	if (x->dst.len) {
		ret = dmatest_buf_rw(d, &x->dst, x->done, d->bounce, n, true);
		if (ret) {
			*fault_iova = x->dst.iova + x->done;
			return ret;
		}
	}
	return 0;
}

/*
 * One step of a BUSY transfer, with d->lock held.  Pinned chunks move under
 * the lock (the unmap callback must not drop the pins mid-copy); unpinned
 * ones drop it around iommufd_access_rw(), which may fault pages in.
 * Return: true when the transfer has ended.
 */
static bool dmatest_step(struct dmatest_dev *d)
{
	struct dmatest_xfer *x = &d->xfer;
	bool pinned = x->flags & VFIO_DMATEST_CMD_PIN;
	size_t n = dmatest_chunk_len(x);
	u64 fault_iova = 0;
	int ret;

	if (d->abort) {
		dmatest_finish(d, d->abort_error, d->abort_iova, -ECANCELED);
		return true;
	}
	if (x->done == dmatest_len(x)) {
		dmatest_finish(d, VFIO_DMATEST_ERR_NONE, 0, 0);
		return true;
	}
	if (!d->attached) {
		dmatest_finish(d, VFIO_DMATEST_ERR_DETACHED, dmatest_cursor(x), -ENODEV);
		return true;
	}
	if (!pinned)
		mutex_unlock(&d->lock);
	ret = dmatest_chunk(d, n, &fault_iova);
	if (!pinned)
		mutex_lock(&d->lock);
	if (ret) {
		u32 error = d->detaching || !d->attached ? VFIO_DMATEST_ERR_DETACHED :
							  dmatest_error_from_errno(ret);
		dmatest_finish(d, error, fault_iova, ret);
		return true;
	}
	x->done += n;
	dmatest_reg_write64(d, VFIO_DMATEST_REG_DONE_BYTES, x->done);
	return false;
}

void dmatest_engine_work(struct work_struct *work)
{
	struct dmatest_dev *d = container_of(work, struct dmatest_dev, work);
	bool ended;

	do {
		mutex_lock(&d->lock);
		ended = d->status != VFIO_DMATEST_STATUS_BUSY || dmatest_step(d);
		mutex_unlock(&d->lock);
		cond_resched();
	} while (!ended);
}
