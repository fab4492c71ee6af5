/* The readings kvmbench-scaling takes at each step (names.h). */
#include "names.h"

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
READINGS_REGISTER(scaling_readings);
