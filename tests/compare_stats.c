/* Description: the run-level comparison behind kvmbench-report --compare.
 * Known answers: identical runs give ratio 1, p 1 and no difference; runs
 * scaled by 1.5 give 1.5 inside its interval and "slower" (and the other
 * way "faster"); one run on a side gives no verdict; Welch's t-test gives
 * R's answer for 1 2 3 against 4 5 6 (t 3.674, df 4, p 0.02131) and the
 * closed forms of Student's t for 1 and 2 degrees of freedom; a
 * measured noise floor larger than the effect turns a difference into
 * none.  Then simulated runs with run-to-run spread and within-run noise,
 * from fixed seeds: over 10000 A/A comparisons (3 and 5 runs a side) at
 * most 5% get a verdict other than no difference; effects of three times
 * the run-level spread are found at least 80% of the time with five runs a
 * side and half the time with three, in the right direction; Benjamini and
 * Hochberg's adjusted p values give R's p.adjust(c(.01, .04, .03, .005),
 * "BH") and leave a NaN out; and it prints
 * how many runs a side a 10% difference needs at spreads of 10, 5 and 3%,
 * checking that more runs find it more often. */
#include <math.h>
#include <string.h>

#include "helpers.h"
#include "stats.h"
#include "util.h"

/* A deterministic generator: xorshift64* and Box-Muller. */
static uint64_t state = 88172645463325252ull;

static double uniform(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return ((double)((state * 0x2545f4914f6cdd1dull) >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(void)
{
	return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

/* The medians of k runs of n samples each: every run drawn around true
 * value x times exp(N(0, run)), its samples exp(N(0, within)) around that.
 * A run's median, what kvmbench-report compares, is then that level times
 * exp(N(0, 1.2533 within / sqrt(n))), the sampling spread of a median. */
static void runs(double *med, size_t k, double x, double run, double within, size_t n)
{
	for (size_t r = 0; r < k; r++)
		med[r] = x * exp(run * normal() + 1.2533 * within / sqrt((double)n) * normal());
}

/* Simulated comparisons of k runs a side, B's true value `effect` times A's:
 * how many of `trials` get each verdict. */
static void simulate(size_t k, double effect, double run, size_t trials, size_t count[4])
{
	double a[64], b[64];
	struct run_comparison c;

	T_CHECK(k <= ARRAY_SIZE(a), "%zu runs", k);
	memset(count, 0, 4 * sizeof(*count));
	for (size_t t = 0; t < trials; t++) {
		runs(a, k, 1000, run, 0.1, 101);
		runs(b, k, 1000 * effect, run, 0.1, 101);
		T_CHECK(stats_compare_runs(a, k, b, k, 0, &c) == 0, "compare");
		count[c.verdict]++;
	}
}

int main(void)
{
	struct run_comparison c;
	const double a[] = { 1010, 990, 1030, 970, 1000 };
	double b[5], same[5];

	/* Identical runs. */
	memcpy(same, a, sizeof(a));
	T_CHECK(stats_compare_runs(a, 5, same, 5, 0, &c) == 0, "compare");
	T_CHECK(fabs(c.ratio - 1) < 1e-12 && c.lo <= 1 && c.hi >= 1 && c.p == 1 &&
		c.verdict == VERDICT_SAME, "identical: ratio %g [%g, %g] p %g verdict %d",
		c.ratio, c.lo, c.hi, c.p, c.verdict);
	/* The spread: the standard deviation of the logs, about the CV. */
	T_CHECK(fabs(c.spread - 0.02237) < 0.0002, "spread %g of runs whose CV is 2.24%%", c.spread);

	/* Welch's t-test: R's t.test(c(4, 5, 6), c(1, 2, 3)); Student's t with
	 * 1 and 2 degrees of freedom in closed form; the 5% point of 10. */
	const double x3[] = { 1, 2, 3 }, y3[] = { 4, 5, 6 };
	double t, df, p = stats_welch(x3, 3, y3, 3, &t, &df);
	T_CHECK(fabs(t - 3.674235) < 1e-6 && fabs(df - 4) < 1e-9 && fabs(p - 0.02131) < 1e-5,
		"welch: t %g df %g p %g", t, df, p);
	T_CHECK(isnan(stats_welch(x3, 1, y3, 3, NULL, NULL)), "one value a side tested");
	for (double tt = 0.1; tt < 50; tt *= 1.7) {
		double p1 = 1 - 2 * atan(tt) / M_PI, p2 = 1 - tt / sqrt(2 + tt * tt);
		T_CHECK(fabs(stats_t_p(tt, 1) - p1) < 1e-12 * (1 + 1 / p1) &&
			fabs(stats_t_p(-tt, 2) - p2) < 1e-12 * (1 + 1 / p2),
			"t %g: p %g (df 1, want %g), %g (df 2, want %g)", tt, stats_t_p(tt, 1), p1,
			stats_t_p(-tt, 2), p2);
	}
	T_CHECK(fabs(stats_t_p(2.228139, 10) - 0.05) < 1e-6 && stats_t_p(0, 7) == 1,
		"t 2.228 df 10: p %g", stats_t_p(2.228139, 10));

	/* Scaled by 1.5: far apart. */
	for (int i = 0; i < 5; i++)
		b[i] = 1.5 * a[i];
	T_CHECK(stats_compare_runs(a, 5, b, 5, 0, &c) == 0, "compare");
	T_CHECK(fabs(c.ratio - 1.5) < 1e-9 && c.lo <= 1.5 && c.hi >= 1.5 &&
		c.p < 1e-6 && c.verdict == VERDICT_SLOWER,
		"x1.5: ratio %g [%g, %g] p %g verdict %d", c.ratio, c.lo, c.hi, c.p, c.verdict);
	T_CHECK(stats_compare_runs(b, 5, a, 5, 0, &c) == 0 && c.verdict == VERDICT_FASTER &&
		fabs(c.ratio - 1 / 1.5) < 1e-9, "the other way: verdict %d", c.verdict);
	/* The same inputs, the same interval. */
	struct run_comparison again;
	T_CHECK(stats_compare_runs(b, 5, a, 5, 0, &again) == 0 && again.lo == c.lo &&
		again.hi == c.hi && again.p == c.p, "not repeatable");

	/* A measured noise whose floor is larger than the effect: no
	 * difference; the floor is what five runs a side can detect of it. */
	T_CHECK(stats_compare_runs(a, 5, b, 5, 0.3, &c) == 0 && c.verdict == VERDICT_SAME &&
		fabs(c.floor - 2.8 * 0.3 * sqrt(0.4)) < 1e-9, "noise 0.3: verdict %d floor %g",
		c.verdict, c.floor);

	/* One run on a side: compared, but no verdict, whatever the ratio. */
	T_CHECK(stats_compare_runs(a, 1, b, 5, 0, &c) == 0 && c.verdict == VERDICT_NONE &&
		fabs(c.ratio - 1.5 * 1000 / 1010) < 0.01, "one run: verdict %d", c.verdict);
	T_CHECK(stats_compare_runs(a, 0, b, 5, 0, &c) < 0, "no runs accepted");
	b[2] = 0;
	T_CHECK(stats_compare_runs(a, 5, b, 5, 0, &c) < 0, "a median of 0 accepted");

	/* Simulations: the spreads measured between runs on the development
	 * machine, 10% for single-use VMs and 3.5% for guest rounds. */
	const double spreads[] = { 0.10, 0.035 };
	size_t count[4];
	/* Enough trials that a 5% bound is not met by luck. */
	const size_t aa = 10000;
	for (size_t i = 0; i < ARRAY_SIZE(spreads); i++) {
		double run = spreads[i];
		for (size_t k = 3; k <= 5; k += 2) {
			simulate(k, 1.0, run, aa, count);
			size_t wrong = count[VERDICT_SLOWER] + count[VERDICT_FASTER];
			printf("A/A, %zu runs a side, spread %.1f%%: %zu of %zu called different\n",
			       k, 100 * run, wrong, aa);
			T_CHECK(wrong * 20 <= aa, "A/A, %zu runs, spread %g: %zu of %zu called "
				"different", k, run, wrong, aa);
		}
		simulate(5, exp(3 * run), run, 400, count);
		printf("effect of 3 spreads (+%.1f%%), 5 runs a side: %zu of 400 found slower\n",
		       100 * (exp(3 * run) - 1), count[VERDICT_SLOWER]);
		T_CHECK(count[VERDICT_SLOWER] >= 320 && !count[VERDICT_FASTER],
			"power at spread %g: %zu of 400 found", run, count[VERDICT_SLOWER]);
		simulate(3, exp(3 * run), run, 400, count);
		printf("effect of 3 spreads (+%.1f%%), 3 runs a side: %zu of 400 found slower\n",
		       100 * (exp(3 * run) - 1), count[VERDICT_SLOWER]);
		T_CHECK(count[VERDICT_SLOWER] >= 200 && !count[VERDICT_FASTER],
			"power at 3 runs, spread %g: %zu of 400 found", run, count[VERDICT_SLOWER]);
		simulate(5, exp(-3 * run), run, 400, count);
		T_CHECK(count[VERDICT_FASTER] >= 320 && !count[VERDICT_SLOWER],
			"power the other way: %zu of 400", count[VERDICT_FASTER]);
	}

	/* How many runs a side a 10% difference in single-use cost needs at
	 * the spreads between runs measured on the development machine (what
	 * the README quotes): 1000 trials each. */
	static const double at[] = { 0.10, 0.05, 0.03 };
	static const size_t ks[] = { 3, 5, 10, 16, 25, 30 };
	for (size_t j = 0; j < ARRAY_SIZE(at); j++) {
		size_t before = 0;
		for (size_t i = 0; i < ARRAY_SIZE(ks); i++) {
			simulate(ks[i], 1.10, at[j], 1000, count);
			printf("+10%% at spread %.0f%%: %zu runs a side find it %zu of 1000 times "
			       "(detectable: %.1f%%)\n", 100 * at[j], ks[i], count[VERDICT_SLOWER],
			       100 * stats_detectable(at[j], ks[i], ks[i]));
			/* The wrong way round: rare, even with few runs. */
			T_CHECK(count[VERDICT_FASTER] <= 10, "+10%% called faster %zu times",
				count[VERDICT_FASTER]);
			/* More runs find more (give or take the trials' own noise). */
			T_CHECK(count[VERDICT_SLOWER] + 40 >= before, "%zu runs find it less often "
				"than fewer", ks[i]);
			before = count[VERDICT_SLOWER];
		}
	}
	double bp[] = { 0.01, 0.04, 0.03, 0.005 }, bq[4], want[] = { 0.02, 0.04, 0.04, 0.02 };
	T_CHECK(stats_bh(bp, 4, bq) == 0, "stats_bh");
	for (int i = 0; i < 4; i++)
		T_CHECK(fabs(bq[i] - want[i]) < 1e-12, "BH q[%d] %g, R says %g", i, bq[i], want[i]);
	double np[] = { NAN, 0.01, 0.5 }, nq[3];
	T_CHECK(stats_bh(np, 3, nq) == 0 && isnan(nq[0]) && fabs(nq[1] - 0.02) < 1e-12 &&
		fabs(nq[2] - 0.5) < 1e-12, "BH with a NaN: %g %g %g", nq[0], nq[1], nq[2]);
	return T_EXIT_PASS;
}
