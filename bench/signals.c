/*
 * Signals of a run: SIGINT and SIGTERM end it, what was measured kept
 * (bench_signal); a stop and continue (job control) does not, and a timed
 * region that held the stop is left out (bench_stopped_since).
 */
#include <signal.h>
#include <stdatomic.h>

#include "common.h"
#include "watchdog.h"

volatile sig_atomic_t bench_signal;
volatile sig_atomic_t bench_continued;
/* Timed regions left out because the process was stopped inside them. */
static _Atomic uint64_t stopped_regions;


/* What job control did to the run: how often it was continued after a
 * stop, and how many timed regions were left out for holding the stop. */
void bench_record_stops(struct record *rec)
{
	rec_param_uint(rec, "continued_after_stop", (uint64_t)bench_continued);
	rec_param_uint(rec, "samples_discarded_stopped", atomic_load(&stopped_regions));
}

static void on_signal(int sig)
{
	bench_signal = sig;
	watchdog_stop_runs();
}

static void on_continue(int sig)
{
	(void)sig;
	bench_continued++;
}

bool bench_stopped_since(sig_atomic_t mark)
{
	if (bench_continued == mark)
		return false;
	atomic_fetch_add(&stopped_regions, 1);
	return true;
}


void bench_catch_continue(void)
{
	struct sigaction cont = { .sa_handler = on_continue, .sa_flags = SA_RESTART };

	sigemptyset(&cont.sa_mask);
	sigaction(SIGCONT, &cont, NULL);
}

void bench_catch_interrupt(void)
{
	/* No SA_RESTART: a signal must end a KVM_RUN in progress. */
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}
