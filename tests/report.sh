#!/bin/sh
# Description: kvmbench-report on crafted inputs: a good result is tabled;
# a truncated file, a file of another schema, a missing or empty directory,
# a symbolic link loop and an unsearchable directory are refused with one
# clear message saying which, and exit 1; control characters in a name are
# shown escaped; an incomplete run is shown
# and flagged; a comparison of a run with itself says ratio 1 and "not
# significant"; a run taken under emulation says so on every line and is
# set against no run on hardware; --data writes the files the charts read.
# Usage: report.sh KVMBENCH-REPORT SEED-DIR
set -u
. "$(dirname "$0")/lib.sh"
report=$1 seed=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmbench-report.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# expect STATUS PATTERN ARGS...
expect() {
	want=$1 pattern=$2
	shift 2
	"$report" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ] || ! grep -q -- "$pattern" "$tmp/out" "$tmp/err"; then
		fail "kvmbench-report $*: status $got (want $want), no '$pattern' in:"
		sed 's/^/    /' "$tmp/out" "$tmp/err" | head -20
	fi
}

mkdir "$tmp/good" "$tmp/empty" "$tmp/bad" "$tmp/inc"
cp "$seed/single.cbor" "$tmp/good/"
expect 0 "| single (published 2021) | create-run-close | memory=shared | 5 published figures | 238.9 |" "$tmp/good"

head -c 100 "$seed/single.cbor" >"$tmp/bad/cut.cbor"
expect 1 "cut.cbor: truncated" "$tmp/bad"
rm "$tmp/bad/cut.cbor"
sed 's/kvmbench\/2/kvmbench\/9/' "$seed/single.cbor" >"$tmp/bad/other.cbor"
expect 1 "another version of kvmbench" "$tmp/bad/other.cbor"
printf 'hello, not CBOR\n' >"$tmp/bad/text.cbor"
expect 1 "text.cbor: " "$tmp/bad/text.cbor"
expect 1 "does not exist" "$tmp/nowhere"
expect 1 "holds no result files" "$tmp/empty"
expect 2 "no result file or directory given"
expect 2 "--compare takes two to eight runs" --compare "$tmp/good"

# What a path that cannot be read is, said as it is.
ln -s loop-a "$tmp/loop-b" && ln -s loop-b "$tmp/loop-a"
expect 1 "loop-a cannot be reached: too many levels of symbolic links" "$tmp/loop-a"
mkdir "$tmp/locked" && cp "$seed/single.cbor" "$tmp/locked/" && chmod 700 "$tmp/locked"
chmod 755 "$tmp"
if [ "$(id -u)" -ne 0 ]; then
	chmod 000 "$tmp/locked"
	expect 1 "cannot be reached: permission denied" "$tmp/locked/single.cbor"
	chmod 700 "$tmp/locked"
elif setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$report" "$tmp/locked/single.cbor" \
		>"$tmp/out" 2>"$tmp/err"
	[ $? -eq 1 ] && grep -q "single.cbor cannot be reached: permission denied" "$tmp/err" ||
		{ fail "an unsearchable directory:"; cat "$tmp/err"; }
else
	echo "(as root without setpriv: the unsearchable directory is not tried)"
fi
# Control characters in a name reach the terminal escaped.
expect 1 "nowhere\\\\x1b\\[31m does not exist" "$tmp/nowhere$(printf '\033')[31m"

# Runs: five a side, B's every run 1.5 times A's, C's the same as A's.
if $py -c 'import cbor2' 2>/dev/null; then
	mkdir "$tmp/ra" "$tmp/rb" "$tmp/rc" "$tmp/ea" "$tmp/eb"
	$py - "$seed/single.cbor" "$tmp" <<'PY'
import sys, cbor2, copy
r = cbor2.load(open(sys.argv[1], 'rb'))
for name, f in (("ra", 1.0), ("rb", 1.5), ("rc", 1.0), ("ea", 1.0), ("eb", 1.5)):
    x = copy.deepcopy(r)
    if name[0] == "e":
        x["machine"]["emulator"] = "QEMU TCG"
    x["parameters"]["published"] = False
    s = x["series"][0]
    s["samples"], s["runs"] = [], []
    for k, level in enumerate([1000, 1030, 970, 1010, 990]):
        run = [int(f * level * 1000 + 37 * i) for i in range(-10, 11)]
        s["samples"] += run
        s["runs"].append(len(run))
    cbor2.dump(x, open(sys.argv[2] + "/" + name + "/single.cbor", "wb"))
PY
	expect 0 "| 5 (CV 2.2%) | .* | 1.500 | .* | [0-9.e-]* ([0-9.e-]*) | B slower (+50.0%, noise ±4.0%)" \
		--compare "$tmp/ra" "$tmp/rb"
	expect 0 "B faster (-33.3%" --compare "$tmp/rb" "$tmp/ra"
	# Two files, whatever their names, are each other's; nothing alike: said.
	cp "$tmp/ra/single.cbor" "$tmp/before.cbor"
	cp "$tmp/rb/single.cbor" "$tmp/after.cbor"
	expect 0 "| before | create-run-close | .* | B slower (+50.0%" \
		--compare "$tmp/before.cbor" "$tmp/after.cbor"
	expect 0 "^- \*\*All\*\*, B against A: no series in common" \
		--compare "$tmp/before.cbor" "$seed/rounds.cbor"
	expect 0 "no difference (within ±" --compare "$tmp/ra" "$tmp/rc"
	# Three at once, each against the first; and the tallies.
	expect 0 "B slower .* | no difference (within" --compare "$tmp/ra" "$tmp/rb" "$tmp/rc"
	expect 0 "^- \*\*All\*\*, C against A: geometric mean of the ratios 1.000 over 1 series; C slower 0, C faster 0, no difference 1" \
		--compare "$tmp/ra" "$tmp/rb" "$tmp/rc"
	# Taken under emulation: said on every line, and never set against
	# hardware; two emulated runs are compared as any two.
	expect 0 "| memory=shared | .* unknown, EMULATED (QEMU TCG): nobody's timings |" "$tmp/ea"
	expect 0 "^\*\*Measured under emulation: B (QEMU TCG)" --compare "$tmp/ra" "$tmp/eb"
	expect 0 "| 1.500 | .* | \*\*none: B under emulation, A on hardware\*\* |" \
		--compare "$tmp/ra" "$tmp/eb"
	expect 0 "^- \*\*All\*\*, B against A: no verdict, one side measured under emulation" \
		--compare "$tmp/ra" "$tmp/eb"
	expect 0 "\*\*none: A under emulation, B on hardware\*\*" --compare "$tmp/ea" "$tmp/rb"
	expect 0 "B slower (+50.0%, noise ±4.0%)" --compare "$tmp/ea" "$tmp/eb"
	# A measured noise floor: the spread of these runs, saved and used.
	expect 0 "| single | create-run-close | memory=shared | 5 | 970.0 - 1030.0 us | 2.2% | 5.1% / 4.0% / 2.8% |" \
		--noise-out "$tmp/noise.tsv" "$tmp/ra"
	grep -q "^single	create-run-close	memory=shared	0.0223" "$tmp/noise.tsv" ||
		fail "the noise file: $(cat "$tmp/noise.tsv")"
	expect 0 "B slower (+50.0%, noise ±4.0%)" --compare --noise "$tmp/noise.tsv" "$tmp/ra" "$tmp/rb"
	printf 'single\tcreate-run-close\tmemory=shared\t0.5\t5\n' >"$tmp/loud.tsv"
	expect 0 "no difference (within ±88.5% noise)" --compare --noise "$tmp/loud.tsv" \
		"$tmp/ra" "$tmp/rb"
	printf 'not a noise line\n' >"$tmp/bad.tsv"
	expect 1 "bad.tsv:1: not a line of kvmbench-report --noise-out" \
		--compare --noise "$tmp/bad.tsv" "$tmp/ra" "$tmp/rb"
fi

# An incomplete run: complete=false (0xf5 -> 0xf4 after "complete") and an error.
if $py -c 'import cbor2' 2>/dev/null; then
	$py - "$seed/single.cbor" "$tmp/inc/single.cbor" <<'PY'
import sys, cbor2
r = cbor2.load(open(sys.argv[1], 'rb'))
r["complete"] = False
r["error"] = "interrupted by Interrupt"
cbor2.dump(r, open(sys.argv[2], 'wb'))
PY
	expect 0 "INCOMPLETE" "$tmp/inc"
	expect 0 "interrupted by Interrupt" "$tmp/inc"
fi

expect 0 "| 1.000 | 1.000 - 1.000 | - | no difference (one run on a side: no verdict possible)" \
	--compare "$tmp/good" "$tmp/good"
expect 0 "no difference" --compare "$seed" "$seed"

"$report" --data "$tmp/data" "$seed" >/dev/null || fail "--data failed"
for f in instantiation.dat instantiation.gp concurrent-batches.dat single.gp rounds.gp \
	 single--meta.gp rounds--reset-run--reset_full.cdf \
	 memory--create-run-close--memory_individual.dat charts; do
	[ -s "$tmp/data/$f" ] || fail "--data wrote no $f"
done
grep -q "^13000 5.957" "$tmp/data/instantiation.dat" || fail "published scaling steps wrong"
# The seed's figures make the charts that compare with them, and only those.
[ "$(tr '\n' ' ' <"$tmp/data/charts")" = "instantiation single concurrent rounds " ] ||
	fail "the seed's charts: $(cat "$tmp/data/charts")"
exit $failed
