/* kvmbench-report --compare A B: run B against run A, series by series. */
#include <string.h>

#include "report.h"
#include "series.h"
#include "stats.h"
#include "util.h"


static bool same_labels(const struct rec_series *a, const struct rec_series *b)
{
	if (a->labels.n != b->labels.n)
		return false;
	for (size_t i = 0; i < a->labels.n; i++) {
		const char *v = rec_map_text(&b->labels, a->labels.kv[i].key);
		if (!v || a->labels.kv[i].v.type != REC_TEXT || strcmp(v, a->labels.kv[i].v.text))
			return false;
	}
	return true;
}

static void value_text(const struct rec_value *v, char *buf, size_t size)
{
	switch (v ? v->type : REC_MAP) {
	case REC_UINT:
		snprintf(buf, size, "%llu", (unsigned long long)v->u);
		break;
	case REC_TEXT:
		esc_markdown(v->text, buf, size);
		break;
	case REC_BOOL:
		snprintf(buf, size, "%s", v->b ? "true" : "false");
		break;
	default:
		snprintf(buf, size, "%s", v ? "(map)" : "-");
	}
}

/* Fields of two machine maps side by side; differences in bold.  Values
 * are Markdown cells (value_text() escapes text). */
static void compare_machines(const struct result *a, const struct result *b)
{
	static const char *const fields[] = {
		"hostname", "kernel_release", "cpu_model", "cpus", "memory_bytes", "kvm_module",
		"nested", "clocksource", "nofile_hard", "max_map_count", "kvmbench_revision",
		"compiler", "build_type", "date",
	};
	char x[512], y[512];

	printf("\n### Machines\n\n| field | A: %s | B: %s |\n|---|---|---|\n", MD(a->path),
	       MD(b->path));
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		value_text(rec_map_get(&a->rec.machine, fields[i]), x, sizeof(x));
		value_text(rec_map_get(&b->rec.machine, fields[i]), y, sizeof(y));
		bool diff = strcmp(x, y) != 0;
		printf("| %s%s%s | %s%s%s | %s%s%s |\n", diff ? "**" : "", fields[i],
		       diff ? "** (differs)" : "", diff ? "**" : "", x, diff ? "**" : "",
		       diff ? "**" : "", y, diff ? "**" : "");
	}
	const struct rec_value *pa = rec_map_get(&a->rec.machine, "kvm_parameters");
	const struct rec_value *pb = rec_map_get(&b->rec.machine, "kvm_parameters");
	const struct rec_map none = { 0 };
	const struct rec_map *ma = pa && pa->type == REC_MAP ? &pa->map : &none;
	const struct rec_map *mb = pb && pb->type == REC_MAP ? &pb->map : &none;
	if (!ma->n || !mb->n) {
		if (ma->n || mb->n)
			printf("| **kvm_parameters** (differs) | **%zu recorded** | **%zu recorded** |\n",
			       ma->n, mb->n);
		return;
	}
	for (int side = 0; side < 2; side++) {
		const struct rec_map *m = side ? mb : ma, *o = side ? ma : mb;
		for (size_t i = 0; i < m->n; i++) {
			const char *k = m->kv[i].key;
			if (side && rec_map_get(o, k))
				continue;	/* shown from side A */
			value_text(rec_map_get(ma, k), x, sizeof(x));
			value_text(rec_map_get(mb, k), y, sizeof(y));
			if (strcmp(x, y))
				printf("| **%s** (differs) | **%s** | **%s** |\n", MD(k), x, y);
		}
	}
}

int report_compare(const char *pa, const char *pb)
{
	struct results a = { 0 }, b = { 0 };
	int err = report_load(&a, pa) || report_load(&b, pb);
	size_t rows = 0;

	if (err) {
		report_free(&a);
		report_free(&b);
		return 1;
	}
	printf("## %s (A) against %s (B)\n\nratio = median B / median A, 95%% bootstrap "
	       "interval (1000 resamples); p: two-sided Mann-Whitney U.  A difference is "
	       "called significant when p < 0.05 and the interval leaves out 1.  Readings at "
	       "steps (cumulative times, memory) are compared in the overlay charts only.\n\n"
	       "| benchmark | series | labels | n A | n B | median A | median B | unit | "
	       "ratio B/A | 95%% interval | p | verdict |\n"
	       "|---|---|---|---|---|---|---|---|---|---|---|---|\n", MD(pa), MD(pb));
	for (size_t i = 0; i < a.n; i++) {
		const struct result *ra = &a.r[i];
		for (size_t j = 0; j < b.n; j++) {
			const struct result *rb = &b.r[j];
			if (strcmp(ra->file, rb->file))
				continue;
			for (size_t k = 0; k < ra->rec.nseries; k++) {
				const struct rec_series *sa = &ra->rec.series[k];
				for (size_t l = 0; l < rb->rec.nseries; l++) {
					const struct rec_series *sb = &rb->rec.series[l];
					if (strcmp(sa->name, sb->name) || !same_labels(sa, sb) ||
					    series_is_reading(sa->name))
						continue;
					size_t na = sa->n - sa->warmup, nb = sb->n - sb->warmup;
					struct ratio_ci ci;
					struct summary x, y;
					double u, p;
					char labels[256], flags[128];
					if (stats_summarize(sa->samples + sa->warmup, na, &x) ||
					    stats_summarize(sb->samples + sb->warmup, nb, &y) ||
					    stats_mann_whitney(sa->samples + sa->warmup, na,
							       sb->samples + sb->warmup, nb, &u, &p) ||
					    stats_ratio_ci(sa->samples + sa->warmup, na,
							   sb->samples + sb->warmup, nb, 1000, 0.95,
							   1, &ci))
						continue;
					report_labels(sa, labels, sizeof(labels));
					bool sig = p < 0.05 && (ci.lo > 1 || ci.hi < 1);
					snprintf(flags, sizeof(flags), "%s%s%s", sig ?
						 (ci.ratio > 1 ? "B slower/larger" : "B faster/smaller") :
						 "not significant",
						 ra->rec.complete && rb->rec.complete ? "" : ", INCOMPLETE run",
						 ra->published || rb->published ? ", published means" : "");
					double f = report_scale(sa->unit);
					printf("| %s | %s | %s | %zu | %zu | %.1f | %.1f | %s | %.3f | "
					       "%.3f - %.3f | %.3g | %s |\n", MD(ra->file), MD(sa->name),
					       MD(labels), na, nb, x.median * f, y.median * f,
					       MD(report_unit(sa->unit)),
					       ci.ratio, ci.lo, ci.hi, p, flags);
					rows++;
				}
			}
		}
	}
	if (!rows) {
		err = report_fail("the two runs have no series in common (same file name, series "
			   "and labels): nothing to compare");
	} else {
		compare_machines(&a.r[0], &b.r[0]);
	}
	report_free(&a);
	report_free(&b);
	return err;
}

