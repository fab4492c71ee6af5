#!/bin/sh
# Description: concurrent writers never lose a run.  Eight appends started
# at once to one result file leave nine runs in it, every sample of each;
# the appends wait their turn, and one that waits says so, naming the file
# and the writer it waits for; a writer killed with -9 while it holds the
# lock does not block the next.  Two benches (scripts/bench, make bench's)
# into one results directory: the second is refused at once, naming the
# first, and the first keeps every run.
# Usage: appends.sh SOURCE-ROOT BUILD-ROOT ONE-SHOT-BENCHMARK
set -u
. "$(dirname "$0")/lib.sh"
top=$1 build=$2 single=$3
name=${single##*/kvmbench-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmbench-appends.XXXXXX") || exit 1
holder=
trap '[ -z "$holder" ] || kill -9 $holder 2>/dev/null; rm -rf "$tmp"' EXIT
[ -c /dev/kvm ] || { echo "SKIP: no /dev/kvm here"; exit 77; }
$py -c 'import cbor2' 2>/dev/null || { echo "SKIP: no python3-cbor2 (apt-get install python3-cbor2)"; exit 77; }
unset KERNEL KERNELS VM_APPEND PLAN RESULTS

# runs FILE N SAMPLES: FILE holds N runs of SAMPLES samples in its series.
runs() {
	$py - "$@" <<'PY'
import sys, cbor2
path, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = cbor2.load(open(path, 'rb'))
for s in r["series"]:
    if s["runs"] != [k] * n or len(s["samples"]) != n * k:
        print("FAIL: %s: series %s has runs %s, not %d of %d" % (path, s["name"], s["runs"], n, k))
        sys.exit(1)
if not r["complete"] or r["parameters"]["runs"] != n:
    print("FAIL: %s: complete %s, runs %s" % (path, r["complete"], r["parameters"]["runs"]))
    sys.exit(1)
PY
}

one="--rounds 1 --iterations 20 --warmup 2 --quiet"
# shellcheck disable=SC2086 # one: words
"$single" $one --output "$tmp/a.cbor" || fail "the first run failed"
pids=
for i in 1 2 3 4 5 6 7 8; do
	# shellcheck disable=SC2086
	"$single" $one --append --output "$tmp/a.cbor" >"$tmp/out$i" 2>&1 &
	pids="$pids $!"
done
for p in $pids; do wait "$p" || fail "an append failed: $(cat "$tmp"/out*)"; done
runs "$tmp/a.cbor" 9 22 || failed=1

# A writer holding the lock, killed with -9, lets the next go on.
$py -c '
import fcntl, sys, time
f = open(sys.argv[1], "a"); fcntl.lockf(f, fcntl.LOCK_EX)
print("held", flush=True); time.sleep(600)' "$tmp/.a.cbor.lock" >"$tmp/held" &
holder=$!
for w in $(seq 100); do grep -q held "$tmp/held" && break; sleep 0.1; done
# shellcheck disable=SC2086
"$single" $one --append --output "$tmp/a.cbor" >"$tmp/waiter" 2>&1 &
waiter=$!
for w in $(seq 600); do grep -q "waiting for another writer" "$tmp/waiter" && break; sleep 0.1; done
grep -q "waiting for another writer of $tmp/a.cbor (process $holder) to finish" "$tmp/waiter" ||
	fail "the waiting append did not say so: $(cat "$tmp/waiter")"
kill -9 "$holder"
wait "$holder" 2>/dev/null
holder=
wait "$waiter" || fail "the append after a killed writer failed: $(cat "$tmp/waiter")"
runs "$tmp/a.cbor" 10 22 || failed=1

# Two benches into one directory: the second is refused, naming the first.
echo "$name --runs 2 --rounds 1 --iterations 400 --warmup 1    # long enough to overlap" >"$tmp/plan"
"$top/scripts/bench" --plan "$tmp/plan" "$build" --results-dir "$tmp/r" >"$tmp/first" 2>&1 &
first=$!
for w in $(seq 300); do [ -s "$tmp/r/.bench.lock" ] && break; sleep 0.1; done
"$top/scripts/bench" --plan "$tmp/plan" "$build" --results-dir "$tmp/r" >"$tmp/second" 2>&1
rc=$?
[ $rc = 1 ] && grep -q "$tmp/r is being written by another bench (process $first, plan plan, since " "$tmp/second" ||
	fail "the second bench: status $rc: $(cat "$tmp/second")"
wait "$first" || fail "the first bench failed: $(cat "$tmp/first")"
runs "$tmp/r/$name.cbor" 2 401 || failed=1
exit $failed
