/* The names of kvmbench-fork's results (names.h). */
#include <stddef.h>

#include "names.h"

const char *const fork_method_names[METHODS + 1] = { "hello", "fresh", "fork", "reset", NULL };

const struct reading fork_live_readings[LIVE_READINGS] = {
	[LIVE_CUMULATIVE] = { "live-cumulative", "ns", "cumulative_s" },
	[LIVE_RSS] = { "live-rss", "bytes", "rss" },
	[LIVE_PSS] = { "live-pss", "bytes", "pss" },
	[LIVE_PRIVATE] = { "live-private", "bytes", "private" },
	[LIVE_SLAB] = { "live-slab", "bytes", "slab" },
	[LIVE_PAGETABLES] = { "live-pagetables", "bytes", "pagetables" },
	[LIVE_SECPAGETABLES] = { "live-secpagetables", "bytes", "secpagetables" },
	[LIVE_KERNELSTACK] = { "live-kernelstack", "bytes", "kernelstack" },
	[LIVE_USED] = { "live-used", "bytes", "used" },
	[LIVE_PRIVATE_DIRTY] = { "live-private-dirty", "bytes", "private_dirty" },
};
READINGS_REGISTER(fork_live_readings);
