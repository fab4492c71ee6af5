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
 * Two-sided Mann-Whitney U test of a against b (normal approximation with
 * tie correction, fine from about 10 samples a side): *p is the p-value,
 * near 1 for identical distributions.  -EINVAL if either side is empty.
 */
int stats_mann_whitney(const uint64_t *a, size_t n, const uint64_t *b, size_t m,
		       double *u, double *p);

/*
 * The ratio of medians median(b)/median(a) and its percentile-bootstrap
 * confidence interval at `level` (0.95): `resamples` resamples of each side,
 * from a fixed seed, so the same inputs give the same interval.
 */
struct ratio_ci {
	double ratio;
	double lo;
	double hi;
};
int stats_ratio_ci(const uint64_t *a, size_t n, const uint64_t *b, size_t m,
		   unsigned resamples, double level, uint64_t seed, struct ratio_ci *out);

#endif
