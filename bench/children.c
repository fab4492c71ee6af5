/* The child processes of a benchmark (children.h). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "children.h"
#include "common.h"

/* Written only outside the signal handler, and never moved while it may
 * read: room is made once, by children_init(). */
static volatile pid_t *pids;
static size_t room;
/* children_forward_signals() was called: the handlers are forward(). */
static bool forwarding;

int children_init(size_t n)
{
	children_fini();
	pids = calloc(n ? n : 1, sizeof(*pids));
	room = pids ? n : 0;
	return pids ? 0 : -ENOMEM;
}

void children_fini(void)
{
	free((void *)pids);
	pids = NULL;
	room = 0;
}

pid_t children_fork(void)
{
	pid_t parent = getpid(), pid;
	size_t slot = 0;

	while (slot < room && pids[slot] > 0)
		slot++;
	if (slot == room) {
		errno = EAGAIN;
		return -1;
	}
	/* A SIGINT or SIGTERM in between is held back until the child is in the
	 * pool here (else it would not be passed on) and, there, no longer
	 * under this process's forwarding handler (which would take it for a
	 * pool the child does not have, and it would be lost). */
	sigset_t stop, was;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &was);
	pid = fork();
	if (pid == 0) {
		/* Its VMs and files die with the parent, never outlive it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		if (forwarding) {
			signal(SIGINT, SIG_DFL);
			signal(SIGTERM, SIG_DFL);
		}
		pthread_sigmask(SIG_SETMASK, &was, NULL);
		return 0;
	}
	if (pid > 0)
		pids[slot] = pid;
	pthread_sigmask(SIG_SETMASK, &was, NULL);
	return pid;
}

void children_kill(int sig)
{
	for (size_t i = 0; i < room; i++)
		if (pids[i] > 0)
			kill(pids[i], sig);
}

static void forward(int sig)
{
	bench_signal = sig;
	children_kill(sig);
}

void children_forward_signals(void)
{
	struct sigaction sa = { .sa_handler = forward };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	forwarding = true;
}

int children_wait(pid_t pid, int *raw)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	for (size_t i = 0; i < room; i++)
		if (pids[i] == pid)
			pids[i] = 0;
	if (raw)
		*raw = status;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
