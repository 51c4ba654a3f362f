/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio_dmatest: an emulated VFIO device with a DMA engine that reaches
 * memory only through the iommufd access its cdev was bound with.  The
 * register interface is include/uapi/vfio_dmatest.h.
 */
#ifndef VFIO_DMATEST_H
#define VFIO_DMATEST_H

#include <linux/eventfd.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/vfio.h>
#include <linux/workqueue.h>

#include <uapi/vfio_dmatest.h>

/* One buffer of a transfer as the engine sees it: an IOVA range, and its
 * pages while the transfer holds them pinned (CMD_PIN). */
struct dmatest_buf {
	u64 iova;
	u64 len;
	bool write;          /* the device writes it (COPY/FILL destination) */
	struct page **pages; /* CMD_PIN: one per page of [iova, iova + len) */
	int npages;
	int npinned;         /* pages[0..npinned) are pinned */
};

/* The latched parameters and progress of the current transfer. */
struct dmatest_xfer {
	u32 op;
	u32 flags;
	u64 pattern;
	struct dmatest_buf src; /* COPY, CHECKSUM */
	struct dmatest_buf dst; /* COPY, FILL */
	u64 done;               /* bytes moved so far */
	u64 checksum;
};

struct dmatest_dev {
	struct vfio_device vdev;
	struct platform_device *pdev;
	u64 max_len;
	struct workqueue_struct *wq; /* the module's, runs the engine */
	void *bounce;                /* a page: each chunk passes through it */

	/*
	 * Serialises everything below between the doorbell (a write(2)), the
	 * engine's work, the IOAS unmap callback and attach/detach.  iommufd
	 * calls the unmap callback with none of its own locks held, so the
	 * callback may sleep on this lock while the engine finishes a chunk.
	 */
	struct mutex lock;
	struct page *regs_page; /* page 0 of region 0; user space may map it */
	void *regs;
	u32 status;             /* VFIO_DMATEST_STATUS_* (the register mirrors it) */
	bool attached;          /* to an IOAS, through attach_ioas */
	bool detaching;         /* unmap callbacks now come from a detach */
	bool abort;             /* the engine should stop: see abort_error */
	u32 abort_error;
	u64 abort_iova;
	struct dmatest_xfer xfer;
	struct work_struct work;
	struct eventfd_ctx *trigger[VFIO_DMATEST_NUM_IRQS];
	u64 completions;
	u64 errors;
	u32 seq;
};

static inline struct dmatest_dev *to_dmatest(struct vfio_device *vdev)
{
	return container_of(vdev, struct dmatest_dev, vdev);
}

/* regs.c: the register page, region info, read/write/mmap of region 0. */
int dmatest_regs_init(struct dmatest_dev *d);
void dmatest_regs_free(struct dmatest_dev *d);
void dmatest_regs_reset(struct dmatest_dev *d);
void dmatest_reg_write32(struct dmatest_dev *d, unsigned int off, u32 val);
void dmatest_reg_write64(struct dmatest_dev *d, unsigned int off, u64 val);
u32 dmatest_reg_read32(struct dmatest_dev *d, unsigned int off);
u64 dmatest_reg_read64(struct dmatest_dev *d, unsigned int off);
int dmatest_region_info(struct dmatest_dev *d, struct vfio_region_info *info,
			struct vfio_info_cap *caps);
ssize_t dmatest_read(struct vfio_device *vdev, char __user *buf, size_t count,
		     loff_t *ppos);
ssize_t dmatest_write(struct vfio_device *vdev, const char __user *buf,
		      size_t count, loff_t *ppos);
int dmatest_mmap(struct vfio_device *vdev, struct vm_area_struct *vma);

/* irq.c: VFIO_DEVICE_GET_IRQ_INFO / SET_IRQS and signalling. */
long dmatest_irq_info(struct dmatest_dev *d, void __user *arg);
long dmatest_set_irqs(struct dmatest_dev *d, void __user *arg);
void dmatest_irq_signal(struct dmatest_dev *d, unsigned int index);
void dmatest_irqs_release(struct dmatest_dev *d);

/* engine.c: the doorbell, the transfer work and its end. */
int dmatest_doorbell(struct dmatest_dev *d, u32 value);
void dmatest_engine_work(struct work_struct *work);
void dmatest_engine_stop(struct dmatest_dev *d, u32 error);
void dmatest_finish(struct dmatest_dev *d, u32 error, u64 fault_iova, int err);

/* pin.c: pinning the buffers of a CMD_PIN transfer, and dropping them. */
int dmatest_pin_buf(struct dmatest_dev *d, struct dmatest_buf *b, u64 *fault_iova);
void dmatest_unpin_buf(struct dmatest_dev *d, struct dmatest_buf *b);
void dmatest_unpin_all(struct dmatest_dev *d);
u64 dmatest_pinned_pages(struct dmatest_dev *d);

/* attach.c: bind/attach/detach through the emulated iommufd path, and the
 * IOAS unmap callback. */
int dmatest_attach_ioas(struct vfio_device *vdev, u32 *pt_id);
void dmatest_detach_ioas(struct vfio_device *vdev);
void dmatest_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length);

/* errno from iommufd (negative) -> VFIO_DMATEST_ERR_* */
u32 dmatest_error_from_errno(int err);

#endif
