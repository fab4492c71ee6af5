/*
 * What every view shares: its files, its head (machine and subtitle), and
 * CDF lines.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "view.h"

/* DIR/<name>: a file of a view, named by us. */
FILE *view_open(const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		report_fail("cannot write %s: %s", ESC_SHOWN(path), strerror(errno));
	return f;
}

/* machine = '...' and subtitle = '<machine>, <what><state>'. */
void view_head(FILE *out, const struct result *r, bool incomplete, const char *fmt, ...)
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

double view_mean_us(const struct rec_series *s)
{
	return report_mean(s) * report_scale(s->unit);
}


void cdf_lines(FILE *out, const struct line *l, size_t n)
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
			 i ? "," : "", view_mean_us(l[i].s), l[i].short_title);
	}
	fprintf(out, "lines = %zu\n", n);
	gp_array(out, "line_file", file, n);
	gp_array(out, "line_title", title, n);
	gp_array(out, "line_color", color, n);
	fprintf(out, "array line_mean[%zu] = [", n);
	for (size_t i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "%.3f", view_mean_us(l[i].s));
		fprintf(out, "%s%s", i ? ", " : "", num);
	}
	fprintf(out, "]\n");
	gp_text(out, "means", means);
}

