/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Print the library's command table, one record per line, for gen_checks.py
 * and for docs/gen/compat.py (the kernel compatibility table). */
#include <stdio.h>

#include <libiommufd/libiommufd.h>

int main(void)
{
	for (uint32_t nr = IOMMUFD_CMD_ID_FIRST; nr <= IOMMUFD_CMD_ID_LAST; nr++) {
		struct iommufd_cmd_desc c;

		if (iommufd_cmd_get(nr, &c))
			return 1;
		printf("cmd %u %s %u %u %u\n", c.nr, c.name, c.release, c.first_size, c.size);
		for (uint32_t i = 0; i < c.nr_fields; i++) {
			struct iommufd_field_desc f;

			if (iommufd_cmd_field(nr, i, &f))
				return 1;
			printf("field %s %s %u %u %u %u %u\n", c.name, f.name, f.offset, f.size,
			       f.release, f.carved, f.dir);
		}
	}
	return 0;
}
