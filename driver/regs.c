// SPDX-License-Identifier: GPL-2.0-only
/*
 * Region 0: page 0 is a real page holding the register file (so user space
 * may map it and poll), page 1 holds the trapped doorbell.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vfio_dmatest.h"

/* The parameter registers a write(2) may change; the rest of page 0 is
 * read-only through write(2). */
#define DMATEST_PARAMS_START VFIO_DMATEST_REG_SRC
#define DMATEST_PARAMS_END (VFIO_DMATEST_REG_CMD + 4)

int dmatest_regs_init(struct dmatest_dev *d)
{
	d->regs_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!d->regs_page)
		return -ENOMEM;
	d->regs = page_address(d->regs_page);
	dmatest_regs_reset(d);
	return 0;
}

/* A mapping made by user space keeps its own reference to the page. */
void dmatest_regs_free(struct dmatest_dev *d)
{
	__free_page(d->regs_page);
	d->regs = NULL;
}

void dmatest_reg_write32(struct dmatest_dev *d, unsigned int off, u32 val)
{
	WRITE_ONCE(*(__le32 *)(d->regs + off), cpu_to_le32(val));
}

void dmatest_reg_write64(struct dmatest_dev *d, unsigned int off, u64 val)
{
	WRITE_ONCE(*(__le64 *)(d->regs + off), cpu_to_le64(val));
}

u32 dmatest_reg_read32(struct dmatest_dev *d, unsigned int off)
{
	return le32_to_cpu(READ_ONCE(*(__le32 *)(d->regs + off)));
}

u64 dmatest_reg_read64(struct dmatest_dev *d, unsigned int off)
{
	return le64_to_cpu(READ_ONCE(*(__le64 *)(d->regs + off)));
}

/* Power-on state.  The counters survive: they count since the module
 * created the device.  Called with d->lock held, the engine stopped. */
void dmatest_regs_reset(struct dmatest_dev *d)
{
	memset(d->regs, 0, PAGE_SIZE);
	d->status = VFIO_DMATEST_STATUS_IDLE;
	dmatest_reg_write32(d, VFIO_DMATEST_REG_MAGIC, VFIO_DMATEST_MAGIC);
	dmatest_reg_write32(d, VFIO_DMATEST_REG_VERSION, VFIO_DMATEST_VERSION);
	dmatest_reg_write64(d, VFIO_DMATEST_REG_MAX_LEN, d->max_len);
	dmatest_reg_write32(d, VFIO_DMATEST_REG_SEQ, d->seq);
	dmatest_reg_write64(d, VFIO_DMATEST_REG_COMPLETIONS, d->completions);
	dmatest_reg_write64(d, VFIO_DMATEST_REG_ERRORS, d->errors);
}

static int dmatest_add_sparse_cap(struct vfio_info_cap *caps)
{
	struct vfio_region_info_cap_sparse_mmap *sparse;
	size_t size = struct_size(sparse, areas, 1);
	int ret;

	sparse = kzalloc(size, GFP_KERNEL);
	if (!sparse)
		return -ENOMEM;
	sparse->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
	sparse->header.version = 1;
	sparse->nr_areas = 1;
	sparse->areas[0].offset = 0;
	sparse->areas[0].size = VFIO_DMATEST_MMAP_SIZE;
	ret = vfio_info_add_capability(caps, &sparse->header, size);
	kfree(sparse);
	return ret;
}

int dmatest_region_info(struct dmatest_dev *d, struct vfio_region_info *info,
			struct vfio_info_cap *caps)
{
	if (info->index != VFIO_DMATEST_REGION)
		return -EINVAL;
	info->offset = 0;
	info->size = VFIO_DMATEST_REGION_SIZE;
	info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
		      VFIO_REGION_INFO_FLAG_MMAP;
	return dmatest_add_sparse_cap(caps);
}

static bool dmatest_range_ok(loff_t pos, size_t count)
{
	return pos >= 0 && count && count <= VFIO_DMATEST_REGION_SIZE &&
	       pos <= VFIO_DMATEST_REGION_SIZE - count;
}

/* Page 0 reads as the registers, page 1 (the doorbell) as zeroes. */
ssize_t dmatest_read(struct vfio_device *vdev, char __user *buf, size_t count,
		     loff_t *ppos)
{
	struct dmatest_dev *d = to_dmatest(vdev);
	loff_t pos = *ppos;
	size_t in_regs;

	if (!dmatest_range_ok(pos, count))
		return -EINVAL;
	in_regs = pos < PAGE_SIZE ? min_t(size_t, count, PAGE_SIZE - pos) : 0;
	if (in_regs && copy_to_user(buf, d->regs + pos, in_regs))
		return -EFAULT;
	if (count > in_regs && clear_user(buf + in_regs, count - in_regs))
		return -EFAULT;
	*ppos = pos + count;
	return count;
}

static ssize_t dmatest_write_params(struct dmatest_dev *d, const char __user *buf,
				    size_t count, loff_t pos)
{
	loff_t first = max_t(loff_t, pos, DMATEST_PARAMS_START);
	loff_t end = min_t(loff_t, pos + count, DMATEST_PARAMS_END);
	u8 bytes[DMATEST_PARAMS_END - DMATEST_PARAMS_START];

	if (first >= end)
		return count; /* read-only registers: ignored */
	if (copy_from_user(bytes, buf + (first - pos), end - first))
		return -EFAULT;
	mutex_lock(&d->lock);
	memcpy(d->regs + first, bytes, end - first);
	mutex_unlock(&d->lock);
	return count;
}

static ssize_t dmatest_write_doorbell(struct dmatest_dev *d, const char __user *buf,
				      size_t count, loff_t pos)
{
	__le32 value;
	int ret;

	if (pos != VFIO_DMATEST_REG_DOORBELL || count != sizeof(value))
		return -EINVAL;
	if (copy_from_user(&value, buf, sizeof(value)))
		return -EFAULT;
	ret = dmatest_doorbell(d, le32_to_cpu(value));
	return ret ? ret : count;
}

ssize_t dmatest_write(struct vfio_device *vdev, const char __user *buf,
		      size_t count, loff_t *ppos)
{
	struct dmatest_dev *d = to_dmatest(vdev);
	loff_t pos = *ppos;
	ssize_t ret;

	if (!dmatest_range_ok(pos, count))
		return -EINVAL;
	if (pos + count <= PAGE_SIZE)
		ret = dmatest_write_params(d, buf, count, pos);
	else if (pos >= PAGE_SIZE)
		ret = dmatest_write_doorbell(d, buf, count, pos);
	else
		ret = -EINVAL; /* straddles the registers and the doorbell */
	if (ret > 0)
		*ppos = pos + ret;
	return ret;
}

/* Only page 0, whole: the doorbell must trap. */
int dmatest_mmap(struct vfio_device *vdev, struct vm_area_struct *vma)
{
	struct dmatest_dev *d = to_dmatest(vdev);

	if (vma->vm_pgoff != 0 || vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vm_flags_clear(vma, VM_MAYEXEC);
	return vm_insert_page(vma, vma->vm_start, d->regs_page);
}
