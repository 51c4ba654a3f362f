// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * IOAS operations, SDK and raw: map + unmap of 4 KiB and 2 MiB (at a fixed
 * IOVA, which goes through the SDK's alignment cache, and at an IOVA the
 * kernel picks), copy + unmap, IOVA ranges.  The IOAS has a mock device
 * attached, so every map also fills a (mock) IOMMU page table.
 */
#include "ops_bench.h"
#include "uapi/iommufd_abi.h"

#define SDK_RW (IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE)
#define RAW_RW (UAPI_IOAS_MAP_READABLE | UAPI_IOAS_MAP_WRITEABLE)

static int sdk_map_unmap(struct ops_env *e, void *buf, uint64_t len, uint32_t flags)
{
	uint64_t iova = e->fixed_iova;
	int rc = iommufd_ioas_map(e->ctx, e->ioas, buf, len, flags, &iova);

	return rc ? rc : iommufd_ioas_unmap(e->ctx, e->ioas, iova, len, NULL);
}

static int raw_map_unmap(struct ops_env *e, void *buf, uint64_t len, uint32_t flags)
{
	struct uapi_ioas_map m = {
		.size = sizeof(m),
		.flags = flags,
		.ioas_id = e->ioas,
		.user_va = (uintptr_t)buf,
		.length = len,
		.iova = flags & UAPI_IOAS_MAP_FIXED_IOVA ? e->fixed_iova : 0,
	};
	int rc = ops_raw_cmd(e->fd, UAPI_CMD_IOAS_MAP, &m);
	struct uapi_ioas_unmap u = {
		.size = sizeof(u),
		.ioas_id = e->ioas,
		.iova = m.iova,
		.length = len,
	};

	return rc ? rc : ops_raw_cmd(e->fd, UAPI_CMD_IOAS_UNMAP, &u);
}

#define FIXED_SDK (SDK_RW | IOMMUFD_MAP_FIXED_IOVA)
#define FIXED_RAW (RAW_RW | UAPI_IOAS_MAP_FIXED_IOVA)

static int sdk_4k_fixed(struct ops_env *e) { return sdk_map_unmap(e, e->buf_4k, 4096, FIXED_SDK); }
static int raw_4k_fixed(struct ops_env *e) { return raw_map_unmap(e, e->buf_4k, 4096, FIXED_RAW); }
static int sdk_4k_auto(struct ops_env *e) { return sdk_map_unmap(e, e->buf_4k, 4096, SDK_RW); }
static int raw_4k_auto(struct ops_env *e) { return raw_map_unmap(e, e->buf_4k, 4096, RAW_RW); }
static int sdk_2m_fixed(struct ops_env *e) { return sdk_map_unmap(e, e->buf_2m, 2u << 20, FIXED_SDK); }
static int raw_2m_fixed(struct ops_env *e) { return raw_map_unmap(e, e->buf_2m, 2u << 20, FIXED_RAW); }
static int sdk_2m_auto(struct ops_env *e) { return sdk_map_unmap(e, e->buf_2m, 2u << 20, SDK_RW); }
static int raw_2m_auto(struct ops_env *e) { return raw_map_unmap(e, e->buf_2m, 2u << 20, RAW_RW); }

/* Copy the source IOAS's 2 MiB into the device's IOAS (the kernel picks
 * the IOVA: the pages are shared, not pinned again), then unmap it. */
static int sdk_copy(struct ops_env *e)
{
	uint64_t iova;
	int rc = iommufd_ioas_copy(e->ctx, e->ioas, e->copy_src, e->copy_src_iova, 2u << 20,
				   SDK_RW, &iova);

	return rc ? rc : iommufd_ioas_unmap(e->ctx, e->ioas, iova, 2u << 20, NULL);
}

static int raw_copy(struct ops_env *e)
{
	struct uapi_ioas_copy c = {
		.size = sizeof(c),
		.flags = RAW_RW,
		.dst_ioas_id = e->ioas,
		.src_ioas_id = e->copy_src,
		.length = 2u << 20,
		.src_iova = e->copy_src_iova,
	};
	int rc = ops_raw_cmd(e->fd, UAPI_CMD_IOAS_COPY, &c);
	struct uapi_ioas_unmap u = {
		.size = sizeof(u),
		.ioas_id = e->ioas,
		.iova = c.dst_iova,
		.length = 2u << 20,
	};

	return rc ? rc : ops_raw_cmd(e->fd, UAPI_CMD_IOAS_UNMAP, &u);
}

/* The ranges into a caller's array of 4, and the alignment. */
static int sdk_ranges(struct ops_env *e)
{
	struct iommufd_iova_range r[4];
	uint64_t align;
	int rc = iommufd_ioas_iova_ranges(e->ctx, e->ioas, r, 4, &align);

	return rc < 0 ? rc : 0;
}

static int raw_ranges(struct ops_env *e)
{
	struct uapi_iova_range r[4];
	struct uapi_ioas_iova_ranges q = {
		.size = sizeof(q),
		.ioas_id = e->ioas,
		.num_iovas = 4,
		.allowed_iovas = (uintptr_t)r,
	};

	return ops_raw_cmd(e->fd, UAPI_CMD_IOAS_IOVA_RANGES, &q);
}

const struct ops_case ops_ioas_cases[] = {
	{ "map-4k-fixed", "IOAS_MAP 4 KiB at a fixed IOVA + IOAS_UNMAP", OPS_NEED_MAP, 1024,
	  sdk_4k_fixed, raw_4k_fixed },
	{ "map-4k-auto", "IOAS_MAP 4 KiB, kernel-chosen IOVA + IOAS_UNMAP", OPS_NEED_MAP, 1024,
	  sdk_4k_auto, raw_4k_auto },
	{ "map-2m-fixed", "IOAS_MAP 2 MiB at a fixed IOVA + IOAS_UNMAP", OPS_NEED_MAP, 128,
	  sdk_2m_fixed, raw_2m_fixed },
	{ "map-2m-auto", "IOAS_MAP 2 MiB, kernel-chosen IOVA + IOAS_UNMAP", OPS_NEED_MAP, 128,
	  sdk_2m_auto, raw_2m_auto },
	{ "copy-2m", "IOAS_COPY 2 MiB between IOASes + IOAS_UNMAP", OPS_NEED_COPY, 128, sdk_copy,
	  raw_copy },
	{ "iova-ranges", "IOAS_IOVA_RANGES into an array of 4", OPS_NEED_MAP, 10240, sdk_ranges,
	  raw_ranges },
};
const size_t ops_ioas_ncases = sizeof(ops_ioas_cases) / sizeof(ops_ioas_cases[0]);
