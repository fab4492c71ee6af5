/* Shared by the tests: exit codes, checks, KVM or skip, temporary files. */
#ifndef KVMBENCH_TEST_HELPERS_H
#define KVMBENCH_TEST_HELPERS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#include "vm.h"

#define T_EXIT_PASS 0
#define T_EXIT_FAIL 1
#define T_EXIT_SKIP 77

/* Fails the test with file:line and a message when cond is false. */
#define T_CHECK(cond, ...)                                                   \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, \
				__LINE__, #cond);                            \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
			exit(T_EXIT_FAIL);                                   \
		}                                                            \
	} while (0)

/* Opens /dev/kvm; exits 77 (skip), saying why, when it is missing or not
 * accessible; fails on any other error. */
void t_kvm_or_skip(struct kvm *kvm);
/* How many times slower than the KVMs the tests' time limits were set for
 * the KVM at hand is: KVMBENCH_TIME_SCALE, which scripts/test measures
 * (tests/kvm_probe.c), 1 when unset.  Every time limit and every wait for
 * something to have happened is stretched by it; no assertion changes. */
unsigned t_time_scale(void);
/* ms milliseconds, stretched by t_time_scale(). */
uint64_t t_scaled_ms(uint64_t ms);
/* Sleeps t_scaled_ms(ms). */
void t_sleep_ms(uint64_t ms);
/* A fresh directory under $TMPDIR (or /tmp), removed by t_cleanup(). */
const char *t_tmpdir(void);
void t_cleanup(void);
/* Writes size bytes to path; fails the test on error. */
void t_write_file(const char *path, const void *data, size_t size);
/* Reads a whole file; *size set; fails the test on error. */
unsigned char *t_read_file(const char *path, size_t *size);
/* Runs argv (argv[0] a path) with stdout and stderr into *out (NUL-ended,
 * caller frees); returns the exit status, or 128 + signal. */
int t_run(char *const argv[], char **out);
/* t_run in two halves, for a test that acts on the process meanwhile:
 * starts argv with stdout and stderr into a pipe (*out, its read end);
 * then reads the pipe to its end into *text and waits. */
pid_t t_start(char *const argv[], int *out);
/* t_start, calling setup(ctx) in the child before the exec: to change its
 * limits or user.  setup may _exit(77) when the test cannot be set up. */
pid_t t_start_with(char *const argv[], int *out, void (*setup)(void *ctx), void *ctx);
int t_finish(pid_t pid, int out, char **text);

/* The result file of the last t_result(), in t_tmpdir(). */
extern char t_path[512];

/* Runs bin with args (NULL-ended; --output t_path, named name, added):
 * fails the test unless it exits 0 with a complete result that has the
 * machine fingerprint; the result in *r, its output in *out. */
struct record;
void t_result(struct record *r, const char *bin, const char *name, const char **args,
	      char **out);

/* The first series of r named name whose label is value (label NULL:
 * any), or NULL. */
struct rec_series;
const struct rec_series *t_find(const struct record *r, const char *name, const char *label,
				const char *value);
/* t_find by the "memory" label (NULL: any): fails the test unless there is
 * one with n samples. */
const struct rec_series *t_series(const struct record *r, const char *name,
				  const char *memory_label, size_t n);

#endif
