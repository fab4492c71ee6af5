/* The readings kvmbench-neighbours takes (names.h). */
#include "names.h"

const struct reading neighbours_readings[NEIGHBOURS_READINGS] = {
	[NEIGHBOURS_OPS] = { "aggressor-ops", "count", "ops_per_s" },
};
READINGS_REGISTER(neighbours_readings);
