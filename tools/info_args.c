/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* iommufd-info's command line. */
#include <getopt.h>
#include <string.h>

#include "info.h"

static const char usage[] =
	"usage: iommufd-info [--json] [--mock[=plain|no-dirty|pasid]] [--all-devices]\n"
	"                    [--iommu PATH] [DEVICE...]\n"
	"       iommufd-info --help | --version\n"
	"\n"
	"Shows the running kernel, every iommufd command and field with whether this\n"
	"kernel knows it and the Linux release it needs, the host's features, and for\n"
	"each device its IOMMU's HW info and every feature of the probe with its reason.\n"
	"\n"
	"  DEVICE          a VFIO cdev (/dev/vfio/devices/vfioN) or a PCI address\n"
	"                  (0000:00:03.0, or 00:03.0); with none given, every cdev\n"
	"                  under /dev/vfio/devices is shown\n"
	"  --all-devices   show every cdev under /dev/vfio/devices as well as those given\n"
	"  --mock[=KIND]   also create a mock device of the kernel's iommufd selftest\n"
	"                  (CONFIG_IOMMUFD_TEST); KIND plain (default), no-dirty, pasid\n"
	"  --json          one JSON document on stdout (schema: iommufd-info.schema.json)\n"
	"  --iommu PATH    the iommufd node (default /dev/iommu)\n"
	"  --help          this text;  --version  the tool's and library's version\n"
	"\n"
	"Exit status: 0 all shown; 1 usage error; 2 /dev/iommu absent or not openable;\n"
	"3 a device could not be opened, bound or probed; 4 --mock without the selftest\n"
	"mock (or the mock device could not be made); 5 internal error (output not\n"
	"written, out of memory).  When several apply, the smallest wins.\n";

static bool parse_mock(const char *kind, struct info_args *a)
{
	static const struct {
		const char *arg, *name;
		uint32_t flags;
	} kinds[] = {
		{ "plain", "mock", 0 },
		{ "no-dirty", "mock:no-dirty", IOMMUFD_TEST_DEVICE_NO_DIRTY },
		{ "pasid", "mock:pasid", IOMMUFD_TEST_DEVICE_PASID },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind ? kind : "plain", kinds[i].arg)) {
			a->mock = kinds[i].name;
			a->mock_flags = kinds[i].flags;
			return true;
		}
	fprintf(stderr, "iommufd-info: unknown mock kind '%s' (plain, no-dirty, pasid)\n", kind);
	return false;
}

enum info_args_result info_parse_args(int argc, char **argv, struct info_args *a)
{
	enum { OPT_MOCK = 256, OPT_ALL, OPT_IOMMU };
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "mock", optional_argument, NULL, OPT_MOCK },
		{ "all-devices", no_argument, NULL, OPT_ALL },
		{ "iommu", required_argument, NULL, OPT_IOMMU },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	int c;

	*a = (struct info_args){ 0 };
	opterr = 0; /* our own messages */
	while ((c = getopt_long(argc, argv, "jhV", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			a->json = true;
			break;
		case OPT_MOCK:
			if (!parse_mock(optarg, a))
				goto bad;
			break;
		case OPT_ALL:
			a->all_devices = true;
			break;
		case OPT_IOMMU:
			a->iommu_path = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return INFO_ARGS_DONE;
		case 'V':
			printf("iommufd-info %s (libiommufd %s), JSON schema_version %d\n",
			       IOMMUFD_INFO_VERSION, iommufd_version_string(), INFO_SCHEMA_VERSION);
			return INFO_ARGS_DONE;
		default:
			if (optopt >= 256 || optopt == 0)
				fprintf(stderr, "iommufd-info: unknown option or missing value: %s\n",
					argv[optind - 1]);
			else
				fprintf(stderr, "iommufd-info: unknown option -%c\n", optopt);
			goto bad;
		}
	}
	a->nr_devices = argc - optind;
	a->devices = argv + optind;
	for (int i = 0; i < a->nr_devices; i++)
		if (!a->devices[i][0]) {
			fprintf(stderr, "iommufd-info: an empty DEVICE argument\n");
			goto bad;
		}
	return INFO_ARGS_RUN;
bad:
	fputs(usage, stderr);
	return INFO_ARGS_BAD;
}
