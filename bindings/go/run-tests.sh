#!/bin/sh
# Runs the Go binding's compiled test binaries (go test -c, built on the
# host by CMake) -- on the host, or inside the test VM, which shares the
# host's root filesystem -- and ends with one line for scripts/check:
#   "[kernel X.Y.Z] libiommufd go suite: N tests, N passed, N skipped, N failed"
# ("[host]" where there is no /dev/iommu).  Top-level tests and examples
# are counted.  Exit status: non-zero when a test failed or a binary did
# not finish.
#
#   run-tests.sh <dir with *.test> [go test flags, e.g. -test.run Fault]
set -u
dir=$1
shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
for bin in "$dir"/*.test; do
	echo "== ${bin##*/}"
	"$bin" -test.v -test.count 1 -test.timeout 600s "$@" >"$log" 2>&1 || status=1
	# The verbose log without the === lines, which say nothing the
	# --- lines do not.
	grep -v '^=== ' "$log"
	cat "$log" >>"$log.all"
done
count() { grep -c "^--- $1: " "$log.all" 2>/dev/null || true; }
passed=$(count PASS)
skipped=$(count SKIP)
failed=$(count FAIL)
rm -f "$log.all"
if [ -e /dev/iommu ]; then
	where="kernel $(uname -r)"
else
	where=host
fi
echo "[$where] libiommufd go suite: $((passed + skipped + failed)) tests, $passed passed," \
	"$skipped skipped, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
