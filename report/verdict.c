/*
 * The verdicts of --compare (compare.h): each series of A against its
 * partner in another run, with the run as the unit of evidence
 * (stats_compare_runs), the false discovery rate held over every series
 * compared (Benjamini-Hochberg), and the tallies of the verdicts.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "compare.h"
#include "series.h"

void tally_add(struct tally *t, const struct run_comparison *c)
{
	t->slower += c->verdict == VERDICT_SLOWER;
	t->faster += c->verdict == VERDICT_FASTER;
	t->same += c->verdict == VERDICT_SAME;
	t->none += c->verdict == VERDICT_NONE;
	t->log_sum += log(c->ratio);
	t->ratios++;
}

void tally_print(const char *what, char run, const struct tally *t)
{
	if (!t->ratios) {
		printf("- %s, %c against A: no series in common\n", what, run);
		return;
	}
	printf("- %s, %c against A: geometric mean of the ratios %.3f over %zu series; "
	       "%c slower %zu, %c faster %zu, no difference %zu", what, run,
	       exp(t->log_sum / (double)t->ratios), t->ratios, run, t->slower,
	       run, t->faster, t->same + t->none);
	if (t->none)
		printf(" (%zu of them with one run on a side: no verdict possible)", t->none);
	printf("\n");
}

/* The verdict with the false discovery rate over the whole comparison: a
 * difference stands only where its q is below 0.05 too. */
enum verdict final_verdict(const struct run_comparison *c, double q)
{
	if ((c->verdict == VERDICT_SLOWER || c->verdict == VERDICT_FASTER) && !(q < 0.05))
		return VERDICT_SAME;
	return c->verdict;
}

/* "B slower (+12.3%, noise ±4.1%)" and the like. */
void verdict_text(char *buf, size_t size, char run, const struct run_comparison *c,
			 double q)
{
	enum verdict v = final_verdict(c, q);

	if (v == VERDICT_NONE)
		snprintf(buf, size, "no difference (one run on a side: no verdict possible)");
	else if (v == VERDICT_SAME && v != c->verdict)
		snprintf(buf, size, "no difference (%+.1f%% beyond the ±%.1f%% noise, but with "
			 "q %.2g: as often as chance over this many series)", 100 * (c->ratio - 1),
			 100 * c->floor, q);
	else if (v == VERDICT_SAME)
		snprintf(buf, size, "no difference (within ±%.1f%% noise)", 100 * c->floor);
	else
		snprintf(buf, size, "%c %s (%+.1f%%, noise ±%.1f%%)", run,
			 v == VERDICT_SLOWER ? "slower" : "faster",
			 100 * (c->ratio - 1), 100 * c->floor);
}

/* Run medians, and "5 (CV 4.1%)" or "1". */
size_t medians(const struct rec_series *s, double *med, char *runs, size_t size)
{
	size_t k = report_run_medians(s, med);
	double spread = stats_run_spread(med, k);

	if (k > 1)
		snprintf(runs, size, "%zu (CV %.1f%%)", k, 100 * spread);
	else
		snprintf(runs, size, "%zu", k);
	return k;
}

/* One side measured under emulation and the other not: no verdict. */
bool apart(const struct result *a, const struct result *b)
{
	return !report_emulator(a) != !report_emulator(b);
}

/* A's series that are compared: timings, with runs. */
bool comparable(const struct rec_series *sa)
{
	struct summary x;

	return !series_is_reading(sa->name) && sa->nruns <= MAX_SERIES_RUNS &&
	       report_run_medians(sa, (double[MAX_SERIES_RUNS]){ 0 }) > 0 &&
	       report_summary(sa, &x) == 0;
}


static int compare_cell(const struct results *rs, size_t o, const struct result *ra,
			const struct rec_series *sa, const struct noises *ns, struct cell *cell)
{
	double ma[MAX_SERIES_RUNS], mb[MAX_SERIES_RUNS];
	size_t ka = report_run_medians(sa, ma), kb = 0;

	cell->sb = match(&rs[o], rs[0].n == 1 && rs[o].n == 1, ra, sa, &cell->rb, &cell->how);
	if (cell->sb && cell->sb->nruns <= MAX_SERIES_RUNS)
		kb = medians(cell->sb, mb, cell->runs, sizeof(cell->runs));
	if (!kb || report_summary(cell->sb, &cell->y) ||
	    stats_compare_runs(ma, ka, mb, kb, noise_of(ns, ra->file, sa), &cell->c))
		return -1;
	return 0;
}

/* Run o's cells, one per comparable series of A in table order, each
 * compared once, and their q values: Benjamini-Hochberg over every series
 * compared (one side emulated, the other not: no verdict, left out). */
int cells_of(const struct results *rs, size_t o, const struct noises *ns,
		    struct cell **out, size_t *nout)
{
	struct cell *cells = NULL;
	double *p = NULL, *q = NULL;
	size_t n = 0, m = 0;
	int err = 0;

	for (size_t i = 0; i < rs[0].n && !err; i++) {
		const struct result *ra = &rs[0].r[i];
		for (size_t k = 0; k < ra->rec.nseries && !err; k++) {
			if (!comparable(&ra->rec.series[k]))
				continue;
			struct cell *more = realloc(cells, (n + 1) * sizeof(*cells));
			if (!more) {
				err = -ENOMEM;
				break;
			}
			cells = more;
			struct cell *c = &cells[n++];
			c->ok = !compare_cell(rs, o, ra, &ra->rec.series[k], ns, c);
			c->apart = c->ok && apart(ra, c->rb);
			c->q = NAN;
		}
	}
	if (!err && (!(p = malloc((n ? n : 1) * sizeof(*p))) ||
		     !(q = malloc((n ? n : 1) * sizeof(*q)))))
		err = -ENOMEM;
	for (size_t j = 0; !err && j < n; j++)
		if (cells[j].ok && !cells[j].apart)
			p[m++] = cells[j].c.p;
	if (!err && stats_bh(p, m, q))
		err = -ENOMEM;
	for (size_t j = 0, k = 0; !err && j < n; j++)
		if (cells[j].ok && !cells[j].apart)
			cells[j].q = q[k++];
	free(p);
	free(q);
	*out = cells;
	*nout = n;
	return err ? report_fail("out of memory") : 0;
}
