#!/bin/sh
# Description: scripts/vm, the emulated machine the VM tests run in where
# there is no KVM, gives back exactly the command's exit status (0, 1, 77)
# and output, through a port the command cannot forge by printing; and a
# kernel panic, a module that does not load or a hang inside is status 125
# with a message saying which, within a time limit of its own, never 0 or
# 77.  Each case boots the machine (about 6 s under software emulation).
# Usage: vm.sh PATH-TO-scripts/vm
set -u
vm=$1
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmbench-vmtest.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# run NAME [VM OPTION...] -- COMMAND...: status in $rc, output in $tmp/NAME.
run() {
	name=$1
	shift
	"$vm" "$@" >"$tmp/$name" 2>&1
	rc=$?
}

run true -- sh -c 'echo "hello from $(uname -r) in $PWD"; test -c /dev/kvm'
# It cannot run here at all (no QEMU, not root): say so, once.
if [ $rc = 77 ] && grep -q 'to fix it' "$tmp/true"; then
	cat "$tmp/true"
	exit 77
fi
[ $rc = 0 ] || fail "exit 0 came back as $rc: $(cat "$tmp/true")"
grep -q "^hello from .* in $(pwd)\$" "$tmp/true" || fail "output lost: $(cat "$tmp/true")"

# The command prints what the status port carries; only its exit counts.
run one -- sh -c 'echo "exit 0"; exit 1'
[ $rc = 1 ] || fail "exit 1 came back as $rc: $(cat "$tmp/one")"
run skip -- sh -c 'exit 77'
[ $rc = 77 ] || fail "exit 77 came back as $rc: $(cat "$tmp/skip")"
# Words stay words: nothing in an argument is run by a shell on the way.
run words -- printf '%s|' 'a b' '$(touch '"$tmp"'/ran)' "it's"
[ $rc = 0 ] && [ "$(grep -v '^vm:' "$tmp/words")" = "a b|\$(touch $tmp/ran)|it's|" ] &&
	[ ! -e "$tmp/ran" ] || fail "arguments changed on the way: $(cat "$tmp/words")"

run panic -- sh -c 'echo c >/proc/sysrq-trigger; sleep 60'
[ $rc = 125 ] && grep -q 'the kernel panicked' "$tmp/panic" ||
	fail "a panic gave $rc: $(cat "$tmp/panic")"

# A module parameter kvm_amd refuses: the module does not load.
run module --append 'kvm_amd.npt=maybe kvm_intel.ept=maybe' -- true
[ $rc = 125 ] && grep -q 'modprobe kvm_[a-z]* failed' "$tmp/module" ||
	fail "a module that did not load gave $rc: $(cat "$tmp/module")"

start=$(date +%s)
run hang --timeout 40 -- sleep 100000
took=$(($(date +%s) - start))
[ $rc = 125 ] && grep -q 'no exit status within 40 s' "$tmp/hang" ||
	fail "a hang gave $rc: $(cat "$tmp/hang")"
[ $took -lt 70 ] || fail "a hang with --timeout 40 took $took s to stop"
echo "exit 0, 1 and 77 come back; a panic, a module that did not load and a hang are 125"
