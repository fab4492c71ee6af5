/*
 * The views (report/charts.c): one function per chart or pair of charts,
 * each writing into dir the data its scripts/<chart>.gp reads, from
 * whichever results of rs it draws.  1: drawn, 0: nothing to draw, -1: an
 * error (said).
 */
#ifndef KVMBENCH_VIEW_H
#define KVMBENCH_VIEW_H

#include <stdbool.h>
#include <stdio.h>

#include "report.h"
#include "series.h"
#include "stats.h"
#include "util.h"

/* DIR/<name>: a file of a view, named by us. */
FILE *view_open(const char *dir, const char *name);
/* machine = '...' and subtitle = '<machine>, <what><state>'. */
void view_head(FILE *out, const struct result *r, bool incomplete, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A series' mean, in us. */
double view_mean_us(const struct rec_series *s);
/* CDF lines, one per series: lines, line_file[] (the series' .cdf),
 * line_title[], line_color[], line_mean[] (us), and means, a legend for
 * them ("means: 24 us none, 175 us full"). */
struct line {
	const struct result *r;
	const struct rec_series *s;
	const char *title, *short_title, *color;
};
void cdf_lines(FILE *out, const struct line *l, size_t n);

#define VIEW(name) int view_##name(const char *dir, const struct results *rs)
VIEW(instantiation); VIEW(processes);	/* view_scaling.c */
VIEW(single); VIEW(phases);		/* view_single.c */
VIEW(concurrent); VIEW(threads);	/* view_concurrent.c */
VIEW(memory);				/* view_memory.c */
VIEW(rounds); VIEW(strategies); VIEW(sweep); VIEW(vcpu_reset);	/* view_rounds.c */
VIEW(breakeven);			/* view_breakeven.c */
#undef VIEW

#endif
