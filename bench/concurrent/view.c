/*
 * The views of concurrent: batch means of live VMs, and creating from several threads.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

/* ---- concurrent: creation time while the VMs before stay alive ---- */

static int view_concurrent(const char *dir, const struct results *rs)
{
	/* The seed's form: one thread, one process. */
	static const struct want one[] = {
		{ "threads", NULL, 1, true }, { "processes", NULL, 0, true }, { NULL, NULL, 0, false },
	};
	const struct result *r = report_find(rs, "concurrent", one);
	const struct rec_series *s = r ? report_series(&r->rec, SERIES_CREATE_RUN, NULL, NULL) : NULL;
	uint64_t batches = 8;
	FILE *out;

	if (!s || !s->n)
		return 0;
	rec_map_uint(&r->rec.parameters, "batches", &batches);
	if (!(out = view_open(dir, "concurrent.dat")))
		return -1;
	/* A sample's place in its run is the number of VMs alive before it. */
	fprintf(out, "# columns: live_vms_before us run\n");
	size_t start = 0, most = 0;
	for (size_t k = 0; k < s->nruns; k++) {
		for (size_t i = 0; i < s->runs[k]; i++)
			fprintf(out, "%zu %.3f %zu\n", i, (double)s->samples[start + i] / 1e3, k + 1);
		start += s->runs[k];
		most = s->runs[k] > most ? s->runs[k] : most;
	}
	if (data_close(out, "concurrent") || !(out = view_open(dir, "concurrent-batches.dat")))
		return -1;
	fprintf(out, "# columns: batch first_vm last_vm mean_us (live VMs grow with the batch; "
		"every run's VMs of those places)\n");
	if (r->published) {
		for (size_t b = 0; b < s->n; b++)
			fprintf(out, "%zu %zu %zu %.3f\n", b + 1, b * 125, (b + 1) * 125 - 1,
				(double)s->samples[b] / 1e3);
	} else {
		size_t per = most / (batches ? batches : 1);
		for (size_t b = 0; per && b < batches; b++) {
			size_t from = b * per, to = b + 1 == batches ? most : from + per;
			long double sum = 0;
			size_t count = 0;
			start = 0;
			for (size_t k = 0; k < s->nruns; k++) {
				for (size_t i = from; i < to && i < s->runs[k]; i++, count++)
					sum += s->samples[start + i];
				start += s->runs[k];
			}
			fprintf(out, "%zu %zu %zu %.3f\n", b + 1, from, to - 1,
				count ? (double)(sum / count) / 1e3 : 0.0);
		}
	}
	if (data_close(out, "concurrent") || !(out = view_open(dir, "concurrent.gp")))
		return -1;
	view_head(out, r, !r->rec.complete, "%zu VMs", report_n(s));
	return data_close(out, "concurrent") ? -1 : 1;
}

/* ---- threads: concurrent at 1..N threads, one row per run ---- */

static int view_threads(const char *dir, const struct results *rs)
{
	const struct result *head = NULL;
	uint64_t most = 0, made = 0;
	FILE *out = NULL;

	for (uint64_t want = 1; want <= 256; want++) {
		for (size_t i = 0; i < rs->n; i++) {
			const struct record *rec = &rs->r[i].rec;
			uint64_t threads = 1, wall, sys, user;
			if (strcmp(rec->benchmark, "concurrent") || rs->r[i].published ||
			    rec_map_uint(&rec->parameters, "wall_ns", &wall) ||
			    rec_map_uint(&rec->parameters, "vms_made", &made) ||
			    rec_map_uint(&rec->parameters, "sys_ns", &sys) ||
			    rec_map_uint(&rec->parameters, "user_ns", &user) || !wall)
				continue;
			rec_map_uint(&rec->parameters, "threads", &threads);
			if (threads != want)
				continue;
			if (!out) {
				if (!(out = view_open(dir, "threads.dat")))
					return -1;
				fprintf(out, "# columns: threads vms vms_per_s sys_cores user_cores "
					"complete (cores: CPU seconds per wall second)\n");
				head = &rs->r[i];
			}
			double w = (double)wall / 1e9;
			fprintf(out, "%llu %llu %.1f %.3f %.3f %d\n", (unsigned long long)threads,
				(unsigned long long)made, (double)made / w, (double)sys / 1e9 / w,
				(double)user / 1e9 / w, rec->complete);
			most = threads;
		}
	}
	if (!out)
		return 0;
	if (data_close(out, "threads") || !(out = view_open(dir, "threads.gp")))
		return -1;
	view_head(out, head, !head->rec.complete, "%llu VMs per run", (unsigned long long)made);
	fprintf(out, "threads_max = %llu\n", (unsigned long long)most);
	return data_close(out, "threads") ? -1 : 1;
}

/* The charts of this file, in the list of every chart (report/view.h). */
VIEW_REGISTER(40, view_concurrent, "concurrent");
VIEW_REGISTER(80, view_threads, "threads");
