/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internals of the vfio_dmatest helper (dmatest*.c); never installed. */
#ifndef LIBIOMMUFD_DMATEST_PRIVATE_H
#define LIBIOMMUFD_DMATEST_PRIVATE_H

#include <libiommufd/dmatest.h>

#include "private.h"
/* The register interface the module and this library share (driver/include). */
#include "uapi/vfio_dmatest.h"

#define IFD_DT_NAME_LEN 32

struct iommufd_dmatest {
	struct iommufd_ctx *ctx;
	struct iommufd_device *dev;
	/* Page 0 of region 0 mapped, or NULL: registers through pread/pwrite. */
	volatile unsigned char *regs;
	int irq_fd[VFIO_DMATEST_NUM_IRQS]; /* completion, error; -1: none */
	uint64_t max_len;
	char name[IFD_DT_NAME_LEN]; /* "vfio_dmatest.0", for sentences */
};

/* What a snapshot of the registers says of the last transfer. */
struct ifd_dt_regs {
	uint32_t status, error, kernel_errno;
	uint64_t fault_iova, result, done_bytes, completions, errors, pinned;
};

/* Record a failure in the device's context. */
#define ifd_dt_fail(dt, err, ...) ifd_fail((dt)->ctx, (err), __VA_ARGS__)

/* -EINVAL with a sentence for a NULL @dt (recorded for no context). */
IFD_HIDDEN int ifd_dt_check(const struct iommufd_dmatest *dt, const char *fn);

/* ---- sysfs (dmatest_sysfs.c) ---------------------------------------------- */

/* The cdev path of instance @index into @buf; failures recorded for @ctx. */
IFD_HIDDEN int ifd_dt_path(struct iommufd_ctx *ctx, unsigned int index, char *buf, size_t len);

/* ---- registers (dmatest_regs.c) ------------------------------------------- */

IFD_HIDDEN int ifd_dt_read32(struct iommufd_dmatest *dt, uint32_t off, uint32_t *v);
IFD_HIDDEN int ifd_dt_read64(struct iommufd_dmatest *dt, uint32_t off, uint64_t *v);
IFD_HIDDEN int ifd_dt_write32(struct iommufd_dmatest *dt, uint32_t off, uint32_t v);
IFD_HIDDEN int ifd_dt_write64(struct iommufd_dmatest *dt, uint32_t off, uint64_t v);
/* STATUS first, then the rest: the engine sets STATUS last. */
IFD_HIDDEN int ifd_dt_snapshot(struct iommufd_dmatest *dt, struct ifd_dt_regs *r);
/* Write @value to DOORBELL (write(2) only); -errno as the device answered,
 * with the library's generic sentence. */
IFD_HIDDEN int ifd_dt_doorbell(struct iommufd_dmatest *dt, uint32_t value);

/* ---- interrupts (dmatest_irq.c) ------------------------------------------- */

/* Make both eventfds and route the device's IRQs to them. */
IFD_HIDDEN int ifd_dt_irqs_setup(struct iommufd_dmatest *dt);
IFD_HIDDEN void ifd_dt_irqs_close(struct iommufd_dmatest *dt);
/* Read whatever count both eventfds hold. */
IFD_HIDDEN void ifd_dt_irqs_drain(struct iommufd_dmatest *dt);
/* Sleep until an eventfd is readable or @timeout_ms (-1: no limit) passes;
 * drain what is readable.  0, or -EINTR / the poll error. */
IFD_HIDDEN int ifd_dt_irqs_poll(struct iommufd_dmatest *dt, int timeout_ms);

/* ---- results (dmatest_result.c) ------------------------------------------- */

/* -EINVAL unless @res (may be NULL when @optional) has a usable sz. */
IFD_HIDDEN int ifd_dt_check_result(struct iommufd_dmatest *dt, const char *fn,
				   const struct iommufd_dmatest_result *res, bool optional);
/* Fill @res (checked already; may be NULL) as far as its sz reaches. */
IFD_HIDDEN void ifd_dt_fill_result(const struct ifd_dt_regs *r, struct iommufd_dmatest_result *res);

#endif
