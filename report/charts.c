/*
 * A view per chart: the data one chart draws, with its own titles,
 * legends and colours, so that scripts/<chart>.gp plots whatever lines it
 * is given and knows no series, label or result file by name.  Each view
 * writes <chart>.gp (numbers and esc_gnuplot literals: machine, subtitle,
 * and the lines) and the data files it needs; "charts" lists the charts
 * that a run's results let draw, for scripts/plot.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compute.h"
#include "reset.h"
#include "report.h"
#include "series.h"
#include "stats.h"
#include "vm.h"
#include "util.h"

/* DIR/<name>: a file of a view, named by us. */
static FILE *view_open(const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		report_fail("cannot write %s: %s", ESC_SHOWN(path), strerror(errno));
	return f;
}

/* machine = '...' and subtitle = '<machine>, <what><state>'. */
static void view_head(FILE *out, const struct result *r, bool incomplete, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void view_head(FILE *out, const struct result *r, bool incomplete, const char *fmt, ...)
{
	char machine[512], what[256], subtitle[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	report_machine(r, machine, sizeof(machine));
	snprintf(subtitle, sizeof(subtitle), "%s, %s%s", machine, what,
		 incomplete ? " - INCOMPLETE RUN (interrupted or failed)" : "");
	gp_text(out, "machine", machine);
	gp_text(out, "subtitle", subtitle);
}

static double mean_us(const struct rec_series *s)
{
	return report_mean(s) * report_scale(s->unit);
}

/* CDF lines, one per series: lines, line_file[] (the series' .cdf),
 * line_title[], line_color[], line_mean[] (us), and means, a legend for
 * them ("means: 24 us none, 175 us full"). */
struct line {
	const struct result *r;
	const struct rec_series *s;
	const char *title, *short_title, *color;
};

static void cdf_lines(FILE *out, const struct line *l, size_t n)
{
	char files[4][192], what[512], means[256] = "means:", num[32];
	const char *file[4], *title[4], *color[4];

	for (size_t i = 0; i < n; i++) {
		data_name(l[i].r->file, data_series(l[i].s, ".cdf", what, sizeof(what)), files[i],
			  sizeof(files[i]));
		file[i] = files[i];
		title[i] = l[i].title;
		color[i] = l[i].color;
		snprintf(means + strlen(means), sizeof(means) - strlen(means), "%s %.0f us %s",
			 i ? "," : "", mean_us(l[i].s), l[i].short_title);
	}
	fprintf(out, "lines = %zu\n", n);
	gp_array(out, "line_file", file, n);
	gp_array(out, "line_title", title, n);
	gp_array(out, "line_color", color, n);
	fprintf(out, "array line_mean[%zu] = [", n);
	for (size_t i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "%.3f", mean_us(l[i].s));
		fprintf(out, "%s%s", i ? ", " : "", num);
	}
	fprintf(out, "]\n");
	gp_text(out, "means", means);
}

/* ---- instantiation: scaling's cumulative time at every step ---- */

/* Whether file is scaling's, spread over worker processes:
 * "scaling[-N]-M-per-process". */
static bool is_sharded(const char *file)
{
	size_t n = strlen(file), tail = strlen("-per-process");

	return !strncmp(file, "scaling-", 8) && n > 8 + tail &&
	       !strcmp(file + n - tail, "-per-process") && !strstr(file, "sweep");
}

static const struct result *sharded_run(const struct results *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		if (is_sharded(rs->r[i].file))
			return &rs->r[i];
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

static int instantiation(const char *dir, const struct results *rs)
{
	const struct result *r = report_file(rs, "scaling");
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
	const struct result *sr = sharded_run(rs);
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

/* ---- single: single-use cost, shared against individual memory ---- */

static int single(const char *dir, const struct results *rs)
{
	static const char *const titles[] = { "shared memory", "individual memory" };
	static const char *const colors[] = { "#1f77b4", "#ff7f0e" };
	struct line l[2];
	size_t n = 0;
	bool incomplete = false;
	char counts[128] = "";
	FILE *out;

	/* memory alternates the kinds VM by VM; single has one kind. */
	for (int m = VM_MEM_SHARED; m <= VM_MEM_INDIVIDUAL; m++) {
		for (int k = 0; k < 2; k++) {
			const struct result *r = report_file(rs, k ? "single" : "memory");
			const struct rec_series *s = r ? report_series(&r->rec,
				SERIES_CREATE_RUN_CLOSE, LABEL_MEMORY, vm_memory_names[m]) : NULL;
			if (!s || !report_n(s))
				continue;
			l[n++] = (struct line){ r, s, titles[m], vm_memory_names[m], colors[m] };
			incomplete |= !r->rec.complete;
			snprintf(counts + strlen(counts), sizeof(counts) - strlen(counts), "%s%zu %s",
				 n > 1 ? ", " : "", report_n(s), vm_memory_names[m]);
			break;
		}
	}
	if (!n || !(out = view_open(dir, "single.gp")))
		return n ? -1 : 0;
	view_head(out, l[0].r, incomplete, "VMs: %s", counts);
	cdf_lines(out, l, n);
	return data_close(out, "single") ? -1 : 1;
}

/* ---- concurrent: creation time while the VMs before stay alive ---- */

static int concurrent(const char *dir, const struct results *rs)
{
	const struct result *r = report_file(rs, "concurrent");
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

/* ---- rounds: re-entering live VMs, no reset against a full one ---- */

static int rounds(const char *dir, const struct results *rs)
{
	static const char *const titles[] = { "no reset (registers only)",
					      "full reset (all write-enabled memory cleared)" };
	static const char *const colors[] = { "#1f77b4", "#ff7f0e" };
	static const enum reset_strategy pair[] = { RESET_NONE, RESET_FULL };
	const struct result *r = report_file(rs, "rounds");
	struct line l[2];
	size_t n = 0;
	FILE *out;

	for (int k = 0; r && k < 2; k++) {
		const char *name = reset_strategies[pair[k]].name;
		const struct rec_series *s = report_series(&r->rec, SERIES_RESET_RUN, LABEL_RESET,
							   name);
		if (s && report_n(s))
			l[n++] = (struct line){ r, s, titles[k], name, colors[k] };
	}
	if (!n || !(out = view_open(dir, "rounds.gp")))
		return n ? -1 : 0;
	view_head(out, r, !r->rec.complete, "guest rounds: %zu %s%s%zu %s", report_n(l[0].s),
		  l[0].short_title, n > 1 ? ", " : "", n > 1 ? report_n(l[1].s) : 0,
		  n > 1 ? l[1].short_title : "");
	cdf_lines(out, l, n);
	return data_close(out, "rounds") ? -1 : 1;
}

/* ---- memory: what a live VM costs in memory, per kind ---- */

static int memory(const char *dir, const struct results *rs)
{
	const struct result *r = report_file(rs, "memory");
	const struct rec_series *c[2][LIVE_READINGS];
	double growth[2][LIVE_READINGS] = { { 0 } }, vms = 0;
	uint64_t every = 100;
	char detail[256];
	FILE *out;

	if (!r || !report_series(&r->rec, live_readings[LIVE_RSS].name, NULL, NULL))
		return 0;
	rec_map_uint(&r->rec.parameters, "live_every", &every);
	for (int k = VM_MEM_SHARED; k <= VM_MEM_INDIVIDUAL; k++) {
		for (int j = 0; j < LIVE_READINGS; j++)
			c[k][j] = report_series(&r->rec, live_readings[j].name, LABEL_MEMORY,
						vm_memory_names[k]);
		if (!c[k][LIVE_RSS] || report_readings(c[k][LIVE_RSS]) < 2) {
			report_fail("%s: the live-memory readings are incomplete",
				    ESC_SHOWN(r->path));
			return -1;
		}
		/* With several runs, each reading is their median. */
		size_t last = report_readings(c[k][LIVE_RSS]) - 1;
		vms = (double)(last * every);
		for (int j = 0; j < LIVE_READINGS; j++) {
			double a = c[k][j] ? report_reading(c[k][j], 0) : -1;
			double b = c[k][j] ? report_reading(c[k][j], last) : -1;
			growth[k][j] = a >= 0 && b >= 0 ? b - a : 0;
		}
	}
	if (!(out = view_open(dir, "memory.dat")))
		return -1;
	fprintf(out, "# growth per live VM over %.0f live VMs, KiB; columns: quantity shared "
		"individual\n", vms);
	for (int j = 0; j <= LIVE_KERNELSTACK; j++)
		fprintf(out, "\"%s\" %.3f %.3f\n", live_readings[j].title,
			growth[0][j] / 1024 / vms, growth[1][j] / 1024 / vms);
	if (data_close(out, "memory") || !(out = view_open(dir, "memory.gp")))
		return -1;
	if (c[0][LIVE_PROCESS_THREADS] && c[1][LIVE_PROCESS_THREADS])
		snprintf(detail, sizeof(detail), "threads started by the kernel: %.0f kthreads, "
			 "%.0f in the process (shared); %.0f and %.0f (individual)",
			 growth[0][LIVE_KERNEL_THREADS], growth[0][LIVE_PROCESS_THREADS],
			 growth[1][LIVE_KERNEL_THREADS], growth[1][LIVE_PROCESS_THREADS]);
	else
		snprintf(detail, sizeof(detail), "kernel threads started: %.0f shared, %.0f "
			 "individual (threads inside the process not recorded)",
			 growth[0][LIVE_KERNEL_THREADS], growth[1][LIVE_KERNEL_THREADS]);
	view_head(out, r, !r->rec.complete, "%s", detail);
	fprintf(out, "live_vms = %.0f\n", vms);
	return data_close(out, "memory") ? -1 : 1;
}

/* ---- phases: where a single-use VM's time goes, a bar per kind ---- */

static int phases(const char *dir, const struct results *rs)
{
	const struct result *head = NULL;
	size_t rows = 0, vms = 0;
	FILE *out = NULL;

	for (int m = VM_MEM_SHARED; m <= VM_MEM_INDIVIDUAL; m++) {
		for (size_t i = 0; i < rs->n; i++) {
			const struct result *r = &rs->r[i];
			char name[64];
			snprintf(name, sizeof(name), SERIES_PHASE "%s", vm_phase_names[0]);
			if (!report_series(&r->rec, name, LABEL_MEMORY, vm_memory_names[m]))
				continue;
			double median[VM_PHASES];
			for (size_t k = 0; k < VM_PHASES; k++) {
				struct summary sum;
				snprintf(name, sizeof(name), SERIES_PHASE "%s", vm_phase_names[k]);
				const struct rec_series *s = report_series(&r->rec, name, NULL, NULL);
				if (!s || report_summary(s, &sum)) {
					if (out)
						fclose(out);
					report_fail("%s: the phase series are incomplete",
						    ESC_SHOWN(r->path));
					return -1;
				}
				median[k] = sum.median / 1e3;
				vms = sum.n;
			}
			if (!out) {
				if (!(out = view_open(dir, "phases.dat")))
					return -1;
				fprintf(out, "# the median of each phase of a single-use VM, us, a "
					"row per run\nkind");
				for (size_t k = 0; k < VM_PHASES; k++)
					fprintf(out, " %s", vm_phase_names[k]);
				fputc('\n', out);
				head = r;
			}
			fprintf(out, "%s", vm_memory_names[m]);
			for (size_t k = 0; k < VM_PHASES; k++)
				fprintf(out, " %.3f", median[k]);
			fputc('\n', out);
			rows++;
		}
	}
	if (!out)
		return 0;
	if (data_close(out, "phases") || !(out = view_open(dir, "phases.gp")))
		return -1;
	view_head(out, head, !head->rec.complete, "%zu VMs per kind", vms);
	fprintf(out, "rows = %zu\n", rows);
	return data_close(out, "phases") ? -1 : 1;
}

/* ---- threads: concurrent at 1..N threads, one row per run ---- */

static int threads(const char *dir, const struct results *rs)
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

/* ---- strategies and the sweep: reset strategies, from their labels ---- */

/* <prefix>_n, _name[], _title[], _color[]: the strategies of a chart, in
 * order; their titles and colours from lib/reset.c's table, or for a name
 * this build does not know, the name and black; the titles name the vCPU
 * reset level of each strategy's first series, where it has one. */
static void gp_strategies(FILE *out, const char *prefix, const char *const *names, size_t n,
			  const struct rec_series *const *first)
{
	const char *title[16], *color[16];
	char var[64], titles[16][320];

	for (size_t k = 0; k < n; k++) {
		int i = reset_find(names[k]);
		const char *level = rec_map_text(&first[k]->labels, LABEL_VCPU_RESET);
		snprintf(titles[k], sizeof(titles[k]), "%s%s%s",
			 i >= 0 ? reset_strategies[i].description : names[k],
			 level ? ", vCPU " : "", level ? level : "");
		title[k] = titles[k];
		color[k] = i >= 0 ? reset_strategies[i].color : "#000000";
	}
	fprintf(out, "%s_n = %zu\n", prefix, n);
	snprintf(var, sizeof(var), "%s_name", prefix);
	gp_array(out, var, names, n);
	snprintf(var, sizeof(var), "%s_title", prefix);
	gp_array(out, var, title, n);
	snprintf(var, sizeof(var), "%s_color", prefix);
	gp_array(out, var, color, n);
}

/* The distinct values of the reset label of the guest-round series, with
 * (sweep true) or without a sweep label, in file order: at most 16. */
static size_t reset_names(const struct result *r, bool sweep, const char *names[16],
			  const struct rec_series *first[16])
{
	size_t n = 0;

	for (size_t i = 0; i < r->rec.nseries; i++) {
		const struct rec_series *s = &r->rec.series[i];
		const char *how = rec_map_text(&s->labels, LABEL_RESET);
		bool seen = false;
		if (!how || strcmp(s->name, SERIES_RESET_RUN) ||
		    (rec_map_text(&s->labels, LABEL_SWEEP) != NULL) != sweep)
			continue;
		for (size_t k = 0; k < n; k++)
			seen |= !strcmp(names[k], how);
		if (!seen && n < 16) {
			first[n] = s;
			names[n++] = how;
		}
	}
	return n;
}

static int strategies(const char *dir, const struct results *rs)
{
	const struct result *r = report_file(rs, "rounds-all");
	const char *names[16], *cdf[16];
	const struct rec_series *first[16];
	char cdfs[16][192], what[512];
	size_t n = r ? reset_names(r, false, names, first) : 0;
	FILE *out;

	if (!n || !(out = view_open(dir, "strategies.gp")))
		return n ? -1 : 0;
	for (size_t k = 0; k < n; k++) {
		data_name(r->file, data_series(first[k], ".cdf", what, sizeof(what)), cdfs[k],
			  sizeof(cdfs[k]));
		cdf[k] = cdfs[k];
	}
	view_head(out, r, !r->rec.complete, "%zu rounds of each strategy, each on its own VMs",
		  report_n(first[0]));
	gp_strategies(out, "strategies", names, n, first);
	gp_array(out, "strategies_cdf", cdf, n);
	return data_close(out, "strategies") ? -1 : 1;
}

/* sweep-pages.dat and sweep-size.dat: one block (gnuplot index) per
 * strategy, in sweep.gp's order.  Columns: x (pages, or KiB), then the
 * median, p25 and p75 of the guest round and the median of its reset
 * part, in us. */
static int sweep(const char *dir, const struct results *rs)
{
	static const char *const kinds[] = { "pages", "size" };
	const struct result *r = report_file(rs, "rounds-sweep");
	const char *names[16];
	const struct rec_series *first[16];
	size_t n = r ? reset_names(r, true, names, first) : 0;
	FILE *out;

	if (!n)
		return 0;
	for (size_t kind = 0; kind < 2; kind++) {
		char file[32];
		snprintf(file, sizeof(file), "sweep-%s.dat", kinds[kind]);
		if (!(out = view_open(dir, file)))
			return -1;
		fprintf(out, "# time per guest round against %s; columns: %s median p25 p75 "
			"reset_median (us)\n", kind ? "memory size" : "dirtied pages",
			kind ? "KiB" : "pages");
		for (size_t k = 0; k < n; k++) {
			fprintf(out, "%s# %s\n", k ? "\n\n" : "", ESC_SHOWN(names[k]));
			for (size_t i = 0; i < r->rec.nseries; i++) {
				const struct rec_series *s = &r->rec.series[i];
				const struct rec_map *l = &s->labels;
				const char *how = rec_map_text(l, LABEL_RESET);
				const char *sw = rec_map_text(l, LABEL_SWEEP);
				const char *x = rec_map_text(l, kind ? LABEL_MEMORY_SIZE :
							     LABEL_DIRTY_PAGES);
				struct summary round, reset;
				if (strcmp(s->name, SERIES_RESET_RUN) || !how || strcmp(how, names[k]) ||
				    !sw || strcmp(sw, kinds[kind]) || !x ||
				    report_summary(s, &round))
					continue;
				/* The reset part follows its guest round in the file. */
				const struct rec_series *part = i + 1 < r->rec.nseries ? s + 1 : NULL;
				bool has_part = part && !strcmp(part->name, SERIES_RESET) &&
					!report_summary(part, &reset);
				fprintf(out, "%g %.3f %.3f %.3f ", strtod(x, NULL) / (kind ? 1024 : 1),
					round.median / 1e3, round.p25 / 1e3, round.p75 / 1e3);
				if (has_part)
					fprintf(out, "%.3f\n", reset.median / 1e3);
				else
					fprintf(out, "NaN\n");
			}
		}
		if (data_close(out, "sweep"))
			return -1;
	}
	if (!(out = view_open(dir, "sweep.gp")))
		return -1;
	view_head(out, r, !r->rec.complete, "%zu guest rounds per strategy and point",
		  report_n(first[0]));
	gp_strategies(out, "sweep", names, n, first);
	return data_close(out, "sweep") ? -1 : 1;
}

/* ---- processes: how many VMs a process should hold ---- */

/* processes.dat: per point of scaling --sweep-processes, VMs per process,
 * processes, wall and summed creation seconds at the last step (the median
 * over the runs). */
static int processes(const char *dir, const struct results *rs)
{
	const struct result *r = NULL;
	uint64_t vms = 0;
	size_t points = 0;
	FILE *out;

	for (size_t i = 0; i < rs->n && !r; i++) {
		size_t n = strlen(rs->r[i].file), tail = strlen("-sweep-processes");
		if (!strncmp(rs->r[i].file, "scaling", 7) && n > tail &&
		    !strcmp(rs->r[i].file + n - tail, "-sweep-processes"))
			r = &rs->r[i];
	}
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

/* ---- vcpu-reset: what each vCPU reset level costs, and what it leaks ---- */

/* vcpu-reset.dat: a line per level of rounds --reset all, in file order:
 * index, then the median, p25 and p75 of the vCPU reset alone and of the
 * whole guest round, in us.  vcpu-reset.gp: vcpu_n, vcpu_name[] ("full")
 * and vcpu_leaks[] ("clean", "leaks: x87-control, ..."). */
static int vcpu_reset(const char *dir, const struct results *rs)
{
	const struct result *r = report_file(rs, "rounds-all");
	const char *name[VCPU_RESET_COUNT * 2], *leak[VCPU_RESET_COUNT * 2];
	char leaks[VCPU_RESET_COUNT * 2][160];
	size_t n = 0;
	FILE *out;

	if (!r || !report_series(&r->rec, SERIES_VCPU_RESET, NULL, NULL))
		return 0;
	if (!(out = view_open(dir, "vcpu-reset.dat")))
		return -1;
	fprintf(out, "# columns: index, vCPU reset alone median p25 p75, guest round median "
		"p25 p75 (us)\n");
	for (size_t i = 0; i < r->rec.nseries && n < ARRAY_SIZE(name); i++) {
		const struct rec_series *s = &r->rec.series[i];
		const char *level = rec_map_text(&s->labels, LABEL_VCPU_RESET);
		const char *found = rec_map_text(&s->labels, LABEL_VCPU_LEAKS);
		struct summary part, round;
		if (strcmp(s->name, SERIES_VCPU_RESET) || !level || report_summary(s, &part))
			continue;
		const struct rec_series *whole = report_series(&r->rec, SERIES_VCPU_RESET_RUN,
							       LABEL_VCPU_RESET, level);
		if (!whole || report_summary(whole, &round))
			continue;
		snprintf(leaks[n], sizeof(leaks[n]), "%s%s", found && strcmp(found, "clean") ?
			 "leaks: " : "", found ? found : "not probed");
		name[n] = level;
		leak[n] = leaks[n];
		n++;
		fprintf(out, "%zu %.3f %.3f %.3f %.3f %.3f %.3f\n", n, part.median / 1e3,
			part.p25 / 1e3, part.p75 / 1e3, round.median / 1e3, round.p25 / 1e3,
			round.p75 / 1e3);
	}
	if (data_close(out, "vcpu-reset") || !n)
		return n ? -1 : 0;
	if (!(out = view_open(dir, "vcpu-reset.gp")))
		return -1;
	view_head(out, r, !r->rec.complete, "%zu guest rounds per level, memory not reset",
		  report_n(report_series(&r->rec, SERIES_VCPU_RESET, NULL, NULL)));
	fprintf(out, "vcpu_n = %zu\n", n);
	gp_array(out, "vcpu_name", name, n);
	gp_array(out, "vcpu_leaks", leak, n);
	return data_close(out, "vcpu-reset") ? -1 : 1;
}

/* ---- breakeven: the same guest in KVM and in an emulator ---- */

/* breakeven.dat: a line per work size of at least one unit: units, then
 * per mode (kvm-single, kvm-reuse, emu-single, emu-reuse) the median, p25
 * and p75 of a whole run, in us.  breakeven.gp: the modes' titles and
 * colours, the crossovers (units, NaN: none), one unit's native time (us)
 * and the fits. */
/* The series called name of mode at units, or NULL. */
static const struct rec_series *mode_at(const struct result *r, const char *name,
					const char *mode, const char *units)
{
	for (size_t j = 0; j < r->rec.nseries; j++) {
		const struct rec_series *c = &r->rec.series[j];
		const char *cm = rec_map_text(&c->labels, LABEL_MODE);
		const char *cu = rec_map_text(&c->labels, LABEL_UNITS);
		if (!strcmp(c->name, name) && cm && cu && !strcmp(cm, mode) && !strcmp(cu, units))
			return c;
	}
	return NULL;
}

static int breakeven(const char *dir, const struct results *rs)
{
	static const char *const modes[BE_MODES] = { "kvm-single", "kvm-reuse", "emu-single",
						     "emu-reuse" };
	static const char *const titles[BE_MODES] = {
		"KVM: create, run, close a VM", "KVM: re-enter a live VM after an isolating reset",
		"Unicorn: open, map, run, close", "Unicorn: one engine, context and memory put back",
	};
	static const char *const colors[BE_MODES] = { "#1f77b4", "#aec7e8", "#d62728", "#ff9896" };
	const struct result *r = report_file(rs, "breakeven");
	double x[256], med[BE_MODES][256], run[256];
	const struct rec_series *largest = NULL;
	size_t n = 0;
	FILE *out;

	if (!r || !report_series(&r->rec, SERIES_BREAKEVEN, NULL, NULL))
		return 0;
	if (!(out = view_open(dir, "breakeven.dat")))
		return -1;
	fprintf(out, "# columns: units, then per mode (kvm-single kvm-reuse emu-single "
		"emu-reuse) median p25 p75 of a run (us)\n");
	/* The sizes, in file order (ascending), from kvm-single's series. */
	for (size_t i = 0; i < r->rec.nseries && n < ARRAY_SIZE(x); i++) {
		const struct rec_series *s = &r->rec.series[i];
		const char *mode = rec_map_text(&s->labels, LABEL_MODE);
		const char *units = rec_map_text(&s->labels, LABEL_UNITS);
		struct summary sum[BE_MODES], part;
		bool all = true;
		if (strcmp(s->name, SERIES_BREAKEVEN) || !mode || strcmp(mode, modes[0]) || !units)
			continue;
		for (int m = 0; m < BE_MODES && all; m++) {
			const struct rec_series *t = mode_at(r, SERIES_BREAKEVEN, modes[m], units);
			all = t && !report_summary(t, &sum[m]);
		}
		const struct rec_series *rp = mode_at(r, SERIES_BREAKEVEN_RUN, modes[BE_KVM_REUSE],
						      units);
		if (!all || !rp || report_summary(rp, &part))
			continue;
		x[n] = strtod(units, NULL);
		run[n] = part.median / 1e3;
		largest = s;
		for (int m = 0; m < BE_MODES; m++)
			med[m][n] = sum[m].median / 1e3;
		if (x[n] > 0) {
			fprintf(out, "%g", x[n]);
			for (int m = 0; m < BE_MODES; m++)
				fprintf(out, " %.3f %.3f %.3f", sum[m].median / 1e3, sum[m].p25 / 1e3,
					sum[m].p75 / 1e3);
			fprintf(out, "\n");
		}
		n++;
	}
	struct breakeven be;
	const double *const meds[BE_MODES] = { med[0], med[1], med[2], med[3] };
	if (data_close(out, "breakeven") || n < 2 || breakeven_analyse(x, meds, run, n, &be))
		return n < 2 ? 0 : -1;
	if (!(out = view_open(dir, "breakeven.gp")))
		return -1;
	view_head(out, r, !r->rec.complete, "%zu work sizes, %zu runs of each mode at the "
		  "largest", n, report_n(largest));
	gp_array(out, "be_title", titles, BE_MODES);
	gp_array(out, "be_color", colors, BE_MODES);
	gp_number(out, "cross_single", be.cross[0]);
	gp_number(out, "cross_reuse", be.cross[1]);
	gp_number(out, "unit_us", be.unit_us);
	gp_number(out, "largest", x[n - 1]);
	return data_close(out, "breakeven") ? -1 : 1;
}

/* ---- the table of views ---- */

static const struct view {
	int (*write)(const char *dir, const struct results *rs);
	const char *charts[2];	/* scripts/<chart>.gp, drawn from what write wrote */
} views[] = {
	{ instantiation, { "instantiation" } },
	{ processes, { "processes" } },
	{ single, { "single" } },
	{ concurrent, { "concurrent" } },
	{ rounds, { "rounds" } },
	{ memory, { "memory" } },
	{ phases, { "phases" } },
	{ threads, { "threads" } },
	{ strategies, { "strategies" } },
	{ sweep, { "sweep-pages", "sweep-size" } },
	{ vcpu_reset, { "vcpu-reset" } },
	{ breakeven, { "breakeven" } },
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
