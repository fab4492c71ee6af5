/* Readings at a step of live VMs (steps.h). */
#include "steps.h"
#include "sysinfo.h"

void step_read_own(uint64_t *maps, uint64_t *fds, uint64_t *rss)
{
	long m = sysinfo_map_count(), f = sysinfo_fd_count();

	*maps = m > 0 ? (uint64_t)m : 0;
	*fds = f > 0 ? (uint64_t)f : 0;
	*rss = sysinfo_status_bytes("VmRSS");
}

void step_read_machine(struct step_reading *r, uint64_t vms, uint64_t at_ns, uint64_t cumulative)
{
	long tasks = sysinfo_tasks();

	*r = (struct step_reading){ .vms = vms, .at_ns = at_ns, .cumulative = cumulative,
				    .slab = sysinfo_meminfo("Slab"),
				    .pagetables = sysinfo_meminfo("PageTables"),
				    .kernelstack = sysinfo_meminfo("KernelStack"),
				    .tasks = tasks > 0 ? (uint64_t)tasks : 0 };
}

void step_read(struct step_reading *r, uint64_t vms, uint64_t at_ns, uint64_t cumulative)
{
	step_read_machine(r, vms, at_ns, cumulative);
	step_read_own(&r->maps, &r->fds, &r->rss);
}
