#!/bin/sh
# Description: result files from others are untrusted.  Runs whose every
# string field (machine, parameters, series names, labels, units, error
# text), file name and directory name carries shell, gnuplot and make code
# (backticks, $(...), quotes, ;, newlines, !, system(...), $(shell ...)),
# Markdown, HTML and terminal escapes go through every tool that reads
# result files: kvmbench-report (table, --data, --compare), scripts/plot,
# scripts/compare, scripts/gather, make plot, make compare.  No command ever runs from
# them; every tool succeeds and shows the text literally: escaped in
# Markdown (no extra column, no markup, no raw control character), as
# itself in the SVG charts; data files get safe names, and the .gp files
# kvmbench-report writes hold nothing but numbers and quoted literals.  A
# FIFO under a result's name is skipped, never waited on.
# Usage: hostile.sh HOSTILE KVMBENCH-REPORT SOURCE-ROOT REFERENCE-RUN
set -u
. "$(dirname "$0")/lib.sh"
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
hostile=$(abs "$1") report=$(abs "$2") top=$3 ref=$4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmbench-hostile.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

if ! command -v gnuplot >/dev/null 2>&1; then
	echo "SKIP: gnuplot is not installed (apt-get install gnuplot-nox)"
	exit 77
fi
# Every temporary directory, and so every gnuplot, works under $tmp.
export TMPDIR=$tmp KVMBENCH_REPORT=$report
mkdir "$tmp/cwd"
cd "$tmp/cwd" || exit 1

# pwned WHAT: no payload ran, in whatever working directory: ours, make's
# ($top) or gnuplot's (under $TMPDIR).
pwned() {
	found=$({ find "$tmp" -name 'PWNED*'; find "$top" -maxdepth 1 -name 'PWNED*'; } 2>/dev/null)
	if [ -n "$found" ]; then
		fail "$1 ran a command from a result file: $found"
		echo "$found" | while read -r f; do rm -f "$f"; done
	fi
}

# table FILE WHAT: a Markdown table that no field can change the shape of.
table() {
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1" ||
	   LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1"; then
		fail "$2: a raw control character reached the output"
	fi
	# Every row of a table has as many unescaped | as its header.
	awk -v what="$2" '
		/^\|/ { line = $0; gsub(/\\\|/, "", line); n = gsub(/\|/, "", line)
			if (!want || prev !~ /^\|/) want = n
			else if (n != want) { print "FAIL: " what ": a row with " n " cells, not " want ": " $0; bad = 1 } }
		{ prev = $0 }
		END { exit bad }' "$1" || failed=1
	if grep -q "<img\|<script" "$1"; then
		fail "$2: HTML reached the Markdown"
	fi
}

n=$("$hostile" count)
"$hostile" make "$ref" "$tmp" || { fail "could not make the hostile runs"; exit 1; }
i=0
while [ "$i" -lt "$n" ]; do
	for run in "$tmp/p$i"/*; do :; done
	want_md=$("$hostile" show markdown "$i")
	want_svg=$("$hostile" show svg "$i")

	"$report" "$run" >"$tmp/table" 2>"$tmp/err" || { fail "report $i: status $?"; cat "$tmp/err"; }
	pwned "kvmbench-report (payload $i)"
	table "$tmp/table" "kvmbench-report (payload $i)"
	grep -qF -- "$want_md" "$tmp/table" || fail "report $i does not show the hostname as [$want_md]"

	rm -rf "$tmp/data"
	"$report" --data "$tmp/data" "$run" >/dev/null 2>"$tmp/err" || { fail "--data $i"; cat "$tmp/err"; }
	pwned "kvmbench-report --data (payload $i)"
	bad=$(ls "$tmp/data" | grep -v '^[A-Za-z0-9_][A-Za-z0-9._-]*$')
	[ -z "$bad" ] || fail "--data $i wrote files with unsafe names: $bad"
	# Generated gnuplot code: names = numbers or single-quoted literals.
	lit="'\([^']\|''\)*'"
	num="\(-\{0,1\}[0-9][0-9.e+-]*\|NaN\)"
	bad=$(cat "$tmp/data"/*.gp | grep -v \
		-e "^[a-z][a-z0-9_]* = $num$" \
		-e "^[a-z][a-z0-9_]* = $lit$" \
		-e "^array [a-z_]*\[[0-9]*\] = \[$lit\(, $lit\)*\]$" \
		-e "^array [a-z_]*\[[0-9]*\] = \[$num\(, $num\)*\]$" \
		-e "^#[^']*$")
	[ -z "$bad" ] || fail "--data $i wrote gnuplot code that is not numbers and literals: $bad"

	"$top/scripts/plot" "$run" >"$tmp/out" 2>&1 || { fail "plot $i: status $?"; cat "$tmp/out"; }
	pwned "scripts/plot (payload $i)"
	svg=$run/charts/instantiation.svg
	[ -s "$svg" ] || fail "plot $i drew no instantiation chart"
	grep -qF -- "$want_svg" "$svg" || fail "plot $i: the chart does not show [$want_svg]"
	for c in sweep-pages strategies; do
		grep -qF -- "$(printf '%s\n' "$want_svg" | sed 's/^host-//')" "$run/charts/$c.svg" ||
			fail "plot $i: the $c chart has no legend for the hostile strategy"
	done

	# Comparisons, of runs with fewer files (fewer charts): the previous
	# payload's against this one's.
	if [ "$i" -gt 0 ]; then
		for a in "$tmp/q$((i - 1))"/*; do :; done
		for run in "$tmp/q$i"/*; do :; done
		"$top/scripts/compare" -o "$tmp/cmp$i" "$a" "$run" >/dev/null 2>"$tmp/err" ||
			{ fail "compare $i: status $?"; cat "$tmp/err"; }
		pwned "scripts/compare (payload $i)"
		table "$tmp/cmp$i/compare.md" "scripts/compare (payload $i)"
		grep -qF -- "$want_md" "$tmp/cmp$i/compare.md" ||
			fail "compare $i does not show the hostname as [$want_md]"
		ls "$tmp/cmp$i"/*.svg >/dev/null 2>&1 || fail "compare $i drew no chart"
		"$top/scripts/gather" -o "$tmp/g$i" "$a" "$run" >/dev/null 2>"$tmp/err" ||
			{ fail "gather $i: status $?"; cat "$tmp/err"; }
		pwned "scripts/gather (payload $i)"
		table "$tmp/g$i/gather.md" "scripts/gather (payload $i)"
		grep -qF -- "$(printf '%s\n' "$want_md" | sed 's/^host-/kernel-/')" "$tmp/g$i/gather.md" ||
			fail "gather $i does not show the kernel as [$want_md]"
		[ -s "$tmp/g$i/compare/compare.md" ] || fail "gather $i wrote no comparison"

		# Through make: the payloads that make or its shell would run.
		case $i in 1|3|4|5) ;; *) i=$((i + 1)); continue ;; esac
		make -s -C "$top" -o all plot RESULTS="$run" >/dev/null 2>"$tmp/err" ||
			{ fail "make plot $i: status $?"; cat "$tmp/err"; }
		pwned "make plot (payload $i)"
		make -s -C "$top" -o all compare A="$a" B="$run" OUT="$tmp/mc$i" >/dev/null 2>"$tmp/err" ||
			{ fail "make compare $i: status $?"; cat "$tmp/err"; }
		pwned "make compare (payload $i)"
		[ -s "$tmp/mc$i/compare.md" ] || fail "make compare $i wrote no compare.md"
	fi
	i=$((i + 1))
done

# A FIFO under a result's name is skipped with a note, not waited on.
for run in "$tmp/p0"/*; do :; done
mkfifo "$run/fifo.cbor"
timeout 20 "$report" "$run" >/dev/null 2>"$tmp/err"
[ $? -eq 0 ] && grep -q "skipped .*fifo.cbor: a FIFO" "$tmp/err" ||
	{ fail "a FIFO in a results directory:"; cat "$tmp/err"; }
timeout 20 "$report" "$run/fifo.cbor" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "fifo.cbor is a FIFO, not a result file" "$tmp/err" ||
	{ fail "a FIFO named as a result:"; cat "$tmp/err"; }
timeout 60 "$top/scripts/plot" "$run" >/dev/null 2>&1 || fail "plot with a FIFO in the run: status $?"
timeout 60 "$top/scripts/compare" -o "$tmp/cmpfifo" "$run" "$run" >/dev/null 2>&1 ||
	fail "compare with a FIFO in the run: status $?"
exit $failed
