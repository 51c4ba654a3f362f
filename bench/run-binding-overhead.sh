#!/bin/bash
# Usage: bench/run-binding-overhead.sh [build-dir [kernel [count]]]
# build-dir defaults to ./build, kernel to latest, count to 100000.
# Boots the test VM once and times one cheap call -- iommufd_ioas_iova_ranges
# on an empty IOAS, and IOAS alloc + destroy (count / 5 of those) -- from C
# (bench/binding-overhead/overhead.c), from Python (overhead.py: the package's
# idiomatic call and the raw SWIG call) and, when the build has the Go
# binding's test binary, from Go (its BenchmarkIOVARanges and
# BenchmarkIOASAllocDestroy); best of 5 runs each.  Prints ns per call and
# the ratio of each binding to C.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# Inside the guest: every measurement, one "<lang>: <call> <ns> ns/op" line each.
inner() {
	local build=$1 count=$2 py=$3 gobin
	"$build/bench/binding-overhead/libiommufd-binding-overhead" --count "$count"
	if [[ -n $py && -d $build/bindings/python/pkg ]]; then
		PYTHONPATH=$build/bindings/python/pkg PYTHONDONTWRITEBYTECODE=1 \
			"$py" "$here/binding-overhead/overhead.py" --count "$count"
	fi
	gobin=$build/bindings/go/tests/iommufd.test
	if [[ -x $gobin ]]; then
		# Go's own loop; -test.count 5 runs, the best kept.
		{ "$gobin" -test.run '^$' -test.bench '^BenchmarkIOVARanges$' \
			-test.benchtime "${count}x" -test.count 5
		  "$gobin" -test.run '^$' -test.bench '^BenchmarkIOASAllocDestroy$' \
			-test.benchtime "$((count / 5))x" -test.count 5; } |
			awk '/^BenchmarkIOVARanges-/ { r = (r == "" || $3 < r) ? $3 : r }
			     /^BenchmarkIOASAllocDestroy-/ { a = (a == "" || $3 < a) ? $3 : a }
			     END { if (r != "") print "go: iova_ranges " r " ns/op"
				   if (a != "") print "go: alloc_destroy " a " ns/op" }'
	fi
}

if [[ ${1:-} == --inner ]]; then
	shift
	inner "$@"
	exit
fi

build=$(cd "${1:-build}" && pwd)
kernel=${2:-latest}
count=${3:-100000}
[[ -x $build/bench/binding-overhead/libiommufd-binding-overhead ]] ||
	{ echo "build $build first (no libiommufd-binding-overhead)" >&2; exit 1; }
py=$(sed -n 's/^Python3_EXECUTABLE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
[[ -d $build/bindings/python/pkg ]] || echo "no Python binding in $build: C and Go only" >&2
[[ -x $build/bindings/go/tests/iommufd.test ]] || echo "no Go binding in $build: C and Python only" >&2

out=$("$here/../tests/vm/run" "$kernel" --timeout 1800 -- \
	sh -c 'echo "kernel: $(uname -r)"; "$0" --inner "$1" "$2" "$3"' \
	"$here/run-binding-overhead.sh" "$build" "$count" "$py")
echo "$out" | grep -E '^(kernel|c|go|python|python-lowlevel): '
echo
echo "$out" | awk '
/^kernel: / { kernel = $2 }
/ ns\/op$/ { sub(":", "", $1); ns[$1, $2] = $3; langs[$1] = 1; calls[$2] = 1 }
END {
	printf "binding overhead on Linux %s: ns per call (best of 5) and ratio to C\n", kernel
	printf "%-16s %8s", "call", "C"
	n = split("python python-lowlevel go", order, " ")
	for (i = 1; i <= n; i++) if (order[i] in langs) printf " %16s %7s", order[i], "x C"
	printf "\n"
	split("iova_ranges alloc_destroy", cs, " ")
	for (j = 1; j <= 2; j++) {
		c = cs[j]
		if (!(("c", c) in ns)) continue
		printf "%-16s %8d", c, ns["c", c]
		for (i = 1; i <= n; i++) {
			if (!(order[i] in langs)) continue
			if ((order[i], c) in ns)
				printf " %16d %6.2fx", ns[order[i], c], ns[order[i], c] / ns["c", c]
			else
				printf " %16s %7s", "-", "-"
		}
		printf "\n"
	}
}'
