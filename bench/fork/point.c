/*
 * One point of kvmbench-fork (fork.h): the templates of every method, and
 * the snapshot they fork from, taken here and timed.
 */
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "err.h"
#include "fork.h"
#include "table.h"

int point_check_request(const struct point *p, const struct vm_result *res, const char *what)
{
	uint64_t got = 0;

	if (res->status & GUEST_STATUS_VCPU)
		return err_set(-EIO, "%s: the guest found vCPU state unlike the snapshot's "
			       "(status 0x%x)", what, res->status);
	if (res->status || res->out_len != 8)
		return err_set(-EIO, "%s: the request ended with status 0x%x and %zu bytes of "
			       "answer, not 0 and a checksum", what, res->status, res->out_len);
	memcpy(&got, res->out, 8);
	if (got != p->expect)
		return err_set(-EIO, "%s: checksum 0x%016llx of %llu pages, 0x%016llx expected: "
			       "the VM does not hold the warmed table", what, (unsigned long long)got,
			       (unsigned long long)p->pages, (unsigned long long)p->expect);
	return 0;
}

/* The template VM: warms up, and is snapshotted at its ready port. */
static int take(struct point *p)
{
	struct vm_result res;
	struct vm vm;
	int err = vm_create(&vm, &p->fresh);

	if (err)
		return err_prefix(err, "the VM to snapshot");
	uint64_t t0 = clock_ns();
	err = vm_run(&vm, &res);
	uint64_t t1 = clock_ns();
	if (!err && (res.status || res.out_len))
		err = err_set(-EIO, "the VM to snapshot: its warm-up ended with status 0x%x and "
			      "%zu bytes of output, not 0 and none", res.status, res.out_len);
	err = err ?: vm_count(&vm, &res);
	if (!err) {
		uint64_t t2 = clock_ns();
		err = vm_snapshot_take(&p->snap, &vm);
		p->snapshot_ns = clock_ns() - t2;
		p->ready_ns = t1 - t0;
	}
	vm_destroy(&vm);
	return err;
}

int point_open(struct point *p, struct bench_common *c, uint64_t warm, uint64_t pages)
{
	const struct guest_image *g = guest_find("warm");
	uint64_t request = WARM_REQUEST(pages, 0);
	int err;

	memset(p, 0, sizeof(*p));
	p->snap.memfd = -1;
	p->c = c;
	p->warm = warm;
	p->pages = pages;
	p->expect = warm_checksum(pages * 512);
	err = vm_template_init(&p->hello, &c->kvm, guest_find("hello"), VM_MEM_SHARED,
			       GUEST_DATA_DEFAULT);
	p->have[0] = !err;
	err = err ?: vm_template_init(&p->fresh, &c->kvm, g, VM_MEM_INDIVIDUAL, warm + STACK_BYTES);
	p->have[1] = p->have[0] && !err;
	if (err)
		return err;
	vm_template_args(&p->fresh, warm, request);
	err = take(p) ?: vm_template_snapshot(&p->fork, &p->snap, g);
	p->have[2] = !err;
	if (err)
		return err;
	vm_template_args(&p->fork, 0, request);
	return 0;
}

int point_reset_vm(struct point *p, enum reset_strategy how)
{
	struct vm_result res;

	if (p->have_vm)
		vm_destroy(&p->vm);
	if (p->have[3])
		vm_template_fini(&p->reset);
	p->have_vm = p->have[3] = false;
	p->how = how;
	int err = vm_template_snapshot(&p->reset, &p->snap, guest_find("warm"));
	p->have[3] = !err;
	err = err ?: reset_prepare(&p->reset, how);
	if (err)
		return err;
	vm_template_args(&p->reset, 0, WARM_REQUEST(p->pages, 0));
	err = vm_create(&p->vm, &p->reset);
	p->have_vm = !err;
	/* Its first request, so that the first reset has one to undo. */
	return err ?: vm_run(&p->vm, &res) ?: vm_count(&p->vm, &res) ?:
	       point_check_request(p, &res, "the reset's VM");
}

int point_reset(struct point *p)
{
	return reset_memory(&p->vm, p->how) ?:
	       vm_snapshot_restore(&p->vm, &p->snap, p->reset.regs.rdi, p->reset.regs.rsi);
}

void point_close(struct point *p)
{
	struct vm_template *t[] = { &p->hello, &p->fresh, &p->fork, &p->reset };

	if (p->have_vm)
		vm_destroy(&p->vm);
	for (int k = 3; k >= 0; k--)
		if (p->have[k])
			vm_template_fini(t[k]);
	vm_snapshot_free(&p->snap);
	memset(p->have, 0, sizeof(p->have));
	p->have_vm = false;
}
