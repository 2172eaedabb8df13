# ratios.awk: the ratios of RESULTS.md from the output of
#   go test -run '^$' -bench . -benchmem -count N
# For each case: the median ns/op over the N runs, the ratio of medians
# (case ÷ clerkguard-chi of the same benchmark) and the range of that ratio
# over the N runs paired by run (run i of a case against run i of
# clerkguard-chi; sub-benchmarks of one run execute one after another).
#
#	awk -f ratios.awk /tmp/bench.txt
/^Benchmark[^ \t]*\/[^ \t]*[ \t]/ {
	name = $1
	sub(/-[0-9]+$/, "", name)
	sub(/^Benchmark/, "", name)
	n[name]++
	ns[name, n[name]] = $3 + 0
}

function median(name,   a, k, i, j, t) {
	k = n[name]
	for (i = 1; i <= k; i++) a[i] = ns[name, i]
	for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}

END {
	printf "%-34s %13s %10s %17s\n", "case", "median ns/op", "÷ cg-chi", "per-run range"
	for (name in n) {
		split(name, part, "/")
		ref = part[1] "/clerkguard-chi"
		if (!(ref in n)) continue
		lo = 1e18; hi = 0
		for (i = 1; i <= n[name] && i <= n[ref]; i++) {
			r = ns[name, i] / ns[ref, i]
			if (r < lo) lo = r
			if (r > hi) hi = r
		}
		printf "%-34s %13.1f %10.2f %8.2f – %6.2f\n", name, median(name), median(name) / median(ref), lo, hi | "sort"
	}
}
