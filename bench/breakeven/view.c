/*
 * The views of breakeven: the same guest in KVM and in an emulator.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"
#include "compute.h"
#include "names.h"

/* ---- breakeven: the same guest in KVM and in an emulator ---- */

/* breakeven.dat: a line per work size of at least one unit: units, then
 * per mode (kvm-single, kvm-reuse, emu-single, emu-reuse) the median, p25
 * and p75 of a whole run, in us.  breakeven.gp: the modes' titles and
 * colours, the crossovers (units, NaN: none), one unit's native time (us)
 * and the fits. */
/* The series called name of mode at units, or NULL. */
static const struct rec_series *mode_at(const struct result *r, const char *name,
					const char *mode, const char *units)
{
	for (size_t j = 0; j < r->rec.nseries; j++) {
		const struct rec_series *c = &r->rec.series[j];
		const char *cm = rec_map_text(&c->labels, LABEL_MODE);
		const char *cu = rec_map_text(&c->labels, LABEL_UNITS);
		if (!strcmp(c->name, name) && cm && cu && !strcmp(cm, mode) && !strcmp(cu, units))
			return c;
	}
	return NULL;
}

static int view_breakeven(const char *dir, const struct results *rs)
{
	const char *const *modes = breakeven_mode_names;
	static const char *const titles[BE_MODES] = {
		"KVM: create, run, close a VM", "KVM: re-enter a live VM after an isolating reset",
		"Unicorn: open, map, run, close", "Unicorn: one engine, context and memory put back",
	};
	static const char *const colors[BE_MODES] = { "#1f77b4", "#aec7e8", "#d62728", "#ff9896" };
	const struct result *r = report_find(rs, "breakeven", NULL);
	double x[256], med[BE_MODES][256], run[256];
	const struct rec_series *largest = NULL;
	size_t n = 0;
	FILE *out;

	if (!r || !report_series(&r->rec, SERIES_BREAKEVEN, NULL, NULL))
		return 0;
	if (!(out = view_open(dir, "breakeven.dat")))
		return -1;
	fprintf(out, "# columns: units, then per mode (kvm-single kvm-reuse emu-single "
		"emu-reuse) median p25 p75 of a run (us)\n");
	/* The sizes, in file order (ascending), from kvm-single's series. */
	for (size_t i = 0; i < r->rec.nseries && n < ARRAY_SIZE(x); i++) {
		const struct rec_series *s = &r->rec.series[i];
		const char *mode = rec_map_text(&s->labels, LABEL_MODE);
		const char *units = rec_map_text(&s->labels, LABEL_UNITS);
		struct summary sum[BE_MODES], part;
		bool all = true;
		if (strcmp(s->name, SERIES_BREAKEVEN) || !mode || strcmp(mode, modes[0]) || !units)
			continue;
		for (int m = 0; m < BE_MODES && all; m++) {
			const struct rec_series *t = mode_at(r, SERIES_BREAKEVEN, modes[m], units);
			all = t && !report_summary(t, &sum[m]);
		}
		const struct rec_series *rp = mode_at(r, SERIES_BREAKEVEN_RUN, modes[BE_KVM_REUSE],
						      units);
		if (!all || !rp || report_summary(rp, &part))
			continue;
		x[n] = strtod(units, NULL);
		run[n] = part.median / 1e3;
		largest = s;
		for (int m = 0; m < BE_MODES; m++)
			med[m][n] = sum[m].median / 1e3;
		if (x[n] > 0) {
			fprintf(out, "%g", x[n]);
			for (int m = 0; m < BE_MODES; m++)
				fprintf(out, " %.3f %.3f %.3f", sum[m].median / 1e3, sum[m].p25 / 1e3,
					sum[m].p75 / 1e3);
			fprintf(out, "\n");
		}
		n++;
	}
	struct breakeven be;
	const double *const meds[BE_MODES] = { med[0], med[1], med[2], med[3] };
	if (data_close(out, "breakeven") || n < 2 || breakeven_analyse(x, meds, run, n, &be))
		return n < 2 ? 0 : -1;
	if (!(out = view_open(dir, "breakeven.gp")))
		return -1;
	view_head(out, r, !r->rec.complete, "%zu work sizes, %zu runs of each mode at the "
		  "largest", n, report_n(largest));
	gp_array(out, "be_title", titles, BE_MODES);
	gp_array(out, "be_color", colors, BE_MODES);
	gp_number(out, "cross_single", be.cross[0]);
	gp_number(out, "cross_reuse", be.cross[1]);
	gp_number(out, "unit_us", be.unit_us);
	gp_number(out, "largest", x[n - 1]);
	return data_close(out, "breakeven") ? -1 : 1;
}

/* The charts of this file, in the list of every chart (report/view.h). */
VIEW_REGISTER(120, view_breakeven, "breakeven");
