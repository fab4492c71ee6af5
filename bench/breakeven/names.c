/* The "mode" label of each of kvmbench-breakeven's modes (names.h). */
#include "names.h"

const char *const breakeven_mode_names[BE_MODES] = {
	[BE_KVM_SINGLE] = "kvm-single", [BE_KVM_REUSE] = "kvm-reuse",
	[BE_EMU_SINGLE] = "emu-single", [BE_EMU_REUSE] = "emu-reuse",
};
