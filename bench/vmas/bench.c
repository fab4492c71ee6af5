/*
 * kvmbench-vmas: what a single-use VM costs against the size of the
 * process that creates it, and against live VMs elsewhere on the host.
 * KVM_CREATE_VM registers an MMU notifier, which takes the lock of every
 * mapping (VMA) of the process (mm_take_all_locks): its cost may grow
 * with them.
 *
 * --sweep vmas (vmas.cbor): before a point's VMs the process maps V extra
 * VMAs (one reservation, every other page made readable, so no two merge;
 * what /proc/self/maps counted is kept, the reading vmas-counted), V = 0, 1000, 3000, 10000, 30000 and the
 * most vm.max_map_count leaves (--max-vmas), and unmaps them after.
 * --sweep live (vmas-live.cbor): a child process holds L live hello VMs
 * (one fd each), L = 0, 1000, 10000 up to --max-live, while this one
 * creates its VMs.  Points are visited --rounds times, each round in a
 * rotating order; the mapping, the child's VMs and their teardown are not
 * timed.
 *
 * Timed, per VM: the seed's single-use hello VM (shared memory), in
 * phases: the whole VM (create-run-close), KVM_CREATE_VM alone
 * (create-vm), and its first KVM_RUN alone (first-kvm-run; one clock read
 * more, inside the run phase).  KVM's counters are read between the run
 * and the teardown, untimed.  Each series is labelled with its point.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "children.h"
#include "clock.h"
#include "common.h"
#include "err.h"
#include "limits.h"
#include "names.h"
#include "sysinfo.h"
#include "util.h"

enum sweep { SWEEP_VMAS, SWEEP_LIVE };
static const char *const sweep_names[] = { "vmas", "live", NULL };
static const uint64_t vmas_points[] = { 0, 1000, 3000, 10000, 30000 };
static const uint64_t live_points[] = { 0, 1000, 10000 };
#define POINTS_MAX 8
/* Mappings left for what a run maps itself: its VMs, the result, libraries. */
#define MAPS_MARGIN 500

struct options {
	uint64_t iterations, rounds, warmup, max_vmas, max_live;
	int sweep;
};

/* What one point measured. */
struct point {
	uint64_t x;			/* V or L */
	struct samples whole, create, first;
	struct samples counted;		/* VMAs counted at each visit */
};

/* vm.max_map_count less what the process maps now and a margin: the most
 * VMAs a run may add; 0 when the limit is unknown. */
static uint64_t vmas_room(uint64_t *limit)
{
	uint64_t now;

	if (!limits_maps_count(limit, &now))
		return 0;
	return *limit > now + MAPS_MARGIN ? *limit - now - MAPS_MARGIN : 0;
}

/* v extra VMAs: one reservation of v pages, every other one readable. */
static int map_vmas(uint64_t v, void **base, uint64_t *got)
{
	long before = sysinfo_map_count();

	*base = NULL;
	if (!v) {
		*got = 0;
		return 0;
	}
	uint8_t *p = mmap(NULL, v * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			  -1, 0);
	if (p == MAP_FAILED)
		return err_errno(-errno, "mmap of %llu pages for as many VMAs", (unsigned long long)v);
	*base = p;
	for (uint64_t i = 1; i < v; i += 2)
		if (mprotect(p + i * 4096, 4096, PROT_READ) < 0)
			return err_errno(-errno, "mprotect making VMA %llu of %llu (vm.max_map_count?)",
					 (unsigned long long)i, (unsigned long long)v);
	long after = sysinfo_map_count();
	*got = after > before ? (uint64_t)(after - before) : 0;
	return 0;
}

/* A child holding n live hello VMs, ready when it has written a byte to
 * ready; it ends (and its VMs with it) when go is closed. */
static void holder(struct bench_common *c, uint64_t n, int ready, int go)
{
	struct vm_template t;
	struct vm *vms = calloc(n, sizeof(*vms));
	struct live_options lo = { .release_vcpu = true };
	size_t made = 0;
	char byte = 1;

	if (!vms || vm_template_init(&t, &c->kvm, guest_find("hello"), VM_MEM_SHARED,
				     GUEST_DATA_DEFAULT) ||
	    bench_live_create(&t, vms, n, NULL, &lo, &made) || made != n) {
		fprintf(stderr, "%s: the process holding %llu live VMs: %s\n", c->prog,
			(unsigned long long)n, err_msg());
		_exit(1);
	}
	if (write(ready, &byte, 1) != 1)
		_exit(1);
	while (read(go, &byte, 1) != 0 && !bench_signal)
		;
	_exit(0);
}

/* Starts a holder of n VMs and waits until they are alive: its pid and
 * the end of go to close, or -errno. */
static int hold(struct bench_common *c, uint64_t n, pid_t *pid, int *go_end)
{
	int ready[2], go[2];
	char byte;

	if (pipe(ready) || pipe(go))
		return err_errno(-errno, "pipe for the process holding live VMs");
	fflush(stdout);
	fflush(stderr);
	*pid = children_fork();
	if (*pid == 0) {
		close(ready[0]);
		close(go[1]);
		holder(c, n, ready[1], go[0]);
	}
	close(ready[1]);
	close(go[0]);
	*go_end = go[1];
	if (*pid < 0) {
		close(ready[0]);
		return err_errno(-errno, "fork of the process holding live VMs");
	}
	ssize_t r;
	do
		r = read(ready[0], &byte, 1);
	while (r < 0 && errno == EINTR && !bench_signal);
	close(ready[0]);
	return r == 1 ? 0 : bench_signal ? -EINTR :
	       err_set(-EIO, "the process that was to hold %llu live VMs ended first (above: "
		       "why)", (unsigned long long)n);
}

/* n single-use VMs into pt. */
static int vms(struct bench_common *c, const struct vm_template *t, uint64_t n,
	       struct point *pt)
{
	uint64_t ns, first, phase[VM_PHASES];
	struct vm_result res;

	for (uint64_t i = 0; i < n && !bench_signal; i++) {
		sig_atomic_t mark = bench_continued;
		int err = vm_oneshot_first(t, &res, &ns, phase, &first) ?: bench_check_hello(&res);
		if (err)
			return err;
		bench_count_exits(&c->out.exits, &res);
		if (bench_stopped_since(mark))
			continue;
		samples_add(&pt->whole, ns);
		samples_add(&pt->create, phase[VM_PHASE_CREATE_VM]);
		samples_add(&pt->first, first);
	}
	return 0;
}

/* One visit of point pt: its VMAs or live VMs set up, n VMs, torn down. */
static int visit(struct bench_common *c, const struct options *o, const struct vm_template *t,
		 struct point *pt, uint64_t n)
{
	void *base = NULL;
	pid_t pid = -1;
	int go = -1, err;

	if (o->sweep == SWEEP_VMAS) {
		uint64_t got = 0;
		err = map_vmas(pt->x, &base, &got);
		samples_add(&pt->counted, got);
	} else {
		err = pt->x ? hold(c, pt->x, &pid, &go) : 0;
	}
	err = err ?: vms(c, t, n, pt);
	if (base)
		munmap(base, pt->x * 4096);
	if (go >= 0)
		close(go);
	if (pid > 0)
		children_wait(pid, NULL);
	return err;
}

/* The points of the sweep: the fixed ones up to max, and max itself. */
static size_t points(const struct options *o, struct point *pt)
{
	const uint64_t *fixed = o->sweep == SWEEP_VMAS ? vmas_points : live_points;
	size_t nfixed = o->sweep == SWEEP_VMAS ? ARRAY_SIZE(vmas_points) : ARRAY_SIZE(live_points);
	uint64_t max = o->sweep == SWEEP_VMAS ? o->max_vmas : o->max_live;
	size_t n = 0;

	for (size_t i = 0; i < nfixed && fixed[i] <= max; i++)
		pt[n++].x = fixed[i];
	if (pt[n - 1].x < max)
		pt[n++].x = max;
	return n;
}

static int record(struct bench_common *c, const struct options *o, struct point *pt, size_t n)
{
	const char *key = o->sweep == SWEEP_VMAS ? LABEL_VMAS : LABEL_LIVE_VMS;

	for (size_t i = 0; i < n; i++) {
		const struct samples *s[] = { &pt[i].whole, &pt[i].create, &pt[i].first };
		const char *names[] = { SERIES_CREATE_RUN_CLOSE, SERIES_CREATE_VM,
					SERIES_FIRST_KVM_RUN };
		char v[32];
		snprintf(v, sizeof(v), "%llu", (unsigned long long)pt[i].x);
		if (pt[i].counted.n) {
			int j = bench_series(c, vmas_readings[VMAS_COUNTED].name, &pt[i].counted, 0,
					     key, v);
			if (j < 0)
				return j;
		}
		for (size_t k = 0; k < 3; k++) {
			size_t warm = o->warmup < s[k]->n ? o->warmup : s[k]->n;
			int j = s[k]->n ? bench_series(c, names[k], s[k], warm, key, v) : 0;
			if (j < 0 || (s[k]->n && rec_series_label(&c->out.rec, j, LABEL_VMAS_SWEEP,
								  sweep_names[o->sweep])))
				return j < 0 ? j : -ENOMEM;
		}
	}
	return 0;
}

/* "KVM_CREATE_VM: +0.105 us per VMA (least squares over the point
 * medians, R^2 0.99); the whole VM at 0: 240.1 us" for this run. */
static void print_fit(const struct options *o, const struct point *pt, size_t n)
{
	double x[POINTS_MAX], y[POINTS_MAX];
	struct summary s, w;
	struct linfit fit;
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		if (pt[i].create.n <= o->warmup ||
		    stats_summarize(pt[i].create.v + o->warmup, pt[i].create.n - o->warmup, &s))
			continue;
		x[m] = (double)pt[i].x;
		y[m++] = s.median / 1e3;
	}
	if (m < 2 || stats_linfit(x, y, m, &fit) ||
	    pt[0].whole.n <= o->warmup ||
	    stats_summarize(pt[0].whole.v + o->warmup, pt[0].whole.n - o->warmup, &w))
		return;
	printf("KVM_CREATE_VM: %+.4f us per %s (least squares over %zu point medians, R^2 %.3f); "
	       "the whole VM at %llu: %.1f us\n", fit.slope,
	       o->sweep == SWEEP_VMAS ? "VMA" : "live VM elsewhere", m, fit.r2,
	       (unsigned long long)pt[0].x, w.median / 1e3);
}

int main(int argc, char **argv)
{
	uint64_t limit = 0, room = vmas_room(&limit);
	struct options o = { .iterations = 200, .rounds = 3, .warmup = 10, .max_vmas = room,
			     .max_live = 10000 };
	char max_help[256];

	snprintf(max_help, sizeof(max_help), "--sweep vmas: the most VMAs, up to what\n"
		 "                      vm.max_map_count leaves (%llu here)", (unsigned long long)room);
	const struct bench_opt opts[] = {
		BENCH_CHOICE("sweep", "WHAT", "vmas: against VMAs in this process; live: against\n"
			     "                      live VMs in another (vmas-live.cbor)", &o.sweep,
			     sweep_names),
		BENCH_COUNT("iterations", "N", "VMs per point and round", &o.iterations, 1, 1000000),
		BENCH_COUNT("rounds", "R", "visits of every point, in a rotating order", &o.rounds,
			    1, 1000),
		BENCH_COUNT("warmup", "N", "VMs of each point's first visit left out of\n"
			    "                      summaries, fewer than --iterations",
			    &o.warmup, 0, 1000000),
		BENCH_COUNT("max-vmas", "V", max_help, &o.max_vmas, 0, 100000000),
		BENCH_COUNT("max-live", "L", "--sweep live: the most live VMs in the other process",
			    &o.max_live, 0, 1000000),
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-vmas", .name = "vmas", .opts = opts,
		.summary = "A single-use VM against the VMAs of its process and live VMs elsewhere.",
	};
	struct point pt[POINTS_MAX] = { 0 };
	struct vm_template t;
	int err = bench_parse(&c, argc, argv);

	if (err >= 0)
		return err;
	if (o.sweep == SWEEP_VMAS && o.max_vmas > room) {
		char msg[256];
		snprintf(msg, sizeof(msg), "--max-vmas %llu: vm.max_map_count (%llu) leaves this "
			 "process room for %llu more VMAs; raise it (sysctl -w vm.max_map_count=N) "
			 "or ask for fewer", (unsigned long long)o.max_vmas,
			 (unsigned long long)limit, (unsigned long long)room);
		return bench_usage_error(&c, msg);
	}
	if (o.warmup >= o.iterations)
		return bench_usage_error(&c, "--warmup: as many as --iterations or more; a point's "
					 "first visit would be all warm-up");
	c.file = o.sweep == SWEEP_VMAS ? "vmas" : "vmas-live";
	size_t n = points(&o, pt);
	err = bench_start(&c);
	if (err != BENCH_MEASURE)
		return err;
	rec_param_uint(&c.out.rec, "max_map_count", limit);
	rec_param_text(&c.out.rec, "guest", "hello");
	rec_param_text(&c.out.rec, "order", "points visited in rounds, each round in a "
		       "rotating order");
	err = o.sweep == SWEEP_LIVE ?
	      limits_nofile(o.max_live + VM_FDS, "--max-live VMs in the other process, one fd each") ?:
	      limits_tasks(o.max_live * limits_tasks_per_vm(), "--max-live VMs") ?:
	      limits_memory(o.max_live * LIVE_VM_BYTES, "--max-live VMs") ?: children_init(1) : 0;
	for (size_t i = 0; i < n && !err; i++) {
		uint64_t cap = o.rounds * o.iterations;
		err = samples_init(&pt[i].whole, cap) ?: samples_init(&pt[i].create, cap) ?:
		      samples_init(&pt[i].first, cap) ?: samples_init(&pt[i].counted, o.rounds);
	}
	err = err ?: vm_template_init(&t, &c.kvm, guest_find("hello"), VM_MEM_SHARED,
				      GUEST_DATA_DEFAULT);
	if (err)
		return bench_finish(&c, err, false);
	if (o.sweep == SWEEP_LIVE)
		children_forward_signals();
	struct progress progress;
	progress_start(&progress, &c, "VMs", o.rounds * n * o.iterations);
	for (uint64_t r = 0; r < o.rounds && !err && !bench_signal; r++) {
		for (size_t j = 0; j < n && !err && !bench_signal; j++) {
			struct point *p = &pt[(r + j) % n];
			err = visit(&c, &o, &t, p, o.iterations);
			progress_tick(&progress, (r * n + j + 1) * o.iterations);
		}
	}
	progress_end(&progress);
	vm_template_fini(&t);
	int e = record(&c, &o, pt, n);
	if (!c.opt.quiet) {
		for (size_t i = 0; i < n; i++) {
			char label[96];
			if (pt[i].whole.n <= o.warmup)
				continue;
			snprintf(label, sizeof(label), "%llu %s: whole VM", (unsigned long long)pt[i].x,
				 o.sweep == SWEEP_VMAS ? "VMAs" : "live VMs elsewhere");
			bench_print_summary(label, pt[i].whole.v + o.warmup, pt[i].whole.n - o.warmup);
			snprintf(label, sizeof(label), "%llu %s: KVM_CREATE_VM", (unsigned long long)pt[i].x,
				 o.sweep == SWEEP_VMAS ? "VMAs" : "live VMs elsewhere");
			bench_print_summary(label, pt[i].create.v + o.warmup, pt[i].create.n - o.warmup);
		}
		print_fit(&o, pt, n);
	}
	for (size_t i = 0; i < n; i++) {
		samples_free(&pt[i].whole);
		samples_free(&pt[i].create);
		samples_free(&pt[i].first);
		samples_free(&pt[i].counted);
	}
	if (o.sweep == SWEEP_LIVE)
		children_fini();
	return bench_finish(&c, err ?: e, c.out.rec.nseries > 0);
}
