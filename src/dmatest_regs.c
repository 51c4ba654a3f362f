/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The vfio_dmatest registers: loads and stores on the mapped page 0, or
 * pread/pwrite through the device fd when it is not mapped.  Registers are
 * little-endian; the doorbell on page 1 is reached only by a write.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "dmatest_private.h"

/* The public names are the device's values. */
_Static_assert(IOMMUFD_DMATEST_COPY == VFIO_DMATEST_OP_COPY, "op");
_Static_assert(IOMMUFD_DMATEST_FILL == VFIO_DMATEST_OP_FILL, "op");
_Static_assert(IOMMUFD_DMATEST_CHECKSUM == VFIO_DMATEST_OP_CHECKSUM, "op");
_Static_assert(IOMMUFD_DMATEST_PIN == VFIO_DMATEST_CMD_PIN, "flag");
_Static_assert(IOMMUFD_DMATEST_HOLD == VFIO_DMATEST_CMD_HOLD, "flag");
_Static_assert(IOMMUFD_DMATEST_IDLE == VFIO_DMATEST_STATUS_IDLE, "status");
_Static_assert(IOMMUFD_DMATEST_BUSY == VFIO_DMATEST_STATUS_BUSY, "status");
_Static_assert(IOMMUFD_DMATEST_HELD == VFIO_DMATEST_STATUS_HELD, "status");
_Static_assert(IOMMUFD_DMATEST_DONE == VFIO_DMATEST_STATUS_DONE, "status");
_Static_assert(IOMMUFD_DMATEST_ERROR == VFIO_DMATEST_STATUS_ERROR, "status");
_Static_assert(IOMMUFD_DMATEST_ERR_NONE == VFIO_DMATEST_ERR_NONE, "error");
_Static_assert(IOMMUFD_DMATEST_ERR_INVALID == VFIO_DMATEST_ERR_INVALID, "error");
_Static_assert(IOMMUFD_DMATEST_ERR_UNMAPPED == VFIO_DMATEST_ERR_UNMAPPED, "error");
_Static_assert(IOMMUFD_DMATEST_ERR_READ_ONLY == VFIO_DMATEST_ERR_READ_ONLY, "error");
_Static_assert(IOMMUFD_DMATEST_ERR_UNMAPPING == VFIO_DMATEST_ERR_UNMAPPING, "error");
_Static_assert(IOMMUFD_DMATEST_ERR_DETACHED == VFIO_DMATEST_ERR_DETACHED, "error");
_Static_assert(IOMMUFD_DMATEST_ERR_ABORTED == VFIO_DMATEST_ERR_ABORTED, "error");
_Static_assert(IOMMUFD_DMATEST_ERR_NOMEM == VFIO_DMATEST_ERR_NOMEM, "error");
_Static_assert(IOMMUFD_DMATEST_ERR_IO == VFIO_DMATEST_ERR_IO, "error");
/* The snapshot reads the block at once: it must lie in the mapped page. */
_Static_assert(VFIO_DMATEST_REG_END <= VFIO_DMATEST_MMAP_SIZE, "layout");

static int region_read(struct iommufd_dmatest *dt, uint32_t off, void *buf, size_t len)
{
	return iommufd_device_region_read(dt->dev, VFIO_DMATEST_REGION, off, buf, len);
}

static int region_write(struct iommufd_dmatest *dt, uint32_t off, const void *buf, size_t len)
{
	return iommufd_device_region_write(dt->dev, VFIO_DMATEST_REGION, off, buf, len);
}

int ifd_dt_read32(struct iommufd_dmatest *dt, uint32_t off, uint32_t *v)
{
	uint32_t le;
	int rc = 0;

	if (dt->regs)
		le = *(volatile uint32_t *)(dt->regs + off);
	else
		rc = region_read(dt, off, &le, sizeof(le));
	*v = le32toh(le);
	return rc;
}

int ifd_dt_read64(struct iommufd_dmatest *dt, uint32_t off, uint64_t *v)
{
	uint64_t le;
	int rc = 0;

	if (dt->regs)
		le = *(volatile uint64_t *)(dt->regs + off);
	else
		rc = region_read(dt, off, &le, sizeof(le));
	*v = le64toh(le);
	return rc;
}

int ifd_dt_write32(struct iommufd_dmatest *dt, uint32_t off, uint32_t v)
{
	uint32_t le = htole32(v);

	if (!dt->regs)
		return region_write(dt, off, &le, sizeof(le));
	*(volatile uint32_t *)(dt->regs + off) = le;
	return 0;
}

int ifd_dt_write64(struct iommufd_dmatest *dt, uint32_t off, uint64_t v)
{
	uint64_t le = htole64(v);

	if (!dt->regs)
		return region_write(dt, off, &le, sizeof(le));
	*(volatile uint64_t *)(dt->regs + off) = le;
	return 0;
}

static uint32_t block32(const unsigned char *b, uint32_t off)
{
	uint32_t le;

	memcpy(&le, b + off, sizeof(le));
	return le32toh(le);
}

static uint64_t block64(const unsigned char *b, uint32_t off)
{
	uint64_t le;

	memcpy(&le, b + off, sizeof(le));
	return le64toh(le);
}

/* The engine writes the outcome, then STATUS, then signals: on the mapped
 * page STATUS is loaded first and the rest after it.  Through the fd, one
 * read copies the block in address order, STATUS before the outcome. */
int ifd_dt_snapshot(struct iommufd_dmatest *dt, struct ifd_dt_regs *r)
{
	unsigned char b[VFIO_DMATEST_REG_END];
	int rc;

	if (dt->regs) {
		r->status = le32toh(*(volatile uint32_t *)(dt->regs + VFIO_DMATEST_REG_STATUS));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		for (uint32_t off = VFIO_DMATEST_REG_STATUS; off < sizeof(b); off += 4) {
			uint32_t v = *(volatile uint32_t *)(dt->regs + off);

			memcpy(b + off, &v, sizeof(v));
		}
	} else {
		rc = region_read(dt, 0, b, sizeof(b));
		if (rc)
			return rc;
		r->status = block32(b, VFIO_DMATEST_REG_STATUS);
	}
	r->error = block32(b, VFIO_DMATEST_REG_ERROR);
	r->kernel_errno = block32(b, VFIO_DMATEST_REG_ERRNO);
	r->fault_iova = block64(b, VFIO_DMATEST_REG_FAULT_IOVA);
	r->result = block64(b, VFIO_DMATEST_REG_RESULT);
	r->done_bytes = block64(b, VFIO_DMATEST_REG_DONE_BYTES);
	r->completions = block64(b, VFIO_DMATEST_REG_COMPLETIONS);
	r->errors = block64(b, VFIO_DMATEST_REG_ERRORS);
	r->pinned = block64(b, VFIO_DMATEST_REG_PINNED);
	return 0;
}

int ifd_dt_doorbell(struct iommufd_dmatest *dt, uint32_t value)
{
	uint32_t le = htole32(value);

	return region_write(dt, VFIO_DMATEST_REG_DOORBELL, &le, sizeof(le));
}
