# Sourced by the shell tests, first: what each of them needs.
# shellcheck shell=sh
# fail MESSAGE: says it; the test then ends with exit $failed.
failed=0
fail() { echo "FAIL: $*"; failed=1; }
# Debian's python3, which has python3-cbor2: the first python3 on PATH may
# be another.
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
