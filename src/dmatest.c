/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Opening a vfio_dmatest instance: find its cdev, open and bind it, check
 * that it is the device this library knows (region layout, interrupts,
 * magic, version), map its registers, route its interrupts, attach it.
 * Any failure undoes the whole.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alloc.h"
#include "dmatest_private.h"

static const char fn[] = "iommufd_dmatest_open";

int ifd_dt_check(const struct iommufd_dmatest *dt, const char *func)
{
	return dt ? 0 : ifd_fail(NULL, EINVAL, "%s: the device is NULL", func);
}

/* Calls made before binding record their sentence for no context: the
 * caller of open reads it from @ctx, so it is copied there. */
static int to_ctx(struct iommufd_ctx *ctx, int rc)
{
	char msg[320]; /* a sentence's room (error.c) */

	snprintf(msg, sizeof(msg), "%s", iommufd_ctx_last_error(NULL));
	return ifd_fail(ctx, -rc, "%s", msg);
}

static int open_and_bind(struct iommufd_dmatest *dt, unsigned int index)
{
	char path[64];
	int rc = ifd_dt_path(dt->ctx, index, path, sizeof(path));

	if (rc)
		return rc;
	rc = iommufd_device_open(path, &dt->dev);
	if (rc)
		return to_ctx(dt->ctx, rc);
	return iommufd_device_bind(dt->dev, dt->ctx, NULL, NULL);
}

static int check_irq(struct iommufd_dmatest *dt, uint32_t index)
{
	struct iommufd_irq_info irq;
	int rc = iommufd_device_irq_info(dt->dev, index, &irq);

	if (rc)
		return rc;
	if (!(irq.flags & IOMMUFD_IRQ_EVENTFD) || !irq.count)
		return ifd_dt_fail(dt, EPROTO, "%s: IRQ index %u of %s has %u vectors and flags "
				   "0x%x, not one eventfd vector", fn, index, dt->name, irq.count,
				   irq.flags);
	return 0;
}

/* Region 0 readable and writable, of the size the uapi says, with page 0
 * mmap-able unless @no_mmap; both interrupts eventfd-capable. */
static int check_layout(struct iommufd_dmatest *dt, bool no_mmap)
{
	const uint32_t rw = IOMMUFD_REGION_READ | IOMMUFD_REGION_WRITE;
	struct iommufd_device_info di;
	struct iommufd_region_info ri;
	bool page0 = false;
	int rc = iommufd_device_get_info(dt->dev, &di);

	if (rc)
		return rc;
	if (di.num_regions < 1 || di.num_irqs < VFIO_DMATEST_NUM_IRQS)
		return ifd_dt_fail(dt, EPROTO, "%s: %s has %u regions and %u IRQ indexes, not the "
				   "1 and %u of vfio_dmatest", fn, dt->name, di.num_regions,
				   di.num_irqs, VFIO_DMATEST_NUM_IRQS);
	rc = iommufd_device_region_info(dt->dev, VFIO_DMATEST_REGION, &ri);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < ri.nr_areas && i < IOMMUFD_REGION_MAX_SPARSE; i++)
		page0 |= !ri.areas[i].offset && ri.areas[i].size >= VFIO_DMATEST_MMAP_SIZE;
	if (ri.size != VFIO_DMATEST_REGION_SIZE || (ri.flags & rw) != rw || (!no_mmap && !page0))
		return ifd_dt_fail(dt, EPROTO, "%s: region 0 of %s is 0x%" PRIx64 " bytes with "
				   "flags 0x%x%s, not the 0x%x readable, writable bytes of "
				   "vfio_dmatest with its registers mmap-able", fn, dt->name,
				   ri.size, ri.flags, page0 ? "" : " and no mmap-able page 0",
				   VFIO_DMATEST_REGION_SIZE);
	rc = check_irq(dt, VFIO_DMATEST_IRQ_COMPLETION);
	return rc ? rc : check_irq(dt, VFIO_DMATEST_IRQ_ERROR);
}

/* The registers are mapped when the page size lets page 0 be mapped alone. */
static int map_registers(struct iommufd_dmatest *dt, bool no_mmap)
{
	void *addr;
	int rc;

	if (no_mmap || sysconf(_SC_PAGESIZE) != VFIO_DMATEST_MMAP_SIZE)
		return 0;
	rc = iommufd_device_region_mmap(dt->dev, VFIO_DMATEST_REGION, 0, VFIO_DMATEST_MMAP_SIZE,
					PROT_READ | PROT_WRITE, &addr);
	if (!rc)
		dt->regs = addr;
	return rc;
}

static int check_identity(struct iommufd_dmatest *dt)
{
	uint32_t magic, version;
	int rc = ifd_dt_read32(dt, VFIO_DMATEST_REG_MAGIC, &magic);

	if (!rc)
		rc = ifd_dt_read32(dt, VFIO_DMATEST_REG_VERSION, &version);
	if (!rc)
		rc = ifd_dt_read64(dt, VFIO_DMATEST_REG_MAX_LEN, &dt->max_len);
	if (rc)
		return rc;
	if (magic != VFIO_DMATEST_MAGIC)
		return ifd_dt_fail(dt, EPROTO, "%s: %s has magic 0x%08x, not vfio_dmatest's 0x%08x",
				   fn, dt->name, magic, VFIO_DMATEST_MAGIC);
	if (version != VFIO_DMATEST_VERSION)
		return ifd_dt_fail(dt, EPROTO, "%s: %s speaks register version %u; this libiommufd "
				   "(%s) knows version %u", fn, dt->name, version,
				   iommufd_version_string(), VFIO_DMATEST_VERSION);
	if (!dt->max_len)
		return ifd_dt_fail(dt, EPROTO, "%s: %s reports a longest transfer of 0 bytes", fn,
				   dt->name);
	return 0;
}

static int set_up(struct iommufd_dmatest *dt, unsigned int index,
		  const struct iommufd_dmatest_open_opts *o)
{
	int rc = open_and_bind(dt, index);

	if (!rc)
		rc = check_layout(dt, o->no_mmap);
	if (!rc)
		rc = map_registers(dt, o->no_mmap);
	if (!rc)
		rc = check_identity(dt);
	if (!rc)
		rc = ifd_dt_irqs_setup(dt);
	if (!rc && o->pt_id)
		rc = iommufd_device_attach(dt->dev, o->pt_id, NULL);
	return rc;
}

int iommufd_dmatest_open(struct iommufd_ctx *ctx, unsigned int index,
			 const struct iommufd_dmatest_open_opts *opts, struct iommufd_dmatest **dtp)
{
	struct iommufd_dmatest_open_opts o;
	struct iommufd_dmatest *dt;
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_out(ctx, dtp, fn, "dtp");
	if (!rc)
		rc = ifd_opts_load(ctx, fn, &o, sizeof(o), opts);
	if (rc)
		return rc;
	dt = ifd_calloc(1, sizeof(*dt));
	if (!dt)
		return ifd_fail(ctx, ENOMEM, "%s: out of memory", fn);
	dt->ctx = ctx;
	dt->irq_fd[0] = dt->irq_fd[1] = -1;
	snprintf(dt->name, sizeof(dt->name), VFIO_DMATEST_NAME ".%u", index);
	rc = set_up(dt, index, &o);
	if (rc) {
		iommufd_dmatest_close(dt);
		return rc;
	}
	*dtp = dt;
	return 0;
}

/* The device fd closes before the eventfds: the kernel aborts what is
 * pending and stops signalling while they are still there. */
void iommufd_dmatest_close(struct iommufd_dmatest *dt)
{
	if (!dt)
		return;
	if (dt->regs)
		iommufd_device_region_munmap((void *)dt->regs, VFIO_DMATEST_MMAP_SIZE);
	iommufd_device_close(dt->dev);
	ifd_dt_irqs_close(dt);
	free(dt);
}

struct iommufd_device *iommufd_dmatest_device(const struct iommufd_dmatest *dt)
{
	return dt ? dt->dev : NULL;
}

uint64_t iommufd_dmatest_max_length(const struct iommufd_dmatest *dt)
{
	return dt ? dt->max_len : 0;
}

int iommufd_dmatest_completion_fd(const struct iommufd_dmatest *dt)
{
	return dt ? dt->irq_fd[VFIO_DMATEST_IRQ_COMPLETION] : -EINVAL;
}

int iommufd_dmatest_error_fd(const struct iommufd_dmatest *dt)
{
	return dt ? dt->irq_fd[VFIO_DMATEST_IRQ_ERROR] : -EINVAL;
}
