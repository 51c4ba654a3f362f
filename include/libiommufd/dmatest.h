/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The vfio_dmatest device: an emulated VFIO device with a DMA engine, from
 * the companion kernel module in driver/ (`insmod vfio_dmatest.ko
 * devices=N`).  It reaches memory only through the IOAS it is attached to,
 * so it gives tests, examples and VMM prototypes real DMA through iommufd
 * on any kernel, with no hardware.
 *
 * The helper opens instance @index (/sys/bus/platform/devices/
 * vfio_dmatest.<index>), binds it to a context, optionally attaches it,
 * routes its two interrupts to eventfds, and programs transfers:
 *
 *	struct iommufd_dmatest *dt;
 *	IOMMUFD_OPTS(iommufd_dmatest_open_opts, o, .pt_id = ioas);
 *	IOMMUFD_OPTS(iommufd_dmatest_xfer, x, .op = IOMMUFD_DMATEST_COPY,
 *		     .src_iova = src, .dst_iova = dst, .length = len);
 *	struct iommufd_dmatest_result r = { .sz = sizeof(r) };
 *
 *	iommufd_dmatest_open(ctx, 0, &o, &dt);
 *	iommufd_dmatest_run(dt, &x, 1000, &r);   // r.status DONE or ERROR
 *
 * One transfer runs at a time per device.  Calls on one handle must not
 * race; distinct devices are independent.  Errors are recorded in the
 * context the device is bound to (iommufd_ctx_last_error(ctx)).
 */
#ifndef LIBIOMMUFD_DMATEST_H
#define LIBIOMMUFD_DMATEST_H

#include <libiommufd/device.h>

LIBIOMMUFD_BEGIN_DECLS

struct iommufd_dmatest;

/* The operation of a transfer (the device's CMD bits 0-7). */
enum iommufd_dmatest_op {
	IOMMUFD_DMATEST_COPY = 1,     /* length bytes src_iova -> dst_iova */
	IOMMUFD_DMATEST_FILL = 2,     /* dst byte i = byte (i % 8) of pattern (LE) */
	IOMMUFD_DMATEST_CHECKSUM = 3, /* result.checksum = FNV-1a 64 of src */
};

/* Flags of a transfer. */
enum iommufd_dmatest_xfer_flag {
	/* Pin every page first (vfio_pin_pages()) and copy through the pins,
	 * instead of iommufd_access_rw() chunk by chunk. */
	IOMMUFD_DMATEST_PIN = 1u << 8,
	/* Stop before moving bytes (after pinning, with PIN) until
	 * iommufd_dmatest_release(): a transfer left pending, e.g. across an
	 * unmap.  iommufd_dmatest_submit() returns once it is held. */
	IOMMUFD_DMATEST_HOLD = 1u << 9,
};

/* Where a transfer is (the device's STATUS register).  The tag is not
 * iommufd_dmatest_status: SWIG cannot wrap a tag and the function of that
 * name both. */
enum iommufd_dmatest_xfer_status {
	IOMMUFD_DMATEST_IDLE = 0,
	IOMMUFD_DMATEST_BUSY = 1,
	IOMMUFD_DMATEST_HELD = 2,
	IOMMUFD_DMATEST_DONE = 3,
	IOMMUFD_DMATEST_ERROR = 4,
};

/* Why a transfer ended in IOMMUFD_DMATEST_ERROR (the ERROR register). */
enum iommufd_dmatest_error {
	IOMMUFD_DMATEST_ERR_NONE = 0,
	IOMMUFD_DMATEST_ERR_INVALID = 1,   /* bad op, length 0 or too long, range wraps */
	IOMMUFD_DMATEST_ERR_UNMAPPED = 2,  /* fault_iova is not mapped */
	IOMMUFD_DMATEST_ERR_READ_ONLY = 3, /* fault_iova is mapped read-only */
	IOMMUFD_DMATEST_ERR_UNMAPPING = 4, /* fault_iova was unmapped under a pinned,
					    * pending transfer; its pins were dropped */
	IOMMUFD_DMATEST_ERR_DETACHED = 5,  /* not attached, or detached while pending */
	IOMMUFD_DMATEST_ERR_ABORTED = 6,   /* iommufd_dmatest_abort(), reset or close */
	IOMMUFD_DMATEST_ERR_NOMEM = 7,
	IOMMUFD_DMATEST_ERR_IO = 8,        /* other; kernel_errno says which */
};

/*
 * struct iommufd_dmatest_open_opts - options of iommufd_dmatest_open().
 * @sz:        sizeof, set by IOMMUFD_OPTS().
 * @pt_id:     0, or an IOAS to attach the device to at once.
 * @no_mmap:   read the registers with pread() instead of mapping them
 *             (also what happens when the page size is not 4 KiB).
 */
struct iommufd_dmatest_open_opts {
	size_t sz;
	uint32_t pt_id;
	uint32_t no_mmap;
};

/*
 * iommufd_dmatest_path - the cdev of instance @index
 * ("/dev/vfio/devices/vfioN") into @buf, which has room for @len bytes.
 * Return: 0, or -ENODEV with a sentence (the module is not loaded, or has
 * fewer instances: the sentence says how many), -ENAMETOOLONG, -EINVAL
 * (NULL @buf).  Errors are recorded in iommufd_ctx_last_error(NULL).
 */
LIBIOMMUFD_API int iommufd_dmatest_path(unsigned int index, char *buf, size_t len);

/* iommufd_dmatest_count - how many instances the loaded module has (0 when
 * it is not loaded), or a negative errno when sysfs cannot be read. */
LIBIOMMUFD_API int iommufd_dmatest_count(void);

/*
 * iommufd_dmatest_open - open instance @index, bind it to @ctx, check its
 * magic and version, map its registers, create its completion and error
 * eventfds and route the device's IRQs to them, and attach it to
 * @opts->pt_id when set.  Undone whole on failure.
 * @dtp: receives the handle.
 * Return: 0, or as iommufd_dmatest_path(), iommufd_device_open(),
 * iommufd_device_bind(), iommufd_device_attach(); -EPROTO when the
 * device's magic, version or region layout is not the one this library
 * knows (the sentence says which); -EINVAL (NULL @ctx or @dtp, bad
 * @opts->sz), -E2BIG (@opts sets fields this library does not know).
 */
LIBIOMMUFD_API int iommufd_dmatest_open(struct iommufd_ctx *ctx, unsigned int index,
					const struct iommufd_dmatest_open_opts *opts,
					struct iommufd_dmatest **dtp);

/* iommufd_dmatest_close - close the device (a pending transfer is aborted
 * by the kernel and its pins dropped) and its eventfds.  NULL is ignored. */
LIBIOMMUFD_API void iommufd_dmatest_close(struct iommufd_dmatest *dt);

/* iommufd_dmatest_device - the underlying device (owned by @dt): attach,
 * detach, reset, its ID.  NULL for a NULL @dt. */
LIBIOMMUFD_API struct iommufd_device *iommufd_dmatest_device(const struct iommufd_dmatest *dt);

/* iommufd_dmatest_max_length - the longest transfer the device accepts
 * (module parameter max_len), or 0 for a NULL @dt. */
LIBIOMMUFD_API uint64_t iommufd_dmatest_max_length(const struct iommufd_dmatest *dt);

/* iommufd_dmatest_completion_fd / _error_fd - the eventfds the device's
 * completion and error interrupts signal, for an epoll loop (owned by @dt;
 * iommufd_dmatest_wait() reads them), or -EINVAL for a NULL @dt. */
LIBIOMMUFD_API int iommufd_dmatest_completion_fd(const struct iommufd_dmatest *dt);
LIBIOMMUFD_API int iommufd_dmatest_error_fd(const struct iommufd_dmatest *dt);

/*
 * struct iommufd_dmatest_xfer - one transfer.
 * @sz:       sizeof, set by IOMMUFD_OPTS().
 * @op:       enum iommufd_dmatest_op.
 * @flags:    enum iommufd_dmatest_xfer_flag.
 * @src_iova: COPY and CHECKSUM: where the device reads.
 * @dst_iova: COPY and FILL: where the device writes.
 * @length:   bytes, 1 .. iommufd_dmatest_max_length().
 * @pattern:  FILL: eight bytes, repeated from dst_iova on (little-endian).
 */
struct iommufd_dmatest_xfer {
	size_t sz;
	uint32_t op;
	uint32_t flags;
	uint64_t src_iova;
	uint64_t dst_iova;
	uint64_t length;
	uint64_t pattern;
};

/*
 * iommufd_dmatest_submit - program @xfer and ring the doorbell.  Returns
 * once the device has latched it (with IOMMUFD_DMATEST_HOLD: once it is
 * held, or has already failed); the outcome comes from
 * iommufd_dmatest_wait().  Arguments are checked first: an unknown op or
 * flag, length 0 or over the device's maximum, or an IOVA range that wraps
 * is -EINVAL before the device sees it.  The device checks the same and
 * ends such a transfer in IOMMUFD_DMATEST_ERR_INVALID (only a device
 * whose maximum changed after open gets to).
 * Return: 0, or -EINVAL, -EBUSY (a transfer is running or held), -E2BIG
 * (@xfer sets fields this library does not know), or the error of the
 * register write.
 */
LIBIOMMUFD_API int iommufd_dmatest_submit(struct iommufd_dmatest *dt,
					  const struct iommufd_dmatest_xfer *xfer);

/* iommufd_dmatest_release - let a held transfer go on.  Return: 0, or
 * -EINVAL (nothing is held), or the write's error. */
LIBIOMMUFD_API int iommufd_dmatest_release(struct iommufd_dmatest *dt);

/* iommufd_dmatest_abort - end the running or held transfer: it ends in
 * IOMMUFD_DMATEST_ERROR with IOMMUFD_DMATEST_ERR_ABORTED and the error
 * interrupt.  Return: 0, or -EINVAL (nothing to abort). */
LIBIOMMUFD_API int iommufd_dmatest_abort(struct iommufd_dmatest *dt);

/*
 * struct iommufd_dmatest_result - the device's view of the last transfer.
 * @sz:           sizeof (the caller sets it, at least up to @error; the
 *                library fills only what fits and zeroes what it does not
 *                know).
 * @status:       enum iommufd_dmatest_xfer_status.
 * @error:        enum iommufd_dmatest_error (0 unless status is ERROR).
 * @kernel_errno: the kernel's errno behind the error (positive), or 0.
 * @fault_iova:   ERROR: the first IOVA the device could not reach.
 * @done_bytes:   bytes moved (or checksummed) before it ended.
 * @checksum:     CHECKSUM: FNV-1a 64 of the source.
 * @completions, @errors: transfers ended DONE / ERROR since the module
 *                created the device.
 * @pinned_pages: pages the device holds pinned now.
 */
struct iommufd_dmatest_result {
	size_t sz;
	uint32_t status;
	uint32_t error;
	uint32_t kernel_errno;
	uint32_t reserved;
	uint64_t fault_iova;
	uint64_t done_bytes;
	uint64_t checksum;
	uint64_t completions;
	uint64_t errors;
	uint64_t pinned_pages;
};

/* iommufd_dmatest_status - read the registers now, without waiting.
 * Return: 0, or -EINVAL (NULL or @res->sz too small), or the read's error. */
LIBIOMMUFD_API int iommufd_dmatest_status(struct iommufd_dmatest *dt,
					  struct iommufd_dmatest_result *res);

/*
 * iommufd_dmatest_wait - wait until the transfer ends (DONE or ERROR) or
 * @timeout_ms passes (-1: no limit), through the interrupt eventfds, and
 * fill @res (may be NULL).  The eventfds are drained.
 * STATUS is read first and after every wake-up: a count an eventfd kept
 * from an earlier transfer is never taken for this one's end.
 * Return: 0 when it ended (see @res->status), -ETIMEDOUT, -EINVAL (NULL
 * @dt, nothing submitted: the device is IDLE, @res->sz too small),
 * -EINTR, -EPROTO (a STATUS this library does not know), or a read error.
 */
LIBIOMMUFD_API int iommufd_dmatest_wait(struct iommufd_dmatest *dt, int timeout_ms,
					struct iommufd_dmatest_result *res);

/* iommufd_dmatest_run - iommufd_dmatest_submit() of @xfer, then
 * iommufd_dmatest_wait() with @timeout_ms.  A transfer that ends in ERROR
 * is still 0: the error is in @res. */
LIBIOMMUFD_API int iommufd_dmatest_run(struct iommufd_dmatest *dt,
				       const struct iommufd_dmatest_xfer *xfer, int timeout_ms,
				       struct iommufd_dmatest_result *res);

/* iommufd_dmatest_checksum - the device's CHECKSUM (FNV-1a 64) of @len
 * bytes at @buf, computed here, to compare with @res->checksum.  A NULL
 * @buf counts as no bytes. */
LIBIOMMUFD_API uint64_t iommufd_dmatest_checksum(const void *buf, size_t len);

/* iommufd_dmatest_error_name - "unmapped", "read-only"...: a word for
 * @error (enum iommufd_dmatest_error), or "unknown". */
LIBIOMMUFD_API const char *iommufd_dmatest_error_name(uint32_t error);

LIBIOMMUFD_END_DECLS

#endif
