#include <math.h>
#include <string.h>

#include "report.h"
#include "series.h"
#include "stats.h"

double report_scale(const char *unit)
{
	return !strcmp(unit, "ns") ? 1e-3 : !strcmp(unit, "bytes") ? 1.0 / 1024 : 1.0;
}

const char *report_unit(const char *unit)
{
	return !strcmp(unit, "ns") ? "us" : !strcmp(unit, "bytes") ? "KiB" : unit;
}

void report_labels(const struct rec_series *s, char *buf, size_t size)
{
	buf[0] = 0;
	for (size_t i = 0; i < s->labels.n; i++) {
		const struct rec_kv *kv = &s->labels.kv[i];
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s=%s", i ? " " : "", kv->key,
			 kv->v.type == REC_TEXT ? kv->v.text : "?");
	}
}

void report_machine(const struct result *r, char *buf, size_t size)
{
	const struct rec_map *m = &r->rec.machine;
	const struct rec_value *nested = rec_map_get(m, "nested");
	const char *host = rec_map_text(m, "hostname"), *kernel = rec_map_text(m, "kernel_release");
	const char *kvm = rec_map_text(m, "kvm_module");

	const char *emulator = report_emulator(r);

	snprintf(buf, size, "%s, %s, %s%s%s%s%s", host ? host : "?", kernel ? kernel : "?",
		 kvm ? kvm : "?", nested && nested->type == REC_BOOL && nested->b ? " (nested)" : "",
		 emulator ? ", EMULATED (" : "", emulator ? emulator : "",
		 emulator ? "): nobody's timings" : "");
}

const char *report_emulator(const struct result *r)
{
	const char *e = rec_map_text(&r->rec.machine, "emulator");

	return e && *e && strcmp(e, "none") ? e : NULL;
}

/* The run's name as a Markdown cell: marks published and incomplete runs. */
static void run_name(const struct result *r, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", MD(r->file), r->published ? " (published 2021)" : "",
		 r->rec.complete ? "" : " **INCOMPLETE**");
}

/* How many runs a series rests on, and how their medians spread:
 * "5: 1210.3 - 1372.0, CV 4.1%", or "1". */
static void runs_text(const struct rec_series *s, char *buf, size_t size)
{
	double med[64], lo = INFINITY, hi = 0, f = report_scale(s->unit);
	size_t k = s->nruns <= 64 ? report_run_medians(s, med) : 0;

	if (s->nruns < 2 || k < 2 || series_is_reading(s->name)) {
		snprintf(buf, size, "%zu", s->nruns);
		return;
	}
	for (size_t i = 0; i < k; i++) {
		lo = med[i] < lo ? med[i] : lo;
		hi = med[i] > hi ? med[i] : hi;
	}
	snprintf(buf, size, "%zu: %.1f - %.1f, CV %.1f%%", s->nruns, lo * f, hi * f,
		 100 * stats_run_spread(med, k));
}

void report_table(const struct results *rs)
{
	printf("| benchmark | series | labels | samples | median | p90 | p99 | min | max | "
	       "unit | runs: their medians | machine |\n"
	       "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];
		char name[1100], machine[1024], labels[512];

		run_name(r, name, sizeof(name));
		report_machine(r, labels, sizeof(labels));
		esc_markdown(labels, machine, sizeof(machine));
		for (size_t k = 0; k < r->rec.nseries; k++) {
			const struct rec_series *s = &r->rec.series[k];
			const char *sname = MD(s->name), *unit = MD(report_unit(s->unit));
			char runs[128];
			struct summary sum;
			double f = report_scale(s->unit);
			report_labels(s, labels, sizeof(labels));
			const char *lab = MD(labels);
			runs_text(s, runs, sizeof(runs));
			if (report_summary(s, &sum)) {
				printf("| %s | %s | %s | 0 | | | | | | %s | %s | %s |\n", name, sname,
				       lab, unit, runs, machine);
				continue;
			}
			char count[64];
			if (series_is_reading(s->name)) {
				printf("| %s | %s | %s | %zu readings | | | | %.1f | %.1f | %s | %s | "
				       "%s |\n", name, sname, lab, sum.n, sum.min * f, sum.max * f, unit,
				       runs, machine);
				continue;
			}
			if (r->published)
				snprintf(count, sizeof(count), "%zu published figures", sum.n);
			else if (s->warmup)
				snprintf(count, sizeof(count), "%zu (+%zu warm-up%s)", sum.n,
					 s->warmup, s->nruns > 1 ? " each run" : "");
			else
				snprintf(count, sizeof(count), "%zu", sum.n);
			printf("| %s | %s | %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %s | "
			       "%s |\n", name, sname, lab, count, sum.median * f, sum.p90 * f,
			       sum.p99 * f, sum.min * f, sum.max * f, unit, runs, machine);
		}
	}
	for (size_t i = 0; i < rs->n; i++)
		if (!rs->r[i].rec.complete)
			printf("\n**INCOMPLETE** %s: %s\n", MD(rs->r[i].path), MD(rs->r[i].rec.error));
}
