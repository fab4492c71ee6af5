#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "stats.h"
#include "util.h"

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

/* xorshift64*: small, fast, and the same on every machine. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static double mean_log(const double *x, size_t k)
{
	double sum = 0;

	for (size_t i = 0; i < k; i++)
		sum += log(x[i]);
	return sum / (double)k;
}

/* Sum of squared deviations of log x from its mean. */
static double ss_log(const double *x, size_t k)
{
	double m = mean_log(x, k), ss = 0;

	for (size_t i = 0; i < k; i++)
		ss += (log(x[i]) - m) * (log(x[i]) - m);
	return ss;
}

double stats_run_spread(const double *x, size_t k)
{
	return k < 2 ? NAN : sqrt(ss_log(x, k) / (double)(k - 1));
}

double stats_detectable(double spread, size_t ka, size_t kb)
{
	return (1.96 + 0.84) * spread * sqrt(1.0 / (double)ka + 1.0 / (double)kb);
}

/* The k-th smallest of v[0..n) (quickselect; v is reordered). */
static double select_double(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		double pivot = v[lo + (hi - lo) / 2], t;
		size_t lt = lo, i = lo, gt = hi;
		while (i < gt) {
			if (v[i] < pivot) {
				t = v[lt], v[lt++] = v[i], v[i++] = t;
			} else if (v[i] > pivot) {
				t = v[--gt], v[gt] = v[i], v[i] = t;
			} else {
				i++;
			}
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

/* The continued fraction of the incomplete beta function (modified Lentz). */
static double beta_fraction(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	d = 1 / (fabs(d) < tiny ? tiny : d);
	h = d;
	for (int m = 1; m <= 300; m++) {
		double aa = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		d = 1 + aa * d;
		c = 1 + aa / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
		d = 1 + aa * d;
		c = 1 + aa / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		double step = d * c;
		h *= step;
		if (fabs(step - 1) < 1e-15)
			break;
	}
	return h;
}

double stats_incbeta(double a, double b, double x)
{
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	/* The fraction converges fast on this side of the mean; else by symmetry. */
	return x < (a + 1) / (a + b + 2) ? front * beta_fraction(a, b, x) / a :
	       1 - front * beta_fraction(b, a, 1 - x) / b;
}

double stats_t_p(double t, double df)
{
	return df > 0 && isfinite(t) ? stats_incbeta(df / 2, 0.5, df / (df + t * t)) :
	       isnan(t) ? NAN : 0;
}

double stats_welch(const double *x, size_t nx, const double *y, size_t ny, double *t,
		   double *df)
{
	double mx = 0, my = 0, vx = 0, vy = 0;

	if (t)
		*t = NAN;
	if (df)
		*df = NAN;
	if (nx < 2 || ny < 2)
		return NAN;
	for (size_t i = 0; i < nx; i++)
		mx += x[i] / (double)nx;
	for (size_t i = 0; i < ny; i++)
		my += y[i] / (double)ny;
	for (size_t i = 0; i < nx; i++)
		vx += (x[i] - mx) * (x[i] - mx) / (double)(nx - 1);
	for (size_t i = 0; i < ny; i++)
		vy += (y[i] - my) * (y[i] - my) / (double)(ny - 1);
	double se2 = vx / (double)nx + vy / (double)ny;
	if (se2 <= 0)
		/* No spread on either side: equal means, or as different as can be. */
		return my == mx ? 1 : 0;
	double tt = (my - mx) / sqrt(se2);
	double dd = se2 * se2 / (vx * vx / ((double)nx * nx * (nx - 1)) +
				 vy * vy / ((double)ny * ny * (ny - 1)));
	if (t)
		*t = tt;
	if (df)
		*df = dd;
	return stats_t_p(tt, dd);
}

int stats_compare_runs(const double *a, size_t ka, const double *b, size_t kb, double noise,
		       struct run_comparison *out)
{
	enum { RESAMPLES = 2000 };
	size_t k = ka + kb;
	double logs[128], ratios[RESAMPLES];
	uint64_t state = 0x9e3779b97f4a7c15ull;

	if (!ka || !kb || k > ARRAY_SIZE(logs))
		return err_set(-EINVAL, "a comparison needs 1 to 64 runs a side");
	for (size_t i = 0; i < k; i++) {
		double v = i < ka ? a[i] : b[i - ka];
		if (!(v > 0) || !isfinite(v))
			return err_set(-EDOM, "a run median of %g cannot be compared", v);
		logs[i] = log(v);
	}
	double diff = mean_log(b, kb) - mean_log(a, ka);
	out->ratio = exp(diff);

	/* Bootstrap over runs. */
	for (int r = 0; r < RESAMPLES; r++) {
		double sa = 0, sb = 0;
		for (size_t i = 0; i < ka; i++)
			sa += logs[next_random(&state) % ka];
		for (size_t i = 0; i < kb; i++)
			sb += logs[ka + next_random(&state) % kb];
		ratios[r] = exp(sb / (double)kb - sa / (double)ka);
	}
	out->lo = select_double(ratios, RESAMPLES, (size_t)(0.025 * (RESAMPLES - 1)));
	out->hi = select_double(ratios, RESAMPLES, (size_t)ceil(0.975 * (RESAMPLES - 1)));

	/* Welch's t-test on the log run medians. */
	out->p = stats_welch(logs, ka, logs + ka, kb, NULL, NULL);

	double ss = (ka > 1 ? ss_log(a, ka) : 0) + (kb > 1 ? ss_log(b, kb) : 0);
	size_t df = (ka > 1 ? ka - 1 : 0) + (kb > 1 ? kb - 1 : 0);
	out->spread = df ? sqrt(ss / (double)df) : NAN;
	out->floor = stats_detectable(noise > 0 ? noise : out->spread, ka, kb);
	if (ka < 2 || kb < 2)
		out->verdict = VERDICT_NONE;
	else if (out->p < 0.05 && fabs(out->ratio - 1) > out->floor)
		out->verdict = out->ratio > 1 ? VERDICT_SLOWER : VERDICT_FASTER;
	else
		out->verdict = VERDICT_SAME;
	return 0;
}

struct ranked {
	double p;
	size_t i;
};

static int ranked_cmp(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->p, y = ((const struct ranked *)b)->p;

	return x < y ? -1 : x > y;
}

int stats_bh(const double *p, size_t n, double *q)
{
	struct ranked *r = malloc((n ? n : 1) * sizeof(*r));
	size_t m = 0;

	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		q[i] = NAN;
		if (!isnan(p[i]))
			r[m++] = (struct ranked){ p[i], i };
	}
	qsort(r, m, sizeof(*r), ranked_cmp);
	/* From the largest p down: q = the least m p / rank at or above. */
	double least = 1;
	for (size_t k = m; k > 0; k--) {
		double v = r[k - 1].p * (double)m / (double)k;
		least = v < least ? v : least;
		q[r[k - 1].i] = least;
	}
	free(r);
	return 0;
}
