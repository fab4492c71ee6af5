/* Which series hold readings (series.h): the shared one and the tables
 * the experiments linked in registered. */
#include <string.h>

#include "series.h"

/* The two ends of the section; weak, for a program that registers none. */
extern const struct readings __start_kvmbench_readings[] __attribute__((weak));
extern const struct readings __stop_kvmbench_readings[] __attribute__((weak));

bool series_is_reading(const char *name)
{
	if (!strcmp(name, SERIES_WORKER))
		return true;
	/* The two ends of one section, which the linker laid out as an array. */
	// cppcheck-suppress comparePointers
	for (const struct readings *t = __start_kvmbench_readings; t && t < __stop_kvmbench_readings;
	     t++)
		for (size_t i = 0; i < t->n; i++)
			if (!strcmp(name, t->table[i].name))
				return true;
	return false;
}
