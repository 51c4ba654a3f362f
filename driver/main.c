// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_dmatest: module parameters, the platform driver and its devices, and
 * the VFIO device ops table.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "compat.h"
#include "vfio_dmatest.h"

#define DMATEST_MAX_DEVICES 16
#define DMATEST_MAX_LEN_LIMIT (256ull << 20)

static unsigned int devices = 1;
module_param(devices, uint, 0444);
MODULE_PARM_DESC(devices, "number of vfio_dmatest devices (1-16, default 1)");

static unsigned long max_len = 4ul << 20;
module_param(max_len, ulong, 0444);
MODULE_PARM_DESC(max_len, "longest transfer in bytes (default 4 MiB, at most 256 MiB)");

static struct platform_device *dmatest_pdevs[DMATEST_MAX_DEVICES];
static struct workqueue_struct *dmatest_wq;

static int dmatest_init_dev(struct vfio_device *vdev)
{
	struct dmatest_dev *d = to_dmatest(vdev);
	int ret;

	mutex_init(&d->lock);
	INIT_WORK(&d->work, dmatest_engine_work);
	d->max_len = max_len;
	d->wq = dmatest_wq;
	d->bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!d->bounce)
		return -ENOMEM;
	ret = dmatest_regs_init(d);
	if (ret)
		kfree(d->bounce);
	return ret;
}

static void dmatest_release_dev(struct vfio_device *vdev)
{
	struct dmatest_dev *d = to_dmatest(vdev);

	dmatest_regs_free(d);
	kfree(d->bounce);
	mutex_destroy(&d->lock);
}

static int dmatest_open_device(struct vfio_device *vdev)
{
	struct dmatest_dev *d = to_dmatest(vdev);

	mutex_lock(&d->lock);
	dmatest_regs_reset(d);
	/* VFIO has just bound a new iommufd access, attached to nothing yet;
	 * the unbind that destroyed the previous opener's access did not call
	 * detach_ioas, so "attached" may be stale. */
	d->attached = false;
	mutex_unlock(&d->lock);
	return 0;
}

/* The last fd is going away: stop the engine (dropping its pins) before
 * VFIO unbinds the iommufd access, and forget the eventfds. */
static void dmatest_close_device(struct vfio_device *vdev)
{
	struct dmatest_dev *d = to_dmatest(vdev);

	dmatest_engine_stop(d, VFIO_DMATEST_ERR_ABORTED);
	dmatest_irqs_release(d);
}

static long dmatest_get_info(struct dmatest_dev *d, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PLATFORM | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = 1;
	info.num_irqs = VFIO_DMATEST_NUM_IRQS;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long dmatest_reset(struct dmatest_dev *d)
{
	dmatest_engine_stop(d, VFIO_DMATEST_ERR_ABORTED);
	mutex_lock(&d->lock);
	dmatest_regs_reset(d);
	mutex_unlock(&d->lock);
	return 0;
}

static long dmatest_ioctl(struct vfio_device *vdev, unsigned int cmd,
			  unsigned long arg)
{
	struct dmatest_dev *d = to_dmatest(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return dmatest_get_info(d, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return dmatest_irq_info(d, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return dmatest_set_irqs(d, uarg);
	case VFIO_DEVICE_RESET:
		return dmatest_reset(d);
	}
	return dmatest_compat_ioctl(d, cmd, uarg);
}

static const struct vfio_device_ops dmatest_ops = {
	.name = VFIO_DMATEST_NAME,
	.init = dmatest_init_dev,
	.release = dmatest_release_dev,
	.open_device = dmatest_open_device,
	.close_device = dmatest_close_device,
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = dmatest_attach_ioas,
	.detach_ioas = dmatest_detach_ioas,
	.dma_unmap = dmatest_dma_unmap,
	.read = dmatest_read,
	.write = dmatest_write,
	.mmap = dmatest_mmap,
	.ioctl = dmatest_ioctl,
	DMATEST_REGION_INFO_OP
};

static int dmatest_probe(struct platform_device *pdev)
{
	struct dmatest_dev *d;
	int ret;

	d = vfio_alloc_device(dmatest_dev, vdev, &pdev->dev, &dmatest_ops);
	if (IS_ERR(d))
		return PTR_ERR(d);
	d->pdev = pdev;
	ret = vfio_register_emulated_iommu_dev(&d->vdev);
	if (ret) {
		vfio_put_device(&d->vdev);
		return ret;
	}
	platform_set_drvdata(pdev, d);
	return 0;
}

static void dmatest_remove(struct platform_device *pdev)
{
	struct dmatest_dev *d = platform_get_drvdata(pdev);

	vfio_unregister_group_dev(&d->vdev);
	vfio_put_device(&d->vdev);
}

static struct platform_driver dmatest_driver = {
	.probe = dmatest_probe,
	.remove = dmatest_remove,
	.driver = {
		.name = VFIO_DMATEST_NAME,
		/* An open fd pins the module (VFIO takes a reference on the
		 * driver's owner), but not the binding: a sysfs unbind would
		 * block until the fd closes.  Devices come and go with the
		 * module only. */
		.suppress_bind_attrs = true,
	},
};

static void dmatest_remove_devices(void)
{
	int i;

	for (i = DMATEST_MAX_DEVICES - 1; i >= 0; i--) {
		if (dmatest_pdevs[i])
			platform_device_unregister(dmatest_pdevs[i]);
		dmatest_pdevs[i] = NULL;
	}
}

static int __init dmatest_init(void)
{
	unsigned int i;
	int ret;

	if (devices < 1 || devices > DMATEST_MAX_DEVICES) {
		pr_err("vfio_dmatest: devices=%u: must be 1 to %d\n", devices,
		       DMATEST_MAX_DEVICES);
		return -EINVAL;
	}
	if (max_len < PAGE_SIZE || max_len > DMATEST_MAX_LEN_LIMIT) {
		pr_err("vfio_dmatest: max_len=%lu: must be %lu to %llu\n", max_len,
		       PAGE_SIZE, DMATEST_MAX_LEN_LIMIT);
		return -EINVAL;
	}
	dmatest_wq = alloc_workqueue("vfio_dmatest", WQ_UNBOUND, 0);
	if (!dmatest_wq)
		return -ENOMEM;
	ret = platform_driver_register(&dmatest_driver);
	if (ret) {
		destroy_workqueue(dmatest_wq);
		return ret;
	}
	for (i = 0; i < devices; i++) {
		struct platform_device *pdev;

		pdev = platform_device_register_simple(VFIO_DMATEST_NAME, i, NULL, 0);
		if (IS_ERR(pdev)) {
			ret = PTR_ERR(pdev);
			goto err;
		}
		dmatest_pdevs[i] = pdev;
		if (!platform_get_drvdata(pdev)) {
			/* probe failed; the driver core only logs it */
			ret = -ENODEV;
			goto err;
		}
	}
	return 0;
err:
	dmatest_remove_devices();
	platform_driver_unregister(&dmatest_driver);
	destroy_workqueue(dmatest_wq);
	return ret;
}

static void __exit dmatest_exit(void)
{
	dmatest_remove_devices();
	platform_driver_unregister(&dmatest_driver);
	destroy_workqueue(dmatest_wq);
}

module_init(dmatest_init);
module_exit(dmatest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("libiommufd's emulated VFIO test device with a DMA engine");
