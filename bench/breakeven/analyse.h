/*
 * What kvmbench-breakeven finds in its medians: each mode's line against
 * the work done, and where the VM overtakes the emulator.
 */
#ifndef KVMBENCH_BREAKEVEN_ANALYSE_H
#define KVMBENCH_BREAKEVEN_ANALYSE_H

#include <stddef.h>

#include "stats.h"

/* kvmbench-breakeven's four modes, in its result's order; their names are
 * names.h.s. */
enum { BE_KVM_SINGLE, BE_KVM_REUSE, BE_EMU_SINGLE, BE_EMU_REUSE, BE_MODES };

struct breakeven {
	struct linfit fit[BE_MODES];	/* median time (us) against units */
	double cross[2];	/* units from which kvm-single beats emu-single,
				 * kvm-reuse emu-reuse; NaN: at none measured */
	double cross_ms[2];	/* the same as guest computing time: units x
				 * the slope of kvm-reuse's run part */
	double unit_us;		/* that slope: one unit, run natively */
};

/*
 * From the medians per mode at n work sizes x (ascending; med[mode][i] in
 * us) and kvm-reuse's run part (run[i]): each mode's least-squares line,
 * weighted by 1/median^2 (relative errors: the fixed cost from the small
 * sizes, the slope from the large),
 * and the crossovers, interpolated linearly between the last point where
 * the VM is slower and the first where it is faster.  0, or -EINVAL.
 */
int breakeven_analyse(const double *x, const double *const med[BE_MODES], const double *run,
		      size_t n, struct breakeven *out);

#endif
