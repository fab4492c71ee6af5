/* Lines and crossovers of kvmbench-breakeven's medians (analyse.h). */
#include <errno.h>
#include <math.h>

#include "analyse.h"

/* The first x at which a[i] < b[i], interpolated; NaN if none. */
static double crossover(const double *x, const double *a, const double *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!(a[i] < b[i]))
			continue;
		if (i == 0)
			return x[0];
		double d0 = a[i - 1] - b[i - 1], d1 = a[i] - b[i];
		return x[i - 1] + (x[i] - x[i - 1]) * d0 / (d0 - d1);
	}
	return NAN;
}

/* Least squares weighted by 1/y^2: the relative error of each point
 * counts alike, so that the fixed cost comes from the small points and the
 * slope from the large ones.  r2 is the weighted one. */
static int relfit(const double *x, const double *y, size_t n, struct linfit *fit)
{
	double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;

	for (size_t i = 0; i < n; i++) {
		if (!(y[i] > 0))
			return -EINVAL;
		double w = 1 / (y[i] * y[i]);
		sw += w;
		sx += w * x[i];
		sy += w * y[i];
		sxx += w * x[i] * x[i];
		sxy += w * x[i] * y[i];
	}
	double d = sw * sxx - sx * sx;
	if (n < 2 || d <= 0)
		return -EINVAL;
	fit->slope = (sw * sxy - sx * sy) / d;
	fit->intercept = (sy - fit->slope * sx) / sw;
	double mean = sy / sw, ss_res = 0, ss_tot = 0;
	for (size_t i = 0; i < n; i++) {
		double w = 1 / (y[i] * y[i]), e = y[i] - (fit->intercept + fit->slope * x[i]);
		ss_res += w * e * e;
		ss_tot += w * (y[i] - mean) * (y[i] - mean);
	}
	fit->r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : 1;
	return 0;
}

int breakeven_analyse(const double *x, const double *const med[BE_MODES], const double *run,
		      size_t n, struct breakeven *out)
{
	struct linfit unit;

	for (int m = 0; m < BE_MODES; m++)
		if (relfit(x, med[m], n, &out->fit[m]))
			return -EINVAL;
	if (relfit(x, run, n, &unit))
		return -EINVAL;
	out->unit_us = unit.slope;
	out->cross[0] = crossover(x, med[BE_KVM_SINGLE], med[BE_EMU_SINGLE], n);
	out->cross[1] = crossover(x, med[BE_KVM_REUSE], med[BE_EMU_REUSE], n);
	for (int k = 0; k < 2; k++)
		out->cross_ms[k] = out->cross[k] * unit.slope / 1e3;
	return 0;
}
