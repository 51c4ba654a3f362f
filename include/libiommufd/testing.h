/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * UNSTABLE: wrappers of the iommufd selftest mock (IOMMU_TEST_CMD), present
 * only in kernels built with CONFIG_IOMMUFD_TEST.  The mock gives devices
 * without hardware and lets tests look inside the kernel (what a mock
 * domain maps, page refcounts, the mock IOTLB...).  Its interface is
 * kernel-internal and changes between releases: these functions and their
 * symbol version (LIBIOMMUFD_TESTING_UNSTABLE) carry no ABI promise.
 *
 * Every function returns 0 or a negative errno: -EOPNOTSUPP with "needs
 * CONFIG_IOMMUFD_TEST" when the kernel has no mock, or with the op named
 * when this kernel's mock does not know the op.
 */
#ifndef LIBIOMMUFD_TESTING_H
#define LIBIOMMUFD_TESTING_H

#include <libiommufd/ctx.h>

LIBIOMMUFD_BEGIN_DECLS

/* The mock domain's IOVA aperture and page size. */
#define IOMMUFD_TEST_APERTURE_START (1ull << 24)
#define IOMMUFD_TEST_APERTURE_LAST ((1ull << 31) - 1)
#define IOMMUFD_TEST_PAGE_SIZE 2048u

/* Mock device flags of iommufd_test_mock_domain(). */
enum iommufd_test_device_flag {
	IOMMUFD_TEST_DEVICE_NO_DIRTY = 1u << 0, /* no dirty tracking */
	IOMMUFD_TEST_DEVICE_PASID = 1u << 2,    /* PASID capable (Linux 6.15+) */
};

/* Ops of the mock, for iommufd_test_op_supported(). */
enum iommufd_test_op {
	IOMMUFD_TEST_OP_ADD_RESERVED = 1,
	IOMMUFD_TEST_OP_MOCK_DOMAIN = 2,
	IOMMUFD_TEST_OP_MD_CHECK_MAP = 3,
	IOMMUFD_TEST_OP_MD_CHECK_REFS = 4,
	IOMMUFD_TEST_OP_CREATE_ACCESS = 5,
	IOMMUFD_TEST_OP_DESTROY_ACCESS_PAGES = 6,
	IOMMUFD_TEST_OP_ACCESS_PAGES = 7,
	IOMMUFD_TEST_OP_ACCESS_RW = 8,
	IOMMUFD_TEST_OP_SET_TEMP_MEMORY_LIMIT = 9,
	IOMMUFD_TEST_OP_MOCK_DOMAIN_REPLACE = 10,
	IOMMUFD_TEST_OP_ACCESS_REPLACE_IOAS = 11,
	IOMMUFD_TEST_OP_MOCK_DOMAIN_FLAGS = 12,
	IOMMUFD_TEST_OP_DIRTY = 13,
	IOMMUFD_TEST_OP_MD_CHECK_IOTLB = 14,
	IOMMUFD_TEST_OP_TRIGGER_IOPF = 15,
	IOMMUFD_TEST_OP_DEV_CHECK_CACHE = 16,
	IOMMUFD_TEST_OP_TRIGGER_VEVENT = 17,
	IOMMUFD_TEST_OP_PASID_ATTACH = 18,
	IOMMUFD_TEST_OP_PASID_REPLACE = 19,
	IOMMUFD_TEST_OP_PASID_DETACH = 20,
	IOMMUFD_TEST_OP_PASID_CHECK_HWPT = 21,
};

/*
 * iommufd_test_op_supported - does this kernel's mock know @op?
 *
 * Ops that act before they look anything up (MOCK_DOMAIN, CREATE_ACCESS,
 * SET_TEMP_MEMORY_LIMIT...) are as old as the mock itself; for them the
 * answer is whether the mock is there, asked with a harmless op.  Other ops
 * are asked directly with object ID 0, which never exists.
 *
 * Return: 1, 0 (unknown op, or no mock at all), or a negative errno.
 */
LIBIOMMUFD_API int iommufd_test_op_supported(struct iommufd_ctx *ctx, uint32_t op);

/*
 * iommufd_test_mock_domain - create a mock device, bind it and attach it to
 * @pt_id (an IOAS or HWPT).  With @dev_flags != 0 the FLAGS variant is used.
 * @stdev_id: receives the selftest device object ID (destroy it to unplug).
 * @hwpt_id:  receives the HWPT it was attached to (may be NULL).
 * @dev_id:   receives the iommufd device ID, as VFIO bind would (may be NULL).
 */
LIBIOMMUFD_API int iommufd_test_mock_domain(struct iommufd_ctx *ctx, uint32_t pt_id,
					    uint32_t dev_flags, uint32_t *stdev_id,
					    uint32_t *hwpt_id, uint32_t *dev_id);

/* iommufd_test_mock_domain_replace - move mock device @stdev_id to @pt_id;
 * @hwpt_id (may be NULL) receives the HWPT now attached. */
LIBIOMMUFD_API int iommufd_test_mock_domain_replace(struct iommufd_ctx *ctx, uint32_t stdev_id,
						    uint32_t pt_id, uint32_t *hwpt_id);

/* iommufd_test_add_reserved - reserve [@start, @start + @length) in IOAS
 * @ioas_id, as a device's reserved region would. */
LIBIOMMUFD_API int iommufd_test_add_reserved(struct iommufd_ctx *ctx, uint32_t ioas_id,
					     uint64_t start, uint64_t length);

/*
 * iommufd_test_check_map - prove that mock HWPT @hwpt_id (as returned by
 * iommufd_test_mock_domain()) maps [@iova, @iova + @length) to the pages
 * of [@buf, @buf + @length).
 * Return: 0, or -EINVAL (a page maps elsewhere or not at all), -ENOENT
 * (@hwpt_id is not a mock HWPT: an IOAS ID does not do).
 */
LIBIOMMUFD_API int iommufd_test_check_map(struct iommufd_ctx *ctx, uint32_t hwpt_id, uint64_t iova,
					  uint64_t length, const void *buf);

/* iommufd_test_check_refs - prove the pages of the @length bytes at @buf
 * have @refs pin refs.
 * Return: 0, or -EIO when a page's count differs. */
LIBIOMMUFD_API int iommufd_test_check_refs(struct iommufd_ctx *ctx, const void *buf,
					   uint64_t length, uint32_t refs);

/* iommufd_test_set_temp_memory_limit - limit the pages the mock's storage
 * may use to @limit (0: restore), to reach the large-mapping paths with
 * little memory. */
LIBIOMMUFD_API int iommufd_test_set_temp_memory_limit(struct iommufd_ctx *ctx, uint32_t limit);

/*
 * iommufd_test_create_access - an in-kernel access (as an emulated device
 * driver has) to @ioas_id, with the mock's access-creation @flags;
 * @access_fd receives its fd, which the other access calls take and
 * close(2) destroys.
 */
LIBIOMMUFD_API int iommufd_test_create_access(struct iommufd_ctx *ctx, uint32_t ioas_id,
					      uint32_t flags, int *access_fd);
/* iommufd_test_access_replace_ioas - move access @access_fd to IOAS
 * @ioas_id. */
LIBIOMMUFD_API int iommufd_test_access_replace_ioas(struct iommufd_ctx *ctx, int access_fd,
						    uint32_t ioas_id);
/* iommufd_test_access_pages - pin [@iova, @iova + @length) through access
 * @access_fd (with the mock's access @flags) and check it maps @buf;
 * @access_pages_id receives the pin's ID. */
LIBIOMMUFD_API int iommufd_test_access_pages(struct iommufd_ctx *ctx, int access_fd,
					     uint64_t iova, uint64_t length, const void *buf,
					     uint32_t flags, uint32_t *access_pages_id);
/* iommufd_test_destroy_access_pages - drop pin @access_pages_id of access
 * @access_fd. */
LIBIOMMUFD_API int iommufd_test_destroy_access_pages(struct iommufd_ctx *ctx, int access_fd,
						     uint32_t access_pages_id);
/* Flags of iommufd_test_access_rw(). */
#define IOMMUFD_TEST_RW_WRITE (1u << 0)
#define IOMMUFD_TEST_RW_SLOW_PATH (1u << 2)
/* iommufd_test_access_rw - copy @length bytes between @buf and @iova
 * through access @access_fd; with IOMMUFD_TEST_RW_WRITE in @flags from
 * @buf to the IOVA, else the other way. */
LIBIOMMUFD_API int iommufd_test_access_rw(struct iommufd_ctx *ctx, int access_fd, uint64_t iova,
					  void *buf, uint64_t length, uint32_t flags);

/*
 * iommufd_test_dirty - mark as dirty, in the mock domain of @hwpt_id, the
 * pages of [@iova, @iova + @length) whose bit is set in @bitmap (one bit per
 * @page_size); @nr_dirty receives how many it marked.
 */
LIBIOMMUFD_API int iommufd_test_dirty(struct iommufd_ctx *ctx, uint32_t hwpt_id, uint64_t iova,
				      uint64_t length, uint64_t page_size, const void *bitmap,
				      uint64_t *nr_dirty);

/* iommufd_test_check_iotlb - prove entry @iotlb_id of nested mock HWPT
 * @hwpt_id holds @expected. */
LIBIOMMUFD_API int iommufd_test_check_iotlb(struct iommufd_ctx *ctx, uint32_t hwpt_id,
					    uint32_t iotlb_id, uint32_t expected);

/* iommufd_test_check_dev_cache - prove cache entry @cache_id of mock device
 * @dev_id holds @expected (vIOMMU invalidation, Linux 6.13+). */
LIBIOMMUFD_API int iommufd_test_check_dev_cache(struct iommufd_ctx *ctx, uint32_t dev_id,
						uint32_t cache_id, uint32_t expected);

/* iommufd_test_trigger_iopf - make mock device @dev_id raise a page
 * request for @addr, with @pasid, group index @grpid and access @perm
 * (enum iommufd_fault_perm) (Linux 6.11+). */
LIBIOMMUFD_API int iommufd_test_trigger_iopf(struct iommufd_ctx *ctx, uint32_t dev_id,
					     uint32_t pasid, uint32_t grpid, uint32_t perm,
					     uint64_t addr);

/* iommufd_test_trigger_vevent - make mock device @dev_id report a vIOMMU
 * event (Linux 6.15+). */
LIBIOMMUFD_API int iommufd_test_trigger_vevent(struct iommufd_ctx *ctx, uint32_t dev_id);

/* iommufd_test_pasid_attach / _replace / _detach / _check_hwpt - attach
 * PASID @pasid of mock device @stdev_id to @pt_id, replace its attachment
 * with @pt_id, detach it, or prove it is attached to @hwpt_id (0 = none)
 * (Linux 6.15+). */
LIBIOMMUFD_API int iommufd_test_pasid_attach(struct iommufd_ctx *ctx, uint32_t stdev_id,
					     uint32_t pasid, uint32_t pt_id);
LIBIOMMUFD_API int iommufd_test_pasid_replace(struct iommufd_ctx *ctx, uint32_t stdev_id,
					      uint32_t pasid, uint32_t pt_id);
LIBIOMMUFD_API int iommufd_test_pasid_detach(struct iommufd_ctx *ctx, uint32_t stdev_id,
					     uint32_t pasid);
LIBIOMMUFD_API int iommufd_test_pasid_check_hwpt(struct iommufd_ctx *ctx, uint32_t stdev_id,
						 uint32_t pasid, uint32_t hwpt_id);

LIBIOMMUFD_END_DECLS

#endif
