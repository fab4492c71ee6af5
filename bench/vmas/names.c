/* The readings kvmbench-vmas takes (names.h). */
#include "names.h"

const struct reading vmas_readings[VMAS_READINGS] = {
	[VMAS_COUNTED] = { "vmas-counted", "count", "vmas_counted" },
};
READINGS_REGISTER(vmas_readings);
