/* Description: the statistics behind kvmbench-report --compare on inputs
 * with known answers: identical samples give a ratio of 1 inside its
 * interval and p near 1; a copy scaled by 2 gives 2 and a tiny p; a
 * shifted copy gives the shift; a small case matches the Mann-Whitney
 * normal approximation worked by hand; the same inputs give the same
 * interval every time. */
#include <math.h>

#include "helpers.h"
#include "stats.h"

#define N 2001

int main(void)
{
	static uint64_t a[N], b[N];
	struct ratio_ci ci, again;
	double u, p;
	uint64_t s = 12345;

	for (int i = 0; i < N; i++) {	/* a skewed, noisy sample around 1000 */
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		a[i] = 800 + (s >> 33) % 400 + ((s >> 20) % 10 == 0 ? 2000 : 0);
	}

	T_CHECK(stats_mann_whitney(a, N, a, N, &u, &p) == 0, "mann-whitney");
	T_CHECK(p > 0.99, "identical samples: p = %g", p);
	T_CHECK(stats_ratio_ci(a, N, a, N, 1000, 0.95, 1, &ci) == 0, "ratio");
	T_CHECK(ci.ratio == 1.0 && ci.lo <= 1.0 && ci.hi >= 1.0 && ci.hi - ci.lo < 0.1,
		"identical: ratio %g [%g, %g]", ci.ratio, ci.lo, ci.hi);
	T_CHECK(stats_ratio_ci(a, N, a, N, 1000, 0.95, 1, &again) == 0 &&
		again.lo == ci.lo && again.hi == ci.hi, "not reproducible");

	for (int i = 0; i < N; i++)
		b[i] = 2 * a[i];
	T_CHECK(stats_ratio_ci(a, N, b, N, 1000, 0.95, 1, &ci) == 0, "ratio");
	T_CHECK(ci.ratio == 2.0 && ci.lo <= 2.0 && ci.hi >= 2.0 && ci.lo > 1.8,
		"doubled: ratio %g [%g, %g]", ci.ratio, ci.lo, ci.hi);
	T_CHECK(stats_mann_whitney(a, N, b, N, &u, &p) == 0 && p < 1e-10, "doubled: p = %g", p);

	struct summary sa;
	T_CHECK(stats_summarize(a, N, &sa) == 0, "summary");
	for (int i = 0; i < N; i++)
		b[i] = a[i] + 100;
	T_CHECK(stats_ratio_ci(a, N, b, N, 1000, 0.95, 1, &ci) == 0, "ratio");
	T_CHECK(fabs(ci.ratio - (sa.median + 100) / sa.median) < 1e-12,
		"shifted by 100: ratio %g, median %g", ci.ratio, sa.median);
	T_CHECK(stats_mann_whitney(a, N, b, N, &u, &p) == 0 && p < 0.05, "shifted: p = %g", p);

	/* By hand: a = 1 2 3, b = 4 5 6: U = 0, mean 4.5, variance 5.25;
	 * z = (4.5 - 0.5) / sqrt(5.25), p = erfc(z / sqrt 2) = 0.0809. */
	uint64_t x[] = { 1, 2, 3 }, y[] = { 4, 5, 6 };
	T_CHECK(stats_mann_whitney(x, 3, y, 3, &u, &p) == 0, "small");
	T_CHECK(u == 0 && fabs(p - erfc(4.0 / sqrt(5.25) / sqrt(2.0))) < 1e-12 &&
		fabs(p - 0.0809) < 5e-4, "small: U %g p %g", u, p);
	/* Ties: all equal is no evidence at all. */
	uint64_t t[] = { 7, 7, 7, 7 };
	T_CHECK(stats_mann_whitney(t, 4, t, 4, &u, &p) == 0 && p == 1.0, "ties: p %g", p);
	T_CHECK(stats_mann_whitney(t, 0, t, 4, &u, &p) < 0, "empty side accepted");
	T_CHECK(stats_ratio_ci(t, 0, t, 4, 1000, 0.95, 1, &ci) < 0, "empty side accepted");

	/* Least squares on a known line, and on a curve it cannot fit. */
	double lx[] = { 0, 1, 2, 3 }, ly[] = { 1, 3, 5, 7 }, qy[] = { 0, 1, 4, 9 };
	struct linfit fit;
	T_CHECK(stats_linfit(lx, ly, 4, &fit) == 0 && fabs(fit.slope - 2) < 1e-12 &&
		fabs(fit.intercept - 1) < 1e-12 && fabs(fit.r2 - 1) < 1e-12, "line");
	T_CHECK(stats_linfit(lx, qy, 4, &fit) == 0 && fit.r2 < 0.97 && fit.r2 > 0.9,
		"parabola: R^2 %g", fit.r2);
	return T_EXIT_PASS;
}
