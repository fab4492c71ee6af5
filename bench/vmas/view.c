/*
 * The views of vmas: a single-use VM's KVM_CREATE_VM, first KVM_RUN and
 * whole cost against the VMAs of its process (vmas) and against live VMs
 * in another process (vmas-live), with the slope fitted run by run.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"
#include "names.h"

#define POINTS 16
#define RUNS 64

struct at {
	double x;
	const struct rec_series *s[3];	/* whole, create-vm, first-kvm-run */
};

/* The points of r's sweep, by their label key, in ascending x. */
static size_t points(const struct result *r, const char *key, struct at *p)
{
	static const char *const names[3] = { SERIES_CREATE_RUN_CLOSE, SERIES_CREATE_VM,
					      SERIES_FIRST_KVM_RUN };
	size_t n = 0;

	for (size_t i = 0; i < r->rec.nseries; i++) {
		const struct rec_series *s = &r->rec.series[i];
		const char *x = rec_map_text(&s->labels, key);
		size_t k = 0, j = 0;
		while (k < 3 && strcmp(s->name, names[k]))
			k++;
		if (!x || k == 3 || !report_n(s))
			continue;
		while (j < n && p[j].x != strtod(x, NULL))
			j++;
		if (j == n) {
			if (n == POINTS)
				continue;
			memset(&p[n], 0, sizeof(p[n]));
			p[n++].x = strtod(x, NULL);
		}
		p[j].s[k] = s;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && p[j - 1].x > p[j].x; j--) {
			struct at t = p[j];
			p[j] = p[j - 1];
			p[j - 1] = t;
		}
	return n;
}

/* The slope of KVM_CREATE_VM's run medians against x, run by run: their
 * median, min and max into fit[0..2] (us per unit of x); how many runs. */
static size_t run_slopes(const struct at *p, size_t n, double fit[3])
{
	double med[POINTS][RUNS], x[POINTS], y[POINTS];
	uint64_t slopes[RUNS];
	size_t runs = 0;

	for (size_t i = 0; i < n; i++) {
		if (!p[i].s[1] || p[i].s[1]->nruns > RUNS)
			return 0;
		size_t m = report_run_medians(p[i].s[1], med[i]);
		if (i && m != runs)
			return 0;
		runs = m;
	}
	for (size_t k = 0; k < runs; k++) {
		struct linfit f;
		for (size_t i = 0; i < n; i++) {
			x[i] = p[i].x;
			y[i] = med[i][k] / 1e3;
		}
		if (stats_linfit(x, y, n, &f))
			return 0;
		/* In nanounits of x, kept as integers for stats_summarize. */
		slopes[k] = f.slope > 0 ? (uint64_t)(f.slope * 1e9) : 0;
	}
	struct summary s;
	if (!runs || stats_summarize(slopes, runs, &s))
		return 0;
	fit[0] = s.median / 1e9;
	fit[1] = (double)s.min / 1e9;
	fit[2] = (double)s.max / 1e9;
	return runs;
}

static int write_view(const char *dir, const struct result *r, const char *key,
		      const char *chart, const char *per)
{
	struct at p[POINTS];
	size_t n = points(r, key, p);
	char file[64], text[320];
	double fit[3];
	FILE *out;

	if (n < 2 || !p[0].s[0] || !p[0].s[1])
		return 0;
	snprintf(file, sizeof(file), "%s.dat", chart);
	if (!(out = view_open(dir, file)))
		return -1;
	fprintf(out, "# against %s; columns: x, then median p25 p75 (us) of create-vm, "
		"first-kvm-run, create-run-close\n", key);
	double xs[POINTS], ys[POINTS];
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%.0f", p[i].x);
		for (int k = 1; k <= 3; k++) {
			struct summary s;
			const struct rec_series *se = p[i].s[k % 3];
			if (se && !report_summary(se, &s))
				fprintf(out, " %.3f %.3f %.3f", s.median / 1e3, s.p25 / 1e3, s.p75 / 1e3);
			else
				fprintf(out, " NaN NaN NaN");
			if (k == 1) {
				xs[i] = p[i].x;
				ys[i] = se ? s.median / 1e3 : 0;
			}
		}
		fputc('\n', out);
	}
	if (data_close(out, chart))
		return -1;
	struct linfit pooled;
	struct summary whole;
	bool fitted = !stats_linfit(xs, ys, n, &pooled);
	size_t runs = run_slopes(p, n, fit);
	snprintf(file, sizeof(file), "%s.gp", chart);
	if (!(out = view_open(dir, file)))
		return -1;
	view_head(out, r, !r->rec.complete, "%zu VMs per point", report_n(p[0].s[1]));
	gp_number(out, "fitted", fitted);
	gp_number(out, "fit_slope", fitted ? pooled.slope : 0);
	gp_number(out, "fit_intercept", fitted ? pooled.intercept : 0);
	text[0] = 0;
	if (runs && !report_summary(p[0].s[0], &whole) && fit[0] > 0)
		snprintf(text, sizeof(text), "KVM_CREATE_VM: %.4f us per %s (run by run: %.4f-%.4f, "
			 "%zu runs); it adds a whole hello VM (%.0f us at %.0f) at %.0f",
			 fit[0], per, fit[1], fit[2], runs, whole.median / 1e3, p[0].x,
			 p[0].x + whole.median / 1e3 / fit[0]);
	gp_text(out, "slopes", text);
	return data_close(out, chart) ? -1 : 1;
}

static int view_vmas(const char *dir, const struct results *rs)
{
	static const struct want w[] = {
		{ "sweep", "vmas", 0, false }, { NULL, NULL, 0, false },
	};
	const struct result *r = report_find(rs, "vmas", w);
	return r ? write_view(dir, r, LABEL_VMAS, "vmas", "VMA") : 0;
}

static int view_live(const char *dir, const struct results *rs)
{
	static const struct want w[] = {
		{ "sweep", "live", 0, false }, { NULL, NULL, 0, false },
	};
	const struct result *r = report_find(rs, "vmas", w);
	return r ? write_view(dir, r, LABEL_LIVE_VMS, "vmas-live", "live VM elsewhere") : 0;
}

VIEW_REGISTER(160, view_vmas, "vmas");
VIEW_REGISTER(170, view_live, "vmas-live");
