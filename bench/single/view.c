/*
 * The views of single: the single-use VM's CDF, and where its time goes (phases).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"
#include "kinds.h"
#include "names.h"

/* ---- single: single-use cost, shared against individual memory ---- */

/* kvmbench-single's own run: hello, not timed in phases. */
static const struct want single_hello[] = {
	{ "phases", NULL, 0, true }, { "guest", "hello", 0, true }, { NULL, NULL, 0, false },
};

static int view_single(const char *dir, const struct results *rs)
{
	static const char *const titles[] = { "shared memory", "individual memory" };
	static const char *const colors[] = { "#1f77b4", "#ff7f0e" };
	struct line l[2];
	size_t n = 0;
	bool incomplete = false;
	char counts[128] = "";
	FILE *out;

	/* memory alternates the kinds VM by VM; single has one kind. */
	for (int m = VM_MEM_SHARED; m <= VM_MEM_INDIVIDUAL; m++) {
		for (int k = 0; k < 2; k++) {
			const struct result *r = k ? report_find(rs, "single", single_hello) :
						     report_find(rs, "memory", NULL);
			const struct rec_series *s = r ? report_series(&r->rec,
				SERIES_CREATE_RUN_CLOSE, LABEL_MEMORY, vm_memory_names[m]) : NULL;
			if (!s || !report_n(s))
				continue;
			l[n++] = (struct line){ r, s, titles[m], vm_memory_names[m], colors[m] };
			incomplete |= !r->rec.complete;
			snprintf(counts + strlen(counts), sizeof(counts) - strlen(counts), "%s%zu %s",
				 n > 1 ? ", " : "", report_n(s), vm_memory_names[m]);
			break;
		}
	}
	if (!n || !(out = view_open(dir, "single.gp")))
		return n ? -1 : 0;
	view_head(out, l[0].r, incomplete, "VMs: %s", counts);
	cdf_lines(out, l, n);
	return data_close(out, "single") ? -1 : 1;
}

/* ---- phases: where a single-use VM's time goes, a bar per kind ---- */

static int view_phases(const char *dir, const struct results *rs)
{
	const struct result *head = NULL;
	size_t rows = 0, vms = 0;
	FILE *out = NULL;

	for (int m = VM_MEM_SHARED; m <= VM_MEM_INDIVIDUAL; m++) {
		for (size_t i = 0; i < rs->n; i++) {
			const struct result *r = &rs->r[i];
			char name[64];
			snprintf(name, sizeof(name), SERIES_PHASE "%s", vm_phase_names[0]);
			if (!report_series(&r->rec, name, LABEL_MEMORY, vm_memory_names[m]))
				continue;
			double median[VM_PHASES];
			for (size_t k = 0; k < VM_PHASES; k++) {
				struct summary sum;
				snprintf(name, sizeof(name), SERIES_PHASE "%s", vm_phase_names[k]);
				const struct rec_series *s = report_series(&r->rec, name, NULL, NULL);
				/* Before 0.3.0 the suite set no CPUID: no such step, 0 us. */
				if (!s && k == VM_PHASE_SET_CPUID) {
					median[k] = 0;
					continue;
				}
				if (!s || report_summary(s, &sum)) {
					if (out)
						fclose(out);
					report_fail("%s: the phase series are incomplete",
						    ESC_SHOWN(r->path));
					return -1;
				}
				median[k] = sum.median / 1e3;
				vms = sum.n;
			}
			if (!out) {
				if (!(out = view_open(dir, "phases.dat")))
					return -1;
				fprintf(out, "# the median of each phase of a single-use VM, us, a "
					"row per run\nkind");
				for (size_t k = 0; k < VM_PHASES; k++)
					fprintf(out, " %s", vm_phase_names[k]);
				fputc('\n', out);
				head = r;
			}
			fprintf(out, "%s", vm_memory_names[m]);
			for (size_t k = 0; k < VM_PHASES; k++)
				fprintf(out, " %.3f", median[k]);
			fputc('\n', out);
			rows++;
		}
	}
	if (!out)
		return 0;
	if (data_close(out, "phases") || !(out = view_open(dir, "phases.gp")))
		return -1;
	view_head(out, head, !head->rec.complete, "%zu VMs per kind", vms);
	fprintf(out, "rows = %zu\n", rows);
	return data_close(out, "phases") ? -1 : 1;
}

/* The charts of this file, in the list of every chart (report/view.h). */
VIEW_REGISTER(30, view_single, "single");
VIEW_REGISTER(70, view_phases, "phases");
