/*
 * The view of neighbours: the victim's chunk time (p50, p99) against the
 * aggressors' achieved rate, a line per kind and placement, idle beside.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"
#include "names.h"

#define RUNS 64

/* The p50 (q 0) or p99 (q 1) of each run of s after warm-up, into v. */
static size_t run_stat(const struct rec_series *s, int q, double *v)
{
	size_t m = 0;

	for (size_t k = 0; k < s->nruns && k < RUNS; k++) {
		const uint64_t *x;
		struct summary sum;
		size_t n = rec_run_kept(s, k, &x);
		if (n && !stats_summarize(x, n, &sum))
			v[m++] = q ? sum.p99 : sum.median;
	}
	return m;
}

/* The ratio of s's run statistic to idle's, run by run: median, min, max;
 * how many runs (0: they differ). */
static size_t run_ratio(const struct rec_series *s, const struct rec_series *idle, int q,
			double out[3])
{
	double a[RUNS], b[RUNS];
	uint64_t r[RUNS];
	size_t na = run_stat(s, q, a), nb = run_stat(idle, q, b);
	struct summary sum;

	if (!na || na != nb)
		return 0;
	for (size_t k = 0; k < na; k++)
		r[k] = (uint64_t)(a[k] / b[k] * 1e6);
	if (stats_summarize(r, na, &sum))
		return 0;
	out[0] = sum.median / 1e6;
	out[1] = (double)sum.min / 1e6;
	out[2] = (double)sum.max / 1e6;
	return na;
}

static int view_neighbours(const char *dir, const struct results *rs)
{
	static const char *const kinds[] = { "oneshot", "reset", "mmap" };
	static const char *const places[] = { "process", "thread" };
	const struct result *r = report_find(rs, "neighbours", NULL);
	const struct rec_series *idle = r ? report_series(&r->rec, SERIES_VICTIM_CHUNK,
							  LABEL_AGGRESSOR, "none") : NULL;
	struct summary base;
	char worst[256] = "";
	double worst_ratio = 0;
	FILE *out;

	if (!idle || report_summary(idle, &base) || !(out = view_open(dir, "neighbours.dat")))
		return idle ? -1 : 0;
	fprintf(out, "# the victim's chunk against the aggressors' rate; a block per kind and "
		"placement (oneshot, reset, mmap; process then thread); columns: ops_per_s "
		"p50 p99 max (us)\n");
	for (size_t k = 0; k < 3; k++) {
		for (size_t p = 0; p < 2; p++) {
			fprintf(out, "%s# %s, %s\n", k || p ? "\n\n" : "", kinds[k], places[p]);
			for (size_t i = 0; i < r->rec.nseries; i++) {
				const struct rec_series *s = &r->rec.series[i];
				const char *a = rec_map_text(&s->labels, LABEL_AGGRESSOR);
				const char *pl = rec_map_text(&s->labels, LABEL_PLACEMENT);
				const char *rate = rec_map_text(&s->labels, LABEL_RATE);
				struct summary sum, ops;
				double ratio[3];
				if (strcmp(s->name, SERIES_VICTIM_CHUNK) || !a || strcmp(a, kinds[k]) ||
				    !pl || strcmp(pl, places[p]) || !rate || report_summary(s, &sum))
					continue;
				const struct rec_series *o = NULL;
				for (size_t j = 0; j < r->rec.nseries && !o; j++) {
					const struct rec_series *t = &r->rec.series[j];
					const char *ta = rec_map_text(&t->labels, LABEL_AGGRESSOR);
					const char *tp = rec_map_text(&t->labels, LABEL_PLACEMENT);
					const char *tr = rec_map_text(&t->labels, LABEL_RATE);
					if (!strcmp(t->name, neighbours_readings[NEIGHBOURS_OPS].name) &&
					    ta && tp && tr && !strcmp(ta, a) && !strcmp(tp, pl) &&
					    !strcmp(tr, rate))
						o = t;
				}
				if (!o || report_summary(o, &ops))
					continue;
				fprintf(out, "%.1f %.3f %.3f %.3f\n", ops.median, sum.median / 1e3,
					sum.p99 / 1e3, (double)sum.max / 1e3);
				size_t runs = run_ratio(s, idle, 1, ratio);
				if (runs && ratio[0] > worst_ratio) {
					worst_ratio = ratio[0];
					snprintf(worst, sizeof(worst), "worst p99: %s, %s, rate %s: "
						 "%.2fx idle's (%.2f-%.2f, %zu run%s)", a, pl, rate,
						 ratio[0], ratio[1], ratio[2], runs, runs > 1 ? "s" : "");
				}
			}
		}
	}
	if (data_close(out, "neighbours") || !(out = view_open(dir, "neighbours.gp")))
		return -1;
	view_head(out, r, !r->rec.complete, "idle p50 %.1f us, p99 %.1f us", base.median / 1e3,
		  base.p99 / 1e3);
	gp_number(out, "idle_p99", base.p99 / 1e3);
	gp_number(out, "idle_p50", base.median / 1e3);
	gp_text(out, "worst", worst);
	return data_close(out, "neighbours") ? -1 : 1;
}

VIEW_REGISTER(180, view_neighbours, "neighbours");
