#!/bin/sh
# Description: scripts/plot on the committed reference run renders every
# chart as a valid, non-empty PNG and SVG, and the charts that overlay the
# seed's figures show them, or say there are none; without gnuplot it
# stops with a message naming the package, and on a directory with no
# results it says so.  A failed scripts/compare writes no compare.md; plot
# and compare stopped by SIGTERM leave no temporary directory behind.
# Every chart there is (each experiment's bench/<experiment>/<chart>.gp)
# is drawn from the small result set the suite makes for it (each folder's
# data/, tests/data/make-charts-run), sharded scaling steps included; and
# the comparison's charts (compare-cdf, -instantiation, -sweep) from two
# copies of that set.
# Usage: plot.sh SCRIPTS/PLOT KVMBENCH-REPORT REFERENCE-RUN-DIR SOURCE-TREE
set -u
. "$(dirname "$0")/lib.sh"
plot=$1 report=$2 run=$3 top=$4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmbench-plot-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

if ! command -v gnuplot >/dev/null 2>&1; then
	echo "SKIP: gnuplot is not installed (apt-get install gnuplot-nox)"
	exit 77
fi
ls "$run"/*.cbor >/dev/null 2>&1 || { echo "FAIL: no reference results in $run"; exit 1; }
mkdir "$tmp/run"
cp "$run"/*.cbor "$tmp/run/"
KVMBENCH_REPORT=$report "$plot" "$tmp/run" >"$tmp/out" 2>&1 || { fail "plot failed:"; cat "$tmp/out"; }
# The charts that set the seed's figures beside the run's (their scripts
# read have_ref, or say what the seed published).
charts=$(grep -l 'have_ref\|published' "$top"/bench/*/*.gp | sed 's|.*/||; s|\.gp$||')
[ "$(echo "$charts" | wc -w)" -ge 5 ] || fail "only these charts show the seed's figures: $charts"
for chart in $charts; do
	png=$tmp/run/charts/$chart.png svg=$tmp/run/charts/$chart.svg
	if [ "$(head -c 8 "$png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
		fail "$chart.png is not a PNG"
	elif [ "$(wc -c <"$png")" -lt 10000 ]; then
		fail "$chart.png is only $(wc -c <"$png") bytes: an empty chart?"
	fi
	if ! grep -q "<svg" "$svg" 2>/dev/null || ! grep -q "</svg>" "$svg"; then
		fail "$chart.svg is not a whole SVG"
	elif ! grep -q "published (2021)\|the seed published no figure" "$svg"; then
		fail "$chart.svg does not show the published (2021) figures, nor say there are none"
	fi
done

# No gnuplot on PATH: a clear message, not a broken chart.
mkdir "$tmp/bin"
for t in sh mktemp rm ls dirname basename cat mkdir; do
	ln -s "$(command -v $t)" "$tmp/bin/$t"
done
PATH=$tmp/bin KVMBENCH_REPORT=$report "$plot" "$tmp/run" >"$tmp/out" 2>&1
[ $? -eq 1 ] && grep -q "gnuplot is not installed: apt-get install gnuplot-nox" "$tmp/out" ||
	{ fail "without gnuplot:"; cat "$tmp/out"; }

# A comparison that fails leaves no compare.md; an interrupted plot or
# compare leaves no temporary directory.
compare=$(dirname "$plot")/compare
KVMBENCH_REPORT=$report "$compare" -o "$tmp/cmp" "$tmp/run" "$tmp/nowhere" >"$tmp/out" 2>&1
[ $? -eq 1 ] && [ ! -e "$tmp/cmp/compare.md" ] ||
	{ fail "a failed compare left $(ls "$tmp/cmp" 2>&1)"; cat "$tmp/out"; }
mkdir "$tmp/t"
for script in "$plot" "$compare"; do
	TMPDIR=$tmp/t KVMBENCH_REPORT=$report "$script" "$tmp/run" "$tmp/run" >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	kill -TERM $pid
	wait $pid
	[ $? -eq 143 ] || fail "$(basename "$script") ended with $? on SIGTERM, not 143"
	[ -z "$(ls -A "$tmp/t")" ] || fail "$(basename "$script") interrupted left $(ls "$tmp/t")"
done

# Every chart, from the small result set.
small="the experiments' data/"
mkdir "$tmp/small"
cp "$top"/bench/*/data/*.cbor "$tmp/small/" || fail "no result files in $top/bench/*/data/"
KVMBENCH_REPORT=$report "$plot" "$tmp/small" >"$tmp/out" 2>&1 || { fail "plot of $small failed:"; cat "$tmp/out"; }
n=0
for gp in "$top"/bench/*/*.gp; do
	chart=$(basename "$gp" .gp)
	n=$((n + 1))
	png=$tmp/small/charts/$chart.png svg=$tmp/small/charts/$chart.svg
	[ "$(head -c 8 "$png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
		fail "the $chart chart was not drawn from $small"
	grep -q "</svg>" "$svg" 2>/dev/null || fail "$chart.svg was not drawn from $small"
done
[ $n -ge 13 ] || fail "only $n charts found in $top/bench/*/"
"$report" --data "$tmp/small-data" "$tmp/small" >/dev/null || fail "--data of $small failed"
[ -s "$tmp/small-data/instantiation-sharded.dat" ] || fail "no sharded scaling steps in $small"

# The comparison's charts (scripts/compare-*.gp), from the same data as
# two runs: a CDF per series, and the overlays of scaling and the sweep.
KVMBENCH_REPORT=$report "$compare" -o "$tmp/cmp2" "$tmp/small" "$tmp/small" >"$tmp/out" 2>&1 ||
	{ fail "compare of $small against itself failed:"; cat "$tmp/out"; }
cdfs=$(ls "$tmp/cmp2" 2>/dev/null | grep -c -- '--.*\.png$')
[ "$cdfs" -ge 20 ] || fail "compare drew $cdfs CDF overlays from $small"
for chart in instantiation sweep-pages sweep-size $(cd "$tmp/cmp2" 2>/dev/null && ls -- *--*.png | head -n 3 | sed 's/\.png$//'); do
	[ "$(head -c 8 "$tmp/cmp2/$chart.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
		fail "compare did not draw $chart.png from $small"
	grep -q "</svg>" "$tmp/cmp2/$chart.svg" 2>/dev/null || fail "compare did not draw $chart.svg"
done

mkdir "$tmp/empty"
KVMBENCH_REPORT=$report "$plot" "$tmp/empty" >"$tmp/out" 2>&1
[ $? -eq 1 ] && grep -q "holds no result files" "$tmp/out" || { fail "empty directory:"; cat "$tmp/out"; }
exit $failed
