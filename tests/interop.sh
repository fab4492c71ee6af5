#!/bin/sh
# Description: a result file written by the one-shot benchmark is plain CBOR that
# an independent decoder (Python's cbor2) reads, with the keys that
# results/SCHEMA.cddl promises.
# Usage: interop.sh ONE-SHOT-BENCHMARK
set -u
. "$(dirname "$0")/lib.sh"
if ! $py -c 'import cbor2' 2>/dev/null; then
	echo "SKIP: python3-cbor2 is not installed (apt-get install python3-cbor2)"
	exit 77
fi
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	echo "SKIP: /dev/kvm is missing or not accessible"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmbench-interop.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
"$1" --rounds 1 --iterations 5 --warmup 2 --quiet --output "$tmp/s.cbor" || exit 1
$py - "$tmp/s.cbor" <<'PY'
import sys, cbor2
with open(sys.argv[1], 'rb') as f:
    data = f.read()
r = cbor2.loads(data)
assert r["schema"] == "kvmbench/2", r["schema"]
assert r["benchmark"] == "single" and r["complete"] is True
assert set(r) == {"schema", "benchmark", "complete", "parameters", "machine", "series"}, set(r)
assert r["parameters"]["rounds"] == 1 and r["parameters"]["iterations"] == 5
s = r["series"][0]
assert s["unit"] == "ns" and s["warmup"] == 2 and len(s["samples"]) == 7, s
assert s["runs"] == [7], s["runs"]
assert all(isinstance(x, int) and x > 0 for x in s["samples"])
assert isinstance(r["machine"]["kvm_parameters"], dict)
# Preferred serialisation: re-encoding gives the same bytes.
assert cbor2.dumps(r) == data, "not in preferred (shortest) encoding"
print("cbor2 read", len(s["samples"]), "samples")
PY
