#!/bin/sh
# Description: make bench, the README's main command, end to end on the KVM
# at hand with a plan of two small lines: exit 0, each experiment's result
# file with its runs (taken in rounds), the run's charts, and its comparison
# with the seed's published figures, all under the RESULTS given.
# Usage: make_bench.sh SOURCE-ROOT BUILD-ROOT
set -u
. "$(dirname "$0")/lib.sh"
top=$1 build=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmbench-make-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
[ -c /dev/kvm ] || { echo "SKIP: no /dev/kvm here"; exit 77; }
# make bench on this machine's KVM: not under a kernel of its own, whatever
# the tests were started with (scripts/matrix and make test KERNEL=X set it).
unset KERNEL KERNELS VM_APPEND VM_MEMORY VM_CPUS PLAN RESULTS

cat >"$tmp/plan" <<'PLAN'
single --runs 2 --rounds 1 --iterations 5 --warmup 1     # create, run hello, close
concurrent --runs 2 --vms 10 --batches 2                  # 10 VMs kept alive
PLAN
make -s -C "$top" -o all bench BUILD="$build" PLAN="$tmp/plan" RESULTS="$tmp/r" >"$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] || { fail "make bench: status $rc"; cat "$tmp/out"; }
for f in single.cbor concurrent.cbor charts/single.png charts/concurrent.svg \
	compare-seed/compare.md; do
	[ -s "$tmp/r/$f" ] || fail "make bench left no $f"
done
grep -q "== charts: .*/charts/; against the seed: .*compare-seed/compare.md" "$tmp/out" ||
	{ fail "make bench does not say where its charts went:"; cat "$tmp/out"; }
if $py -c 'import cbor2' 2>/dev/null; then
	$py - "$tmp/r/single.cbor" <<'PY' || failed=1
import sys, cbor2
r = cbor2.load(open(sys.argv[1], 'rb'))
s = r["series"][0]
if not r["complete"] or s["runs"] != [6, 6] or r["parameters"]["runs"] != 2:
    print("FAIL: single.cbor: complete %s, runs %s" % (r["complete"], s["runs"]))
    sys.exit(1)
PY
fi
exit $failed
