#!/bin/bash
# Usage: bench/run-fault-bench.sh [build-dir [count [cpus]]]
# build-dir defaults to ./build, count to 20000, cpus (the guest's) to 2.
# Boots the test VM (tests/vm/run latest) and runs the fault benchmark in it:
#  1. libiommufd-fault-bench: page requests handled per second, raw
#     poll/read/write loop versus the SDK ring, five runs each, alternating,
#     and the ratio of the medians: "live" end to end (trigger -> read ->
#     respond, the producer running alongside) and "backlog" (all raised
#     first, the handler timed alone);
#  2. syscalls per page request of each handler (live), counted with
#     strace -f -c (every thread of the process): a run of <count> requests
#     minus a run of 0 (the same setup, thread starts and teardown, no
#     request), so what remains is what the requests cost.  The trigger
#     ioctls (the mock's IOMMU_TEST_CMD, one per request, from the producer
#     thread) are shown apart and left out of the total; syscalls under
#     0.005 per request are summed as "other".
set -euo pipefail

inner() {
	local bin=$1 count=$2 tmp mode n
	"$bin" --count "$count"
	echo
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	for mode in raw ring; do
		for n in 0 "$count"; do
			strace -f -c -o "$tmp/$mode.$n" \
				"$bin" --mode "$mode" --scenario live --count "$n" --reps 1 \
				>/dev/null
		done
	done
	awk -v N="$count" -f - "$tmp"/raw.0 "$tmp/raw.$count" "$tmp"/ring.0 \
		"$tmp/ring.$count" <<'AWK'
FNR == 1 { n = split(FILENAME, p, "/"); split(p[n], t, "."); mode = t[1]; run = t[2] != "0" }
/^%/ || /^-/ || NF < 5 || $NF == "total" { next }
{
	d = run ? $4 : -$4
	calls[mode, $NF] += d
	modes[mode] = 1
	if ($NF != "ioctl") { total[mode] += d; names[$NF] = 1 }
}
END {
	ncol = 0
	for (s in names) {
		big = 0
		for (k in modes)
			if (calls[k, s] >= N / 200 || -calls[k, s] >= N / 200)
				big = 1
		if (big)
			col[++ncol] = s
		else
			for (k in modes)
				other[k] += calls[k, s]
	}
	for (i = 2; i <= ncol; i++) # insertion sort by name
		for (j = i; j > 1 && col[j - 1] > col[j]; j--) {
			x = col[j]; col[j] = col[j - 1]; col[j - 1] = x
		}
	printf "syscalls per page request, strace -f -c (all threads), "
	printf "a run of %d minus a run of 0;\n", N
	printf "trigger ioctls (IOMMU_TEST_CMD, the producer's) apart, not in the total:\n"
	printf "%-5s %9s", "mode", "total"
	for (i = 1; i <= ncol; i++) printf " %10s", col[i]
	printf " %10s | %14s\n", "other", "trigger ioctl"
	split("raw ring", m, " ")
	for (k = 1; k <= 2; k++) {
		printf "%-5s %9.2f", m[k], total[m[k]] / N
		for (i = 1; i <= ncol; i++) printf " %10.2f", calls[m[k], col[i]] / N
		printf " %10.2f | %14.2f\n", other[m[k]] / N, calls[m[k], "ioctl"] / N
	}
	printf "(for %d requests: raw %d, ring %d syscalls besides the triggers.\n", N,
		total["raw"], total["ring"]
	printf " Under strace the threads run slower: batches, and so the counts, are those\n"
	printf " of a traced run.)\n"
}
AWK
}

if [[ ${1:-} == --in-vm ]]; then
	inner "$2" "$3"
	exit
fi

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
count=${2:-20000}
cpus=${3:-2}
bin=$build/bench/libiommufd-fault-bench
[[ -x $bin ]] || { echo "run-fault-bench: no $bin (build it: ninja -C $build)" >&2; exit 1; }
exec "$root/tests/vm/run" latest --cpus "$cpus" --timeout 1800 -- \
	bash "$root/bench/run-fault-bench.sh" --in-vm "$bin" "$count"
