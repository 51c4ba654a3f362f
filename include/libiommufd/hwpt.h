/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Hardware page tables (HWPT): paging HWPTs, nested HWPTs carrying a
 * guest's stage-1 table (BIND_PGTBL), cache invalidation (CACHE_INVLD), and
 * dirty tracking.
 *
 * Thread safety: these calls may run concurrently on one context; the
 * kernel serialises what needs it.
 */
#ifndef LIBIOMMUFD_HWPT_H
#define LIBIOMMUFD_HWPT_H

#include <libiommufd/ctx.h>

LIBIOMMUFD_BEGIN_DECLS

/* Flags of struct iommufd_hwpt_alloc_opts. */
enum iommufd_hwpt_alloc_flag {
	IOMMUFD_HWPT_NEST_PARENT = 1u << 0,    /* may parent nested HWPTs (6.7) */
	IOMMUFD_HWPT_DIRTY_TRACKING = 1u << 1, /* track DMA writes (6.7) */
	IOMMUFD_HWPT_PASID = 1u << 3,          /* attachable to PASIDs (6.15) */
};

/* Vendor data types of nested HWPTs (IOMMU_HWPT_DATA_*). */
enum iommufd_hwpt_data_type {
	IOMMUFD_HWPT_DATA_NONE = 0,
	IOMMUFD_HWPT_DATA_VTD_S1 = 1,     /* struct iommufd_hwpt_vtd_s1 (6.8) */
	IOMMUFD_HWPT_DATA_ARM_SMMUV3 = 2, /* struct iommufd_hwpt_arm_smmuv3 (6.14) */
	IOMMUFD_HWPT_DATA_AMD_GUEST = 3,  /* struct iommufd_hwpt_amd_guest */
	IOMMUFD_HWPT_DATA_SELFTEST = 0xdead, /* struct iommufd_hwpt_selftest (mock, 6.7) */
};

/* Intel VT-d stage-1 (first-level) table of a nested HWPT. */
struct iommufd_hwpt_vtd_s1 {
	uint64_t flags; /* SRE 1, EAFE 2, WPE 4 */
	uint64_t pgtbl_addr;
	uint32_t addr_width;
	uint32_t reserved;
};

/* ARM SMMUv3 guest Stream Table Entry (little endian words). */
struct iommufd_hwpt_arm_smmuv3 {
	uint64_t ste[2];
};

/* AMD guest Device Table Entry. */
struct iommufd_hwpt_amd_guest {
	uint64_t dte[4];
};

/* The selftest mock's nested data: the initial value of its IOTLB entries. */
struct iommufd_hwpt_selftest {
	uint32_t iotlb;
};

/*
 * struct iommufd_hwpt_alloc_opts - options of iommufd_hwpt_alloc().
 * @sz:        sizeof, set by IOMMUFD_OPTS().
 * @flags:     enum iommufd_hwpt_alloc_flag.
 * @fault_id:  a fault queue (iommufd_fault_queue_alloc()) to receive the
 *             page requests of this HWPT, or 0 (Linux 6.11; on a paging
 *             HWPT newer kernels only).
 * @data_type: enum iommufd_hwpt_data_type: not NONE for a nested HWPT.
 * @data_len:  bytes at @data; 0 exactly when @data is NULL.
 * @data:      the vendor data, e.g. a struct iommufd_hwpt_vtd_s1.
 */
struct iommufd_hwpt_alloc_opts {
	size_t sz;
	uint32_t flags;
	uint32_t fault_id;
	uint32_t data_type;
	uint32_t data_len;
	const void *data;
};

/*
 * iommufd_hwpt_alloc - allocate a HWPT for device @dev_id (IOMMU_HWPT_ALLOC).
 * @dev_id: a device bound to @ctx; the HWPT is made for its IOMMU.
 * @pt_id:  an IOAS for a paging HWPT; a HWPT allocated with
 *          IOMMUFD_HWPT_NEST_PARENT, or a vIOMMU, for a nested one.
 * @opts:   NULL for a plain paging HWPT.
 * @hwpt_id: receives its ID; iommufd_destroy() frees it.
 *
 * A nested HWPT (BIND_PGTBL) carries the guest's stage-1 table as vendor
 * data and translates through its parent.  A nesting parent cannot take a
 * fault queue, and a nested HWPT takes neither NEST_PARENT nor
 * DIRTY_TRACKING.
 *
 * Return: 0, or a negative errno: -EOPNOTSUPP (a flag, data type or field
 * this kernel or this IOMMU does not support: the sentence names the
 * release a flag or field needs when the kernel is older, else the IOMMU),
 * -EINVAL (@pt_id is not an IOAS, a nesting parent or a vIOMMU of this
 * device's IOMMU; vendor data refused, including data longer than the
 * kernel's struct even when the extra bytes are zero; bad arguments),
 * -E2BIG (@opts sets a field this library does not know), -ENOENT (no
 * such device, or no such fault queue), -EFAULT (@data unreadable),
 * -ENOMEM.
 * Linux 6.6; flags and nested 6.7; fault_id 6.11; PASID 6.15.
 */
LIBIOMMUFD_API int iommufd_hwpt_alloc(struct iommufd_ctx *ctx, uint32_t dev_id, uint32_t pt_id,
				      const struct iommufd_hwpt_alloc_opts *opts,
				      uint32_t *hwpt_id);

/* Invalidation entry types (IOMMU_HWPT_INVALIDATE_DATA_*). */
enum iommufd_invalidate_data_type {
	IOMMUFD_INVALIDATE_DATA_VTD_S1 = 0,           /* struct iommufd_vtd_s1_invalidate */
	IOMMUFD_INVALIDATE_DATA_VIOMMU_ARM_SMMUV3 = 1, /* struct iommufd_arm_smmuv3_invalidate */
	IOMMUFD_INVALIDATE_DATA_SELFTEST = 0xdeadbeef, /* struct iommufd_selftest_invalidate */
};

struct iommufd_vtd_s1_invalidate {
	uint64_t addr;
	uint64_t npages;
	uint32_t flags; /* LEAF 1 */
	uint32_t reserved;
};

struct iommufd_arm_smmuv3_invalidate {
	uint64_t cmd[2]; /* little endian */
};

/* The mock's entries: flags ALL (1) invalidates every IOTLB entry. */
struct iommufd_selftest_invalidate {
	uint32_t flags;
	uint32_t iotlb_id;
};

/* The most entries one IOMMU_HWPT_INVALIDATE takes (the kernel's bound);
 * longer arrays are sent in batches of this many. */
#define IOMMUFD_INVALIDATE_BATCH (1u << 19)

/*
 * iommufd_hwpt_invalidate - invalidate caches of a nested HWPT or a vIOMMU
 * with an array of vendor entries (IOMMU_HWPT_INVALIDATE, CACHE_INVLD).
 * @id:        the nested HWPT or vIOMMU.
 * @data_type: enum iommufd_invalidate_data_type of every entry.
 * @entries:   @*entry_num entries of @entry_len bytes each; may be NULL
 *             when @*entry_num is 0, which asks whether @id takes
 *             @data_type at all.
 * @entry_len: bytes per entry, 1 .. the page size.
 * @entry_num: in: how many to send; out: how many the kernel handled --
 *             also on failure, where the entry at that index is the one
 *             that failed.  Partial progress is never hidden: the
 *             sentence says how far it got.
 *
 * The entries are handled in order; arrays longer than
 * IOMMUFD_INVALIDATE_BATCH take several ioctls, stopping at the first
 * failure.  If a failing ioctl does not say how far it got, its entries
 * count as not handled: invalidating again is harmless.
 *
 * Return: 0 (all handled), or a negative errno with *entry_num telling how
 * far it got: -EINVAL (an invalid entry or @data_type, @entry_len shorter
 * or longer than the kernel's entry struct -- longer even with zero extra
 * bytes --, @id neither a nested HWPT nor a vIOMMU, bad arguments),
 * -ENOENT (no such object; on kernels before vIOMMUs also any object that
 * is not a nested HWPT), -EOPNOTSUPP (@id cannot invalidate, an entry flag
 * not supported), -EFAULT.
 * Linux 6.8; vIOMMU 6.13.
 */
LIBIOMMUFD_API int iommufd_hwpt_invalidate(struct iommufd_ctx *ctx, uint32_t id,
					   uint32_t data_type, const void *entries,
					   uint32_t entry_len, uint32_t *entry_num);

/*
 * iommufd_hwpt_set_dirty_tracking - start (@enable != 0) or stop tracking
 * DMA writes in paging HWPT @hwpt_id, allocated with
 * IOMMUFD_HWPT_DIRTY_TRACKING (IOMMU_HWPT_SET_DIRTY_TRACKING).  Starting
 * clears the dirty bits left from before.
 * Return: 0, or a negative errno: -ENOENT (no such paging HWPT),
 * -EOPNOTSUPP (the HWPT was not allocated for dirty tracking; or
 * "needs Linux 6.7").  Linux 6.7.
 */
LIBIOMMUFD_API int iommufd_hwpt_set_dirty_tracking(struct iommufd_ctx *ctx, uint32_t hwpt_id,
						   int enable);

/* Flags of iommufd_hwpt_get_dirty_bitmap(). */
#define IOMMUFD_DIRTY_NO_CLEAR (1u << 0) /* read without clearing (before an unmap) */
#define IOMMUFD_DIRTY_MERGE (1u << 16)   /* OR into @bitmap instead of replacing it */
#define IOMMUFD_DIRTY_CHUNKED (1u << 17) /* one ioctl per IOMMUFD_DIRTY_CHUNK_PAGES */

/* Pages read per ioctl with IOMMUFD_DIRTY_CHUNKED: one 4 KiB page of
 * bitmap.  The kernel holds the IOAS's IOVA lock (shared) for a whole read,
 * so maps and unmaps by other threads wait for it: chunks bound that wait. */
#define IOMMUFD_DIRTY_CHUNK_PAGES 32768u

/*
 * iommufd_hwpt_get_dirty_bitmap - read (and clear, unless
 * IOMMUFD_DIRTY_NO_CLEAR) the dirty bits of [iova, iova + length) of paging
 * HWPT @hwpt_id into @bitmap (IOMMU_HWPT_GET_DIRTY_BITMAP).
 * @page_size:  what one bit stands for: a power of two; @iova and @length
 *              must be multiples of it (and of the IOAS's IOVA alignment).
 * @bitmap:     64-bit words, 8-byte aligned: page iova + i * page_size is
 *              bit i % 64 of word i / 64, as the kernel writes it.
 * @bitmap_len: bytes available in @bitmap: at least
 *              8 * DIV_ROUND_UP(length / page_size, 64), since the kernel
 *              writes whole words.
 * @flags:      IOMMUFD_DIRTY_NO_CLEAR, IOMMUFD_DIRTY_MERGE (keep the bits
 *              already in @bitmap: to merge the HWPTs of several devices),
 *              IOMMUFD_DIRTY_CHUNKED.
 *
 * Without IOMMUFD_DIRTY_MERGE the words are zeroed first (the kernel only
 * sets bits).  The whole range is one ioctl, as a hand-written call would
 * be (the kernel walks the caller's bitmap a page at a time itself, so no
 * range needs a big kernel buffer).  With IOMMUFD_DIRTY_CHUNKED it is
 * walked IOMMUFD_DIRTY_CHUNK_PAGES pages per ioctl instead, so maps and
 * unmaps of other threads on the same IOAS never wait for a whole huge
 * range.  The kernel reports nothing past an IOVA that is not mapped: give
 * ranges that are fully mapped.
 *
 * Return: 0, or a negative errno: -EINVAL (alignment, @bitmap NULL,
 * misaligned or too small; length 0), -EOVERFLOW (range wraps), -ENOENT
 * (no such paging HWPT), -EOPNOTSUPP (HWPT without dirty tracking, unknown
 * flag, or "needs Linux 6.7").  With IOMMUFD_DIRTY_CHUNKED, a failure after
 * the first chunk says in the sentence which part was read (and cleared).
 * Linux 6.7.
 */
LIBIOMMUFD_API int iommufd_hwpt_get_dirty_bitmap(struct iommufd_ctx *ctx, uint32_t hwpt_id,
						 uint64_t iova, uint64_t length,
						 uint64_t page_size, void *bitmap,
						 size_t bitmap_len, uint32_t flags);

LIBIOMMUFD_END_DECLS

#endif
