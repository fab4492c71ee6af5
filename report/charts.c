/*
 * A view per chart: the data one chart draws, with its own titles,
 * legends and colours, so that bench/<experiment>/<chart>.gp plots whatever lines it
 * is given and knows no series, label or result file by name.  Each view
 * (bench/<experiment>/view.c, one file per experiment, registered there
 * with VIEW_REGISTER) writes <chart>.gp (numbers and esc_gnuplot literals:
 * machine, subtitle, and the lines) and the data files it needs; "charts"
 * lists the charts that a run's results let draw, for scripts/plot.
 */
#include <stdio.h>
#include <stdlib.h>

#include "view.h"
#include "util.h"

/* Every view registered with VIEW_REGISTER, gathered by the linker. */
extern const struct view __start_kvmbench_views[], __stop_kvmbench_views[];

static int by_order(const void *a, const void *b)
{
	const struct view *x = *(const struct view *const *)a, *y = *(const struct view *const *)b;

	return (x->order > y->order) - (x->order < y->order);
}

int charts_write(const char *dir, const struct results *rs)
{
	/* The two ends of one section, which the linker laid out as an array. */
	// cppcheck-suppress comparePointers
	size_t n = (size_t)(__stop_kvmbench_views - __start_kvmbench_views);
	const struct view **views = malloc((n ? n : 1) * sizeof(*views));
	FILE *list = views ? view_open(dir, "charts") : NULL;
	int err = 0;

	if (!list) {
		free(views);
		return views ? 1 : report_fail("out of memory");
	}
	for (size_t i = 0; i < n; i++)
		views[i] = &__start_kvmbench_views[i];
	qsort(views, n, sizeof(*views), by_order);
	for (size_t i = 0; i < n && !err; i++) {
		int drawn = views[i]->write(dir, rs);
		err = drawn < 0;
		for (int k = 0; drawn > 0 && k < 2 && views[i]->charts[k]; k++)
			fprintf(list, "%s\n", views[i]->charts[k]);
	}
	free(views);
	if (err) {
		fclose(list);
		return 1;
	}
	return data_close(list, "the list of charts");
}
