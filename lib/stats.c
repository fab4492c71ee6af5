#include <errno.h>
#include <math.h>
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
	out->p25 = stats_percentile_sorted(sorted, n, 25);
	out->p75 = stats_percentile_sorted(sorted, n, 75);
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

struct ranked {
	uint64_t v;
	int side;
};

static int cmp_ranked(const void *x, const void *y)
{
	uint64_t a = ((const struct ranked *)x)->v, b = ((const struct ranked *)y)->v;

	return (a > b) - (a < b);
}

int stats_mann_whitney(const uint64_t *a, size_t n, const uint64_t *b, size_t m,
		       double *u, double *p)
{
	size_t N = n + m;
	struct ranked *r;
	double rank_sum_a = 0, ties = 0;

	if (!n || !m)
		return err_set(-EINVAL, "a rank test needs samples on both sides");
	r = malloc(N * sizeof(*r));
	if (!r)
		return err_set(-ENOMEM, "no memory to rank %zu samples", N);
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){ a[i], 0 };
	for (size_t i = 0; i < m; i++)
		r[n + i] = (struct ranked){ b[i], 1 };
	qsort(r, N, sizeof(*r), cmp_ranked);
	for (size_t i = 0; i < N;) {
		size_t j = i;
		while (j < N && r[j].v == r[i].v)
			j++;
		double t = (double)(j - i), mid = ((double)i + 1 + (double)j) / 2;
		for (size_t k = i; k < j; k++)
			if (r[k].side == 0)
				rank_sum_a += mid;
		ties += t * t * t - t;
		i = j;
	}
	free(r);

	double dn = (double)n, dm = (double)m, dN = (double)N;
	double ua = rank_sum_a - dn * (dn + 1) / 2;
	double mean = dn * dm / 2;
	double var = dn * dm / 12 * ((dN + 1) - ties / (dN * (dN - 1)));
	*u = ua;
	if (var <= 0) {		/* every value equal */
		*p = 1.0;
		return 0;
	}
	double z = (fabs(ua - mean) - 0.5) / sqrt(var);	/* continuity correction */
	*p = z <= 0 ? 1.0 : erfc(z / sqrt(2.0));
	return 0;
}

/* xorshift64*: small, fast, and the same on every machine. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static void swap_u64(uint64_t *x, uint64_t *y)
{
	uint64_t t = *x;

	*x = *y;
	*y = t;
}

/* The k-th smallest of v[0..n), by quickselect with a three-way partition
 * (so runs of equal samples cost nothing); reorders v so that every
 * element before index k is no larger than v[k]. */
static uint64_t select_kth(uint64_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		uint64_t pivot = v[lo + (hi - lo) / 2];
		size_t lt = lo, i = lo, gt = hi;
		while (i < gt) {
			if (v[i] < pivot)
				swap_u64(&v[lt++], &v[i++]);
			else if (v[i] > pivot)
				swap_u64(&v[i], &v[--gt]);
			else
				i++;
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return v[k];
	}
	return v[lo];
}

/* Median by selection, as stats_percentile_sorted(..., 50) would give. */
static double median_select(uint64_t *v, size_t n)
{
	uint64_t hi = select_kth(v, n, n / 2);

	if (n % 2)
		return (double)hi;
	uint64_t lo = v[0];
	for (size_t i = 1; i < n / 2; i++)	/* largest of the lower half */
		lo = v[i] > lo ? v[i] : lo;
	return ((double)lo + (double)hi) / 2;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

int stats_ratio_ci(const uint64_t *a, size_t n, const uint64_t *b, size_t m,
		   unsigned resamples, double level, uint64_t seed, struct ratio_ci *out)
{
	uint64_t *buf;
	double *ratios;
	uint64_t state = seed ? seed : 0x9e3779b97f4a7c15ull;
	size_t big = n > m ? n : m;
	int err = 0;

	if (!n || !m || resamples < 10)
		return err_set(-EINVAL, "a ratio needs samples on both sides");
	buf = malloc(big * sizeof(*buf));
	ratios = malloc(resamples * sizeof(*ratios));
	if (!buf || !ratios) {
		err = err_set(-ENOMEM, "no memory to resample %zu samples", big);
		goto out;
	}
	memcpy(buf, a, n * sizeof(*buf));
	double ma = median_select(buf, n);
	memcpy(buf, b, m * sizeof(*buf));
	double mb = median_select(buf, m);
	if (ma <= 0) {
		err = err_set(-EDOM, "a ratio to a median of 0");
		goto out;
	}
	out->ratio = mb / ma;
	for (unsigned r = 0; r < resamples; r++) {
		for (size_t i = 0; i < n; i++)
			buf[i] = a[next_random(&state) % n];
		double ra = median_select(buf, n);
		for (size_t i = 0; i < m; i++)
			buf[i] = b[next_random(&state) % m];
		double rb = median_select(buf, m);
		ratios[r] = ra > 0 ? rb / ra : INFINITY;
	}
	qsort(ratios, resamples, sizeof(*ratios), cmp_double);
	double tail = (1 - level) / 2 * (resamples - 1);
	out->lo = ratios[(size_t)floor(tail)];
	out->hi = ratios[(size_t)ceil((resamples - 1) - tail)];
out:
	free(buf);
	free(ratios);
	return err;
}
