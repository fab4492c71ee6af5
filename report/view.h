/*
 * The views: one function per chart or pair of charts, each writing into
 * dir the data its bench/<experiment>/<chart>.gp reads, from whichever results of rs
 * it draws, registered beside it (VIEW_REGISTER) and written by
 * charts_write() (report/charts.c).
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

/* A view: write() puts into dir what charts[] (bench/<experiment>/<chart>.gp) draw,
 * from whichever results of rs it chooses; 1: drawn, 0: nothing to draw,
 * -1: an error (said).  order: its place in the "charts" list. */
struct view {
	int order;
	int (*write)(const char *dir, const struct results *rs);
	const char *charts[2];
};

/* Registers a view where it is defined, in bench/<experiment>/view.c:
 * the linker gathers every registered view into the section kvmbench_views,
 * which charts_write() walks.  A new chart is its view function, this line
 * beside it and <chart>.gp in the same folder; bench/meson.build links the
 * view of every experiment that has one into kvmbench-report. */
#define VIEW_REGISTER(ord, fn, ...)						\
	static const struct view view_entry_##fn				\
	__attribute__((used, section("kvmbench_views"), aligned(sizeof(void *)))) =	\
		{ .order = (ord), .write = (fn), .charts = { __VA_ARGS__ } }

#endif
