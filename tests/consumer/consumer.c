/* A program built against the installed libiommufd through pkg-config. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libiommufd/libiommufd.h>

int main(void)
{
	struct iommufd_ctx *ctx = NULL;
	struct iommufd_cmd_desc cmd;
	IOMMUFD_OPTS(iommufd_ctx_opts, opts, .path = "/nonexistent/iommu");
	int rc = iommufd_ctx_open(&opts, &ctx);

	if (rc != -ENOENT || ctx || !strstr(iommufd_ctx_last_error(NULL), "/nonexistent/iommu")) {
		fprintf(stderr, "open: rc %d, '%s'\n", rc, iommufd_ctx_last_error(NULL));
		return 1;
	}
	if (iommufd_cmd_get(IOMMUFD_CMD_ID_LAST, &cmd) || strcmp(cmd.name, "IOMMU_HW_QUEUE_ALLOC")) {
		fprintf(stderr, "command table lookup failed\n");
		return 1;
	}
	printf("C consumer: libiommufd %s, last command %s, open error: %s\n",
	       iommufd_version_string(), cmd.name, iommufd_ctx_last_error(NULL));
	return 0;
}
