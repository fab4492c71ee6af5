#define _GNU_SOURCE	/* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "children.h"
#include "clock.h"
#include "err.h"
#include "limits.h"
#include "shard.h"
#include "sysinfo.h"
#include "watchdog.h"

enum { CMD_GO = 1, CMD_TEARDOWN };
enum { MSG_READY = 1, MSG_DONE, MSG_TORN };

/* Worker to parent; MSG_DONE is followed by nsamples samples and nsteps
 * readings, MSG_TORN by nsamples samples. */
struct msg {
	uint32_t kind;
	int32_t err;			/* a negative errno, or 0 */
	uint64_t interrupted;		/* the signal that stopped the worker, or 0 */
	uint64_t made, last_ns, two_fds;
	uint64_t maps, fds, rss;	/* the worker's own, now */
	struct exit_tally exits;
	uint64_t nsamples, nsteps;
	char text[512];
};

struct worker {
	pid_t pid;
	int ctl, res;			/* the parent's ends */
	bool alive;
	uint64_t maps, fds, rss;	/* its share of the per-process readings */
};

uint64_t shard_per(uint64_t vms, uint64_t processes)
{
	return (vms + processes - 1) / processes;
}

int shard_check(const struct shard_options *o, const char *what)
{
	uint64_t workers = shard_per(o->vms, o->per);

	/* Each worker: its process and its watchdog thread. */
	return limits_memory(o->vms * LIVE_VM_BYTES, what) ?:
	       limits_tasks(o->vms * limits_tasks_per_vm() + 2 * workers, what);
}

/* All len bytes through the pipe fd, written (out) or read; -EPIPE if
 * the other end is gone. */
static int transfer(int fd, void *buf, size_t len, bool out)
{
	char *p = buf;

	while (len) {
		ssize_t n = out ? write(fd, p, len) : read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_all(int fd, const void *buf, size_t len)
{
	return transfer(fd, (void *)buf, len, true);
}

static int recv_all(int fd, void *buf, size_t len)
{
	return transfer(fd, buf, len, false);
}

/* ---- the worker ---- */

/* The parent's word to stop creating: another worker failed.  Not an
 * interruption of the run: bench_signal stays SIGINT's and SIGTERM's. */
#define STOP_SIGNAL SIGUSR1

static volatile sig_atomic_t stop_creating;

static void on_stop(int sig)
{
	(void)sig;
	stop_creating = 1;
}

struct creating {
	const struct shard_options *o;
	uint64_t base;
	const struct samples *create;
	uint64_t cumulative, last_ns;
	struct step_reading *steps;
	size_t nsteps;
};

static void after_vm(void *ctx, size_t i, bool kept)
{
	struct creating *t = ctx;
	uint64_t vms = t->base + i + 1;

	t->last_ns = clock_ns();
	if (kept)
		t->cumulative += t->create->v[t->create->n - 1];
	if (t->o->step && (vms % t->o->step == 0 || vms == t->o->vms))
		step_read(&t->steps[t->nsteps++], vms, t->last_ns, t->cumulative);
	if (t->o->progress)
		progress_tick(t->o->progress, vms);
}

static void fail_msg(struct msg *m, int err)
{
	m->err = err;
	snprintf(m->text, sizeof(m->text), "%s", err_msg());
}

/* Worker idx: its VMs, on the parent's word; never returns. */
static void worker(struct bench_common *c, const struct shard_options *o, unsigned idx, int ctl,
		   int res)
{
	uint64_t base = idx * o->per, n = o->vms - base < o->per ? o->vms - base : o->per;
	uint64_t maps_per_vm = o->memory == VM_MEM_INDIVIDUAL;
	struct msg m = { .kind = MSG_READY };
	struct samples create = { 0 }, teardown = { 0 };
	struct exit_counts ex = { 0 };
	struct vm_template t;
	struct vm *vms = NULL;
	bool two = o->fds_per_vm == 2, have_template = false;
	size_t made = 0;
	uint32_t cmd;
	int err;

	pthread_mutex_init(&ex.lock, NULL);
	struct sigaction sa = { .sa_handler = on_stop };
	sigemptyset(&sa.sa_mask);
	sigaction(STOP_SIGNAL, &sa, NULL);
	err = watchdog_after_fork();
	if (!err && !o->fds_per_vm)
		two = bench_live_two_fds(n, o->memory);
	if (!err)
		err = limits_nofile(two ? 2 * n : n, "a worker's VMs") ?:
		      limits_maps(n * (maps_per_vm + two), "a worker's VMs");
	if (!err && (err = vm_template_init(&t, &c->kvm, guest_find("hello"), o->memory,
					    GUEST_DATA_DEFAULT)) == 0)
		have_template = true;
	struct creating cr = { .o = o, .base = base, .create = &create };
	if (!err && (!(vms = calloc(n, sizeof(*vms))) || samples_init(&create, n) ||
		     samples_init(&teardown, n) ||
		     !(cr.steps = calloc(o->step ? n / o->step + 2 : 1, sizeof(*cr.steps)))))
		err = err_set(-ENOMEM, "no memory for %llu VMs", (unsigned long long)n);
	if (err)
		fail_msg(&m, err);
	m.two_fds = two;
	step_read_own(&m.maps, &m.fds, &m.rss);
	if (send_all(res, &m, sizeof(m)) || err)
		_exit(1);

	/* Until the parent closes its end: a turn to create, one to tear down. */
	while (recv_all(ctl, &cmd, sizeof(cmd)) == 0) {
		memset(&m, 0, sizeof(m));
		if (cmd == CMD_GO) {
			struct live_options lo = { .release_vcpu = !two, .after = after_vm,
						   .ctx = &cr, .exits = &ex,
						   .stop = &stop_creating };
			err = bench_live_create(&t, vms, n, &create, &lo, &made);
			m.kind = MSG_DONE;
			if (err)
				fail_msg(&m, err);
			m.interrupted = (uint64_t)bench_signal;
			m.made = made;
			m.last_ns = cr.last_ns;
			m.two_fds = two;
			step_read_own(&m.maps, &m.fds, &m.rss);
			m.exits = ex.t;
			m.nsamples = create.n;
			m.nsteps = cr.nsteps;
			if (send_all(res, &m, sizeof(m)) ||
			    send_all(res, create.v, create.n * sizeof(*create.v)) ||
			    send_all(res, cr.steps, cr.nsteps * sizeof(*cr.steps)))
				break;
		} else if (cmd == CMD_TEARDOWN) {
			bench_live_destroy(vms, made, &teardown);
			made = 0;
			m.kind = MSG_TORN;
			m.nsamples = teardown.n;
			step_read_own(&m.maps, &m.fds, &m.rss);
			if (send_all(res, &m, sizeof(m)) ||
			    send_all(res, teardown.v, teardown.n * sizeof(*teardown.v)))
				break;
		}
	}
	bench_live_destroy(vms, made, NULL);
	if (have_template)
		vm_template_fini(&t);
	_exit(0);
}

/* ---- the parent ---- */

static void describe_end(const struct worker *w, unsigned idx, int err)
{
	int status;
	char how[96] = "closed its pipe";

	if (children_wait(w->pid, &status) >= 0) {
		if (WIFSIGNALED(status))
			snprintf(how, sizeof(how), "was killed by signal %d (%s)", WTERMSIG(status),
				 strsignal(WTERMSIG(status)));
		else if (WIFEXITED(status))
			snprintf(how, sizeof(how), "exited with status %d", WEXITSTATUS(status));
	}
	err_set(err, "worker %u (pid %d) %s before it reported: its VMs are gone with it; see "
		"its message above, if any", idx, (int)w->pid, how);
}

/*
 * Waits for worker want's next message (and its payload) while watching
 * the others: one that ends meanwhile stops the run.  A SIGINT or SIGTERM
 * to the parent alone is passed on to every worker.
 */
static int wait_msg(struct worker *ws, unsigned nw, unsigned want, struct msg *m)
{
	struct pollfd *fds = calloc(nw, sizeof(*fds));
	bool forwarded = false;
	int err = 0;

	if (!fds)
		return err_set(-ENOMEM, "out of memory");
	for (;;) {
		if (bench_signal && !forwarded) {
			children_kill(bench_signal);
			forwarded = true;
		}
		/* Data only from want; from the others, only their end. */
		for (unsigned j = 0; j < nw; j++)
			fds[j] = (struct pollfd){ .fd = ws[j].alive ? ws[j].res : -1,
						  .events = j == want ? POLLIN : 0 };
		if (poll(fds, nw, -1) < 0) {
			if (errno == EINTR)
				continue;
			err = err_errno(-errno, "poll");
			break;
		}
		for (unsigned j = 0; j < nw && !err; j++) {
			if (!fds[j].revents || (j != want && !(fds[j].revents & (POLLHUP | POLLERR))))
				continue;
			if (j == want && recv_all(ws[j].res, m, sizeof(*m)) == 0)
				goto done;
			/* An end of file: the worker is gone. */
			ws[j].alive = false;
			describe_end(&ws[j], j, -EPIPE);
			err = -EPIPE;
		}
		if (err)
			break;
	}
done:
	free(fds);
	return err;
}

static int recv_payload(struct worker *w, unsigned idx, void *buf, size_t len)
{
	if (recv_all(w->res, buf, len) == 0)
		return 0;
	w->alive = false;
	describe_end(w, idx, -EPIPE);
	return -EPIPE;
}

/* The reading at a step of worker cur, into r: the per-process readings
 * summed over every worker (the others' as they last said), the creation
 * samples of the workers before it added. */
static void compose(struct shard_result *r, const struct worker *ws, unsigned cur,
		    const struct step_reading *s, uint64_t cumulative_before, uint64_t t0)
{
	struct step_reading *to;

	if (r->nsteps == r->steps_cap)
		return;
	to = &r->steps[r->nsteps++];
	*to = *s;
	for (unsigned j = 0; j < r->workers; j++) {
		if (j == cur)
			continue;
		to->maps += ws[j].maps;
		to->fds += ws[j].fds;
		to->rss += ws[j].rss;
	}
	to->cumulative = cumulative_before + s->cumulative;
	to->at_ns = s->at_ns - t0;
}

/* Worker i's turn to create its VMs: its samples and readings added. */
static int take_turn(struct bench_common *c, struct worker *ws, unsigned i, struct shard_result *r,
		uint64_t *cumulative, uint64_t t0)
{
	uint32_t cmd = CMD_GO;
	struct msg m;
	int err;

	if (send_all(ws[i].ctl, &cmd, sizeof(cmd)))
		return err_set(-EPIPE, "worker %u (pid %d) cannot be reached", i, (int)ws[i].pid);
	int failed = wait_msg(ws, r->workers, i, &m);
	if (failed && ws[i].alive) {
		/* Another worker ended: this one stops, and what it made counts. */
		char why[512];
		snprintf(why, sizeof(why), "%s", err_msg());
		kill(ws[i].pid, STOP_SIGNAL);
		if (wait_msg(ws, r->workers, i, &m) == 0)
			m.interrupted = 0;
		else
			m.kind = 0;
		err_set(failed, "%s", why);
	}
	if (failed && m.kind != MSG_DONE)
		return failed;
	uint64_t room = r->create.cap - r->create.n, steps = r->steps_cap - r->nsteps;
	if (m.kind != MSG_DONE || m.nsamples > room || m.nsteps > steps)
		return err_set(-EPROTO, "worker %u: an answer out of turn", i);
	uint64_t *v = malloc((m.nsamples ? m.nsamples : 1) * sizeof(*v));
	struct step_reading *s = malloc((m.nsteps ? m.nsteps : 1) * sizeof(*s));
	if (!v || !s) {
		free(v);
		free(s);
		return err_set(-ENOMEM, "out of memory");
	}
	err = recv_payload(&ws[i], i, v, m.nsamples * sizeof(*v)) ?:
	      recv_payload(&ws[i], i, s, m.nsteps * sizeof(*s));
	if (!err) {
		uint64_t own = 0;
		for (uint64_t k = 0; k < m.nsamples; k++) {
			samples_add(&r->create, v[k]);
			samples_add(&r->worker, i);
			own += v[k];
		}
		ws[i].maps = m.maps;
		ws[i].fds = m.fds;
		ws[i].rss = m.rss;
		for (uint64_t k = 0; k < m.nsteps; k++)
			compose(r, ws, i, &s[k], *cumulative, t0);
		*cumulative += own;
		r->made += m.made;
		if (m.made)
			r->wall_ns = m.last_ns - t0;
		snprintf(r->fds_per_vm + strlen(r->fds_per_vm),
			 sizeof(r->fds_per_vm) - strlen(r->fds_per_vm), "%s%d", i ? "," : "",
			 m.two_fds ? 2 : 1);
		bench_add_exits(&c->out.exits, &m.exits);
		if (m.interrupted && !bench_signal)
			bench_signal = (sig_atomic_t)m.interrupted;
		if (m.err && !failed)
			err = err_set(m.err, "worker %u (pid %d): %s", i, (int)ws[i].pid, m.text);
	}
	free(v);
	free(s);
	return failed ?: err;
}

static void tear_down(struct worker *ws, unsigned i, struct shard_result *r)
{
	uint32_t cmd = CMD_TEARDOWN;
	struct msg m;

	if (!ws[i].alive || send_all(ws[i].ctl, &cmd, sizeof(cmd)) ||
	    wait_msg(ws, r->workers, i, &m) || m.kind != MSG_TORN ||
	    m.nsamples > r->teardown.cap - r->teardown.n)
		return;
	uint64_t *v = malloc((m.nsamples ? m.nsamples : 1) * sizeof(*v));
	if (v && recv_payload(&ws[i], i, v, m.nsamples * sizeof(*v)) == 0)
		for (uint64_t k = 0; k < m.nsamples; k++)
			samples_add(&r->teardown, v[k]);
	free(v);
}

int shard_run(struct bench_common *c, const struct shard_options *o, struct shard_result *r)
{
	unsigned nw = (unsigned)shard_per(o->vms, o->per);
	size_t nsteps = o->step ? o->vms / o->step + 2 : 0;
	struct worker *ws = calloc(nw, sizeof(*ws));
	uint64_t cumulative = 0, t0;
	unsigned started = 0;
	struct msg m;
	int err = 0;

	memset(r, 0, sizeof(*r));
	r->workers = nw;
	bool ok = ws && !children_init(nw) && !samples_init(&r->create, o->vms) && !samples_init(&r->worker, o->vms) &&
		  !samples_init(&r->teardown, o->vms);
	if (ok && nsteps) {
		r->steps = calloc(nsteps, sizeof(*r->steps));
		r->steps_cap = r->steps ? nsteps : 0;
		ok = r->steps != NULL;
	}
	if (!ok) {
		free(ws);
		return err_set(-ENOMEM, "no memory for %llu VMs", (unsigned long long)o->vms);
	}

	/* Every worker before any VM: the first VM's process is no older. */
	fflush(stdout);
	fflush(stderr);
	for (unsigned i = 0; i < nw && !err && !bench_signal; i++) {
		int ctl[2], res[2];
		if (pipe2(ctl, O_CLOEXEC) || pipe2(res, O_CLOEXEC)) {
			err = err_errno(-errno, "pipe for worker %u", i);
			break;
		}
		pid_t pid = children_fork();
		if (pid == 0) {
			for (unsigned j = 0; j < i; j++) {
				close(ws[j].ctl);
				close(ws[j].res);
			}
			close(ctl[1]);
			close(res[0]);
			worker(c, o, i, ctl[0], res[1]);
		}
		close(ctl[0]);
		close(res[1]);
		if (pid < 0) {
			close(ctl[1]);
			close(res[0]);
			err = err_errno(-errno, "fork of worker %u", i);
			break;
		}
		ws[i] = (struct worker){ .pid = pid, .ctl = ctl[1], .res = res[0], .alive = true };
		started++;
	}
	r->workers = started;
	for (unsigned i = 0; i < started && !err; i++) {
		if ((err = wait_msg(ws, started, i, &m)) != 0)
			break;
		ws[i].maps = m.maps;
		ws[i].fds = m.fds;
		ws[i].rss = m.rss;
		if (m.err)
			err = err_set(m.err, "worker %u (pid %d): %s", i, (int)ws[i].pid, m.text);
	}
	if (!err && nsteps) {
		/* The baseline, at 0 VMs: the machine's, and each worker's own. */
		struct step_reading base;
		step_read_machine(&base, 0, clock_ns(), 0);
		compose(r, ws, UINT32_MAX, &base, 0, base.at_ns);
	}
	t0 = clock_ns();
	for (unsigned i = 0; i < started && !err && !bench_signal; i++)
		err = take_turn(c, ws, i, r, &cumulative, t0);
	for (unsigned i = 0; i < started; i++)
		tear_down(ws, i, r);
	for (unsigned i = 0; i < started; i++) {
		close(ws[i].ctl);
		close(ws[i].res);
		if (ws[i].alive)
			children_wait(ws[i].pid, NULL);
	}
	children_fini();
	free(ws);
	return err;
}

void shard_result_free(struct shard_result *r)
{
	samples_free(&r->create);
	samples_free(&r->worker);
	samples_free(&r->teardown);
	free(r->steps);
	r->steps = NULL;
	r->nsteps = r->steps_cap = 0;
}
