// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Device and HWPT operations, SDK and raw: GET_HW_INFO of a mock device,
 * cache invalidation of a nested mock HWPT (one entry, and a batch), and
 * reading the dirty bitmap of 1 GiB of IOVA.
 */
#include <string.h>

#include <libiommufd/hw_info.h>
#include <libiommufd/hwpt.h>
#include <libiommufd/testing.h>

#include "ops_bench.h"
#include "uapi/iommufd_abi.h"

static int sdk_hw_info(struct ops_env *e)
{
	struct iommufd_hw_info info;

	return iommufd_get_hw_info(e->ctx, e->dev_id, &info);
}

static int raw_hw_info(struct ops_env *e)
{
	unsigned char data[64];
	struct uapi_hw_info q = {
		.size = sizeof(q),
		.dev_id = e->dev_id,
		.data_len = sizeof(data),
		.data_uptr = (uintptr_t)data,
	};

	return ops_raw_cmd(e->fd, UAPI_CMD_GET_HW_INFO, &q);
}

/* Entries for the mock's four IOTLB slots in turn, flags 0. */
static const struct iommufd_selftest_invalidate *inv_entries(void)
{
	static struct iommufd_selftest_invalidate inv[OPS_INV_BATCH];

	for (uint32_t i = 0; i < OPS_INV_BATCH; i++)
		inv[i] = (struct iommufd_selftest_invalidate){ .iotlb_id = i % 4 };
	return inv;
}

static int sdk_invalidate(struct ops_env *e, uint32_t n)
{
	return iommufd_hwpt_invalidate(e->ctx, e->nested, IOMMUFD_INVALIDATE_DATA_SELFTEST,
				       inv_entries(), sizeof(struct iommufd_selftest_invalidate),
				       &n);
}

static int raw_invalidate(struct ops_env *e, uint32_t n)
{
	struct uapi_hwpt_invalidate c = {
		.size = sizeof(c),
		.hwpt_id = e->nested,
		.data_uptr = (uintptr_t)inv_entries(),
		.data_type = UAPI_HWPT_INVALIDATE_DATA_SELFTEST,
		.entry_len = sizeof(struct iommufd_selftest_invalidate),
		.entry_num = n,
	};

	return ops_raw_cmd(e->fd, UAPI_CMD_HWPT_INVALIDATE, &c);
}

static int sdk_inv_1(struct ops_env *e) { return sdk_invalidate(e, 1); }
static int raw_inv_1(struct ops_env *e) { return raw_invalidate(e, 1); }
static int sdk_inv_batch(struct ops_env *e) { return sdk_invalidate(e, OPS_INV_BATCH); }
static int raw_inv_batch(struct ops_env *e) { return raw_invalidate(e, OPS_INV_BATCH); }

/* Read and clear the bits of the whole range.  The SDK walks it in
 * IOMMUFD_DIRTY_CHUNK_PAGES pieces (one ioctl each); the raw side asks for
 * all of it in one ioctl.  Both zero the bitmap first: the kernel only
 * sets bits. */
static int sdk_dirty(struct ops_env *e)
{
	return iommufd_hwpt_get_dirty_bitmap(e->ctx, e->dirty_hwpt, e->dirty_iova,
					     OPS_DIRTY_RANGE, IOMMUFD_TEST_PAGE_SIZE, e->bitmap,
					     e->bitmap_len, 0);
}

static int raw_dirty(struct ops_env *e)
{
	struct uapi_hwpt_get_dirty_bitmap c = {
		.size = sizeof(c),
		.hwpt_id = e->dirty_hwpt,
		.iova = e->dirty_iova,
		.length = OPS_DIRTY_RANGE,
		.page_size = IOMMUFD_TEST_PAGE_SIZE,
		.data = (uintptr_t)e->bitmap,
	};

	memset(e->bitmap, 0, e->bitmap_len);
	return ops_raw_cmd(e->fd, UAPI_CMD_HWPT_GET_DIRTY_BITMAP, &c);
}

const struct ops_case ops_hwpt_cases[] = {
	{ "hw-info", "GET_HW_INFO of a mock device", OPS_NEED_MAP, 2048, sdk_hw_info,
	  raw_hw_info },
	{ "invalidate-1", "HWPT_INVALIDATE of a nested mock HWPT, 1 entry", OPS_NEED_NESTED, 10240,
	  sdk_inv_1, raw_inv_1 },
	{ "invalidate-64", "HWPT_INVALIDATE of a nested mock HWPT, 64 entries", OPS_NEED_NESTED,
	  2048, sdk_inv_batch, raw_inv_batch },
	{ "dirty-1g", "GET_DIRTY_BITMAP of 1 GiB at 2 KiB pages (512 Ki bits)", OPS_NEED_DIRTY,
	  10, sdk_dirty, raw_dirty },
};
const size_t ops_hwpt_ncases = sizeof(ops_hwpt_cases) / sizeof(ops_hwpt_cases[0]);
