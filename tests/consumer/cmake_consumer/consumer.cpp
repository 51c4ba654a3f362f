// A C++ program built against the installed libiommufd through find_package.
#include <cerrno>
#include <cstring>
#include <iostream>

#include <libiommufd/libiommufd.h>

int main()
{
	iommufd_ctx *ctx = nullptr;
	IOMMUFD_OPTS(iommufd_ctx_opts, opts, .path = "/nonexistent/iommu",
		     .log_level = IOMMUFD_LOG_OFF);
	int rc = iommufd_ctx_open(&opts, &ctx);

	if (rc != -ENOENT || ctx) {
		std::cerr << "open: rc " << rc << " " << iommufd_ctx_last_error(nullptr) << "\n";
		return 1;
	}
	int commands = 0;
	for (uint32_t nr = IOMMUFD_CMD_ID_FIRST; nr <= IOMMUFD_CMD_ID_LAST; nr++) {
		iommufd_cmd_desc cmd;
		if (iommufd_cmd_get(nr, &cmd) == 0)
			commands++;
	}
	if (commands != 21) {
		std::cerr << "expected 21 commands, got " << commands << "\n";
		return 1;
	}
	std::cout << "C++ consumer: libiommufd " << iommufd_version_string() << ", " << commands
		  << " commands\n";
	return 0;
}
