#!/bin/sh
# Description: bad command lines are refused before anything is measured:
# one message naming the problem, a non-zero exit status, no result file.
# Needs no KVM: every case fails before /dev/kvm is used, except --device,
# which names a device that is not KVM.
# Usage: cli.sh PATH-TO-BENCHMARK...
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmbench-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0

# expect STATUS PATTERN ARGS...: run the binary, check status and stderr.
expect() {
	want=$1 pattern=$2
	shift 2
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ] || ! grep -q -- "$pattern" "$tmp/err"; then
		echo "FAIL: $(basename "$bin") $*: status $got (want $want), stderr:"
		sed 's/^/    /' "$tmp/err"
		echo "    (wanted a line matching: $pattern)"
		failed=1
	fi
	if [ "$(wc -l <"$tmp/err")" -gt 2 ]; then
		echo "FAIL: $(basename "$bin") $*: more than one message:"
		sed 's/^/    /' "$tmp/err"
		failed=1
	fi
}

for bin in "$@"; do
	expect 2 "unknown option" --bogus
	expect 2 "missing its argument" --rounds
	expect 2 "unexpected argument" stray
	expect 2 "rounds: 'abc' is not a whole number" --rounds abc
	expect 2 "rounds: '-3' is not a whole number" --rounds -3
	expect 2 "rounds: 0 is out of range" --rounds 0
	expect 2 "iterations: 99999999999999999999 is out of range" --iterations 99999999999999999999
	expect 2 "iterations: '' is not a whole number" --iterations ''
	expect 2 "unknown memory kind 'shard'" --memory shard
	expect 2 "directory $tmp/nope does not exist" --output "$tmp/nope/x.cbor"
	expect 2 "names a directory" --output "$tmp"
	mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
	if [ "$(id -u)" -ne 0 ]; then
		expect 2 "not writable" --output "$tmp/ro/x.cbor"
	fi
	expect 1 "/nonexistent/kvm does not exist" --device /nonexistent/kvm --output "$tmp/x.cbor"
	expect 1 "KVM_GET_API_VERSION on /dev/null" --device /dev/null --output "$tmp/x.cbor"
	rmdir "$tmp/ro"
	if [ -n "$(ls -A "$tmp" | grep -v -e '^out$' -e '^err$')" ]; then
		echo "FAIL: a refused run left files: $(ls -A "$tmp")"
		failed=1
	fi
	"$bin" --help >"$tmp/out" 2>&1
	if [ $? -ne 0 ] || ! grep -q "default 5\|default 6" "$tmp/out" ||
	   ! grep -q -- "--output FILE" "$tmp/out"; then
		echo "FAIL: $(basename "$bin") --help does not list options with defaults"
		failed=1
	fi
done
exit $failed
