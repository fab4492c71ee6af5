/* Description: the hello guest prints exactly "hello\n" and ends with
 * status 0 through its end port, under shared and individual memory, in a
 * real VM: 6 console exits and the end. */
#include <string.h>

#include "abi.h"
#include "err.h"
#include "helpers.h"

int main(void)
{
	struct kvm kvm;

	t_kvm_or_skip(&kvm);
	for (int m = VM_MEM_SHARED; m <= VM_MEM_INDIVIDUAL; m++) {
		struct vm_template t;
		struct vm_result res;
		uint64_t ns;

		T_CHECK(vm_template_init(&t, &kvm, guest_find("hello"), m,
					 GUEST_DATA_DEFAULT) == 0, "%s", err_msg());
		for (int i = 0; i < 3; i++) {
			memset(&res, 0xa5, sizeof(res));
			T_CHECK(vm_oneshot(&t, &res, &ns) == 0, "%s: %s", vm_memory_names[m], err_msg());
			T_CHECK(res.out_len == 6 && !memcmp(res.out, "hello\n", 6),
				"%s: printed '%.*s'", vm_memory_names[m], (int)res.out_len, res.out);
			T_CHECK(res.status == 0, "status %u", res.status);
			T_CHECK(res.exits == 7 && res.exits_io == 7, "%u exits, %u I/O",
				res.exits, res.exits_io);
		}
		vm_template_fini(&t);
	}
	kvm_close(&kvm);
	return T_EXIT_PASS;
}
