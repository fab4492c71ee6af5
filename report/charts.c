/*
 * A view per chart: the data one chart draws, with its own titles,
 * legends and colours, so that scripts/<chart>.gp plots whatever lines it
 * is given and knows no series, label or result file by name.  Each view
 * (report/view_<experiment>.c, one file per experiment) writes <chart>.gp
 * (numbers and esc_gnuplot literals: machine, subtitle, and the lines) and
 * the data files it needs; "charts" lists the charts that a run's results
 * let draw, for scripts/plot.  A new chart is its view function, a line
 * here and scripts/<chart>.gp.
 */
#include <stdio.h>

#include "view.h"
#include "util.h"

/* ---- the table of views ---- */

static const struct view {
	int (*write)(const char *dir, const struct results *rs);
	const char *charts[2];	/* scripts/<chart>.gp, drawn from what write wrote */
} views[] = {
	{ view_instantiation, { "instantiation" } },
	{ view_processes, { "processes" } },
	{ view_single, { "single" } },
	{ view_concurrent, { "concurrent" } },
	{ view_rounds, { "rounds" } },
	{ view_memory, { "memory" } },
	{ view_phases, { "phases" } },
	{ view_threads, { "threads" } },
	{ view_strategies, { "strategies" } },
	{ view_sweep, { "sweep-pages", "sweep-size" } },
	{ view_vcpu_reset, { "vcpu-reset" } },
	{ view_breakeven, { "breakeven" } },
};

int charts_write(const char *dir, const struct results *rs)
{
	FILE *list = view_open(dir, "charts");

	if (!list)
		return 1;
	for (size_t i = 0; i < ARRAY_SIZE(views); i++) {
		int drawn = views[i].write(dir, rs);
		if (drawn < 0) {
			fclose(list);
			return 1;
		}
		for (int k = 0; drawn && k < 2 && views[i].charts[k]; k++)
			fprintf(list, "%s\n", views[i].charts[k]);
	}
	return data_close(list, "the list of charts");
}

