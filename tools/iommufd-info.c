/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * iommufd-info: the iommufd command table libiommufd negotiates with, and,
 * where /dev/iommu can be opened, what the running kernel knows of it.
 * With --mock, and a kernel that has the selftest mock, also a mock
 * device's HW info and every device feature with its reason.
 *
 * usage: iommufd-info [--mock[=plain|no-dirty|pasid]] [/dev/iommu path]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libiommufd/libiommufd.h>
#include <libiommufd/testing.h>

static const char *release_str(uint32_t rel, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u", IOMMUFD_KVER_MAJOR(rel), IOMMUFD_KVER_MINOR(rel));
	return buf;
}

static const char *support_str(struct iommufd_ctx *ctx, int known)
{
	if (!ctx)
		return "";
	if (known < 0)
		return "probe failed";
	return known ? "yes" : "no";
}

static void print_cmd(struct iommufd_ctx *ctx, uint32_t nr)
{
	struct iommufd_cmd_desc cmd;
	char rel[16];

	iommufd_cmd_get(nr, &cmd);
	printf("0x%02x %-30s Linux %-5s first size %2u, size %2u %s%s\n", cmd.nr, cmd.name,
	       release_str(cmd.release, rel, sizeof(rel)), cmd.first_size, cmd.size,
	       ctx ? " kernel: " : "", support_str(ctx, ctx ? iommufd_probe_cmd(ctx, nr) : 0));
	for (uint32_t i = 0; i < cmd.nr_fields; i++) {
		struct iommufd_field_desc f;

		iommufd_cmd_field(nr, i, &f);
		if (f.dir == IOMMUFD_FIELD_RESERVED || !strcmp(f.name, "size"))
			continue;
		printf("       %-22s @%-2u %u bytes  Linux %-5s%s%s%s\n", f.name, f.offset, f.size,
		       release_str(f.release, rel, sizeof(rel)), f.carved ? " (carved)" : "",
		       ctx ? " kernel: " : "",
		       support_str(ctx, ctx ? iommufd_probe_field(ctx, nr, i) : 0));
	}
}

static void print_host_features(struct iommufd_ctx *ctx)
{
	printf("host features:\n");
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
		struct iommufd_feature_status st;

		if (iommufd_probe_host_feature(ctx, f, &st)) {
			printf("  %-18s probe failed: %s\n", iommufd_feature_name(f),
			       iommufd_ctx_last_error(ctx));
			continue;
		}
		printf("  %-18s %-3s %s\n", iommufd_feature_name(f), st.supported ? "yes" : "no",
		       st.reason);
	}
}

static const char *hw_info_type_str(uint32_t type)
{
	switch (type) {
	case IOMMUFD_HW_INFO_NONE:
		return "NONE";
	case IOMMUFD_HW_INFO_INTEL_VTD:
		return "INTEL_VTD";
	case IOMMUFD_HW_INFO_ARM_SMMUV3:
		return "ARM_SMMUV3";
	case IOMMUFD_HW_INFO_TEGRA241_CMDQV:
		return "TEGRA241_CMDQV";
	case IOMMUFD_HW_INFO_AMD:
		return "AMD";
	case IOMMUFD_HW_INFO_SELFTEST:
		return "SELFTEST";
	}
	return "?";
}

static void print_caps(uint64_t caps)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} names[] = {
		{ IOMMUFD_HW_CAP_DIRTY_TRACKING, "DIRTY_TRACKING" },
		{ IOMMUFD_HW_CAP_PCI_PASID_EXEC, "PCI_PASID_EXEC" },
		{ IOMMUFD_HW_CAP_PCI_PASID_PRIV, "PCI_PASID_PRIV" },
		{ IOMMUFD_HW_CAP_PCI_ATS_NOT_SUPPORTED, "PCI_ATS_NOT_SUPPORTED" },
	};
	const char *sep = "";

	printf("0x%" PRIx64 " (", caps);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (caps & names[i].bit) {
			printf("%s%s", sep, names[i].name);
			sep = ", ";
		}
	printf("%s)", *sep ? "" : "none");
}

static void print_hw_info(struct iommufd_ctx *ctx, uint32_t dev_id)
{
	struct iommufd_hw_info info;

	if (iommufd_get_hw_info(ctx, dev_id, &info)) {
		printf("  hw info: %s\n", iommufd_ctx_last_error(ctx));
		return;
	}
	printf("  hw info: type %s (0x%" PRIx32 "), %" PRIu32 " bytes of vendor data",
	       hw_info_type_str(info.type), info.type, info.data_len);
	if (info.type == IOMMUFD_HW_INFO_SELFTEST)
		printf(", test_reg 0x%" PRIx32, info.selftest.test_reg);
	printf("\n  capabilities: ");
	if (info.capabilities_known)
		print_caps(info.capabilities);
	else
		printf("unknown (the kernel predates the field)");
	printf("\n  PASID width: ");
	if (info.max_pasid_log2_known)
		printf("%" PRIu32 "%s\n", info.max_pasid_log2, info.max_pasid_log2 ? "" : " (none)");
	else
		printf("unknown (the kernel predates the field)\n");
}

static void print_device_features(struct iommufd_ctx *ctx, uint32_t dev_id)
{
	printf("  device features:\n");
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
		struct iommufd_feature_status st;

		if (iommufd_probe_device_feature(ctx, dev_id, f, &st)) {
			printf("    %-18s probe failed: %s\n", iommufd_feature_name(f),
			       iommufd_ctx_last_error(ctx));
			continue;
		}
		printf("    %-18s %-3s %s\n", iommufd_feature_name(f), st.supported ? "yes" : "no",
		       st.reason);
	}
}

/* A mock device of the selftest (@flags), its HW info and features. */
static int show_mock(struct iommufd_ctx *ctx, const char *kind, uint32_t flags)
{
	uint32_t ioas, stdev, hwpt, dev_id;

	printf("mock device (%s):\n", kind);
	if (iommufd_test_op_supported(ctx, IOMMUFD_TEST_OP_MOCK_DOMAIN) != 1) {
		printf("  none: this kernel has no iommufd selftest mock (CONFIG_IOMMUFD_TEST)\n");
		return 1;
	}
	if ((flags & IOMMUFD_TEST_DEVICE_PASID) &&
	    iommufd_test_op_supported(ctx, IOMMUFD_TEST_OP_PASID_ATTACH) != 1) {
		printf("  none: this kernel's mock has no PASID-capable devices (Linux 6.15+)\n");
		return 1;
	}
	if (iommufd_ioas_alloc(ctx, &ioas) ||
	    iommufd_test_mock_domain(ctx, ioas, flags, &stdev, &hwpt, &dev_id)) {
		printf("  cannot create it: %s\n", iommufd_ctx_last_error(ctx));
		return 1;
	}
	printf("  dev_id %" PRIu32 ", attached to HWPT %" PRIu32 " of IOAS %" PRIu32 "\n", dev_id,
	       hwpt, ioas);
	print_hw_info(ctx, dev_id);
	print_device_features(ctx, dev_id);
	iommufd_destroy(ctx, stdev);
	iommufd_destroy(ctx, ioas);
	return 0;
}

struct args {
	const char *path;
	const char *mock; /* NULL: no mock device */
	uint32_t mock_flags;
};

static int parse_args(int argc, char **argv, struct args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--mock") || !strcmp(arg, "--mock=plain")) {
			a->mock = "plain";
			a->mock_flags = 0;
		} else if (!strcmp(arg, "--mock=no-dirty")) {
			a->mock = "NO_DIRTY";
			a->mock_flags = IOMMUFD_TEST_DEVICE_NO_DIRTY;
		} else if (!strcmp(arg, "--mock=pasid")) {
			a->mock = "PASID";
			a->mock_flags = IOMMUFD_TEST_DEVICE_PASID;
		} else if (arg[0] == '-' || a->path) {
			fprintf(stderr, "usage: %s [--mock[=plain|no-dirty|pasid]] [PATH]\n",
				argv[0]);
			return -1;
		} else {
			a->path = arg;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct iommufd_ctx *ctx = NULL;
	struct args a = { 0 };
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return 2;
	IOMMUFD_OPTS(iommufd_ctx_opts, opts, .path = a.path);
	rc = iommufd_ctx_open(&opts, &ctx);

	printf("libiommufd %s\n", iommufd_version_string());
	if (rc)
		printf("kernel: %s; showing the library's table only\n",
		       iommufd_ctx_last_error(NULL));
	else {
		char rel[16];
		int floor = iommufd_probe_release(ctx);

		if (floor > 0)
			printf("kernel: iommufd present; its ABI matches Linux %s or newer\n",
			       release_str((uint32_t)floor, rel, sizeof(rel)));
	}
	for (uint32_t nr = IOMMUFD_CMD_ID_FIRST; nr <= IOMMUFD_CMD_ID_LAST; nr++)
		print_cmd(ctx, nr);
	if (ctx)
		print_host_features(ctx);
	rc = 0;
	if (a.mock && ctx)
		rc = show_mock(ctx, a.mock, a.mock_flags);
	else if (a.mock)
		rc = printf("mock device (%s): no iommufd to create it in\n", a.mock) > 0;
	iommufd_ctx_close(ctx);
	return rc;
}
