/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mmap of what a vIOMMU offers (a Tegra241 VINTF page, the mock's page)
 * from the iommufd itself: the kernel hands out an offset in the vIOMMU's
 * data and maps exactly that region, whole, shared, never executable.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libiommufd/viommu.h>

#include "private.h"
#include "sys.h"

static int check_pages(struct iommufd_ctx *ctx, const char *fn, uint64_t offset, size_t length)
{
	long page = sysconf(_SC_PAGESIZE);

	if (!length)
		return ifd_fail(ctx, EINVAL, "%s: length is 0", fn);
	if (page > 0 && (offset % (unsigned long)page || length % (unsigned long)page))
		return ifd_fail(ctx, EINVAL,
				"%s: offset 0x%" PRIx64 " and length 0x%zx must be multiples of the "
				"page size (0x%lx): the kernel offers whole pages",
				fn, offset, length, page);
	return 0;
}

static const char *reason(int rc)
{
	switch (rc) {
	case -ENXIO:
		return "not a region a vIOMMU of this context offered (offset and length must "
		       "be exactly those of its data), or its vIOMMU is gone";
	case -ENODEV:
		return "this kernel cannot mmap an iommufd (needs Linux 6.17 or newer)";
	case -EINVAL:
		return "the kernel refused the mapping";
	}
	return strerror(-rc);
}

int iommufd_viommu_mmap(struct iommufd_ctx *ctx, uint64_t offset, size_t length, void **addr)
{
	static const char fn[] = "iommufd_viommu_mmap";
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_out(ctx, addr, fn, "addr");
	if (!rc)
		rc = check_pages(ctx, fn, offset, length);
	if (rc)
		return rc;
	rc = ifd_sys_mmap(length, PROT_READ | PROT_WRITE, MAP_SHARED, ctx->fd, offset, addr);
	if (rc)
		return ifd_fail(ctx, -rc,
				"%s of offset 0x%" PRIx64 " length 0x%zx failed (%s): %s", fn,
				offset, length, strerror(-rc), reason(rc));
	return 0;
}

int iommufd_viommu_munmap(struct iommufd_ctx *ctx, void *addr, size_t length)
{
	static const char fn[] = "iommufd_viommu_munmap";
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_out(ctx, addr, fn, "addr");
	if (!rc && !length)
		rc = ifd_fail(ctx, EINVAL, "%s: length is 0", fn);
	if (rc)
		return rc;
	rc = ifd_sys_munmap(addr, length);
	if (rc)
		return ifd_fail(ctx, -rc, "%s of %p length 0x%zx failed: %s", fn, addr, length,
				strerror(-rc));
	return 0;
}
