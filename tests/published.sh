#!/bin/sh
# Description: the seed's published figures in results/seed-2021/*.cbor are
# exactly what kvmbench-published makes of published.txt, so the data the
# charts overlay cannot drift from the transcription; and each file says it
# holds published means.
# Usage: published.sh KVMBENCH-PUBLISHED SEED-DIR
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmbench-published.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
"$1" "$2/published.txt" "$tmp" || exit 1
failed=0
for f in "$tmp"/*.cbor; do
	name=$(basename "$f")
	cmp -s "$f" "$2/$name" || { echo "FAIL: $2/$name differs from published.txt"; failed=1; }
	grep -q "published" "$f" || { echo "FAIL: $name is not marked published"; failed=1; }
done
[ "$(ls "$tmp"/*.cbor | wc -l)" -eq 5 ] || { echo "FAIL: not 5 files"; failed=1; }
[ "$(ls "$2"/*.cbor | wc -l)" -eq 5 ] || { echo "FAIL: $2 holds other files"; failed=1; }
exit $failed
