/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Device regions: info with its capability chain decoded (sparse mmap,
 * type, MSI-X mappable), read and write through the device fd, mmap of
 * the areas the kernel allows.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alloc.h"
#include "device_private.h"
#include "sys.h"

/* The public names are the kernel's values. */
_Static_assert(IOMMUFD_REGION_READ == UAPI_VFIO_REGION_INFO_FLAG_READ, "flag");
_Static_assert(IOMMUFD_REGION_WRITE == UAPI_VFIO_REGION_INFO_FLAG_WRITE, "flag");
_Static_assert(IOMMUFD_REGION_MMAP == UAPI_VFIO_REGION_INFO_FLAG_MMAP, "flag");
_Static_assert(IOMMUFD_REGION_CAPS == UAPI_VFIO_REGION_INFO_FLAG_CAPS, "flag");
_Static_assert(IOMMUFD_PCI_BAR0_REGION == UAPI_VFIO_PCI_BAR0_REGION_INDEX, "index");
_Static_assert(IOMMUFD_PCI_ROM_REGION == UAPI_VFIO_PCI_ROM_REGION_INDEX, "index");
_Static_assert(IOMMUFD_PCI_CONFIG_REGION == UAPI_VFIO_PCI_CONFIG_REGION_INDEX, "index");
_Static_assert(IOMMUFD_PCI_VGA_REGION == UAPI_VFIO_PCI_VGA_REGION_INDEX, "index");
_Static_assert(IOMMUFD_PCI_NUM_REGIONS == UAPI_VFIO_PCI_NUM_REGIONS, "index");

/* Region bases cached per device: indexes above this are just re-asked. */
#define REGION_CACHE_MAX 64u
#define SPARSE_HDR_SIZE sizeof(struct uapi_vfio_region_info_cap_sparse_mmap)
#define SPARSE_AREA_SIZE sizeof(struct uapi_vfio_region_sparse_mmap_area)

static const struct ifd_vfio_query region_info_query = {
	.name = "VFIO_DEVICE_GET_REGION_INFO",
	.request = UAPI_VFIO_DEVICE_GET_REGION_INFO,
	.base_size = sizeof(struct uapi_vfio_region_info),
	.cap_offset_at = offsetof(struct uapi_vfio_region_info, cap_offset),
};

/* What decoding a region's chain fills in, and an optional mmap range to
 * find inside one area (all areas are checked, not only those the public
 * array has room for). */
struct region_decode {
	struct iommufd_region_info *info;
	bool sparse;
	uint64_t want_offset, want_length; /* want_length 0: no range asked */
	bool want_found;
};

static bool range_in(uint64_t off, uint64_t len, uint64_t area_off, uint64_t area_len)
{
	return off >= area_off && off - area_off <= area_len && len <= area_len - (off - area_off);
}

static int decode_sparse(struct region_decode *d, const struct ifd_vfio_cap *cap,
			 struct ifd_vfio_chain *chain)
{
	struct uapi_vfio_region_info_cap_sparse_mmap hdr;
	int rc = ifd_vfio_cap_need(cap, SPARSE_HDR_SIZE, chain);

	if (rc)
		return rc;
	memcpy(&hdr, cap->data, SPARSE_HDR_SIZE);
	rc = ifd_vfio_cap_need(cap, SPARSE_HDR_SIZE + (uint64_t)hdr.nr_areas * SPARSE_AREA_SIZE,
			       chain);
	if (rc)
		return rc;
	if (d->sparse) {
		snprintf(chain->why, sizeof(chain->why),
			 "a second sparse-mmap capability at offset %u", cap->offset);
		return -EPROTO;
	}
	d->sparse = true;
	d->info->nr_areas = hdr.nr_areas;
	for (uint32_t i = 0; i < hdr.nr_areas; i++) {
		struct uapi_vfio_region_sparse_mmap_area a;

		memcpy(&a, cap->data + SPARSE_HDR_SIZE + i * SPARSE_AREA_SIZE, sizeof(a));
		if (!range_in(a.offset, a.size, 0, d->info->size)) {
			snprintf(chain->why, sizeof(chain->why),
				 "sparse area %u (0x%" PRIx64 "+0x%" PRIx64 ") lies outside the "
				 "region", i, (uint64_t)a.offset, (uint64_t)a.size);
			return -EPROTO;
		}
		if (i < IOMMUFD_REGION_MAX_SPARSE)
			d->info->areas[i] = (struct iommufd_region_area){ a.offset, a.size };
		if (d->want_length && range_in(d->want_offset, d->want_length, a.offset, a.size))
			d->want_found = true;
	}
	return 0;
}

static int decode_cap(void *arg, const struct ifd_vfio_cap *cap, struct ifd_vfio_chain *chain)
{
	struct region_decode *d = arg;
	struct uapi_vfio_region_info_cap_type type;
	int rc;

	switch (cap->id) {
	case UAPI_VFIO_REGION_INFO_CAP_SPARSE_MMAP:
		return decode_sparse(d, cap, chain);
	case UAPI_VFIO_REGION_INFO_CAP_TYPE:
		rc = ifd_vfio_cap_need(cap, sizeof(type), chain);
		if (!rc) {
			memcpy(&type, cap->data, sizeof(type));
			d->info->type = type.type;
			d->info->subtype = type.subtype;
		}
		return rc;
	case UAPI_VFIO_REGION_INFO_CAP_MSIX_MAPPABLE:
		d->info->msix_mappable = 1;
		return 0;
	default:
		return 0; /* a capability this library does not decode */
	}
}

static void cache_base(struct iommufd_device *dev, const struct iommufd_region_info *info)
{
	if (info->index >= REGION_CACHE_MAX)
		return;
	if (!dev->regions) {
		dev->regions = ifd_calloc(REGION_CACHE_MAX, sizeof(*dev->regions));
		if (!dev->regions)
			return; /* only a cache */
		dev->nr_regions = REGION_CACHE_MAX;
	}
	dev->regions[info->index] = (struct ifd_region_base){
		.valid = true, .flags = info->flags, .size = info->size, .offset = info->offset,
	};
}

void ifd_regions_forget(struct iommufd_device *dev)
{
	free(dev->regions);
	dev->regions = NULL;
	dev->nr_regions = 0;
}

/* Sentence for "no such region", with the device's count when it has one. */
static int explain_no_region(struct iommufd_device *dev, const char *fn, uint32_t index)
{
	struct iommufd_device_info di;

	if (iommufd_device_get_info(dev, &di))
		return ifd_dev_fail(dev, EINVAL, "%s: %s has no region %u", fn, dev->name, index);
	return ifd_dev_fail(dev, EINVAL, "%s: %s has no region %u (it has %u)", fn, dev->name,
			    index, di.num_regions);
}

static int decode_reply(struct iommufd_device *dev, const unsigned char *buf, uint32_t len,
			struct region_decode *d)
{
	struct uapi_vfio_region_info r;
	struct iommufd_region_info *info = d->info;

	memcpy(&r, buf, sizeof(r));
	memset(info, 0, sizeof(*info));
	info->index = r.index;
	info->flags = r.flags;
	info->size = r.size;
	info->offset = r.offset;
	struct ifd_vfio_chain chain = {
		.buf = buf, .len = len, .min_offset = sizeof(r),
		.first = r.flags & UAPI_VFIO_REGION_INFO_FLAG_CAPS ? r.cap_offset : 0,
	};
	int rc = ifd_vfio_caps_walk(&chain, decode_cap, d);

	if (rc == -EPROTO)
		return ifd_dev_fail(dev, EPROTO, "%s on %s, region %u: malformed capability "
				    "chain: %s", region_info_query.name, dev->name, r.index,
				    chain.why);
	if (!(info->flags & UAPI_VFIO_REGION_INFO_FLAG_MMAP))
		info->nr_areas = 0;
	else if (!d->sparse)
		info->nr_areas = 1, info->areas[0] = (struct iommufd_region_area){ 0, info->size };
	return rc;
}

/* GET_REGION_INFO of @index, decoded into d->info and cached. */
static int region_query(struct iommufd_device *dev, const char *fn, uint32_t index,
			struct region_decode *d)
{
	struct uapi_vfio_region_info in = { .index = index };
	void *buf;
	uint32_t len;
	int rc = ifd_vfio_query(dev, &region_info_query, &in, &buf, &len);

	if (rc == -EINVAL && dev->bound)
		return explain_no_region(dev, fn, index);
	if (rc)
		return rc;
	rc = decode_reply(dev, buf, len, d);
	free(buf);
	if (!rc && d->info->index != index)
		rc = ifd_dev_fail(dev, EPROTO, "%s on %s: asked for region %u, got %u",
				  region_info_query.name, dev->name, index, d->info->index);
	if (!rc)
		cache_base(dev, d->info);
	return rc;
}

int iommufd_device_region_info(struct iommufd_device *dev, uint32_t index,
			       struct iommufd_region_info *info)
{
	static const char fn[] = "iommufd_device_region_info";
	struct region_decode d = { .info = info };
	int rc = ifd_check_dev(dev, fn);

	if (!rc)
		rc = ifd_check_out(dev->ctx, info, fn, "info");
	return rc ? rc : region_query(dev, fn, index, &d);
}

static int region_base(struct iommufd_device *dev, const char *fn, uint32_t index,
		       struct ifd_region_base *base)
{
	struct iommufd_region_info info;
	struct region_decode d = { .info = &info };
	int rc;

	if (index < dev->nr_regions && dev->regions[index].valid) {
		*base = dev->regions[index];
		return 0;
	}
	rc = region_query(dev, fn, index, &d);
	if (!rc)
		*base = (struct ifd_region_base){ true, info.flags, info.size, info.offset };
	return rc;
}

/* The checks read, write and mmap share: @len bytes at @offset of a
 * region that has @flag; the file position into *pos. */
static int check_access(struct iommufd_device *dev, const char *fn, uint32_t index,
			uint64_t offset, uint64_t len, uint32_t flag, uint64_t *pos)
{
	struct ifd_region_base base;
	int rc = region_base(dev, fn, index, &base);

	if (rc)
		return rc;
	if (!(base.flags & flag))
		return ifd_dev_fail(dev, EINVAL, "%s: region %u of %s is not %s", fn, index,
				    dev->name, flag == UAPI_VFIO_REGION_INFO_FLAG_READ ? "readable"
					       : flag == UAPI_VFIO_REGION_INFO_FLAG_WRITE
						       ? "writable" : "mmap-able");
	if (!range_in(offset, len, 0, base.size))
		return ifd_dev_fail(dev, EINVAL, "%s: bytes 0x%" PRIx64 "+0x%" PRIx64 " run past "
				    "the end of region %u of %s (0x%" PRIx64 " bytes)", fn, offset,
				    len, index, dev->name, base.size);
	if (__builtin_add_overflow(base.offset, offset, pos))
		return ifd_dev_fail(dev, EPROTO, "%s: region %u of %s lies at 0x%" PRIx64
				    ", too far for offset 0x%" PRIx64, fn, index, dev->name,
				    base.offset, offset);
	return 0;
}

static int check_rw_args(struct iommufd_device *dev, const char *fn, const void *buf,
			 size_t len)
{
	int rc = ifd_check_dev(dev, fn);

	if (!rc)
		rc = ifd_check_out(dev->ctx, buf, fn, "buf");
	if (!rc && !len)
		rc = ifd_dev_fail(dev, EINVAL, "%s: len is 0", fn);
	return rc;
}

static int region_rw(struct iommufd_device *dev, const char *fn, uint32_t index,
		     uint64_t offset, void *buf, size_t len, bool write)
{
	uint32_t flag = write ? UAPI_VFIO_REGION_INFO_FLAG_WRITE : UAPI_VFIO_REGION_INFO_FLAG_READ;
	unsigned char *p = buf;
	uint64_t pos;
	int rc = check_rw_args(dev, fn, buf, len);

	if (!rc)
		rc = check_access(dev, fn, index, offset, len, flag, &pos);
	for (size_t done = 0; !rc && done < len;) {
		ssize_t n = write ? ifd_sys_pwrite(dev->fd, p + done, len - done, pos + done)
				  : ifd_sys_pread(dev->fd, p + done, len - done, pos + done);

		if (n < 0)
			return ifd_dev_fail(dev, (int)-n, "%s: %s of region %u of %s at 0x%" PRIx64
					    " failed: %s", fn, write ? "pwrite" : "pread", index,
					    dev->name, offset + done, strerror((int)-n));
		if (!n)
			return ifd_dev_fail(dev, EIO, "%s: region %u of %s moved %zu of %zu bytes",
					    fn, index, dev->name, done, len);
		done += (size_t)n;
	}
	return rc;
}

int iommufd_device_region_read(struct iommufd_device *dev, uint32_t index, uint64_t offset,
			       void *buf, size_t len)
{
	return region_rw(dev, "iommufd_device_region_read", index, offset, buf, len, false);
}

int iommufd_device_region_write(struct iommufd_device *dev, uint32_t index, uint64_t offset,
				const void *buf, size_t len)
{
	return region_rw(dev, "iommufd_device_region_write", index, offset, (void *)buf, len,
			 true);
}

static int check_mmap_args(struct iommufd_device *dev, const char *fn, uint64_t offset,
			   uint64_t length, void **addr)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	int rc = ifd_check_dev(dev, fn);

	if (!rc)
		rc = ifd_check_out(dev->ctx, addr, fn, "addr");
	if (!rc && (!length || length > SIZE_MAX))
		rc = ifd_dev_fail(dev, EINVAL, "%s: length 0x%" PRIx64 " cannot be mapped", fn,
				  length);
	if (!rc && ((offset | length) & (page - 1)))
		rc = ifd_dev_fail(dev, EINVAL, "%s: offset 0x%" PRIx64 " and length 0x%" PRIx64
				  " must be multiples of the page size (0x%" PRIx64 ")", fn,
				  offset, length, page);
	return rc;
}

int iommufd_device_region_mmap(struct iommufd_device *dev, uint32_t index, uint64_t offset,
			       uint64_t length, int prot, void **addr)
{
	static const char fn[] = "iommufd_device_region_mmap";
	struct iommufd_region_info info;
	struct region_decode d = { .info = &info, .want_offset = offset, .want_length = length };
	uint64_t pos;
	int rc = check_mmap_args(dev, fn, offset, length, addr);

	if (!rc)
		rc = region_query(dev, fn, index, &d);
	if (!rc)
		rc = check_access(dev, fn, index, offset, length, UAPI_VFIO_REGION_INFO_FLAG_MMAP,
				  &pos);
	if (rc)
		return rc;
	if (d.sparse && !d.want_found)
		return ifd_dev_fail(dev, EINVAL, "%s: bytes 0x%" PRIx64 "+0x%" PRIx64 " of region "
				    "%u of %s are not inside one mmap-able area (it has %u)", fn,
				    offset, length, index, dev->name, info.nr_areas);
	rc = ifd_sys_mmap((size_t)length, prot, MAP_SHARED, dev->fd, pos, addr);
	if (rc)
		return ifd_dev_fail(dev, -rc, "%s: mmap of region %u of %s failed: %s", fn, index,
				    dev->name, strerror(-rc));
	return 0;
}

int iommufd_device_region_munmap(void *addr, uint64_t length)
{
	static const char fn[] = "iommufd_device_region_munmap";
	int rc;

	if (!addr || !length || length > SIZE_MAX)
		return ifd_fail(NULL, EINVAL, "%s: nothing to unmap (addr %p, length 0x%" PRIx64 ")",
				fn, addr, length);
	rc = ifd_sys_munmap(addr, (size_t)length);
	if (rc)
		return ifd_fail(NULL, -rc, "%s: munmap failed: %s", fn, strerror(-rc));
	return 0;
}
