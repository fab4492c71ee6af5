/*
 * Samples and their summaries.  A sample buffer is allocated before the
 * timed loop, so adding a sample never allocates.
 *
 * Percentiles interpolate linearly between the two closest ranks
 * (Hyndman & Fan type 7, as R's default and numpy's "linear"): the median
 * of an even count is the mean of the two middle samples.
 */
#ifndef KVMBENCH_STATS_H
#define KVMBENCH_STATS_H

#include <stddef.h>
#include <stdint.h>

struct samples {
	uint64_t *v;
	size_t n;
	size_t cap;
};

int samples_init(struct samples *s, size_t cap);
void samples_free(struct samples *s);

static inline void samples_add(struct samples *s, uint64_t ns)
{
	if (s->n < s->cap)
		s->v[s->n++] = ns;
}

struct summary {
	size_t n;
	uint64_t min;
	uint64_t max;
	double mean;
	double p25;
	double median;
	double p75;
	double p90;
	double p99;
};

/* Summary of v[0..n); n == 0 gives -EINVAL. */
int stats_summarize(const uint64_t *v, size_t n, struct summary *out);
/* p in [0, 100], sorted ascending, n > 0. */
double stats_percentile_sorted(const uint64_t *sorted, size_t n, double p);
double stats_mean(const uint64_t *v, size_t n);

/* Least-squares line y = intercept + slope * x through n >= 2 points, and
 * its coefficient of determination R^2 (1 when every point is on the line).
 * -EINVAL if n < 2 or every x is equal. */
struct linfit {
	double slope;
	double intercept;
	double r2;
};
int stats_linfit(const double *x, const double *y, size_t n, struct linfit *fit);

/*
 * Run B against run A with the run as the unit of evidence: samples of one
 * run are not independent (a machine drifts by 10-20% between minutes),
 * runs are.  Each side is given as the medians of its independent runs.
 *
 *   ratio   the geometric mean of B's run medians over A's
 *   lo, hi  its 95% interval: a bootstrap over runs (each side's runs
 *           resampled, 2000 times, from a fixed seed)
 *   p       Welch's two-sided t-test on the log run medians (as pyperf
 *           tests run values); NaN with one run on a side
 *   spread  the between-run spread: the pooled standard deviation of the
 *           log run medians, about their coefficient of variation; NaN
 *           with one run on both sides
 *   floor   the noise floor the verdict used: the smallest difference
 *           that these runs can tell from this machine's run-to-run noise
 *           (stats_detectable), of `noise` when one was measured (> 0),
 *           else of spread
 *
 * The verdict: with one run on either side, none is possible (a run's
 * samples say nothing of the next run); else B is slower or faster only
 * when p < 0.05 and |ratio - 1| exceeds the floor: a difference must be
 * both clear and larger than what the noise lets the runs detect.
 */
enum verdict { VERDICT_NONE, VERDICT_SAME, VERDICT_SLOWER, VERDICT_FASTER };

struct run_comparison {
	double ratio, lo, hi;
	double p;
	double spread, floor;
	enum verdict verdict;
};
int stats_compare_runs(const double *a, size_t ka, const double *b, size_t kb, double noise,
		       struct run_comparison *out);

/* Benjamini and Hochberg's adjusted p values (q) of n tests taken
 * together: q[i] is the smallest false discovery rate at which test i would
 * be called.  One comparison tests every series at once; at p < 0.05 each,
 * about one series in twenty would differ by chance alone.  NaN p values
 * are left out of n and give NaN.  -ENOMEM or 0. */
int stats_bh(const double *p, size_t n, double *q);

/* Welch's two-sided t-test of y's mean against x's: the p value, and t
 * and its degrees of freedom when asked (NULL: not).  NaN for fewer than
 * two values a side; 0 or 1 when neither side varies. */
double stats_welch(const double *x, size_t nx, const double *y, size_t ny, double *t,
		   double *df);
/* The two-sided p of Student's t with df degrees of freedom. */
double stats_t_p(double t, double df);
/* The regularized incomplete beta function I_x(a, b). */
double stats_incbeta(double a, double b, double x);

/* The between-run spread of one side (standard deviation of the log run
 * medians); NaN for fewer than two runs. */
double stats_run_spread(const double *x, size_t k);
/* The smallest relative difference that ka runs against kb can tell
 * apart from noise of that spread: 80% power at the 5% level,
 * (1.96 + 0.84) * spread * sqrt(1/ka + 1/kb). */
double stats_detectable(double spread, size_t ka, size_t kb);

#endif
