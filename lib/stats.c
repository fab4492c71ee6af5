#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "stats.h"

int samples_init(struct samples *s, size_t cap)
{
	s->n = 0;
	s->cap = cap;
	s->v = calloc(cap ? cap : 1, sizeof(*s->v));
	if (!s->v)
		return err_set(-ENOMEM, "no memory for %zu samples", cap);
	return 0;
}

void samples_free(struct samples *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

double stats_percentile_sorted(const uint64_t *sorted, size_t n, double p)
{
	double rank = p / 100.0 * (double)(n - 1);
	size_t lo = (size_t)rank;

	if (lo + 1 >= n)
		return (double)sorted[n - 1];
	return (double)sorted[lo] + (rank - (double)lo) * ((double)sorted[lo + 1] - (double)sorted[lo]);
}

double stats_mean(const uint64_t *v, size_t n)
{
	long double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += v[i];
	return n ? (double)(sum / n) : 0.0;
}

int stats_summarize(const uint64_t *v, size_t n, struct summary *out)
{
	if (!n)
		return err_set(-EINVAL, "no samples to summarise");
	uint64_t *sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return err_set(-ENOMEM, "no memory to sort %zu samples", n);
	memcpy(sorted, v, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	out->n = n;
	out->min = sorted[0];
	out->max = sorted[n - 1];
	out->mean = stats_mean(v, n);
	out->median = stats_percentile_sorted(sorted, n, 50);
	out->p90 = stats_percentile_sorted(sorted, n, 90);
	out->p99 = stats_percentile_sorted(sorted, n, 99);
	free(sorted);
	return 0;
}

int stats_linfit(const double *x, const double *y, size_t n, struct linfit *fit)
{
	double mx = 0, my = 0, sxx = 0, sxy = 0, syy = 0;

	if (n < 2)
		return err_set(-EINVAL, "a line needs at least two points");
	for (size_t i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= (double)n;
	my /= (double)n;
	for (size_t i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
		syy += (y[i] - my) * (y[i] - my);
	}
	if (sxx == 0)
		return err_set(-EINVAL, "a line needs two distinct x values");
	fit->slope = sxy / sxx;
	fit->intercept = my - fit->slope * mx;
	fit->r2 = syy == 0 ? 1.0 : sxy * sxy / (sxx * syy);
	return 0;
}
