/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * iommufd-info: for the host, the kernel release and every iommufd command
 * and field with whether this kernel knows it and the release it needs,
 * and the host features; for each device (named, found under
 * /dev/vfio/devices, or the selftest's mock with --mock) its IOMMU's HW
 * info and every feature of the probe with its reason.  Text for people,
 * --json for programs (schema: iommufd-info.schema.json).  See
 * tools/README.md for the options, the JSON contract and the exit codes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "info.h"

static int collect_devices(const struct info_args *a, struct info_host *h,
			   struct info_devices *ds)
{
	int rc = 0;

	for (int i = 0; i < a->nr_devices && !rc; i++)
		rc = info_add_named_device(ds, h, a->devices[i]);
	if (!rc && (a->all_devices || a->nr_devices == 0))
		rc = info_add_scanned_devices(ds, h);
	if (!rc && a->mock)
		rc = info_add_mock_device(ds, h, a->mock, a->mock_flags);
	return rc;
}

/* The documented exit code of what was found; the smallest that applies. */
static int exit_code(const struct info_host *h, const struct info_devices *ds)
{
	int code = INFO_EXIT_OK;

	if (!h->ctx)
		return INFO_EXIT_NO_IOMMUFD;
	for (size_t i = 0; i < ds->nr; i++) {
		const struct info_device *d = &ds->list[i];

		if (!d->error.stage)
			continue;
		if (!strcmp(d->error.stage, "mock")) {
			if (code == INFO_EXIT_OK)
				code = INFO_EXIT_MOCK;
		} else {
			code = INFO_EXIT_DEVICE;
		}
	}
	return code;
}

int main(int argc, char **argv)
{
	struct info_host host;
	struct info_devices devices = { 0 };
	struct info_args args;
	int code;

	switch (info_parse_args(argc, argv, &args)) {
	case INFO_ARGS_DONE:
		return fflush(stdout) ? INFO_EXIT_INTERNAL : INFO_EXIT_OK;
	case INFO_ARGS_BAD:
		return INFO_EXIT_USAGE;
	case INFO_ARGS_RUN:
		break;
	}
	if (info_host_collect(&host, args.iommu_path) ||
	    collect_devices(&args, &host, &devices)) {
		fprintf(stderr, "iommufd-info: %s\n", strerror(ENOMEM));
		code = INFO_EXIT_INTERNAL;
		goto out;
	}
	code = exit_code(&host, &devices);
	if (args.json ? info_print_json(stdout, &host, &devices, code)
		      : info_print_text(stdout, &host, &devices)) {
		fprintf(stderr, "iommufd-info: the output could not be written\n");
		code = INFO_EXIT_INTERNAL;
	}
	/* The reason for a non-zero exit, for whoever reads only stderr. */
	if (code == INFO_EXIT_NO_IOMMUFD)
		fprintf(stderr, "iommufd-info: %s: %s\n", host.iommu_path, host.open_error);
out:
	info_devices_release(&devices);
	info_host_release(&host);
	return code;
}
