/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * iommufd-info: the iommufd command table libiommufd negotiates with, and,
 * where /dev/iommu can be opened, what the running kernel knows of it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libiommufd/libiommufd.h>

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

int main(int argc, char **argv)
{
	struct iommufd_ctx *ctx = NULL;
	const char *path = argc > 1 ? argv[1] : NULL;
	IOMMUFD_OPTS(iommufd_ctx_opts, opts, .path = path);
	int rc = iommufd_ctx_open(&opts, &ctx);

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
	iommufd_ctx_close(ctx);
	return 0;
}
