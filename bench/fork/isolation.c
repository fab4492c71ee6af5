/* Description: forks of a warmed snapshot (lib/snapshot.h) in real VMs.
 * A fork sees exactly the warmed state: its guest's checksum of the whole
 * table is the host's, and the snapshot holds the table byte for byte.  A
 * fork's writes reach neither the snapshot nor another live fork, while
 * the fork itself sees them (the control that shows the check can).  The
 * vCPU state a request poisons (flags, segments, x87, SSE) is still there
 * when the same VM is entered again without a reset (the control), and is
 * gone in a new fork and in the VM put back to the snapshot with each
 * isolating reset strategy that passes its probe: memory and vCPU both.
 * Small tables: it runs under the emulated KVMs too. */
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "err.h"
#include "helpers.h"
#include "reset.h"
#include "snapshot.h"
#include "table.h"

#define WARM (256u << 10)
#define STAMP 0x5a5a5a5a5a5a5a5aull

static struct kvm kvm;
static struct vm_snapshot snap;
static const struct guest_image *guest;

/* vm entered as it is: its status, the checksum in *sum. */
static uint32_t request(struct vm *vm, uint64_t *sum)
{
	struct vm_result res;

	T_CHECK(vm_run(vm, &res) == 0, "%s", err_msg());
	*sum = 0;
	if (res.out_len == 8)
		memcpy(sum, res.out, 8);
	return res.status;
}

/* vm's next request: registers as a snapshot restore sets them. */
static uint32_t ask(struct vm *vm, uint64_t stamp, uint64_t pages, uint64_t flags, uint64_t *sum)
{
	T_CHECK(vm_snapshot_restore(vm, &snap, stamp, WARM_REQUEST(pages, flags)) == 0, "%s",
		err_msg());
	return request(vm, sum);
}

static void take(void)
{
	struct vm_template t;
	struct vm_result res;
	struct vm vm;

	T_CHECK(vm_template_init(&t, &kvm, guest, VM_MEM_INDIVIDUAL, WARM + (64u << 10)) == 0,
		"%s", err_msg());
	vm_template_args(&t, WARM, 0);
	T_CHECK(vm_create(&vm, &t) == 0, "%s", err_msg());
	T_CHECK(vm_run(&vm, &res) == 0 && res.status == 0 && res.out_len == 0,
		"warm-up: status 0x%x, %zu bytes out", res.status, res.out_len);
	T_CHECK(vm_snapshot_take(&snap, &vm) == 0, "%s", err_msg());
	vm_destroy(&vm);
	vm_template_fini(&t);
}

static void test_warmed_state(const struct vm_template *t)
{
	uint64_t *table = malloc(WARM), sum;
	struct vm vm;

	T_CHECK(table, "memory");
	warm_table_fill(table, WARM / 8);
	T_CHECK(!memcmp(snap.mem, table, WARM), "the snapshot's memory is not the warmed table");
	T_CHECK(vm_create(&vm, t) == 0, "%s", err_msg());
	T_CHECK(ask(&vm, 0, 0, WARM_VERIFY, &sum) == 0, "verify failed");
	T_CHECK(sum == warm_checksum(WARM / 8), "a fork's checksum 0x%llx, not the table's",
		(unsigned long long)sum);
	T_CHECK(ask(&vm, 0, 3, 0, &sum) == 0 && sum == warm_checksum(3 * 512),
		"a request over 3 pages answered 0x%llx", (unsigned long long)sum);
	vm_destroy(&vm);
	free(table);
}

static void test_writes_stay(const struct vm_template *t)
{
	const uint64_t whole = warm_checksum(WARM / 8);
	uint64_t first, sum;
	struct vm a, b;

	T_CHECK(vm_create(&a, t) == 0 && vm_create(&b, t) == 0, "%s", err_msg());
	memcpy(&first, snap.mem, 8);
	T_CHECK(ask(&a, STAMP, WARM / 4096, 0, &sum) == 0, "a's request");
	T_CHECK(*(const uint64_t *)a.data == (first ^ STAMP), "a's write is not in a's memory");
	T_CHECK(ask(&a, 0, 0, WARM_VERIFY, &sum) == 0 && sum != whole,
		"a does not see its own writes: the check cannot see them");
	T_CHECK(ask(&b, 0, 0, WARM_VERIFY, &sum) == 0 && sum == whole,
		"another live fork sees a's writes");
	T_CHECK(*(const uint64_t *)snap.mem == first, "the snapshot changed");
	struct vm c;
	T_CHECK(vm_create(&c, t) == 0, "%s", err_msg());
	T_CHECK(ask(&c, 0, 0, WARM_VERIFY, &sum) == 0 && sum == whole,
		"a fork made after a's writes sees them");
	vm_destroy(&c);
	vm_destroy(&b);
	vm_destroy(&a);
}

static void test_vcpu(const struct vm_template *t)
{
	uint64_t sum;
	struct vm a, b;

	T_CHECK(vm_create(&a, t) == 0, "%s", err_msg());
	T_CHECK(ask(&a, 0, 1, WARM_INSPECT | WARM_POISON, &sum) == 0,
		"a new fork's vCPU is not pristine");
	/* The control: entered again as it is (the guest keeps its request,
	 * inspect included), it finds the poisoned state. */
	uint32_t st = request(&a, &sum);
	T_CHECK((st & GUEST_STATUS_VCPU) && (st & GUEST_LEAK_X87_CONTROL) && (st & GUEST_LEAK_XMM),
		"entered again without a reset: status 0x%x, the poisoned state not seen", st);
	T_CHECK(vm_create(&b, t) == 0, "%s", err_msg());
	st = ask(&b, 0, 1, WARM_INSPECT, &sum);
	T_CHECK(st == 0, "a new fork finds vCPU state of another: status 0x%x", st);
	vm_destroy(&b);
	vm_destroy(&a);
}

/* Each isolating strategy, memory and vCPU, on a fork that wrote every
 * page with a stamp and poisoned its vCPU. */
static void test_resets(void)
{
	static const enum reset_strategy hows[] = { RESET_FULL, RESET_MADVISE, RESET_COW,
						    RESET_DIRTY_LOG, RESET_DIRTY_RING,
						    RESET_DIRTY_LOG_HOT };
	const uint64_t whole = warm_checksum(WARM / 8);
	int ran = 0;

	for (size_t i = 0; i < sizeof(hows) / sizeof(hows[0]); i++) {
		const char *name = reset_strategies[hows[i]].name;
		struct vm_template t;
		uint64_t sum;
		struct vm vm;
		if (reset_probe(&kvm, hows[i])) {
			fprintf(stderr, "reset %s not checked: %s\n", name, err_msg());
			continue;
		}
		T_CHECK(vm_template_snapshot(&t, &snap, guest) == 0, "%s", err_msg());
		T_CHECK(reset_prepare(&t, hows[i]) == 0, "%s", err_msg());
		T_CHECK(vm_create(&vm, &t) == 0, "%s", err_msg());
		for (int round = 0; round < 3; round++) {
			T_CHECK(ask(&vm, STAMP, WARM / 4096, WARM_POISON, &sum) == 0, "%s: request",
				name);
			T_CHECK(reset_memory(&vm, hows[i]) == 0, "%s", err_msg());
			T_CHECK(ask(&vm, 0, 0, WARM_VERIFY | WARM_INSPECT, &sum) == 0,
				"%s, round %d: vCPU state left behind", name, round);
			T_CHECK(sum == whole, "%s, round %d: the table not put back", name, round);
			T_CHECK(reset_memory(&vm, hows[i]) == 0, "%s", err_msg());
		}
		vm_destroy(&vm);
		vm_template_fini(&t);
		ran++;
	}
	/* full and madvise track nothing: they always run. */
	T_CHECK(ran >= 2, "only %d strategies checked", ran);
}

int main(void)
{
	struct vm_template t;

	t_kvm_or_skip(&kvm);
	guest = guest_find("warm");
	T_CHECK(guest, "no warm guest");
	take();
	T_CHECK(vm_template_snapshot(&t, &snap, guest) == 0, "%s", err_msg());
	test_warmed_state(&t);
	test_writes_stay(&t);
	test_vcpu(&t);
	vm_template_fini(&t);
	test_resets();
	vm_snapshot_free(&snap);
	kvm_close(&kvm);
	return T_EXIT_PASS;
}
