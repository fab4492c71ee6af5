#include <string.h>

#include "series.h"
#include "series_breakeven.h"
#include "series_memory.h"
#include "series_scaling.h"

const struct reading scaling_readings[SCALING_READINGS] = {
	[SCALING_CUMULATIVE] = { "cumulative", "ns", "cumulative_s" },
	[SCALING_WALL] = { "wall", "ns", "wall_s" },
	[SCALING_MAPS] = { "maps", "count", "maps" },
	[SCALING_FDS] = { "fds", "count", "fds" },
	[SCALING_RSS] = { "rss", "bytes", "rss_MiB" },
	[SCALING_SLAB] = { "slab", "bytes", "slab_MiB" },
	[SCALING_PAGETABLES] = { "pagetables", "bytes", "pagetables_MiB" },
	[SCALING_KERNELSTACK] = { "kernelstack", "bytes", "kernelstack_MiB" },
	[SCALING_TASKS] = { "tasks", "count", "tasks" },
};

const struct reading live_readings[LIVE_READINGS] = {
	[LIVE_RSS] = { "live-rss", "bytes", "process RSS" },
	[LIVE_SLAB] = { "live-slab", "bytes", "kernel Slab" },
	[LIVE_PAGETABLES] = { "live-pagetables", "bytes", "PageTables" },
	[LIVE_KERNELSTACK] = { "live-kernelstack", "bytes", "KernelStack" },
	[LIVE_KERNEL_THREADS] = { "live-kernel-threads", "count", "kernel threads" },
	[LIVE_PROCESS_THREADS] = { "live-process-threads", "count", "threads of this process" },
};

const char *const breakeven_mode_names[BE_MODES] = {
	[BE_KVM_SINGLE] = "kvm-single", [BE_KVM_REUSE] = "kvm-reuse",
	[BE_EMU_SINGLE] = "emu-single", [BE_EMU_REUSE] = "emu-reuse",
};

bool series_is_reading(const char *name)
{
	if (!strcmp(name, SERIES_WORKER))
		return true;
	for (int i = 0; i < SCALING_READINGS; i++)
		if (!strcmp(name, scaling_readings[i].name))
			return true;
	for (int i = 0; i < LIVE_READINGS; i++)
		if (!strcmp(name, live_readings[i].name))
			return true;
	return false;
}
