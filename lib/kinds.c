/* The names results record for the VMM's kinds (kinds.h). */
#include <stddef.h>

#include "kinds.h"

const char *const vm_memory_names[] = { "shared", "individual", NULL };

const char *const vcpu_reset_names[] = {
	[VCPU_RESET_REGS] = "regs", [VCPU_RESET_SREGS] = "sregs",
	[VCPU_RESET_FXRSTOR] = "fxrstor", [VCPU_RESET_FULL] = "full",
	[VCPU_RESET_RECREATE] = "recreate", [VCPU_RESET_COUNT] = NULL,
};

const char *const vm_phase_names[VM_PHASES] = {
	[VM_PHASE_CREATE_VM] = "create-vm", [VM_PHASE_MEMSLOTS] = "memslots",
	[VM_PHASE_CREATE_VCPU] = "create-vcpu", [VM_PHASE_MAP_RUN] = "map-run",
	[VM_PHASE_SET_CPUID] = "set-cpuid", [VM_PHASE_SET_REGISTERS] = "set-registers",
	[VM_PHASE_RUN] = "run", [VM_PHASE_TEARDOWN] = "teardown",
};
