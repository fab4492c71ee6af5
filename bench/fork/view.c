/*
 * The views of fork: the ready VM by method (CDF), the sweeps against W
 * and P, and live forks (cumulative time, memory per VM).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"
#include "names.h"

static const char *const colors[METHODS] = { "#888888", "#ff7f0e", "#2ca02c", "#1f77b4" };
static const char *const titles[METHODS] = {
	"hello: the seed's single-use VM (create, run hello, close)",
	"fresh: create, warm up, request, close",
	"fork: a copy-on-write fork of the snapshot, request, close",
	"reset: a live VM put back to the snapshot, request",
};

/* What each method's ready VM is in a chart: with its teardown, but for
 * reset, which has none. */
static const char *method_series(int m)
{
	return m == METHOD_RESET ? SERIES_READY_REQUEST : SERIES_READY_REQUEST_CLOSE;
}

/* The series of method m in r, at a sweep's point (sweep NULL: none). */
static const struct rec_series *at(const struct result *r, int m, const char *sweep,
				   const char *x_label, const char *x)
{
	for (size_t i = 0; i < r->rec.nseries; i++) {
		const struct rec_series *s = &r->rec.series[i];
		const char *method = rec_map_text(&s->labels, LABEL_METHOD);
		const char *sw = rec_map_text(&s->labels, LABEL_FORK_SWEEP);
		const char *v = x_label ? rec_map_text(&s->labels, x_label) : NULL;
		if (strcmp(s->name, method_series(m)) || !method ||
		    strcmp(method, fork_method_names[m]) || (sw != NULL) != (sweep != NULL) ||
		    (sweep && (strcmp(sw, sweep) || !v || strcmp(v, x))))
			continue;
		return s;
	}
	return NULL;
}

static void gp_methods(FILE *out)
{
	gp_array(out, "method_title", titles, METHODS);
	gp_array(out, "method_color", colors, METHODS);
}

/* ---- fork: the ready VM by method, as distributions ---- */

/* "fork/hello 0.95 (0.91-1.24, 3 runs)": the ratio of a's run median to
 * b's, run by run, their median and range; "" when the runs differ. */
static void run_ratio(const char *name, const struct rec_series *a, const struct rec_series *b,
		      char *buf, size_t size)
{
	double ma[64], mb[64], q[64];
	size_t na, nb;

	buf[0] = 0;
	if (!a || !b || a->nruns > 64 || b->nruns > 64)
		return;
	na = report_run_medians(a, ma);
	nb = report_run_medians(b, mb);
	if (!na || na != nb)
		return;
	uint64_t sorted[64];
	for (size_t k = 0; k < na; k++) {
		q[k] = ma[k] / mb[k];
		sorted[k] = (uint64_t)(q[k] * 1e6);
	}
	struct summary sum;
	if (stats_summarize(sorted, na, &sum))
		return;
	snprintf(buf, size, "%s %.3f (%.3f-%.3f, %zu run%s)", name, sum.median / 1e6,
		 (double)sum.min / 1e6, (double)sum.max / 1e6, na, na > 1 ? "s" : "");
}

static int view_fork(const char *dir, const struct results *rs)
{
	static const struct want plain[] = {
		{ "sweep", NULL, 0, true }, { "live", NULL, 0, true }, { NULL, NULL, 0, false },
	};
	static const char *const shorts[METHODS] = { "hello", "fresh", "fork", "reset" };
	const struct result *r = report_find(rs, "fork", plain);
	struct line l[METHODS];
	size_t n = 0;
	uint64_t warm = 0, pages = 0;
	FILE *out;

	for (int m = 0; r && m < METHODS; m++) {
		const struct rec_series *s = at(r, m, NULL, NULL, NULL);
		if (s && report_n(s))
			l[n++] = (struct line){ r, s, titles[m], shorts[m], colors[m] };
	}
	if (!n || !(out = view_open(dir, "fork.gp")))
		return n ? -1 : 0;
	rec_map_uint(&r->rec.parameters, "warm", &warm);
	rec_map_uint(&r->rec.parameters, "pages", &pages);
	view_head(out, r, !r->rec.complete, "W %llu KiB, P %llu page(s), %zu samples per method",
		  (unsigned long long)(warm >> 10), (unsigned long long)pages, report_n(l[0].s));
	cdf_lines(out, l, n);
	/* The ratios of run medians, each run a unit: fork and hello with
	 * their teardown, fork and fresh likewise, fork and reset without. */
	char ratio[3][128], text[420];
	run_ratio("fork/hello", at(r, METHOD_FORK, NULL, NULL, NULL),
		  at(r, METHOD_HELLO, NULL, NULL, NULL), ratio[0], sizeof(ratio[0]));
	run_ratio("fork/fresh", at(r, METHOD_FORK, NULL, NULL, NULL),
		  at(r, METHOD_FRESH, NULL, NULL, NULL), ratio[1], sizeof(ratio[1]));
	run_ratio("fork/reset (no teardown)",
		  report_series(&r->rec, SERIES_READY_REQUEST, LABEL_METHOD, "fork"),
		  at(r, METHOD_RESET, NULL, NULL, NULL), ratio[2], sizeof(ratio[2]));
	snprintf(text, sizeof(text), "%s%s%s%s%s", ratio[0], ratio[1][0] ? "; " : "", ratio[1],
		 ratio[2][0] ? "; " : "", ratio[2]);
	gp_text(out, "ratios", text);
	return data_close(out, "fork") ? -1 : 1;
}

/* ---- fork-warm, fork-pages: every method against W and against P ---- */

static int sweep_data(const char *dir, const struct result *r, const char *sweep,
		      const char *x_label, const char *file)
{
	FILE *out = view_open(dir, file);

	if (!out)
		return -1;
	fprintf(out, "# ready VM and request per method against %s; one block per method "
		"(hello, fresh, fork, reset); columns: %s median p25 p75 (us)\n", x_label,
		!strcmp(x_label, LABEL_WARM_BYTES) ? "KiB" : "pages");
	for (int m = 0; m < METHODS; m++) {
		fprintf(out, "%s# %s\n", m ? "\n\n" : "", fork_method_names[m]);
		for (size_t i = 0; i < r->rec.nseries; i++) {
			const struct rec_series *s = &r->rec.series[i];
			const char *x = rec_map_text(&s->labels, x_label);
			struct summary sum;
			if (!x || s != at(r, m, sweep, x_label, x) || report_summary(s, &sum))
				continue;
			fprintf(out, "%g %.3f %.3f %.3f\n",
				strtod(x, NULL) / (strcmp(x_label, LABEL_WARM_BYTES) ? 1 : 1024),
				sum.median / 1e3, sum.p25 / 1e3, sum.p75 / 1e3);
		}
	}
	return data_close(out, file);
}

static int view_sweep(const char *dir, const struct results *rs)
{
	static const struct want swept[] = {
		{ "sweep", NULL, 1, false }, { NULL, NULL, 0, false },
	};
	const struct result *r = report_find(rs, "fork", swept);
	const struct rec_series *first = r ? at(r, METHOD_FORK, "warm", LABEL_WARM_BYTES,
						 "65536") : NULL;
	FILE *out;

	if (!first)
		return 0;
	if (sweep_data(dir, r, "warm", LABEL_WARM_BYTES, "fork-warm.dat") ||
	    sweep_data(dir, r, "pages", LABEL_PAGES, "fork-pages.dat") ||
	    !(out = view_open(dir, "fork-sweep.gp")))
		return -1;
	view_head(out, r, !r->rec.complete, "%zu samples per method and point", report_n(first));
	gp_methods(out);
	return data_close(out, "fork-sweep") ? -1 : 1;
}

/* ---- fork-live: live forks and the fixed cost, time and memory ---- */

/* The first run of fork --live N, N > 0. */
static const struct result *live_run(const struct results *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		uint64_t n = 0;
		if (!strcmp(rs->r[i].rec.benchmark, "fork") &&
		    !rec_map_uint(&rs->r[i].rec.parameters, "live", &n) && n)
			return &rs->r[i];
	}
	return NULL;
}

static int view_live(const char *dir, const struct results *rs)
{
	const struct result *r = live_run(rs);
	const struct rec_series *c[2] = { NULL, NULL };
	uint64_t step = 1000, n = 0;
	FILE *out;

	for (int k = 0; r && k < 2; k++)
		c[k] = report_series(&r->rec, fork_live_readings[LIVE_CUMULATIVE].name, LABEL_METHOD,
				     fork_method_names[k ? METHOD_FORK : METHOD_HELLO]);
	if (!c[0] || !c[1] || report_readings(c[1]) < 2)
		return 0;
	rec_map_uint(&r->rec.parameters, "step", &step);
	rec_map_uint(&r->rec.parameters, "live", &n);
	if (!(out = view_open(dir, "fork-live.dat")))
		return -1;
	fprintf(out, "# cumulative time against live VMs; blocks hello, fork; columns: vms "
		"cumulative_s\n");
	for (int k = 0; k < 2; k++) {
		fprintf(out, "%s# %s\n", k ? "\n\n" : "", k ? "fork" : "hello");
		for (size_t i = 0; i < report_readings(c[k]); i++)
			fprintf(out, "%llu %.6f\n",
				(unsigned long long)(i * step < n ? i * step : n),
				report_reading(c[k], i) / 1e9);
	}
	if (data_close(out, "fork-live"))
		return -1;
	/* Per VM: a reading's growth from 0 to the last step over the VMs. */
	static const int shown[] = { LIVE_PSS, LIVE_PRIVATE, LIVE_SLAB, LIVE_PAGETABLES,
				     LIVE_SECPAGETABLES, LIVE_KERNELSTACK };
	if (!(out = view_open(dir, "fork-memory.dat")))
		return -1;
	fprintf(out, "# memory per live VM (KiB): the growth of each reading over the VMs\n"
		"reading hello fork\n");
	for (size_t j = 0; j < ARRAY_SIZE(shown); j++) {
		fprintf(out, "%s", fork_live_readings[shown[j]].title);
		for (int k = 0; k < 2; k++) {
			const struct rec_series *s = report_series(&r->rec,
				fork_live_readings[shown[j]].name, LABEL_METHOD,
				fork_method_names[k ? METHOD_FORK : METHOD_HELLO]);
			size_t last = s ? report_readings(s) : 0;
			double per = last >= 2 && n ?
				(report_reading(s, last - 1) - report_reading(s, 0)) / 1024 / (double)n :
				0;
			fprintf(out, " %.2f", per);
		}
		fputc('\n', out);
	}
	if (data_close(out, "fork-memory") || !(out = view_open(dir, "fork-live.gp")))
		return -1;
	view_head(out, r, !r->rec.complete, "%llu live VMs of each kind", (unsigned long long)n);
	gp_methods(out);
	return data_close(out, "fork-live") ? -1 : 1;
}

VIEW_REGISTER(130, view_fork, "fork");
VIEW_REGISTER(140, view_sweep, "fork-warm", "fork-pages");
VIEW_REGISTER(150, view_live, "fork-live");
