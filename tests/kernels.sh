#!/bin/sh
# Description: make compare-kernels (scripts/kernels) names a kernel that
# cannot run and says what is wrong, within a time limit, and keeps what
# the kernels before it measured: a kernel file that does not exist (also
# named as ~/..., which no shell expanded inside quotes), a
# kernel without the KVM module or 9p, a module that does not load, a
# kernel that panics, one that hangs.  And with kvm_amd's nested paging on
# under QEMU's software emulation (scripts/vm's default), rounds runs and
# verifies its guests, with no instruction emulated by KVM.
# Each case that boots takes about 6 s under software emulation.
# Usage: kernels.sh SOURCE-ROOT BUILD-ROOT IN-ROUNDS-BENCHMARK
set -u
top=$1 build=$2
rounds=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
kernels=$top/scripts/kernels vm=$top/scripts/vm
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmbench-kernels.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
# The results go under results/ of the source tree; each case here names
# its own directory and removes it.
printf 'single --runs 2 --rounds 1 --iterations 5   # the smallest plan\n' >"$tmp/plan"

# run NAME [OPTION...] -- KERNEL...: status in $rc, output in $tmp/NAME.out,
# seconds taken in $took.
run() {
	name=$1
	shift
	start=$(date +%s)
	"$kernels" --plan "$tmp/plan" --out "$tmp/$name.compare" "$@" >"$tmp/$name.out" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
}
said() { grep -q -- "$2" "$tmp/$1.out" || fail "$1: no \"$2\" in: $(cat "$tmp/$1.out")"; }

# Can the machine run here at all (QEMU, root to install it)?
"$vm" --info >"$tmp/info" 2>&1
case $? in
0) ;;
77) cat "$tmp/info"; exit 77 ;;
*) fail "scripts/vm --info: $(cat "$tmp/info")" ;;
esac
package=$(sed -n 's/^kernel: \([^ ]*\) .*/\1/p' "$tmp/info")
release=$(sed -n 's/^release: //p' "$tmp/info")
kroot=$(sed -n 's/^modules: \(.*\)\/lib\/modules\/.*/\1/p' "$tmp/info")
[ -n "$release" ] && [ -d "$kroot/boot" ] || fail "scripts/vm --info says no kernel: $(cat "$tmp/info")"
host=$(uname -n)
out=$top/results/$host-$release-emulated
cleanup() { rm -rf "$out"-kvmbench_test*; }
trap 'cleanup; rm -rf "$tmp"' EXIT

# 1. No such file: refused before anything is measured, in a second.
run missing "$build" "$package,kvmbench_test=1" /no/such/bzImage
[ $rc = 1 ] || fail "a missing kernel file gave $rc"
said missing "kernel /no/such/bzImage: no such file or directory"
said missing "nothing was measured"
[ $took -lt 30 ] || fail "a missing kernel file took $took s to refuse"
[ ! -e "$out-kvmbench_test=1" ] || fail "a missing kernel file still let another kernel run"

# A path given as ~/... inside quotes (KERNELS="~/src/linux") is the home's.
run tilde "$build" "~/no-such-kvmbench-kernel"
[ $rc = 1 ] || fail "a missing ~/ kernel gave $rc"
said tilde "kernel $HOME/no-such-kvmbench-kernel: no such file or directory"

# 2. A kernel without kvm_amd and 9p (its modules.dep without them): named
# before any boot, with the config options that would give them.
mkdir -p "$tmp/nokvm/boot" "$tmp/nokvm/lib/modules" || fail "mkdir"
cp "$kroot/boot/vmlinuz-$release" "$tmp/nokvm/boot/" &&
	cp -r "$kroot/lib/modules/$release" "$tmp/nokvm/lib/modules/" || fail "cannot copy $kroot"
grep -v -e '/kvm-amd\.ko' -e '/kvm_amd\.ko' -e '/fs/9p/9p\.ko' "$kroot/lib/modules/$release/modules.dep" \
	>"$tmp/nokvm/lib/modules/$release/modules.dep"
run nokvm "$build" "$tmp/nokvm/boot/vmlinuz-$release"
[ $rc = 1 ] || fail "a kernel without kvm_amd gave $rc"
said nokvm "lacks what the machine needs: 9p (CONFIG_9P_FS), kvm_amd (CONFIG_KVM_AMD)"
[ $took -lt 30 ] || fail "a kernel without kvm_amd took $took s to refuse"

# 3. Not a kernel at all.
echo "not a kernel" >"$tmp/junk"
run junk "$build" "$tmp/junk"
[ $rc = 1 ] && grep -q "not an x86 kernel image" "$tmp/junk.out" || fail "junk gave $rc: $(cat "$tmp/junk.out")"

# 4. A module that does not load, after a kernel that ran: that one's
# results are kept, complete; the failed one is named with the reason.
run module --timeout 300 "$build" "$package,kvmbench_test=1" "$package,kvmbench_test=2,kvm_amd.npt=maybe"
[ $rc = 1 ] || fail "a module that did not load gave $rc: $(cat "$tmp/module.out")"
said module "modprobe kvm_amd failed"
said module "kvm_amd.npt=maybe: FAILED at round 1: the machine failed"
said module "$package,kvmbench_test=1: complete"
"$build/report/kvmbench-report" "$out-kvmbench_test=1" >"$tmp/kept" 2>&1 &&
	grep -q 'create-run-close.* 2: ' "$tmp/kept" ||
	fail "the kernel that ran lost its 2 runs: $(cat "$tmp/kept")"
grep -q 'EMULATED' "$tmp/kept" || fail "an emulated run does not say so: $(cat "$tmp/kept")"

# 5. A kernel that panics (its init cannot be found): named, 125 inside.
run panic --timeout 120 "$build" "$package,kvmbench_test=1,rdinit=/no/init"
[ $rc = 1 ] || fail "a panic gave $rc"
said panic "the kernel panicked ($package"
said panic "FAILED at round 1"

# 6. A kernel that hangs (init sleeps for ever): stopped at --timeout.
run hang --timeout 30 "$build" "$package,kvmbench_test=1,rdinit=/bin/busybox,--,sleep,100000"
[ $rc = 1 ] || fail "a hang gave $rc"
said hang "no exit status within 30 s ($package"
[ $took -lt 90 ] || fail "a hang with --timeout 30 took $took s to stop"

# 7. kvm_amd with nested paging under QEMU's software emulation: the
# guests run and verify, and KVM emulates none of their instructions (a
# run that needs emulation stops with exit 1: vm_count()).
"$vm" --accel tcg --append kvm_amd.npt=1 --timeout 300 -- \
	"$rounds" --vms 2 --rounds 2 --verify --guest-timeout 5000 \
	--output "/run/tmp/npt.cbor" >"$tmp/npt.out" 2>&1
npt=$?
[ $npt = 0 ] || fail "kvm_amd.npt=1: rounds gave $npt: $(cat "$tmp/npt.out")"
echo "kvm_amd.npt=1 under emulation: rounds ran and verified"
echo "a missing file, a kernel without KVM or 9p, junk, a module that does not load, a panic and a hang are named; what ran is kept"
