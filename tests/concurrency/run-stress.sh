#!/bin/sh
# run-stress.sh [--canary <racy binary>] <test binary> [args...] -- run a
# test binary the way the tsan label needs, on the host or inside the test
# VM (tests/vm/run).
#
# ThreadSanitizer: every report is printed and the process exits 66 at the
# end (not at the first report, so every test runs and the summary line
# counts the tests that raced); TSAN_OPTIONS from the caller come last and
# win.  In a build without TSan the variable is ignored.
#
# --canary: first run a program with a deliberate race, which must exit 66
# with a report: proof that TSan works here before "no reports" counts.
#
# Address randomisation: GCC 12's TSan runtime expects the executable and
# libraries where its shadow layout puts them and dies with "unexpected
# memory mapping" when vm.mmap_rnd_bits is above 28 (newer runtimes re-exec
# themselves without ASLR; this one does not).  Every run is made without
# randomisation (setarch -R), whatever the host or guest kernel's setting.
set -u
usage() { echo "usage: $0 [--canary <binary>] <binary> [args...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
TSAN_OPTIONS="halt_on_error=0 exitcode=66 second_deadlock_stack=1${TSAN_OPTIONS:+ $TSAN_OPTIONS}"
export TSAN_OPTIONS
arch=$(uname -m)

if [ "$1" = --canary ]; then
	[ $# -ge 3 ] || usage
	out=$(setarch "$arch" -R "$2" 2>&1)
	rc=$?
	if [ $rc -ne 66 ] || ! printf '%s\n' "$out" | grep -q 'WARNING: ThreadSanitizer: data race'; then
		printf '%s\n' "$out" | tail -n 20
		echo "run-stress.sh: the TSan canary exited $rc without a data-race report:" \
			"ThreadSanitizer does not work here, a clean run would prove nothing" >&2
		exit 1
	fi
	echo "[ tsan     ] canary: its deliberate race was reported (exit 66): TSan works here"
	shift 2
fi
exec setarch "$arch" -R "$@"
