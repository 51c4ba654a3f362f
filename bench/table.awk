# bench/run's table: reads the guest's output (bench/run --in-vm) and prints
# one row per measured thing.  accel: the VM's accelerator (tcg or kvm).
function num(s) { return s == "" ? "-" : s }

/^kernel: / { kernel = $2; cpus = $3 }
# libiommufd-ops-bench rows: key, SDK ns/op, raw ns/op, ratio, each run.
$1 ~ /^[a-z0-9-]+$/ && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ && $5 == "sdk" {
	order[++n] = $1; sdk[$1] = $2; raw[$1] = $3; ratio[$1] = $4
}
/^sys / { sys_sdk[$2] = $3; sys_raw[$2] = $4; once_sdk[$2] = $5; once_raw[$2] = $6 }
# libiommufd-fault-bench, live scenario: faults/s at a fixed column.
/^fault: live +raw / { fraw = substr($0, 8 + 61, 9) + 0 }
/^fault: live +ring / { fring = substr($0, 8 + 61, 9) + 0 }
# Its syscall table: handler total, plus the trigger ioctl (last column).
/^fault: (raw|ring) +[0-9.]+ / && $NF ~ /^[0-9.]+$/ { fsys[$2] = sprintf("%.2f", $3 + $NF) }
# Binding overhead: "<lang>: <call> <ns> ns/op".
/ ns\/op$/ && /^(c|python|python-lowlevel|go): / {
	l = $1; sub(":", "", l); bns[l, $2] = $3; if (l != "c") blang[l] = 1
}
END {
	printf "libiommufd bench: Linux %s, %s vCPUs (%s), every figure from this one VM run\n",
	       kernel, cpus, accel
	printf "%-30s %11s %11s %8s %9s %9s %6s %6s\n", "operation", "SDK ns/op", "raw ns/op",
	       "SDK/raw", "sys SDK", "sys raw", "once", "once"
	printf "%-30s %11s %11s %8s %9s %9s %6s %6s\n", "", "", "", "", "per op", "per op",
	       "SDK", "raw"
	for (i = 1; i <= n; i++) {
		k = order[i]
		printf "%-30s %11d %11d %8.2f %9s %9s %6s %6s\n", k, sdk[k], raw[k], ratio[k],
		       num(sys_sdk[k]), num(sys_raw[k]), num(once_sdk[k]), num(once_raw[k])
	}
	if (fraw && fring)
		printf "%-30s %11d %11d %8.2f %9s %9s %6s %6s\n", "fault-ring-live",
		       1e9 / fring, 1e9 / fraw, fraw / fring, num(fsys["ring"]), num(fsys["raw"]),
		       "-", "-"
	split("iova_ranges alloc_destroy", calls, " ")
	split("python python-lowlevel go", langs, " ")
	printf "%-30s %11s %11s %8s\n", "binding: call", "lang ns/op", "C ns/op", "lang/C"
	for (j = 1; j <= 2; j++)
		for (i = 1; i <= 3; i++) {
			l = langs[i]; c = calls[j]
			if (!((l, c) in bns) || !(("c", c) in bns))
				continue
			printf "%-30s %11d %11d %8.2f\n", l ": " c, bns[l, c], bns["c", c],
			       bns[l, c] / bns["c", c]
		}
}
