# benchtable.awk prints the median of every metric of `go test -bench` output, one row per
# benchmark: make bench-intent's table. Works with mawk (no asort).
/^Benchmark/ && $2 ~ /^[0-9]+$/ {
	name = $1
	sub(/-[0-9]+$/, "", name)
	if (!(name in seen)) { seen[name] = 1; order[++nnames] = name }
	for (i = 3; i < NF; i += 2) {
		unit = $(i + 1)
		key = name SUBSEP unit
		if (!(key in count)) { units[name] = units[name] SUBSEP unit }
		vals[key, ++count[key]] = $i
	}
}
function median(key,   n, i, j, t, a) {
	n = count[key]
	for (i = 1; i <= n; i++) a[i] = vals[key, i] + 0
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
END {
	printf "%-40s  %s\n", "benchmark (median of runs)", "figures"
	for (k = 1; k <= nnames; k++) {
		name = order[k]
		line = ""
		nu = split(substr(units[name], 2), us, SUBSEP)
		for (u = 1; u <= nu; u++) {
			v = median(name SUBSEP us[u])
			if (us[u] == "ns/op" && v >= 1e9) line = line sprintf("  %.1f s/op", v / 1e9)
			else if (us[u] == "ns/op" && v >= 1000) line = line sprintf("  %.1f us/op", v / 1000)
			else line = line sprintf("  %.6g %s", v, us[u])
		}
		printf "%-40s%s\n", name, line
	}
}
