#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "common.h"
#include "err.h"
#include "stats.h"

volatile sig_atomic_t bench_signal;

static void on_signal(int sig)
{
	bench_signal = sig;
}

int bench_common_option(struct bench_common *c, int opt, const char *arg)
{
	switch (opt) {
	case 'o':
		c->output = arg;
		return 1;
	case 'R':
		c->results_dir = arg;
		return 1;
	case 'D':
		c->device = arg;
		return 1;
	case 'q':
		c->quiet = true;
		return 1;
	}
	return 0;
}

void bench_common_help(FILE *f, const char *name)
{
	fprintf(f,
		"  --output FILE       write the result there (default:\n"
		"                      results/<hostname>-<kernel release>/%s.cbor)\n"
		"  --results-dir DIR   write the result as DIR/%s.cbor instead\n"
		"  --device PATH       the KVM device (default: /dev/kvm)\n"
		"  --quiet             print only errors\n"
		"  --help              print this help\n", name, name);
}

int bench_usage_error(const struct bench_common *c, const char *msg)
{
	fprintf(stderr, "%s: %s\nTry '%s --help'.\n", c->prog, msg, c->prog);
	return BENCH_EXIT_USAGE;
}

int bench_option_error(const struct bench_common *c, int opt, char **argv)
{
	char msg[256];

	snprintf(msg, sizeof(msg), opt == ':' ? "option '%s' is missing its argument" :
		 "unknown option '%s'", argv[optind - 1]);
	return bench_usage_error(c, msg);
}

int bench_start(struct bench_common *c)
{
	struct sigaction sa = { .sa_handler = on_signal };

	if (cli_output_path(c->path, sizeof(c->path), c->file ? c->file : c->name,
			    c->output, c->results_dir))
		return bench_usage_error(c, err_msg());
	machine_probe(&c->machine);
	if (rec_init(&c->rec, c->name) || rec_set_machine(&c->rec, &c->machine)) {
		fprintf(stderr, "%s: %s\n", c->prog, err_msg());
		return 1;
	}
	if (kvm_open(&c->kvm, c->device)) {
		fprintf(stderr, "%s: %s\n", c->prog, err_msg());
		rec_free(&c->rec);
		return 1;
	}
	/* No SA_RESTART: a signal must end a KVM_RUN in progress. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return 0;
}

int bench_finish(struct bench_common *c, int err, bool measured)
{
	int status = 0;
	char why[640];

	if (bench_signal) {
		snprintf(why, sizeof(why), "interrupted by %s", strsignal(bench_signal));
		status = 128 + bench_signal;
	} else if (err) {
		snprintf(why, sizeof(why), "%s", err_msg());
		fprintf(stderr, "%s: %s\n", c->prog, why);
		status = 1;
	}
	if (status)
		rec_set_incomplete(&c->rec, why);
	if (measured) {
		if (rec_write(&c->rec, c->path)) {
			fprintf(stderr, "%s: %s\n", c->prog, err_msg());
			status = status ? status : 1;
		} else if (status) {
			fprintf(stderr, "%s: %s; what was measured is in %s, marked incomplete\n",
				c->prog, why, c->path);
		} else if (!c->quiet) {
			printf("result: %s\n", c->path);
		}
	} else if (status) {
		fprintf(stderr, "%s: nothing was measured, no result written\n", c->prog);
	}
	kvm_close(&c->kvm);
	rec_free(&c->rec);
	return status;
}

void bench_print_summary(const char *label, const uint64_t *v, size_t n)
{
	struct summary s;

	if (stats_summarize(v, n, &s))
		return;
	printf("%s: median %.1f us  p90 %.1f us  p99 %.1f us  min %.1f us  max %.1f us  "
	       "(%zu samples)\n", label, s.median / 1e3, s.p90 / 1e3, s.p99 / 1e3,
	       s.min / 1e3, s.max / 1e3, s.n);
}
