#!/bin/sh
# Runs inside the test VM booted with QEMU's edu device behind QEMU's Intel
# IOMMU (see CMakeLists.txt): binds edu (1234:11e8) to vfio-pci through its
# driver_override, then runs the command given (the edu suite).
set -eu
dev=
for d in /sys/bus/pci/devices/*; do
	if [ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ]; then
		dev=$d
		break
	fi
done
if [ -z "$dev" ]; then
	echo "run-edu: no edu device (1234:11e8): boot with --qemu-opts '-device edu'" >&2
	exit 1
fi
bdf=${dev##*/}
if [ -e "$dev/driver" ]; then
	echo "$bdf" >"$dev/driver/unbind"
fi
echo vfio-pci >"$dev/driver_override"
echo "$bdf" >/sys/bus/pci/drivers_probe
driver=$(readlink "$dev/driver" || true)
if [ "${driver##*/}" != vfio-pci ]; then
	echo "run-edu: $bdf did not bind to vfio-pci (driver: ${driver:-none})" >&2
	exit 1
fi
echo "run-edu: $bdf bound to vfio-pci, cdev $(ls "$dev/vfio-dev" 2>/dev/null || echo missing)," \
	"IOMMU group $(basename "$(readlink "$dev/iommu_group")")"
exec "$@"
