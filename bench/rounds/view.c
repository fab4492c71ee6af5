/*
 * The views of rounds: re-entering live VMs, every reset strategy and the sweep, and
 * the vCPU reset levels.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"
#include "kinds.h"
#include "names.h"


/* kvmbench-rounds --reset all: every strategy, at one point. */
static const struct want every_strategy[] = {
	{ "reset", "all", 0, false }, { "sweep", NULL, 0, true }, { NULL, NULL, 0, false },
};
/* ---- rounds: re-entering live VMs, no reset against a full one ---- */

static int view_rounds(const char *dir, const struct results *rs)
{
	static const char *const titles[] = { "no reset (registers only)",
					      "full reset (all write-enabled memory cleared)" };
	static const char *const colors[] = { "#1f77b4", "#ff7f0e" };
	/* The pair kvmbench-rounds runs by default (--reset both). */
	static const char *const pair[] = { "none", "full" };
	static const struct want pair_run[] = {
		{ "reset", "both", 0, true }, { "sweep", NULL, 0, true }, { NULL, NULL, 0, false },
	};
	const struct result *r = report_find(rs, "rounds", pair_run);
	struct line l[2];
	size_t n = 0;
	FILE *out;

	for (int k = 0; r && k < 2; k++) {
		const char *name = pair[k];
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

/* ---- strategies and the sweep: reset strategies, from their labels ---- */

/* How the charts draw each reset strategy (lib/reset.c's table), by its
 * name: its colour and its legend, which says how it works. */
static const struct {
	const char *name, *color, *legend;
} looks[] = {
	{ "none", "#888888", "none (registers only: does not isolate)" },
	{ "full", "#1f77b4", "full (copy the whole image back)" },
	{ "madvise", "#ff7f0e", "madvise (MADV_DONTNEED on a private memfd mapping)" },
	{ "cow", "#2ca02c", "cow (a fresh private mapping, in place)" },
	{ "dirty-log", "#d62728",
	  "dirty-log (KVM_GET_DIRTY_LOG, copy back the pages written)" },
	{ "dirty-ring", "#9467bd", "dirty-ring (the vCPU's dirty ring, likewise)" },
	{ "dirty-log-hot", "#17becf", "dirty-log-hot (manual protect: pages written run after "
				      "run stay writable, copied back every time)" },
	{ "pte-dirty", "#8c564b", "pte-dirty (the guest page tables' Dirty bits)" },
	{ "soft-dirty", "#e377c2", "soft-dirty (/proc/self/pagemap)" },
};

/* <prefix>_n, _name[], _title[], _color[]: the strategies of a chart, in
 * order; their titles and colours from looks[], or for a name this view
 * does not know, the name and black; the titles name the vCPU
 * reset level of each strategy's first series, where it has one. */
static void gp_strategies(FILE *out, const char *prefix, const char *const *names, size_t n,
			  const struct rec_series *const *first)
{
	const char *title[16], *color[16];
	char var[64], titles[16][320];

	for (size_t k = 0; k < n; k++) {
		size_t i = 0;
		while (i < ARRAY_SIZE(looks) && strcmp(looks[i].name, names[k]))
			i++;
		bool known = i < ARRAY_SIZE(looks);
		const char *level = rec_map_text(&first[k]->labels, LABEL_VCPU_RESET);
		snprintf(titles[k], sizeof(titles[k]), "%s%s%s",
			 known ? looks[i].legend : names[k],
			 level ? ", vCPU " : "", level ? level : "");
		title[k] = titles[k];
		color[k] = known ? looks[i].color : "#000000";
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

static int view_strategies(const char *dir, const struct results *rs)
{
	const struct result *r = report_find(rs, "rounds", every_strategy);
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
static int view_sweep(const char *dir, const struct results *rs)
{
	static const char *const kinds[] = { "pages", "size" };
	static const struct want swept[] = {
		{ "reset", "all", 0, false }, { "sweep", NULL, 1, false }, { NULL, NULL, 0, false },
	};
	const struct result *r = report_find(rs, "rounds", swept);
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

/* ---- vcpu-reset: what each vCPU reset level costs, and what it leaks ---- */

/* vcpu-reset.dat: a line per level of rounds --reset all, in file order:
 * index, then the median, p25 and p75 of the vCPU reset alone and of the
 * whole guest round, in us.  vcpu-reset.gp: vcpu_n, vcpu_name[] ("full")
 * and vcpu_leaks[] ("clean", "leaks: x87-control, ..."). */
static int view_vcpu_reset(const char *dir, const struct results *rs)
{
	const struct result *r = report_find(rs, "rounds", every_strategy);
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

/* The charts of this file, in the list of every chart (report/view.h). */
VIEW_REGISTER(50, view_rounds, "rounds");
VIEW_REGISTER(90, view_strategies, "strategies");
VIEW_REGISTER(100, view_sweep, "sweep-pages", "sweep-size");
VIEW_REGISTER(110, view_vcpu_reset, "vcpu-reset");
