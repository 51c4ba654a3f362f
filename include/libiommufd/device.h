/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * VFIO devices through their cdev (/dev/vfio/devices/vfioN): open, bind to
 * an iommufd context, attach to an IOAS or HWPT (whole device or a PASID),
 * and the device's own regions, interrupts and reset.
 */
#ifndef LIBIOMMUFD_DEVICE_H
#define LIBIOMMUFD_DEVICE_H

#include <libiommufd/ctx.h>

LIBIOMMUFD_BEGIN_DECLS

/*
 * struct iommufd_device - an open VFIO device cdev.  Owns its fd.  Once
 * bound, the device lives in one iommufd context, which must stay open for
 * as long as the device is.  Calls on one device must not race.  Errors are
 * recorded in the bound context (before binding, and for
 * iommufd_device_region_munmap(): iommufd_ctx_last_error(NULL) holds them).
 */
struct iommufd_device;

/*
 * iommufd_device_open - open a VFIO device cdev by path (O_RDWR | O_CLOEXEC).
 * @path: "/dev/vfio/devices/vfioN".
 * @devp: receives the device.
 * Return: 0, or a negative errno: -ENOENT (no such node: kernel without
 * CONFIG_VFIO_DEVICE_CDEV, or no device), -EACCES, -EBUSY (the device is in
 * use through the legacy VFIO group interface), -EINVAL (NULL argument),
 * -ENOMEM.  Linux 6.6 (VFIO cdev).
 */
LIBIOMMUFD_API int iommufd_device_open(const char *path, struct iommufd_device **devp);

/*
 * iommufd_device_open_pci - open the VFIO cdev of PCI device @bdf
 * ("0000:00:0a.0", or "00:0a.0" for PCI domain 0), found through
 * /sys/bus/pci/devices/<bdf>/vfio-dev/vfioN.
 * @devp: receives the device.
 * Return: as iommufd_device_open(); -EINVAL for a malformed address;
 * -ENODEV with a sentence saying why when there is no cdev: no such PCI
 * device, a device bound to no driver or to a driver that is not a VFIO
 * one (the sentence names it), or a kernel without CONFIG_VFIO_DEVICE_CDEV
 * (older than 6.6).  Linux 6.6.
 */
LIBIOMMUFD_API int iommufd_device_open_pci(const char *bdf, struct iommufd_device **devp);

/*
 * iommufd_device_adopt_fd - take ownership of an open VFIO cdev fd (for
 * instance one received over a unix socket).  One harmless ioctl checks
 * that @fd is a VFIO device.  On failure @fd stays open and the caller's.
 * Return: 0, or -EBADF (not an open fd), -ENOTTY (not a VFIO device),
 * -EINVAL (NULL @devp), -ENOMEM.  Linux 6.6.
 */
LIBIOMMUFD_API int iommufd_device_adopt_fd(int fd, struct iommufd_device **devp);

/* iommufd_device_close - close the device (the kernel unbinds and detaches
 * it).  Mappings from iommufd_device_region_mmap() outlive it.  NULL is
 * ignored. */
LIBIOMMUFD_API void iommufd_device_close(struct iommufd_device *dev);

/* iommufd_device_fd - the cdev's fd (owned by the device), or -EINVAL for
 * a NULL @dev. */
LIBIOMMUFD_API int iommufd_device_fd(const struct iommufd_device *dev);

/*
 * struct iommufd_bind_opts - options of iommufd_device_bind().
 * @sz:       sizeof, set by IOMMUFD_OPTS().
 * @vf_token: NULL, or the 16-byte VF token (a UUID) that the PF driver
 *            requires of its VFs (VFIO_DEVICE_BIND_FLAG_TOKEN, Linux 6.17).
 */
struct iommufd_bind_opts {
	size_t sz;
	const uint8_t *vf_token;
};

/*
 * iommufd_device_bind - bind the device to @ctx (VFIO_DEVICE_BIND_IOMMUFD).
 * Until then the kernel refuses every other call on the device.
 * @opts:   NULL or options.
 * @dev_id: NULL, or receives the device's iommufd ID, used by HWPT, HW info
 *          and vDEVICE calls (iommufd_device_id() tells it later too).
 * Return: 0, or a negative errno: -EBUSY (already bound through this
 * handle, or the device is in use through the legacy group interface),
 * -EOPNOTSUPP with "needs Linux 6.17" when a VF token is given to an older
 * kernel (probed: the kernel is asked, not its version), or "needs Linux
 * 6.6" when the fd does not know the ioctl, -EACCES (VF token required or
 * wrong), -EINVAL (bound elsewhere already, a VF token the device does not
 * use, NULL argument), -E2BIG (@opts sets fields this library does not
 * know).  Linux 6.6.
 */
LIBIOMMUFD_API int iommufd_device_bind(struct iommufd_device *dev, struct iommufd_ctx *ctx,
				       const struct iommufd_bind_opts *opts, uint32_t *dev_id);

/* iommufd_device_id - the ID from iommufd_device_bind(), or 0 if the
 * device was not bound through this handle (or @dev is NULL). */
LIBIOMMUFD_API uint32_t iommufd_device_id(const struct iommufd_device *dev);

/*
 * iommufd_device_attach - attach the device to @pt_id: an IOAS (the kernel
 * finds or makes a paging HWPT for it), a paging or a nested HWPT
 * (VFIO_DEVICE_ATTACH_IOMMUFD_PT).  On an attached device this replaces
 * the attachment without a window of blocked DMA; on failure the old
 * attachment stays.
 * @hwpt_id: NULL, or receives the HWPT now attached.
 * Return: 0, or a negative errno: -ENOENT (no such object), -EINVAL (not
 * bound, an object that is neither IOAS nor HWPT, or a HWPT this device's
 * IOMMU cannot use), -EADDRINUSE (the IOAS maps IOVAs the device reserves),
 * -EOPNOTSUPP, -ENOMEM.  Linux 6.6.
 */
LIBIOMMUFD_API int iommufd_device_attach(struct iommufd_device *dev, uint32_t pt_id,
					 uint32_t *hwpt_id);

/* iommufd_device_detach - detach the device: its DMA is blocked.  Detaching
 * a detached device is no error.  Return: 0, or -EINVAL (not bound, NULL
 * @dev).  Linux 6.6. */
LIBIOMMUFD_API int iommufd_device_detach(struct iommufd_device *dev);

/*
 * iommufd_device_pasid_attach - attach PASID @pasid (1 .. 2^20 - 1) of the
 * device to @pt_id (VFIO_DEVICE_ATTACH_IOMMUFD_PT with the PASID flag);
 * attaching an attached PASID replaces its HWPT.
 * @hwpt_id: NULL, or receives the HWPT now attached.
 * Return: 0, or a negative errno: -EOPNOTSUPP with "needs Linux 6.15" when
 * the kernel does not know the flag (probed: the kernel is asked, not its
 * version), or when the device's driver has no PASID support; otherwise as
 * iommufd_device_attach() (-EINVAL also: the device or its IOMMU cannot
 * attach PASIDs, the HWPT was not allocated with IOMMUFD_HWPT_PASID).
 * Linux 6.15.
 */
LIBIOMMUFD_API int iommufd_device_pasid_attach(struct iommufd_device *dev, uint32_t pasid,
					       uint32_t pt_id, uint32_t *hwpt_id);

/* iommufd_device_pasid_detach - detach PASID @pasid; detaching a detached
 * PASID is no error.  Return: 0, or -EOPNOTSUPP ("needs Linux 6.15", or a
 * driver without PASID support), -EINVAL.  Linux 6.15. */
LIBIOMMUFD_API int iommufd_device_pasid_detach(struct iommufd_device *dev, uint32_t pasid);

/* Flags of struct iommufd_device_info (VFIO_DEVICE_FLAGS_*). */
enum iommufd_device_flag {
	IOMMUFD_DEVICE_FLAG_RESET = 1u << 0, /* iommufd_device_reset() works */
	IOMMUFD_DEVICE_FLAG_PCI = 1u << 1,
	IOMMUFD_DEVICE_FLAG_PLATFORM = 1u << 2,
	IOMMUFD_DEVICE_FLAG_CAPS = 1u << 7, /* the reply carried capabilities */
};

/* What VFIO_DEVICE_GET_INFO says of the device. */
struct iommufd_device_info {
	uint32_t flags; /* enum iommufd_device_flag and other VFIO_DEVICE_FLAGS_* */
	uint32_t num_regions;
	uint32_t num_irqs;
};

/*
 * iommufd_device_get_info - VFIO_DEVICE_GET_INFO; its capability chain is
 * fetched (growing the buffer as the kernel asks) and checked.
 * @info: receives the answer.
 * Return: 0, or -EINVAL (not bound, NULL argument), -EPROTO (a malformed
 * capability chain from the kernel).  Linux 6.6.
 */
LIBIOMMUFD_API int iommufd_device_get_info(struct iommufd_device *dev,
					   struct iommufd_device_info *info);

/* Region indexes of a vfio-pci device (VFIO_PCI_*_REGION_INDEX); indexes
 * from IOMMUFD_PCI_NUM_REGIONS on are device specific. */
enum iommufd_pci_region_index {
	IOMMUFD_PCI_BAR0_REGION = 0,
	IOMMUFD_PCI_BAR1_REGION = 1,
	IOMMUFD_PCI_BAR2_REGION = 2,
	IOMMUFD_PCI_BAR3_REGION = 3,
	IOMMUFD_PCI_BAR4_REGION = 4,
	IOMMUFD_PCI_BAR5_REGION = 5,
	IOMMUFD_PCI_ROM_REGION = 6,
	IOMMUFD_PCI_CONFIG_REGION = 7,
	IOMMUFD_PCI_VGA_REGION = 8,
	IOMMUFD_PCI_NUM_REGIONS = 9,
};

/* Flags of struct iommufd_region_info (VFIO_REGION_INFO_FLAG_*). */
enum iommufd_region_flag {
	IOMMUFD_REGION_READ = 1u << 0,
	IOMMUFD_REGION_WRITE = 1u << 1,
	IOMMUFD_REGION_MMAP = 1u << 2,
	IOMMUFD_REGION_CAPS = 1u << 3,
};

#define IOMMUFD_REGION_MAX_SPARSE 16

/* One mmap-able window of a region (VFIO_REGION_INFO_CAP_SPARSE_MMAP). */
struct iommufd_region_area {
	uint64_t offset; /* from the start of the region */
	uint64_t size;
};

/*
 * What VFIO_DEVICE_GET_REGION_INFO says of region @index, with its
 * capability chain decoded.  When the region is mmap-able but has no sparse
 * capability, nr_areas is 1 and areas[0] covers the whole region; a region
 * that is not mmap-able has nr_areas 0.
 */
struct iommufd_region_info {
	uint32_t index;
	uint32_t flags;         /* enum iommufd_region_flag */
	uint64_t size;
	uint64_t offset;        /* of the region in the device fd */
	uint32_t type, subtype; /* VFIO_REGION_INFO_CAP_TYPE, or 0 */
	uint32_t msix_mappable; /* VFIO_REGION_INFO_CAP_MSIX_MAPPABLE present */
	uint32_t nr_areas;      /* total mmap-able areas (may exceed the array) */
	struct iommufd_region_area areas[IOMMUFD_REGION_MAX_SPARSE];
};

/*
 * iommufd_device_region_info - query region @index; the kernel's "buffer
 * too small" answer for the capability chain is handled inside.
 * @info: receives the region's description.
 * Return: 0, or -EINVAL (no such region: the sentence gives the device's
 * count; not bound; NULL argument), -EPROTO (a malformed capability chain
 * from the kernel: loops, overlaps, misaligned or out-of-bounds offsets,
 * truncated capabilities, sparse areas outside the region).  Linux 6.6.
 */
LIBIOMMUFD_API int iommufd_device_region_info(struct iommufd_device *dev, uint32_t index,
					      struct iommufd_region_info *info);

/*
 * iommufd_device_region_read / _write - read or write @len bytes at
 * @offset of region @index (pread/pwrite on the device fd; vfio-pci turns
 * aligned 1, 2, 4 and 8-byte accesses into single accesses of that width).
 * Return: 0, or a negative errno: -EINVAL (no such region, the region is
 * not readable / writable, the range runs past its end, @len 0, NULL @buf,
 * not bound), -EIO (the kernel moved fewer bytes), or the pread / pwrite
 * error.  Linux 6.6.
 */
LIBIOMMUFD_API int iommufd_device_region_read(struct iommufd_device *dev, uint32_t index,
					      uint64_t offset, void *buf, size_t len);
LIBIOMMUFD_API int iommufd_device_region_write(struct iommufd_device *dev, uint32_t index,
					       uint64_t offset, const void *buf, size_t len);

/*
 * iommufd_device_region_mmap - map [@offset, @offset + @length) of region
 * @index (MAP_SHARED) into *@addr; the range must be page aligned and lie
 * in one mmap-able area (sparse-mmap aware: an MSI-X table carved out of a
 * BAR is refused here, not by a SIGBUS later).  @prot as mmap(2).
 * Return: 0 with *@addr set, or a negative errno: -EINVAL (not mmap-able
 * there, unaligned, length 0, NULL argument), -EPROTO, or the mmap error.
 * Linux 6.6.
 */
LIBIOMMUFD_API int iommufd_device_region_mmap(struct iommufd_device *dev, uint32_t index,
					      uint64_t offset, uint64_t length, int prot,
					      void **addr);

/* iommufd_device_region_munmap - munmap(2) of the @length bytes at @addr
 * that iommufd_device_region_mmap() mapped.  Return: 0, or -EINVAL, or
 * the error. */
LIBIOMMUFD_API int iommufd_device_region_munmap(void *addr, uint64_t length);

/* IRQ indexes of a vfio-pci device (VFIO_PCI_*_IRQ_INDEX). */
enum iommufd_pci_irq_index {
	IOMMUFD_PCI_INTX_IRQ = 0,
	IOMMUFD_PCI_MSI_IRQ = 1,
	IOMMUFD_PCI_MSIX_IRQ = 2,
	IOMMUFD_PCI_ERR_IRQ = 3,
	IOMMUFD_PCI_REQ_IRQ = 4,
};

/* Flags of struct iommufd_irq_info (VFIO_IRQ_INFO_*). */
enum iommufd_irq_flag {
	IOMMUFD_IRQ_EVENTFD = 1u << 0,
	IOMMUFD_IRQ_MASKABLE = 1u << 1,
	IOMMUFD_IRQ_AUTOMASKED = 1u << 2,
	IOMMUFD_IRQ_NORESIZE = 1u << 3,
};

/* What VFIO_DEVICE_GET_IRQ_INFO says of IRQ index @index. */
struct iommufd_irq_info {
	uint32_t index;
	uint32_t flags; /* enum iommufd_irq_flag */
	uint32_t count; /* vectors */
};

/* iommufd_device_irq_info - VFIO_DEVICE_GET_IRQ_INFO of IRQ index @index,
 * into @info.  Return: 0, or -EINVAL (no such IRQ index on this device,
 * not bound, NULL argument).  Linux 6.6. */
LIBIOMMUFD_API int iommufd_device_irq_info(struct iommufd_device *dev, uint32_t index,
					   struct iommufd_irq_info *info);

/* The most vectors one iommufd_device_set_irq_eventfds() call may route
 * (PCI MSI-X has at most 2048). */
#define IOMMUFD_IRQ_MAX_VECTORS 2048

/*
 * iommufd_device_set_irq_eventfds - route vectors [@start, @start + @count)
 * of IRQ index @index to the eventfds @fds (-1 leaves a vector unrouted),
 * enabling the index (VFIO_DEVICE_SET_IRQS, DATA_EVENTFD | ACTION_TRIGGER).
 * With @count 0 (@fds ignored) it disables the index (DATA_NONE).
 * Return: 0, or a negative errno: -EINVAL (vectors beyond the index's
 * count, @count over IOMMUFD_IRQ_MAX_VECTORS, NULL @fds, not bound),
 * -EBADF (not an eventfd), or the kernel's error (-ENOSPC, -EBUSY...).
 * Linux 6.6.
 */
LIBIOMMUFD_API int iommufd_device_set_irq_eventfds(struct iommufd_device *dev, uint32_t index,
						   uint32_t start, const int32_t *fds,
						   uint32_t count);

/* iommufd_device_reset - VFIO_DEVICE_RESET.  Return: 0, or -EINVAL when
 * the device cannot be reset (IOMMUFD_DEVICE_FLAG_RESET clear) or is not
 * bound, -ENOTTY for a device type without reset, -EAGAIN (another holder
 * of a shared reset), or the kernel's error.  Linux 6.6. */
LIBIOMMUFD_API int iommufd_device_reset(struct iommufd_device *dev);

LIBIOMMUFD_END_DECLS

#endif
