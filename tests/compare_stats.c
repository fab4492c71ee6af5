/* Description: the run-level comparison behind kvmbench-report --compare.
 * Known answers: identical runs give ratio 1, p 1 and no difference; runs
 * scaled by 1.5 give 1.5 inside its interval and "slower" (and the other
 * way "faster"); one run on a side gives no verdict; the exact permutation
 * p of five runs against five, all of B above all of A, is 2/252; a
 * measured noise floor larger than the effect turns a difference into
 * none.  Then simulated runs with run-to-run spread and within-run noise,
 * from fixed seeds: over 10000 A/A comparisons (3 and 5 runs a side) at
 * most 5% get a verdict other than no difference, and at five runs a side at least 80% of effects of
 * three times the run-level spread are found, in the right direction; for
 * the spreads measured on the development machine it prints how many runs
 * a 10% difference needs. */
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

	/* Scaled by 1.5: every split puts B's runs apart, p = 2/252. */
	for (int i = 0; i < 5; i++)
		b[i] = 1.5 * a[i];
	T_CHECK(stats_compare_runs(a, 5, b, 5, 0, &c) == 0, "compare");
	T_CHECK(fabs(c.ratio - 1.5) < 1e-9 && c.lo <= 1.5 && c.hi >= 1.5 &&
		fabs(c.p - 2.0 / 252) < 1e-12 && c.verdict == VERDICT_SLOWER,
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
	/* At five runs a side the permutation test's own level is 12/252, 4.8%:
	 * enough trials that a 5% bound is not met by luck. */
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
		simulate(5, exp(-3 * run), run, 400, count);
		T_CHECK(count[VERDICT_FASTER] >= 320 && !count[VERDICT_SLOWER],
			"power the other way: %zu of 400", count[VERDICT_FASTER]);
	}

	/* How many runs a side a 10% difference in single-use cost needs at
	 * this machine's 10% spread (what the README quotes). */
	static const size_t ks[] = { 5, 10, 16, 25, 30 };
	for (size_t i = 0; i < ARRAY_SIZE(ks); i++) {
		simulate(ks[i], 1.10, 0.10, 100, count);
		printf("+10%% at spread 10%%: %zu runs a side find it %zu of 100 times "
		       "(detectable: %.1f%%)\n", ks[i], count[VERDICT_SLOWER],
		       100 * stats_detectable(0.10, ks[i], ks[i]));
		T_CHECK(!count[VERDICT_FASTER], "+10%% called faster");
	}
	return T_EXIT_PASS;
}
