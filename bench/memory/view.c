/*
 * The views of memory: shared against individual memory, and memory per live VM.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"
#include "kinds.h"
#include "names.h"

/* ---- memory: what a live VM costs in memory, per kind ---- */

static int view_memory(const char *dir, const struct results *rs)
{
	const struct result *r = report_find(rs, "memory", NULL);
	const struct rec_series *c[2][LIVE_READINGS];
	double growth[2][LIVE_READINGS] = { { 0 } }, vms = 0;
	uint64_t every = 100;
	char detail[256];
	FILE *out;

	if (!r || !report_series(&r->rec, live_readings[LIVE_RSS].name, NULL, NULL))
		return 0;
	rec_map_uint(&r->rec.parameters, "live_every", &every);
	for (int k = VM_MEM_SHARED; k <= VM_MEM_INDIVIDUAL; k++) {
		for (int j = 0; j < LIVE_READINGS; j++)
			c[k][j] = report_series(&r->rec, live_readings[j].name, LABEL_MEMORY,
						vm_memory_names[k]);
		if (!c[k][LIVE_RSS] || report_readings(c[k][LIVE_RSS]) < 2) {
			report_fail("%s: the live-memory readings are incomplete",
				    ESC_SHOWN(r->path));
			return -1;
		}
		/* With several runs, each reading is their median. */
		size_t last = report_readings(c[k][LIVE_RSS]) - 1;
		vms = (double)(last * every);
		for (int j = 0; j < LIVE_READINGS; j++) {
			double a = c[k][j] ? report_reading(c[k][j], 0) : -1;
			double b = c[k][j] ? report_reading(c[k][j], last) : -1;
			growth[k][j] = a >= 0 && b >= 0 ? b - a : 0;
		}
	}
	if (!(out = view_open(dir, "memory.dat")))
		return -1;
	fprintf(out, "# growth per live VM over %.0f live VMs, KiB; columns: quantity shared "
		"individual\n", vms);
	for (int j = 0; j <= LIVE_KERNELSTACK; j++)
		fprintf(out, "\"%s\" %.3f %.3f\n", live_readings[j].title,
			growth[0][j] / 1024 / vms, growth[1][j] / 1024 / vms);
	if (data_close(out, "memory") || !(out = view_open(dir, "memory.gp")))
		return -1;
	if (c[0][LIVE_PROCESS_THREADS] && c[1][LIVE_PROCESS_THREADS])
		snprintf(detail, sizeof(detail), "threads started by the kernel: %.0f kthreads, "
			 "%.0f in the process (shared); %.0f and %.0f (individual)",
			 growth[0][LIVE_KERNEL_THREADS], growth[0][LIVE_PROCESS_THREADS],
			 growth[1][LIVE_KERNEL_THREADS], growth[1][LIVE_PROCESS_THREADS]);
	else
		snprintf(detail, sizeof(detail), "kernel threads started: %.0f shared, %.0f "
			 "individual (threads inside the process not recorded)",
			 growth[0][LIVE_KERNEL_THREADS], growth[1][LIVE_KERNEL_THREADS]);
	view_head(out, r, !r->rec.complete, "%s", detail);
	fprintf(out, "live_vms = %.0f\n", vms);
	return data_close(out, "memory") ? -1 : 1;
}

/* The charts of this file, in the list of every chart (report/view.h). */
VIEW_REGISTER(60, view_memory, "memory");
