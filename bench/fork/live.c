/*
 * kvmbench-fork --live N: what a live fork costs.  First N VMs of the
 * seed's kind (hello, shared memory) are made and kept alive: the VM's
 * own fixed cost; they are closed, and N forks of the snapshot are made
 * and kept alive, each having served one request.  Every VM keeps one
 * descriptor (its vCPU's is closed after its run, vm_release_vcpu), so
 * that 10000 fit the usual limits.
 *
 * Timed, per VM: create and its first run (hello, or the request), as
 * scaling's create-run; their sum is the cumulative time.  Read at 0 and
 * at every --step VMs, untimed: the process's Rss, Pss and Private
 * (/proc/self/smaps_rollup) and the machine's Slab, PageTables,
 * SecPageTables, KernelStack and MemTotal - MemAvailable (/proc/meminfo).
 * What one VM costs is the growth of a reading over the VMs (the view
 * fits it); a fork's own cost is its growth less the hello VM's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "err.h"
#include "fork.h"
#include "limits.h"
#include "names.h"
#include "sysinfo.h"

struct live {
	struct bench_common *c;
	const struct options *o;
	struct point *p;
	struct samples m[LIVE_READINGS];
	uint64_t cumulative;
};

static void reading(struct live *l)
{
	static const char *const keys[] = { "Rss", "Pss", "Private_Clean", "Private_Dirty" };
	uint64_t sm[4];

	sysinfo_smaps_bytes(keys, sm, 4);
	uint64_t v[LIVE_READINGS] = {
		[LIVE_CUMULATIVE] = l->cumulative,
		[LIVE_RSS] = sm[0],
		[LIVE_PSS] = sm[1],
		[LIVE_PRIVATE] = sm[2] + sm[3],
		[LIVE_SLAB] = sysinfo_meminfo("Slab"),
		[LIVE_PAGETABLES] = sysinfo_meminfo("PageTables"),
		[LIVE_SECPAGETABLES] = sysinfo_meminfo("SecPageTables"),
		[LIVE_KERNELSTACK] = sysinfo_meminfo("KernelStack"),
		[LIVE_USED] = sysinfo_meminfo("MemTotal") - sysinfo_meminfo("MemAvailable"),
		[LIVE_PRIVATE_DIRTY] = sm[3],
	};
	for (int k = 0; k < LIVE_READINGS; k++)
		samples_add(&l->m[k], v[k]);
}

/* n VMs of method m made and kept in vms[], readings at every step. */
static int make(struct live *l, enum fork_method m, struct vm *vms, size_t *made)
{
	const struct vm_template *t = m == METHOD_HELLO ? &l->p->hello : &l->p->fork;
	struct vm_result res;
	struct progress progress;
	int err = 0;

	l->cumulative = 0;
	reading(l);
	progress_start(&progress, l->c, fork_method_names[m], l->o->live);
	for (*made = 0; *made < l->o->live && !err && !bench_signal; progress_tick(&progress, *made)) {
		struct vm *vm = &vms[*made];
		sig_atomic_t mark = bench_continued;
		uint64_t t0 = clock_ns();
		err = vm_create(vm, t);
		if (err)
			break;
		err = vm_run(vm, &res);
		uint64_t ns = clock_ns() - t0;
		++*made;
		err = err ?: vm_count(vm, &res) ?:
		      (m == METHOD_HELLO ? bench_check_hello(&res) :
		       point_check_request(l->p, &res, "a live fork"));
		vm_release_vcpu(vm);
		if (!bench_stopped_since(mark))
			l->cumulative += ns;
		if (!err && (*made % l->o->step == 0 || *made == l->o->live))
			reading(l);
	}
	progress_end(&progress);
	return err;
}

static int record(struct live *l, enum fork_method m)
{
	for (int k = 0; k < LIVE_READINGS; k++) {
		int i = bench_series(l->c, fork_live_readings[k].name, &l->m[k], 0, LABEL_METHOD,
				     fork_method_names[m]);
		if (i < 0)
			return i;
		samples_free(&l->m[k]);
	}
	return 0;
}

/* "fork: 1000 live in 0.815 s, 26.1 KiB Pss and 190.2 KiB slab each". */
static void print(const struct live *l, enum fork_method m, size_t made)
{
	const struct samples *c = &l->m[LIVE_CUMULATIVE];
	size_t last = c->n - 1;

	if (l->c->opt.quiet || !made || c->n < 2)
		return;
	printf("%s: %zu live in %.3f s; per VM: %.1f KiB Pss, %.1f KiB Private, %.1f KiB slab, "
	       "%.1f KiB used\n", fork_method_names[m], made, (double)c->v[last] / 1e9,
	       ((double)l->m[LIVE_PSS].v[last] - (double)l->m[LIVE_PSS].v[0]) / 1024 / (double)made,
	       ((double)l->m[LIVE_PRIVATE].v[last] - (double)l->m[LIVE_PRIVATE].v[0]) / 1024 /
	       (double)made,
	       ((double)l->m[LIVE_SLAB].v[last] - (double)l->m[LIVE_SLAB].v[0]) / 1024 / (double)made,
	       ((double)l->m[LIVE_USED].v[last] - (double)l->m[LIVE_USED].v[0]) / 1024 / (double)made);
	fflush(stdout);
}

int fork_live(struct bench_common *c, const struct options *o)
{
	struct live l = { .c = c, .o = o };
	struct point p;
	struct vm *vms;
	size_t made = 0;
	int err = limits_nofile(o->live, "--live VMs, one fd each") ?:
		  limits_maps(2 * o->live, "--live VMs") ?:
		  limits_memory(o->live * (LIVE_VM_BYTES + 3 * 4096 * o->pages) + 4 * o->warm,
				"--live VMs") ?:
		  limits_tasks(o->live * limits_tasks_per_vm(), "--live VMs");

	if (err)
		return err;
	rec_param_text(&c->out.rec, "guest", "warm");
	rec_param_text(&c->out.rec, "order", "hello VMs first (made, read, closed), then forks");
	err = point_open(&p, c, o->warm, o->pages);
	vms = err ? NULL : calloc(o->live, sizeof(*vms));
	if (!err && !vms)
		err = err_set(-ENOMEM, "no memory for %llu VMs", (unsigned long long)o->live);
	for (int k = 0; k < LIVE_READINGS && !err; k++)
		err = samples_init(&l.m[k], o->live / o->step + 2);
	l.p = &p;
	for (int m = METHOD_HELLO; !err && m <= METHOD_FORK && !bench_signal; m += 2) {
		err = make(&l, (enum fork_method)m, vms, &made);
		print(&l, (enum fork_method)m, made);
		for (size_t i = 0; i < made; i++)
			vm_destroy(&vms[i]);
		int e = record(&l, (enum fork_method)m);
		err = err ?: e;
		for (int k = 0; k < LIVE_READINGS && !err; k++)
			err = samples_init(&l.m[k], o->live / o->step + 2);
	}
	for (int k = 0; k < LIVE_READINGS; k++)
		samples_free(&l.m[k]);
	if (p.snapshot_ns) {
		struct samples s = { 0 };
		if (!samples_init(&s, 1)) {
			samples_add(&s, p.snapshot_ns);
			bench_series(c, SERIES_SNAPSHOT, &s, 0, NULL, NULL);
			samples_free(&s);
		}
	}
	point_close(&p);
	free(vms);
	return err;
}
