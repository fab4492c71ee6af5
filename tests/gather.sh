#!/bin/sh
# Description: make gather (scripts/gather, kvmbench-report --gather) on
# result directories of several machines.  Crafted: three machines of one
# CPU model, two alike and one 1.5 times slower in every run, and one of
# another model: two groups, the slow machine's series noted as machines
# disagreeing beyond their own noise; the two alike alone: no such note.
# Committed: two runs of kvm_pvm and an A/A pair under emulation give the
# machine table, a group per CPU model and the N-way comparison.  A
# directory that holds only published figures, or none, is refused.
# Usage: gather.sh SOURCE-ROOT KVMBENCH-REPORT
set -u
. "$(dirname "$0")/lib.sh"
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
top=$1 report=$(abs "$2")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmbench-gather.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export KVMBENCH_REPORT=$report
if ! command -v gnuplot >/dev/null 2>&1 || ! $py -c 'import cbor2' 2>/dev/null; then
	echo "SKIP: needs gnuplot and python3-cbor2 (apt-get install gnuplot-nox python3-cbor2)"
	exit 77
fi

# has FILE PATTERN WHAT
has() { grep -q -- "$2" "$1" || { fail "$3: no '$2' in $1:"; sed 's/^/    /' "$1" | head -30; }; }

mkdir "$tmp/m1" "$tmp/m2" "$tmp/m3" "$tmp/m4"
$py - "$top/results/seed-2021/single.cbor" "$tmp" <<'PY'
import sys, cbor2, copy
r = cbor2.load(open(sys.argv[1], 'rb'))
for name, f, model in (("m1", 1.0, "Model X"), ("m2", 1.0, "Model X"),
                       ("m3", 1.5, "Model X"), ("m4", 1.0, "Model Y")):
    x = copy.deepcopy(r)
    x["parameters"]["published"] = False
    x["machine"]["cpu_model"] = model
    x["machine"]["hostname"] = name
    s = x["series"][0]
    s["samples"], s["runs"] = [], []
    for level in (1000, 1030, 970, 1010, 990):
        run = [int(f * level * 1000 + 37 * i) for i in range(-10, 11)]
        s["samples"] += run
        s["runs"].append(len(run))
    cbor2.dump(x, open(sys.argv[2] + "/" + name + "/single.cbor", "wb"))
PY
"$top/scripts/gather" -o "$tmp/g" "$tmp/m1" "$tmp/m2" "$tmp/m3" "$tmp/m4" >"$tmp/out" 2>&1 ||
	{ fail "gather of four machines: status $?"; cat "$tmp/out"; }
has "$tmp/g/gather.md" "^## Model X: 3 machines" "three machines of one model"
has "$tmp/g/gather.md" "^## Model Y: 1 machine$" "one of another"
has "$tmp/g/gather.md" "| single | create-run-close | memory=shared | 3 | .* | \*\*machines disagree beyond their own noise\*\* |" "a machine 1.5 times slower"
has "$tmp/g/gather.md" "| single | create-run-close | memory=shared | 1 | 1000.0 us | - | 2.2% | - | one machine |" "the other model"
has "$tmp/g/compare/compare.md" "C slower (+50.0%" "the N-way comparison"
"$top/scripts/gather" -o "$tmp/h" "$tmp/m1" "$tmp/m2" >"$tmp/out" 2>&1 ||
	{ fail "gather of two machines alike: status $?"; cat "$tmp/out"; }
has "$tmp/h/gather.md" "| single | create-run-close | memory=shared | 2 | 1000.0 us | 0.0% | 2.2% | 1 (1) |  |" "two machines alike"
has "$tmp/h/gather.md" "^0 series where machines of one CPU model disagree" "two machines alike"

# The committed runs, through make: kvm_pvm twice, an A/A pair emulated.
make -s -C "$top" -o all gather OUT="$tmp/c" DIRS="results/vm-6.18.44-fc-v782 results/vm-6.18.44-fc-v857 results/vm-6.1.0-57-amd64-emulated results/vm-6.1.0-57-amd64-emulated-2" \
	>"$tmp/out" 2>&1 || { fail "make gather: status $?"; cat "$tmp/out"; }
has "$tmp/c/gather.md" "^# 4 result directories, grouped by CPU model" "make gather"
has "$tmp/c/gather.md" "^| 4 | results/vm-6.1.0-57-amd64-emulated-2 | QEMU TCG CPU version 2.5+ | " "the machines"
has "$tmp/c/gather.md" "^## AMD EPYC: 2 machines" "the kvm_pvm runs"
has "$tmp/c/gather.md" "^## QEMU TCG CPU version 2.5+: 2 machines" "the emulated pair"
has "$tmp/c/gather.md" "^[0-9]* series where machines of one CPU model disagree" "the tally"
has "$tmp/c/compare/compare.md" "vm-6.1.0-57-amd64-emulated-2" "the N-way comparison"

# Refused: published figures are no machine; a directory without results.
mkdir "$tmp/empty"
"$top/scripts/gather" -o "$tmp/x" "$top/results/seed-2021" >"$tmp/out" 2>&1
[ $? = 1 ] && grep -q "holds no measured result" "$tmp/out" || { fail "published figures:"; cat "$tmp/out"; }
"$top/scripts/gather" -o "$tmp/x" "$tmp/empty" >"$tmp/out" 2>&1
[ $? = 1 ] && grep -q "holds no result files" "$tmp/out" || { fail "an empty directory:"; cat "$tmp/out"; }
"$top/scripts/gather" -o "$tmp/x" "$tmp/nowhere" >"$tmp/out" 2>&1
[ $? = 1 ] && grep -q "is not a results directory" "$tmp/out" || { fail "no directory:"; cat "$tmp/out"; }
exit $failed
