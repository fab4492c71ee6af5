/*
 * The views of scaling: instantiation (cumulative time at every step, sharded runs
 * overlaid) and processes (how many VMs a process should hold).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"
#include "names.h"

/* ---- instantiation: scaling's cumulative time at every step ---- */

/* A scaling run of this kind, by what it records, not by its file's name:
 * spread over worker processes (its "workers"), or the sweep over VMs per
 * process ("sweep_processes"); the first in file order. */
static const struct result *scaling_run(const struct results *rs, bool sweep)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct record *rec = &rs->r[i].rec;
		const struct rec_value *v = rec_map_get(&rec->parameters, "sweep_processes");
		bool swept = v && v->type == REC_BOOL && v->b;
		if (!strcmp(rec->benchmark, "scaling") && swept == sweep &&
		    (sweep || rec_map_get(&rec->parameters, "workers")))
			return &rs->r[i];
	}
	return NULL;
}

/* instantiation-sharded.dat: VMs, cumulative and wall seconds of a run
 * spread over processes; its legend into title ("" when it has none). */
static int sharded_steps(const char *dir, const struct result *r, char *title, size_t size)
{
	const struct rec_series *cum = report_series(&r->rec, "cumulative", NULL, NULL),
				*wall = report_series(&r->rec, "wall", NULL, NULL);
	uint64_t step = 1000, per = 0, workers = 0;
	FILE *out;

	if (!cum || !wall || report_readings(cum) < 2)
		return 0;
	rec_map_uint(&r->rec.parameters, "step", &step);
	rec_map_uint(&r->rec.parameters, "worker_vms", &per);
	rec_map_uint(&r->rec.parameters, "workers", &workers);
	if (!(out = view_open(dir, "instantiation-sharded.dat")))
		return -1;
	fprintf(out, "# columns: vms cumulative_s wall_s\n");
	for (size_t i = 0; i < report_readings(cum); i++)
		fprintf(out, "%llu %.6f %.6f\n", (unsigned long long)(i * step),
			report_reading(cum, i) / 1e9,
			i < report_readings(wall) ? report_reading(wall, i) / 1e9 : -1.0);
	if (per)
		snprintf(title, size, "%llu processes of %llu VMs", (unsigned long long)workers,
			 (unsigned long long)per);
	else
		snprintf(title, size, "spread over processes");
	return data_close(out, "instantiation-sharded");
}

static int view_instantiation(const char *dir, const struct results *rs)
{
	/* The seed's form: every VM in this one process. */
	static const struct want one[] = {
		{ "processes", NULL, 0, true }, { "vms_per_process", NULL, 0, true },
		{ "sweep_processes", NULL, 0, true }, { NULL, NULL, 0, false },
	};
	const struct result *r = report_find(rs, "scaling", one);
	const struct rec_series *c[SCALING_READINGS], *create;
	uint64_t step = 1000;
	FILE *out;

	if (!r)
		return 0;
	for (int k = 0; k < SCALING_READINGS; k++)
		c[k] = report_series(&r->rec, scaling_readings[k].name, NULL, NULL);
	if (!c[SCALING_CUMULATIVE] || c[SCALING_CUMULATIVE]->n < 2)
		return 0;
	rec_map_uint(&r->rec.parameters, "step", &step);
	/* With several runs, each step's reading is their median. */
	const struct rec_series *cum = c[SCALING_CUMULATIVE];
	size_t steps = report_readings(cum);
	/* Measured runs start with a reading at 0 VMs; published tables do not. */
	size_t first = cum->samples[0] == 0 ? 0 : 1;
	double *x = calloc(steps, sizeof(double)), *y = calloc(steps, sizeof(double));
	if (!x || !y || !(out = view_open(dir, "instantiation.dat"))) {
		free(x);
		free(y);
		return -1;
	}
	fprintf(out, "# columns: vms");
	for (int k = 0; k < SCALING_READINGS; k++)
		fprintf(out, " %s", scaling_readings[k].title);
	fprintf(out, " (-1: not recorded)\n");
	for (size_t i = 0; i < steps; i++) {
		x[i] = (double)((i + first) * step);
		y[i] = report_reading(cum, i) / 1e9;
		fprintf(out, "%.0f", x[i]);
		for (int k = 0; k < SCALING_READINGS; k++) {
			const char *unit = scaling_readings[k].unit;
			double f = !strcmp(unit, "ns") ? 1e-9 : !strcmp(unit, "bytes") ? 1.0 / 1048576 : 1;
			double v = c[k] ? report_reading(c[k], i) : -1;
			fprintf(out, " %.6f", v < 0 ? -1 : v * f);
		}
		fputc('\n', out);
	}
	struct linfit fit;
	bool fitted = stats_linfit(x, y, steps, &fit) == 0;
	free(x);
	free(y);
	if (data_close(out, "instantiation"))
		return -1;
	/* The same VMs spread over worker processes, when the run has them. */
	char sharded[128] = "";
	const struct result *sr = scaling_run(rs, false);
	if (sr && sharded_steps(dir, sr, sharded, sizeof(sharded)) < 0)
		return -1;
	if (!(out = view_open(dir, "instantiation.gp")))
		return -1;
	create = report_series(&r->rec, SERIES_CREATE_RUN, NULL, NULL);
	size_t runs = rec_nruns(&r->rec);
	view_head(out, r, !r->rec.complete, "%zu VMs kept alive%s", create ?
		  report_n(create) / (runs ? runs : 1) : 0, runs > 1 ? ", median of the runs" : "");
	fprintf(out, "sharded = %d\n", sharded[0] != 0);
	gp_text(out, "sharded_title", sharded);
	/* The least-squares line through (VMs, cumulative seconds). */
	fprintf(out, "fitted = %d\n", fitted);
	gp_number(out, "fit_slope", fitted ? fit.slope : 0);
	gp_number(out, "fit_intercept", fitted ? fit.intercept : 0);
	gp_number(out, "fit_r2", fitted ? fit.r2 : 0);
	return data_close(out, "instantiation") ? -1 : 1;
}

/* ---- processes: how many VMs a process should hold ---- */

/* processes.dat: per point of scaling --sweep-processes, VMs per process,
 * processes, wall and summed creation seconds at the last step (the median
 * over the runs). */
static int view_processes(const char *dir, const struct results *rs)
{
	const struct result *r = NULL;
	uint64_t vms = 0;
	size_t points = 0;
	FILE *out;

	r = scaling_run(rs, true);
	if (!r || rec_map_uint(&r->rec.parameters, "vms", &vms) || !vms)
		return 0;
	if (!(out = view_open(dir, "processes.dat")))
		return -1;
	fprintf(out, "# columns: vms_per_process processes wall_s sum_s\n");
	for (size_t i = 0; i < r->rec.nseries; i++) {
		const struct rec_series *cum = &r->rec.series[i];
		const char *point = rec_map_text(&cum->labels, LABEL_VMS_PER_PROCESS);
		if (strcmp(cum->name, "cumulative") || !point || report_readings(cum) < 2)
			continue;
		const struct rec_series *wall = report_series(&r->rec, "wall",
							      LABEL_VMS_PER_PROCESS, point);
		unsigned long long per = strtoull(point, NULL, 10);
		size_t last = report_readings(cum) - 1;
		if (!wall || !per || report_readings(wall) <= last)
			continue;
		fprintf(out, "%llu %llu %.6f %.6f\n", per, ((unsigned long long)vms + per - 1) / per,
			report_reading(wall, last) / 1e9, report_reading(cum, last) / 1e9);
		points++;
	}
	if (data_close(out, "processes") || !points)
		return points ? -1 : 0;
	if (!(out = view_open(dir, "processes.gp")))
		return -1;
	view_head(out, r, !r->rec.complete, "%llu live VMs at every point",
		  (unsigned long long)vms);
	return data_close(out, "processes") ? -1 : 1;
}

/* The charts of this file, in the list of every chart (report/view.h). */
VIEW_REGISTER(10, view_instantiation, "instantiation");
VIEW_REGISTER(20, view_processes, "processes");
