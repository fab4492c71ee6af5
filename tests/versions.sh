#!/bin/sh
# Description: kvmbench-report --compare of result files written by two
# versions of the suite (the committed runs fc-v782 and fc-v857, whose
# rounds-all series gained the labels vcpu_reset and vcpu_leaks) says the
# versions differ, pairs each series on the labels both sides have, lists
# what is in one run only, and refuses to guess where several series
# would fit; runs of one version say nothing of versions.
# Usage: versions.sh KVMBENCH-REPORT RESULTS-DIR
set -u
. "$(dirname "$0")/lib.sh"
report=$1 results=$2
old=$results/vm-6.18.44-fc-v782 new=$results/vm-6.18.44-fc-v857
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmbench-versions.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
has() { grep -qF -- "$2" "$1" || { fail "no '$2' in $1:"; head -40 "$1" | sed 's/^/    /'; }; }

"$report" --compare "$old" "$new" >"$tmp/cmp" 2>&1 || fail "--compare exited $?: $(cat "$tmp/cmp")"
has "$tmp/cmp" "**The runs were taken by different versions of the suite: A 0.1.0 (82d62f8a8914), B 0.1.0 (746d34cc83c2-dirty).**"
has "$tmp/cmp" "| rounds-all | reset-run | reset=full | us | 1 | 238.6 | 3 (CV 1.7%) | 228.4 |"
[ "$(grep -c 'paired on shared labels |$' "$tmp/cmp")" = 12 ] ||
	fail "not the 12 series of rounds-all paired: $(grep -c 'paired on shared labels' "$tmp/cmp")"
has "$tmp/cmp" "- rounds-all reset: A's labels \"reset=dirty-ring\" paired with B's \"reset=dirty-ring vcpu\\_reset=fxrstor vcpu\\_leaks=clean\""
has "$tmp/cmp" "- rounds-all vcpu-reset (reset=none vcpu\\_reset=recreate vcpu\\_leaks=clean): only in B"
has "$tmp/cmp" "- breakeven: only in B"
has "$tmp/cmp" "- floor: not in B"
grep -q "no series in common" "$tmp/cmp" && fail "still 'no series in common'"
has "$tmp/cmp" "| kvmbench_version |"

# The other way round: the new labels find the old series too.
"$report" --compare "$new" "$old" >"$tmp/back" 2>&1 || fail "--compare new old exited $?"
[ "$(grep -c 'paired on shared labels |$' "$tmp/back")" = 12 ] || fail "the other way round did not pair 12"

# Two series of B that both agree with one of A: none is taken.
if $py -c 'import cbor2' 2>/dev/null; then
	mkdir "$tmp/two"
	$py - "$new/rounds-all.cbor" "$tmp/two/rounds-all.cbor" <<'PY' || fail "cannot craft two matches"
import sys, copy, cbor2
r = cbor2.load(open(sys.argv[1], 'rb'))
s = [x for x in r['series'] if x['name'] == 'reset-run' and x['labels']['reset'] == 'full'][0]
t = copy.deepcopy(s)
t['labels']['vcpu_reset'] = 'full'
r['series'].append(t)
cbor2.dump(r, open(sys.argv[2], 'wb'))
PY
	"$report" --compare "$old" "$tmp/two" >"$tmp/two.md" 2>&1 || fail "--compare with two matches exited $?"
	has "$tmp/two.md" "- rounds-all reset-run (reset=full): unmatched in B: several of its series agree on the labels both have, none is taken"
else
	echo "python3-cbor2 missing: the case of two matches is not checked"
fi

# One version: nothing said of versions.
"$report" --compare "$new" "$new" >"$tmp/same" 2>&1 || fail "--compare of a run with itself exited $?"
grep -q "different versions" "$tmp/same" && fail "one version called different"
grep -q "paired on shared labels" "$tmp/same" && fail "a run with itself paired on shared labels"
exit $failed
