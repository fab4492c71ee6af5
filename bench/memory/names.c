/* The readings kvmbench-memory takes with its VMs kept live (names.h). */
#include "names.h"

const struct reading live_readings[LIVE_READINGS] = {
	[LIVE_RSS] = { "live-rss", "bytes", "process RSS" },
	[LIVE_SLAB] = { "live-slab", "bytes", "kernel Slab" },
	[LIVE_PAGETABLES] = { "live-pagetables", "bytes", "PageTables" },
	[LIVE_KERNELSTACK] = { "live-kernelstack", "bytes", "KernelStack" },
	[LIVE_KERNEL_THREADS] = { "live-kernel-threads", "count", "kernel threads" },
	[LIVE_PROCESS_THREADS] = { "live-process-threads", "count", "threads of this process" },
};
READINGS_REGISTER(live_readings);
