/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The devices iommufd-info shows: VFIO cdevs named on the command line
 * (path or PCI address) or found under /dev/vfio/devices, and the
 * selftest's mock device.  Each is bound to the host's context, its HW
 * info read and every feature probed; the device is closed (the mock
 * destroyed) before the next one.  A device shows once however it was
 * named.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "info.h"

#define VFIO_CDEV_DIR "/dev/vfio/devices"

static void set_error(struct info_device *d, const char *stage, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set_error(struct info_device *d, const char *stage, int err, const char *fmt, ...)
{
	va_list ap;

	if (d->error.stage)
		return; /* the first failure is the one that explains */
	d->error.stage = stage;
	d->error.err = err;
	va_start(ap, fmt);
	vsnprintf(d->error.message, sizeof(d->error.message), fmt, ap);
	va_end(ap);
}

static struct info_device *new_device(struct info_devices *ds, enum info_source source,
				      const char *name)
{
	if (ds->nr == ds->cap) {
		size_t cap = ds->cap ? ds->cap * 2 : 4;
		struct info_device *list = realloc(ds->list, cap * sizeof(*list));

		if (!list)
			return NULL;
		ds->list = list;
		ds->cap = cap;
	}
	struct info_device *d = &ds->list[ds->nr++];

	memset(d, 0, sizeof(*d));
	d->source = source;
	snprintf(d->name, sizeof(d->name), "%s", name);
	return d;
}

/* Is the cdev @rdev already shown (other than by @self)? */
static bool already_shown(const struct info_devices *ds, dev_t rdev,
			  const struct info_device *self)
{
	for (size_t i = 0; i < ds->nr; i++)
		if (&ds->list[i] != self && ds->list[i].rdev == rdev && rdev)
			return true;
	return false;
}

/* HW info and every feature of bound device @d. */
static void inspect(struct iommufd_ctx *ctx, struct info_device *d)
{
	int rc = iommufd_get_hw_info(ctx, d->dev_id, &d->hw_info);

	if (rc)
		set_error(d, "hw_info", -rc, "%s", iommufd_ctx_last_error(ctx));
	d->has_hw_info = rc == 0;
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
		struct info_feature *feat = &d->features[f];

		feat->feature = f;
		rc = iommufd_probe_device_feature(ctx, d->dev_id, f, &feat->status);
		if (rc) {
			snprintf(feat->error, sizeof(feat->error), "%s",
				 iommufd_ctx_last_error(ctx));
			set_error(d, "feature", -rc, "%s: %s", iommufd_feature_name(f), feat->error);
			continue;
		}
		feat->probed = true;
	}
	d->features_probed = true;
}

static bool no_context(const struct info_host *h, struct info_device *d)
{
	if (h->ctx)
		return false;
	set_error(d, "iommufd", h->open_errno, "no iommufd to bind it to: %s", h->open_error);
	return true;
}

/* Open, bind and inspect the cdev named by @d->name (a path when it has a
 * slash, else a PCI address).  Returns false when it was already shown. */
static bool show_cdev(struct info_devices *ds, struct info_host *h, struct info_device *d)
{
	const bool is_path = strchr(d->name, '/') != NULL;
	struct iommufd_device *dev = NULL;
	int rc;

	struct stat st;

	if (is_path) {
		snprintf(d->path, sizeof(d->path), "%s", d->name);
		/* Known before opening, so that a device that fails to open
		 * is not tried again by the scan. */
		if (stat(d->name, &st) == 0 && S_ISCHR(st.st_mode))
			d->rdev = st.st_rdev;
		if (already_shown(ds, d->rdev, d))
			return false;
	}
	if (no_context(h, d))
		return true;
	rc = is_path ? iommufd_device_open(d->name, &dev) : iommufd_device_open_pci(d->name, &dev);
	if (rc) {
		set_error(d, "open", -rc, "%s", iommufd_ctx_last_error(NULL));
		return true;
	}
	info_cdev_describe(iommufd_device_fd(dev), d);
	if (already_shown(ds, d->rdev, d)) {
		iommufd_device_close(dev);
		return false;
	}
	rc = iommufd_device_bind(dev, h->ctx, NULL, &d->dev_id);
	if (rc)
		set_error(d, "bind", -rc, "%s", iommufd_ctx_last_error(h->ctx));
	else
		inspect(h->ctx, d);
	iommufd_device_close(dev);
	return true;
}

static int add_cdev(struct info_devices *ds, struct info_host *h, enum info_source source,
		    const char *name)
{
	struct info_device *d = new_device(ds, source, name);

	if (!d)
		return -ENOMEM;
	if (!show_cdev(ds, h, d))
		ds->nr--; /* the same device again: shown once */
	return 0;
}

int info_add_named_device(struct info_devices *ds, struct info_host *h, const char *name)
{
	return add_cdev(ds, h, INFO_FROM_ARGUMENT, name);
}

static int not_dot(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

int info_add_scanned_devices(struct info_devices *ds, struct info_host *h)
{
	struct dirent **names;
	int n = scandir(VFIO_CDEV_DIR, &names, not_dot, versionsort);
	int rc = 0;

	if (n < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			fprintf(stderr, "iommufd-info: cannot list %s: %s\n", VFIO_CDEV_DIR,
				strerror(errno));
		return 0; /* no VFIO cdevs here: nothing to show */
	}
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX];
		struct stat st;

		snprintf(path, sizeof(path), VFIO_CDEV_DIR "/%s", names[i]->d_name);
		/* Named on the command line too: shown once, from there. */
		if (!rc && !(stat(path, &st) == 0 && already_shown(ds, st.st_rdev, NULL)))
			rc = add_cdev(ds, h, INFO_FROM_SCAN, path);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Create the mock device: 0, or 1 when it could not be (recorded in @d). */
static int make_mock(struct iommufd_ctx *ctx, uint32_t flags, struct info_device *d,
		     uint32_t *ioas, uint32_t *stdev)
{
	if (iommufd_test_op_supported(ctx, IOMMUFD_TEST_OP_MOCK_DOMAIN) != 1) {
		set_error(d, "mock", EOPNOTSUPP, "this kernel has no iommufd selftest mock "
			  "(CONFIG_IOMMUFD_TEST)");
		return 1;
	}
	if ((flags & IOMMUFD_TEST_DEVICE_PASID) &&
	    iommufd_test_op_supported(ctx, IOMMUFD_TEST_OP_PASID_ATTACH) != 1) {
		set_error(d, "mock", EOPNOTSUPP, "this kernel's mock has no PASID-capable "
			  "devices (Linux 6.15 or newer)");
		return 1;
	}
	int rc = iommufd_ioas_alloc(ctx, ioas);

	if (!rc)
		rc = iommufd_test_mock_domain(ctx, *ioas, flags, stdev, NULL, &d->dev_id);
	if (rc) {
		set_error(d, "mock", -rc, "%s", iommufd_ctx_last_error(ctx));
		return 1;
	}
	return 0;
}

int info_add_mock_device(struct info_devices *ds, struct info_host *h, const char *kind,
			 uint32_t flags)
{
	struct info_device *d = new_device(ds, INFO_FROM_MOCK, kind);
	uint32_t ioas = 0, stdev = 0;

	if (!d)
		return -ENOMEM;
	if (no_context(h, d))
		return 0;
	if (make_mock(h->ctx, flags, d, &ioas, &stdev) == 0)
		inspect(h->ctx, d);
	if (stdev)
		iommufd_destroy(h->ctx, stdev);
	if (ioas)
		iommufd_destroy(h->ctx, ioas);
	return 0;
}

void info_devices_release(struct info_devices *ds)
{
	free(ds->list);
	*ds = (struct info_devices){ 0 };
}
