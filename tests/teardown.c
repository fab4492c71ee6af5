/* Description: teardown returns every file descriptor and every mapping:
 * /proc/self/fd and /proc/self/maps count the same before and after 100
 * VMs of each memory kind, and after VMs that were created but never run. */
#include "abi.h"
#include "err.h"
#include "helpers.h"
#include "sysinfo.h"

int main(void)
{
	struct kvm kvm;

	t_kvm_or_skip(&kvm);
	for (int m = VM_MEM_SHARED; m <= VM_MEM_INDIVIDUAL; m++) {
		struct vm_template t;
		struct vm_result res;
		uint64_t ns;
		struct vm vm;

		T_CHECK(vm_template_init(&t, &kvm, guest_find("hello"), m,
					 GUEST_DATA_DEFAULT) == 0, "%s", err_msg());
		/* One VM first, so lazily created state (libc, KVM) is counted
		 * in the baseline, not as a leak. */
		T_CHECK(vm_oneshot(&t, &res, &ns) == 0, "%s", err_msg());
		long fds = sysinfo_fd_count(), maps = sysinfo_map_count();
		T_CHECK(fds > 0 && maps > 0, "cannot count fds (%ld) or maps (%ld)", fds, maps);

		for (int i = 0; i < 100; i++)
			T_CHECK(vm_oneshot(&t, &res, &ns) == 0, "VM %d: %s", i, err_msg());
		for (int i = 0; i < 10; i++) {
			T_CHECK(vm_create(&vm, &t) == 0, "%s", err_msg());
			T_CHECK(sysinfo_fd_count() == fds + 2, "a live VM holds %ld fds, not 2",
				sysinfo_fd_count() - fds);
			vm_destroy(&vm);
			vm_destroy(&vm);	/* twice is harmless */
		}
		T_CHECK(sysinfo_fd_count() == fds, "%s: %ld fds leaked", vm_memory_names[m],
			sysinfo_fd_count() - fds);
		T_CHECK(sysinfo_map_count() == maps, "%s: %ld mappings leaked",
			vm_memory_names[m], sysinfo_map_count() - maps);
		vm_template_fini(&t);
	}
	kvm_close(&kvm);
	return T_EXIT_PASS;
}
