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
	help=$("$bin" --help 2>&1)
	if [ $? -ne 0 ] || ! echo "$help" | grep -q -- "--output FILE" ||
	   ! echo "$help" | grep -q "(default [0-9]"; then
		echo "FAIL: $(basename "$bin") --help does not list the options with defaults"
		failed=1
	fi
	expect 2 "unknown option '--bogus'" --bogus
	expect 2 "unexpected argument" stray
	expect 2 "directory $tmp/nope does not exist" --output "$tmp/nope/x.cbor"
	expect 2 "names a directory" --output "$tmp"
	mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
	if [ "$(id -u)" -ne 0 ]; then
		expect 2 "not writable" --output "$tmp/ro/x.cbor"
	fi
	rmdir "$tmp/ro"
	expect 2 "device: /nonexistent/kvm does not exist (the KVM device is /dev/kvm)" \
		--device /nonexistent/kvm --output "$tmp/x.cbor"
	expect 2 "device: the path is empty" --device '' --output "$tmp/x.cbor"
	expect 2 "device: /dev/null is not a KVM device (KVM_GET_API_VERSION on /dev/null" \
		--device /dev/null --output "$tmp/x.cbor"
	touch "$tmp/plain"
	expect 2 "device: $tmp/plain is a regular file, not a device" --device "$tmp/plain" \
		--output "$tmp/x.cbor"
	expect 2 "results-dir: $tmp/plain is a regular file, not a directory" \
		--results-dir "$tmp/plain"
	expect 2 "results-dir: the name is empty" --results-dir ''
	rm "$tmp/plain"
	# --output names a regular file or nothing: the final rename would
	# replace a FIFO or a device (as root: the machine's /dev/null).
	mkfifo "$tmp/fifo"
	expect 2 "$tmp/fifo is a FIFO, not a regular file" --output "$tmp/fifo"
	[ -p "$tmp/fifo" ] || { echo "FAIL: $(basename "$bin") replaced a FIFO"; failed=1; }
	ln -s "$tmp/fifo" "$tmp/to-fifo"
	expect 2 "$tmp/to-fifo is a symbolic link to a FIFO, not a regular file" --output "$tmp/to-fifo"
	rm "$tmp/fifo" "$tmp/to-fifo"
	if [ "$(id -u)" -eq 0 ] && mknod "$tmp/null" c 1 3 2>/dev/null; then
		expect 2 "$tmp/null is a character device, not a regular file" --output "$tmp/null"
		[ -c "$tmp/null" ] || { echo "FAIL: $(basename "$bin") replaced a device"; failed=1; }
		rm "$tmp/null"
	fi
	ln -s "$tmp/nowhere" "$tmp/dangling"
	expect 2 "$tmp/dangling is a symbolic link to no file" --output "$tmp/dangling"
	rm "$tmp/dangling"
	# Names too long once the temporary suffix is added, and directories
	# where no file can be made, are refused before anything is measured.
	long=$(printf '%0250d' 0)
	expect 2 "its name is too long" --output "$tmp/$long.cbor"
	expect 2 "/proc/self \\(is not writable\\|for the result\\)" --output /proc/self/x.cbor
	expect 2 "cannot create a file in /sys/kernel for the result" --output /sys/kernel/x.cbor
	# Flags take no value: the option is named, not called unknown.
	expect 2 "option '--quiet' takes no value" --quiet=1
	expect 2 "option '--help' takes no value" --help=yes

	# Every count option ("--vms N", "--rounds R", ...) is checked.
	for opt in $(echo "$help" | grep -o -e '--[a-z-]* [NRBS]\b' | cut -d' ' -f1); do
		expect 2 "missing its argument" "$opt"
		expect 2 "${opt#--}: 'abc' is not a whole number" "$opt" abc
		expect 2 "${opt#--}: '-3' is not a whole number" "$opt" -3
		expect 2 "${opt#--}: '' is not a whole number" "$opt" ''
		expect 2 "${opt#--}: 99999999999999999999 is out of range" "$opt" 99999999999999999999
	done
	if echo "$help" | grep -q -- "--rounds R"; then
		expect 2 "rounds: 0 is out of range" --rounds 0
	fi
	if echo "$help" | grep -q -- "--memory-size BYTES"; then
		expect 2 "memory-size: '1X' is not a size" --memory-size 1X
		expect 2 "memory-size: 'K' is not a size" --memory-size K
		expect 2 "memory-size: 32K is out of range (expected 65536 to 16777216 bytes)" \
			--memory-size 32K
		expect 2 "memory-size: 17M is out of range" --memory-size 17M
		expect 2 "memory-size: not a multiple of 4096 bytes" --memory-size 65537
		expect 2 "dirty-pages: more pages than --memory-size holds" \
			--memory-size 64K --dirty-pages 17
	fi
	if echo "$help" | grep -q -- "--memory KIND"; then
		expect 2 "memory: 'shard' is not one of shared, individual" --memory shard
	fi
	if [ -n "$(ls -A "$tmp" | grep -v -e '^out$' -e '^err$')" ]; then
		echo "FAIL: a refused run left files: $(ls -A "$tmp")"
		failed=1
	fi
done
[ $# -gt 0 ] || { echo "FAIL: no binary given"; failed=1; }
exit $failed
