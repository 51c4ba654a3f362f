/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* UNSTABLE wrappers of the iommufd selftest mock (IOMMU_TEST_CMD). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <libiommufd/testing.h>

#include "private.h"
#include "sys.h"
#include "uapi/iommufd_test_abi.h"

static const char *const op_names[] = {
	[UAPI_TEST_OP_ADD_RESERVED] = "ADD_RESERVED",
	[UAPI_TEST_OP_MOCK_DOMAIN] = "MOCK_DOMAIN",
	[UAPI_TEST_OP_MD_CHECK_MAP] = "MD_CHECK_MAP",
	[UAPI_TEST_OP_MD_CHECK_REFS] = "MD_CHECK_REFS",
	[UAPI_TEST_OP_CREATE_ACCESS] = "CREATE_ACCESS",
	[UAPI_TEST_OP_DESTROY_ACCESS_PAGES] = "DESTROY_ACCESS_PAGES",
	[UAPI_TEST_OP_ACCESS_PAGES] = "ACCESS_PAGES",
	[UAPI_TEST_OP_ACCESS_RW] = "ACCESS_RW",
	[UAPI_TEST_OP_SET_TEMP_MEMORY_LIMIT] = "SET_TEMP_MEMORY_LIMIT",
	[UAPI_TEST_OP_MOCK_DOMAIN_REPLACE] = "MOCK_DOMAIN_REPLACE",
	[UAPI_TEST_OP_ACCESS_REPLACE_IOAS] = "ACCESS_REPLACE_IOAS",
	[UAPI_TEST_OP_MOCK_DOMAIN_FLAGS] = "MOCK_DOMAIN_FLAGS",
	[UAPI_TEST_OP_DIRTY] = "DIRTY",
	[UAPI_TEST_OP_MD_CHECK_IOTLB] = "MD_CHECK_IOTLB",
	[UAPI_TEST_OP_TRIGGER_IOPF] = "TRIGGER_IOPF",
	[UAPI_TEST_OP_DEV_CHECK_CACHE] = "DEV_CHECK_CACHE",
	[UAPI_TEST_OP_TRIGGER_VEVENT] = "TRIGGER_VEVENT",
	[UAPI_TEST_OP_PASID_ATTACH] = "PASID_ATTACH",
	[UAPI_TEST_OP_PASID_REPLACE] = "PASID_REPLACE",
	[UAPI_TEST_OP_PASID_DETACH] = "PASID_DETACH",
	[UAPI_TEST_OP_PASID_CHECK_HWPT] = "PASID_CHECK_HWPT",
};

static const char *op_name(uint32_t op)
{
	return op < IFD_ARRAY_SIZE(op_names) && op_names[op] ? op_names[op] : "?";
}

/* The kernel's minimum for IOMMU_TEST_CMD is the end of `last`. */
static int test_cmd(struct iommufd_ctx *ctx, struct uapi_test_cmd *cmd)
{
	int rc = ifd_check_ctx(ctx, "iommufd_test");

	if (rc)
		return rc;
	cmd->size = sizeof(*cmd);
	rc = ifd_sys_ioctl(ctx->fd, UAPI_IOMMU_TEST_CMD, cmd);
	if (rc >= 0)
		return 0;
	if (rc == -ENOTTY)
		return ifd_fail(ctx, EOPNOTSUPP,
				"IOMMU_TEST_CMD: this kernel has no iommufd selftest mock "
				"(needs CONFIG_IOMMUFD_TEST)");
	return ifd_fail(ctx, -rc, "IOMMU_TEST_CMD %s (op %" PRIu32 ") failed: %s",
			op_name(cmd->op), cmd->op, strerror(-rc));
}

/* An op the mock does not know fails with EOPNOTSUPP before any lookup;
 * known ops fail their lookup of object 0. */
static bool acts_before_lookup(uint32_t op)
{
	return op == UAPI_TEST_OP_MOCK_DOMAIN || op == UAPI_TEST_OP_MOCK_DOMAIN_FLAGS ||
	       op == UAPI_TEST_OP_CREATE_ACCESS || op == UAPI_TEST_OP_SET_TEMP_MEMORY_LIMIT ||
	       op == UAPI_TEST_OP_MD_CHECK_REFS;
}

int iommufd_test_op_supported(struct iommufd_ctx *ctx, uint32_t op)
{
	struct uapi_test_cmd cmd = {
		.op = acts_before_lookup(op) ? UAPI_TEST_OP_ADD_RESERVED : op,
		.id = 0,
	};
	int rc = ifd_check_ctx(ctx, "iommufd_test_op_supported");

	if (rc)
		return rc;
	cmd.size = sizeof(cmd);
	rc = ifd_sys_ioctl(ctx->fd, UAPI_IOMMU_TEST_CMD, &cmd);
	if (rc == -ENOTTY || rc == -EOPNOTSUPP)
		return 0;
	if (rc == -EBADF || rc == -EFAULT)
		return ifd_fail(ctx, -rc, "iommufd_test_op_supported: %s", strerror(-rc));
	return 1;
}

int iommufd_test_mock_domain(struct iommufd_ctx *ctx, uint32_t pt_id, uint32_t dev_flags,
			     uint32_t *stdev_id, uint32_t *hwpt_id, uint32_t *dev_id)
{
	struct uapi_test_cmd cmd = {
		.op = dev_flags ? UAPI_TEST_OP_MOCK_DOMAIN_FLAGS : UAPI_TEST_OP_MOCK_DOMAIN,
		.id = pt_id,
		.mock_domain = { .dev_flags = dev_flags },
	};
	int rc = ifd_check_out(ctx, stdev_id, "iommufd_test_mock_domain", "stdev_id");

	if (!rc)
		rc = test_cmd(ctx, &cmd);
	if (rc)
		return rc;
	*stdev_id = cmd.mock_domain.out_stdev_id;
	if (hwpt_id)
		*hwpt_id = cmd.mock_domain.out_hwpt_id;
	if (dev_id)
		*dev_id = cmd.mock_domain.out_idev_id;
	return 0;
}

int iommufd_test_mock_domain_replace(struct iommufd_ctx *ctx, uint32_t stdev_id, uint32_t pt_id,
				     uint32_t *hwpt_id)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_MOCK_DOMAIN_REPLACE,
		.id = stdev_id,
		.mock_domain_replace = { .pt_id = pt_id },
	};
	int rc = test_cmd(ctx, &cmd);

	if (!rc && hwpt_id)
		*hwpt_id = cmd.mock_domain_replace.pt_id;
	return rc;
}

int iommufd_test_add_reserved(struct iommufd_ctx *ctx, uint32_t ioas_id, uint64_t start,
			      uint64_t length)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_ADD_RESERVED,
		.id = ioas_id,
		.add_reserved = { .start = start, .length = length },
	};

	return test_cmd(ctx, &cmd);
}

int iommufd_test_check_map(struct iommufd_ctx *ctx, uint32_t id, uint64_t iova, uint64_t length,
			   const void *buf)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_MD_CHECK_MAP,
		.id = id,
		.check_map = { .iova = iova, .length = length, .uptr = (uintptr_t)buf },
	};

	return test_cmd(ctx, &cmd);
}

int iommufd_test_check_refs(struct iommufd_ctx *ctx, const void *buf, uint64_t length,
			    uint32_t refs)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_MD_CHECK_REFS,
		.check_refs = { .length = length, .uptr = (uintptr_t)buf, .refs = refs },
	};

	return test_cmd(ctx, &cmd);
}

int iommufd_test_set_temp_memory_limit(struct iommufd_ctx *ctx, uint32_t limit)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_SET_TEMP_MEMORY_LIMIT,
		.memory_limit = { .limit = limit },
	};

	return test_cmd(ctx, &cmd);
}

int iommufd_test_create_access(struct iommufd_ctx *ctx, uint32_t ioas_id, uint32_t flags,
			       int *access_fd)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_CREATE_ACCESS,
		.id = ioas_id,
		.create_access = { .flags = flags },
	};
	int rc = ifd_check_out(ctx, access_fd, "iommufd_test_create_access", "access_fd");

	if (!rc)
		rc = test_cmd(ctx, &cmd);
	if (!rc)
		*access_fd = (int)cmd.create_access.out_access_fd;
	return rc;
}

int iommufd_test_access_replace_ioas(struct iommufd_ctx *ctx, int access_fd, uint32_t ioas_id)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_ACCESS_REPLACE_IOAS,
		.id = (uint32_t)access_fd,
		.access_replace_ioas = { .ioas_id = ioas_id },
	};

	return test_cmd(ctx, &cmd);
}

int iommufd_test_access_pages(struct iommufd_ctx *ctx, int access_fd, uint64_t iova,
			      uint64_t length, const void *buf, uint32_t flags,
			      uint32_t *access_pages_id)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_ACCESS_PAGES,
		.id = (uint32_t)access_fd,
		.access_pages = { .flags = flags, .iova = iova, .length = length,
				  .uptr = (uintptr_t)buf },
	};
	int rc = ifd_check_out(ctx, access_pages_id, "iommufd_test_access_pages",
			       "access_pages_id");

	if (!rc)
		rc = test_cmd(ctx, &cmd);
	if (!rc)
		*access_pages_id = cmd.access_pages.out_access_pages_id;
	return rc;
}

int iommufd_test_destroy_access_pages(struct iommufd_ctx *ctx, int access_fd,
				      uint32_t access_pages_id)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_DESTROY_ACCESS_PAGES,
		.id = (uint32_t)access_fd,
		.destroy_access_pages = { .access_pages_id = access_pages_id },
	};

	return test_cmd(ctx, &cmd);
}

int iommufd_test_access_rw(struct iommufd_ctx *ctx, int access_fd, uint64_t iova, void *buf,
			   uint64_t length, uint32_t flags)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_ACCESS_RW,
		.id = (uint32_t)access_fd,
		.access_rw = { .iova = iova, .length = length, .uptr = (uintptr_t)buf,
			       .flags = flags },
	};

	return test_cmd(ctx, &cmd);
}

int iommufd_test_dirty(struct iommufd_ctx *ctx, uint32_t hwpt_id, uint64_t iova, uint64_t length,
		       uint64_t page_size, const void *bitmap, uint64_t *nr_dirty)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_DIRTY,
		.id = hwpt_id,
		.dirty = { .iova = iova, .length = length, .page_size = page_size,
			   .uptr = (uintptr_t)bitmap },
	};
	int rc = test_cmd(ctx, &cmd);

	if (!rc && nr_dirty)
		*nr_dirty = cmd.dirty.out_nr_dirty;
	return rc;
}

int iommufd_test_check_iotlb(struct iommufd_ctx *ctx, uint32_t hwpt_id, uint32_t iotlb_id,
			     uint32_t expected)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_MD_CHECK_IOTLB,
		.id = hwpt_id,
		.check_iotlb = { .id = iotlb_id, .iotlb = expected },
	};

	return test_cmd(ctx, &cmd);
}

int iommufd_test_check_dev_cache(struct iommufd_ctx *ctx, uint32_t dev_id, uint32_t cache_id,
				 uint32_t expected)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_DEV_CHECK_CACHE,
		.id = dev_id,
		.check_dev_cache = { .id = cache_id, .cache = expected },
	};

	return test_cmd(ctx, &cmd);
}

int iommufd_test_trigger_iopf(struct iommufd_ctx *ctx, uint32_t dev_id, uint32_t pasid,
			      uint32_t grpid, uint32_t perm, uint64_t addr)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_TRIGGER_IOPF,
		.trigger_iopf = { .dev_id = dev_id, .pasid = pasid, .grpid = grpid, .perm = perm,
				  .addr = addr },
	};

	return test_cmd(ctx, &cmd);
}

int iommufd_test_trigger_vevent(struct iommufd_ctx *ctx, uint32_t dev_id)
{
	struct uapi_test_cmd cmd = {
		.op = UAPI_TEST_OP_TRIGGER_VEVENT,
		.trigger_vevent = { .dev_id = dev_id },
	};

	return test_cmd(ctx, &cmd);
}

static int pasid_op(struct iommufd_ctx *ctx, uint32_t op, uint32_t stdev_id, uint32_t pasid,
		    uint32_t pt_id)
{
	/* attach, replace and check share the {pasid, pt_id/hwpt_id} layout */
	struct uapi_test_cmd cmd = {
		.op = op,
		.id = stdev_id,
		.pasid_attach = { .pasid = pasid, .pt_id = pt_id },
	};

	return test_cmd(ctx, &cmd);
}

int iommufd_test_pasid_attach(struct iommufd_ctx *ctx, uint32_t stdev_id, uint32_t pasid,
			      uint32_t pt_id)
{
	return pasid_op(ctx, UAPI_TEST_OP_PASID_ATTACH, stdev_id, pasid, pt_id);
}

int iommufd_test_pasid_replace(struct iommufd_ctx *ctx, uint32_t stdev_id, uint32_t pasid,
			       uint32_t pt_id)
{
	return pasid_op(ctx, UAPI_TEST_OP_PASID_REPLACE, stdev_id, pasid, pt_id);
}

int iommufd_test_pasid_detach(struct iommufd_ctx *ctx, uint32_t stdev_id, uint32_t pasid)
{
	return pasid_op(ctx, UAPI_TEST_OP_PASID_DETACH, stdev_id, pasid, 0);
}

int iommufd_test_pasid_check_hwpt(struct iommufd_ctx *ctx, uint32_t stdev_id, uint32_t pasid,
				  uint32_t hwpt_id)
{
	return pasid_op(ctx, UAPI_TEST_OP_PASID_CHECK_HWPT, stdev_id, pasid, hwpt_id);
}
