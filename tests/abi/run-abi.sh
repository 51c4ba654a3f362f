#!/bin/bash
# Usage: run-abi.sh <latest|6.12> <build-dir>
# Compile libiommufd's own ABI definitions against the uapi headers installed
# by the test kernel (built and cached by tests/vm) and run every check.
set -euo pipefail
flavour=$1
build=$(realpath "$2")
here=$(dirname "$(realpath "$0")")
root=$(realpath "$here/../..")

kernel=$("$root/tests/vm/build-kernel" "$flavour" | tail -1)
src=$("$root/tests/vm/fetch-source" "$flavour" | tail -1)
headers=$kernel/headers/include
[[ -f $headers/linux/iommufd.h ]] || { echo "no installed headers in $headers" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -I"$root/include" -o "$work/dump_table" "$here/dump_table.c" "$build/src/libiommufd.a" -pthread
"$work/dump_table" | python3 "$here/gen_checks.py" "$src/drivers/iommu/iommufd/main.c" \
	>"$work/command_table_checks.c"
# -isystem puts the kernel's headers ahead of the host's /usr/include/linux.
cc -std=gnu11 -Wall -Wextra -Werror -isystem "$headers" -I"$here" -I"$root/src" \
	-I"$src/drivers/iommu/iommufd" -o "$work/abi_proof" "$here/abi_main.c" \
	"$here/abi_structs.c" "$here/abi_mock.c" "$work/command_table_checks.c"
"$work/abi_proof"

# The public headers must coexist with the kernel's in one translation unit.
printf '#include <linux/iommufd.h>\n#include <linux/vfio.h>\n#include <libiommufd/libiommufd.h>\nint main(void) { return (int)IOMMUFD_CMD_ID_FAULT_QUEUE_ALLOC != (int)IOMMUFD_CMD_FAULT_QUEUE_ALLOC; }\n' \
	>"$work/coexist.c"
cc -std=gnu11 -Wall -Wextra -Werror -isystem "$headers" -I"$root/include" -o "$work/coexist" "$work/coexist.c"
echo "public headers coexist with the kernel's <linux/iommufd.h> and <linux/vfio.h>"
