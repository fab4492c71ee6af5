#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <time.h>

#include "clock.h"
#include "err.h"
#include "sysinfo.h"
#include "watchdog.h"

#define WATCH_SLOTS 256
#define WATCH_SIGNAL (SIGRTMIN + 1)
#define WATCH_STACK (256u << 10)

/* One per thread that runs guests: seq is odd while a KVM_RUN loop is in
 * progress; the watchdog sees a run that stays the same for four looks. */
struct watch {
	_Atomic uint64_t seq;
	pthread_t thread;
};

static struct watch watches[WATCH_SLOTS];
static _Atomic int nwatches;
static _Atomic uint64_t watch_timeout_ns;
static _Atomic int watchdog_running;
static pthread_once_t watchdog_once = PTHREAD_ONCE_INIT;
static int watchdog_err;

static _Thread_local struct watch *my_watch;
static _Thread_local struct kvm_run *volatile running;
static _Thread_local volatile sig_atomic_t timed_out;
static volatile sig_atomic_t stop_requested;

static void on_watch_signal(int sig)
{
	(void)sig;
	timed_out = 1;
	if (running)
		running->immediate_exit = 1;
}

static void *watchdog(void *arg)
{
	uint64_t last[WATCH_SLOTS] = { 0 };
	int strikes[WATCH_SLOTS] = { 0 };

	(void)arg;
	atomic_store(&watchdog_running, 1);
	for (;;) {
		uint64_t t = atomic_load(&watch_timeout_ns);
		struct timespec ts = { .tv_sec = (time_t)(t / 4 / 1000000000u),
				       .tv_nsec = (long)(t / 4 % 1000000000u) };
		if (!t)
			ts = (struct timespec){ .tv_sec = 1 };
		uint64_t before = clock_ns();
		nanosleep(&ts, NULL);
		/* A look that comes two periods late follows a stop of the whole
		 * process (SIGSTOP, ^Z) or of the machine: the guest did not run
		 * meanwhile, so that period is no strike against it. */
		bool late = t && clock_ns() - before > t / 2;
		for (int i = 0; i < atomic_load(&nwatches); i++) {
			uint64_t seq = atomic_load_explicit(&watches[i].seq, memory_order_relaxed);
			if (late) {
				;
			} else if (t && seq % 2 && seq == last[i]) {
				if (++strikes[i] >= 4) {
					pthread_kill(watches[i].thread, WATCH_SIGNAL);
					strikes[i] = 0;
				}
			} else {
				strikes[i] = 0;
			}
			last[i] = seq;
		}
	}
	return NULL;
}

static void start(void)
{
	struct sigaction sa = { .sa_handler = on_watch_signal };
	pthread_attr_t attr;
	pthread_t th;
	sigset_t all, old;

	/* No SA_RESTART: the signal must end the KVM_RUN in progress. */
	sigemptyset(&sa.sa_mask);
	if (sigaction(WATCH_SIGNAL, &sa, NULL) < 0) {
		watchdog_err = -errno;
		return;
	}
	/* The watchdog thread takes no signal meant for the benchmark; it needs
	 * a few KiB of stack, not the default 8 MiB of address space. */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, WATCH_STACK);
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	watchdog_err = -pthread_create(&th, &attr, watchdog, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (watchdog_err)
		return;
	pthread_detach(th);
	/* Return with the thread running, its stack and TLS in place: whoever
	 * counts the process's mappings next counts them too. */
	while (!atomic_load(&watchdog_running)) {
		struct timespec ms = { 0, 1000000 };
		nanosleep(&ms, NULL);
	}
}

int watchdog_start(uint64_t timeout_ns)
{
	struct rlimit as;

	pthread_once(&watchdog_once, start);
	if (watchdog_err && getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
		return err_set(watchdog_err, "cannot start the guest run time watchdog: its thread "
			       "needs %u KiB of address space for its stack, but RLIMIT_AS (ulimit "
			       "-v) is %llu KiB and the process already uses %llu KiB: raise it "
			       "(ulimit -v unlimited), or run without a time limit (--guest-timeout 0)",
			       WATCH_STACK >> 10, (unsigned long long)(as.rlim_cur >> 10),
			       (unsigned long long)(sysinfo_status_bytes("VmSize") >> 10));
	if (watchdog_err)
		return err_errno(watchdog_err, "cannot start the guest run time watchdog");
	atomic_store(&watch_timeout_ns, timeout_ns);
	return 0;
}

int watchdog_after_fork(void)
{
	/* The child has only the thread that forked: not the watchdog. */
	if (!atomic_load(&watchdog_running))
		return 0;
	atomic_store(&watchdog_running, 0);
	atomic_store(&nwatches, 0);
	my_watch = NULL;
	start();
	return watchdog_err ? err_errno(watchdog_err, "cannot start the guest run time watchdog") :
	       0;
}

uint64_t watchdog_timeout_ns(void)
{
	return atomic_load(&watch_timeout_ns);
}

void watchdog_stop_runs(void)
{
	stop_requested = 1;
}

bool watchdog_runs_stopped(void)
{
	return stop_requested;
}

/* This thread's slot, taken on its first run once the watchdog is on. */
static struct watch *watch_slot(void)
{
	if (!my_watch && atomic_load(&watch_timeout_ns)) {
		int i = atomic_fetch_add(&nwatches, 1);
		if (i >= WATCH_SLOTS) {
			atomic_fetch_sub(&nwatches, 1);
			return NULL;
		}
		watches[i].thread = pthread_self();
		my_watch = &watches[i];
	}
	return my_watch;
}

void watchdog_enter(struct kvm_run *run)
{
	struct watch *w = watch_slot();

	if (w) {
		timed_out = 0;
		running = run;
		atomic_store_explicit(&w->seq, w->seq + 1, memory_order_relaxed);
	}
}

void watchdog_leave(void)
{
	struct watch *w = my_watch;

	if (w) {
		atomic_store_explicit(&w->seq, w->seq + 1, memory_order_relaxed);
		running = NULL;
	}
}

bool watchdog_fired(struct kvm_run *run)
{
	if (!timed_out)
		return false;
	timed_out = 0;
	run->immediate_exit = 0;
	return true;
}
