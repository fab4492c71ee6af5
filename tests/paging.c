/* Description: page tables that hardware paging can walk.  A hello VM, of
 * both memory kinds, runs with KVM emulating none of its instructions
 * beyond its port I/O (KVM's own statistics), whatever the KVM; a guest
 * that writes its page tables or its code faults and leaves every byte of
 * them as it was, for the next VM.  With the page tables put back in a
 * read-only memslot (a test's setting), the emulation check stops the run
 * where the KVM at hand walks guest page tables in hardware (npt, ept), and
 * changes nothing under shadow paging. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "err.h"
#include "helpers.h"
#include "sysinfo.h"
#include "watchdog.h"

static int hello(struct vm_template *t, struct vm_result *res)
{
	uint64_t ns;

	memset(res->kvm, 0, sizeof(res->kvm));
	return vm_oneshot(t, res, &ns);
}

int main(void)
{
	struct kvm kvm;
	struct vm_template t;
	struct vm_result res;
	char paging[32];

	t_kvm_or_skip(&kvm);
	if (!kvm.stats.available) {
		printf("SKIP: %s: KVM's own counts cannot be checked here\n", kvm.stats.why);
		return T_EXIT_SKIP;
	}
	T_CHECK(watchdog_start(t_scaled_ms(2000) * 1000000) == 0, "%s", err_msg());
	sysinfo_kvm_paging(paging, sizeof(paging));
	printf("%s; it emulates %u instruction(s) per port I/O exit\n", kvm.what,
	       kvm.emulated_per_io);
	T_CHECK(kvm.emulated_per_io <= 1, "%u per I/O exit", kvm.emulated_per_io);

	for (int m = VM_MEM_SHARED; m <= VM_MEM_INDIVIDUAL; m++) {
		T_CHECK(vm_template_init(&t, &kvm, guest_find("hello"), (enum vm_memory)m,
					 GUEST_DATA_DEFAULT) == 0, "%s", err_msg());
		for (int i = 0; i < 5; i++) {
			T_CHECK(hello(&t, &res) == 0, "%s", err_msg());
			T_CHECK(res.exits == 7 && res.exits_io == 7, "%u exits", res.exits);
			T_CHECK(res.kvm[KVMSTAT_INSN_EMULATION] == 7 * kvm.emulated_per_io,
				"%s memory: KVM emulated %llu instructions of hello",
				vm_memory_names[m],
				(unsigned long long)res.kvm[KVMSTAT_INSN_EMULATION]);
			T_CHECK(res.kvm[KVMSTAT_EXITS] >= res.exits, "KVM counted %llu exits",
				(unsigned long long)res.kvm[KVMSTAT_EXITS]);
		}
		vm_template_fini(&t);
	}

	/* Writes to the page tables and to the code fault at CPL 3; every byte
	 * of them is as it was, and the next VM runs. */
	const char *writers[] = { "fault-write-pagetables", "fault-write-code" };
	for (size_t w = 0; w < 2; w++) {
		T_CHECK(vm_template_init(&t, &kvm, guest_find(writers[w]), VM_MEM_SHARED,
					 GUEST_DATA_DEFAULT) == 0, "%s", err_msg());
		unsigned char *before = malloc(GUEST_LOW_SIZE);
		T_CHECK(before, "malloc");
		memcpy(before, t.low, GUEST_LOW_SIZE);
		int err = hello(&t, &res);
		T_CHECK(err == -EIO && strstr(err_msg(), "KVM_EXIT_SHUTDOWN") &&
			!strstr(err_msg(), "KVM emulated"), "%s: %s", writers[w], err_msg());
		T_CHECK(!memcmp(before, t.low, GUEST_LOW_SIZE), "%s changed the low memory",
			writers[w]);
		free(before);
		T_CHECK(vm_template_code(&t, guest_find("hello")) == 0, "%s", err_msg());
		T_CHECK(hello(&t, &res) == 0 && res.out_len == 6 && !memcmp(res.out, "hello\n", 6),
			"hello after %s: %s", writers[w], err_msg());
		vm_template_fini(&t);
	}

	/* The page tables in a read-only memslot, as before 0.3.0. */
	T_CHECK(vm_template_init(&t, &kvm, guest_find("hello"), VM_MEM_SHARED,
				 GUEST_DATA_DEFAULT) == 0, "%s", err_msg());
	t.low_readonly = true;
	int err = hello(&t, &res);
	if (sysinfo_hardware_paging()) {
		T_CHECK(err == -EIO && strstr(err_msg(), "KVM emulated") &&
			strstr(err_msg(), "read-only memslot"),
			"%s paging, page tables read-only: %s", paging,
			err ? err_msg() : "the run passed the emulation check");
		printf("read-only page tables, %s paging: refused: %s\n", paging, err_msg());
	} else {
		T_CHECK(err == 0 && res.kvm[KVMSTAT_INSN_EMULATION] == 7 * kvm.emulated_per_io,
			"%s paging, page tables read-only: %s (%llu emulated)", paging,
			err ? err_msg() : "passed",
			(unsigned long long)res.kvm[KVMSTAT_INSN_EMULATION]);
		printf("read-only page tables, %s paging: nothing emulated\n", paging);
	}
	vm_template_fini(&t);
	kvm_close(&kvm);
	return T_EXIT_PASS;
}
