/*
 * The options every benchmark shares and its own (a table of struct
 * bench_opt), --help with every default, and the parameters they set in
 * the result.
 */
#define _GNU_SOURCE	/* CPU_SETSIZE */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"
#include "err.h"
#include "util.h"

enum { OPT_OUTPUT = 0x100, OPT_RESULTS_DIR, OPT_DEVICE, OPT_TIMEOUT, OPT_RUNS, OPT_RUN_OF,
       OPT_CPU, OPT_APPEND, OPT_QUIET, OPT_HELP, OPT_OWN };

static size_t count_opts(const struct bench_opt *o)
{
	size_t n = 0;

	while (o && o[n].name)
		n++;
	return n;
}

static void print_opt(const char *name, const char *arg, const char *help, const char *dflt)
{
	char left[64];

	snprintf(left, sizeof(left), "--%s%s%s", name, arg ? " " : "", arg ? arg : "");
	printf("  %-19s %s%s%s%s\n", left, help, dflt ? " (default " : "", dflt ? dflt : "",
	       dflt ? ")" : "");
}

static void help(const struct bench_common *c)
{
	char dflt[64];

	printf("Usage: %s [OPTION]...\n%s\n\n", c->prog, c->summary);
	for (const struct bench_opt *o = c->opts; o && o->name; o++) {
		const char *d = dflt;
		if (o->kind == OPT_COUNT || o->kind == OPT_SIZE)
			snprintf(dflt, sizeof(dflt), "%llu", (unsigned long long)*o->count);
		else if (o->kind == OPT_CHOICE)
			d = o->choices[*o->choice];
		else
			d = NULL;
		print_opt(o->name, o->arg, o->help, d);
	}
	snprintf(dflt, sizeof(dflt), "results/<host>-<kernel>/%s.cbor", c->file ? c->file : c->name);
	print_opt("output", "FILE", "write the result there", dflt);
	print_opt("results-dir", "DIR", "write the result into DIR instead", NULL);
	print_opt("device", "PATH", "the KVM device", "/dev/kvm");
	print_opt("guest-timeout", "MS", "stop a guest run after MS milliseconds, 0: never", "1000");
	print_opt("runs", "K", "K independent runs, each a fresh process, in one result", "1");
	print_opt("append", NULL, "add the runs to those already in the result file (same "
		  "options), to spread a result's runs over time", NULL);
	print_opt("cpu", "N", "pin the process (and the VMs' vCPU threads) to CPU N", NULL);
	print_opt("quiet", NULL, "print only errors", NULL);
	print_opt("help", NULL, "print this help", NULL);
}

static int parse_own(const struct bench_opt *o, const char *arg)
{
	char option[64];

	snprintf(option, sizeof(option), "--%s", o->name);
	switch (o->kind) {
	case OPT_COUNT:
		return cli_count(option, arg, o->min, o->max, o->count);
	case OPT_SIZE:
		return cli_size(option, arg, o->min, o->max, o->count);
	case OPT_FLAG:
		*o->flag = true;
		return 0;
	case OPT_CHOICE:
		for (int i = 0; o->choices[i]; i++) {
			if (!strcmp(arg, o->choices[i])) {
				*o->choice = i;
				return 0;
			}
		}
		char list[256] = "";
		for (int i = 0; o->choices[i]; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 i ? ", " : "", o->choices[i]);
		return err_set(-EINVAL, "%s: '%s' is not one of %s", option, arg, list);
	}
	return -EINVAL;
}

int bench_parse(struct bench_common *c, int argc, char **argv)
{
	static const struct option common[] = {
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "results-dir", required_argument, NULL, OPT_RESULTS_DIR },
		{ "device", required_argument, NULL, OPT_DEVICE },
		{ "guest-timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "runs", required_argument, NULL, OPT_RUNS },
		{ "run-of", required_argument, NULL, OPT_RUN_OF },	/* --runs' own */
		{ "cpu", required_argument, NULL, OPT_CPU },
		{ "append", no_argument, NULL, OPT_APPEND },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "help", no_argument, NULL, OPT_HELP },
	};
	/* The common options, an experiment's own, and getopt's ending { 0 }. */
	struct option longopts[ARRAY_SIZE(common) + BENCH_MAX_OPTS + 1] = { { 0 } };
	size_t n = count_opts(c->opts);
	char msg[256];
	int opt;

	if (n > BENCH_MAX_OPTS)
		return bench_usage_error(c, "too many options");
	c->opt.guest_timeout_ms = 1000;
	c->opt.runs = 1;
	c->opt.cpu = -1;
	c->role.argc = argc;
	c->role.argv = argv;
	memcpy(longopts, common, sizeof(common));
	for (size_t i = 0; i < n; i++)
		longopts[ARRAY_SIZE(common) + i] = (struct option){ c->opts[i].name,
			c->opts[i].arg ? required_argument : no_argument, NULL, OPT_OWN + (int)i };
	/* A leading ':' in optstring: getopt reports nothing, we do. */
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_OUTPUT:
			c->opt.output = optarg;
			break;
		case OPT_RESULTS_DIR:
			c->opt.results_dir = optarg;
			break;
		case OPT_DEVICE:
			c->opt.device = optarg;
			break;
		case OPT_TIMEOUT:
			if (cli_count("--guest-timeout", optarg, 0, 3600000, &c->opt.guest_timeout_ms))
				return bench_usage_error(c, err_msg());
			break;
		case OPT_RUNS:
		case OPT_RUN_OF: {
			uint64_t k;
			if (cli_count(opt == OPT_RUNS ? "--runs" : "--run-of", optarg, 1, 64, &k))
				return bench_usage_error(c, err_msg());
			*(opt == OPT_RUNS ? &c->opt.runs : &c->role.run_of) = (unsigned)k;
			break;
		}
		case OPT_CPU: {
			uint64_t cpu;
			if (cli_count("--cpu", optarg, 0, CPU_SETSIZE - 1, &cpu))
				return bench_usage_error(c, err_msg());
			c->opt.cpu = (int)cpu;
			break;
		}
		case OPT_APPEND:
			c->opt.append = true;
			break;
		case OPT_QUIET:
			c->opt.quiet = true;
			break;
		case OPT_HELP:
			help(c);
			return 0;
		case ':':
		case '?':
			/* getopt names a known option given a value it does not take
			 * (--quiet=1) in optopt. */
			if (opt == '?' && optopt && strchr(argv[optind - 1], '='))
				snprintf(msg, sizeof(msg), "option '%.*s' takes no value",
					 (int)(strchr(argv[optind - 1], '=') - argv[optind - 1]),
					 argv[optind - 1]);
			else
				snprintf(msg, sizeof(msg), opt == ':' ? "option '%s' is missing its "
					 "argument" : "unknown option '%s'", argv[optind - 1]);
			return bench_usage_error(c, msg);
		default:
			if (parse_own(&c->opts[opt - OPT_OWN], optarg))
				return bench_usage_error(c, err_msg());
		}
	}
	if (optind < argc) {
		snprintf(msg, sizeof(msg), "unexpected argument '%s'", argv[optind]);
		return bench_usage_error(c, msg);
	}
	return -1;
}

int bench_usage_error(const struct bench_common *c, const char *msg)
{
	fprintf(stderr, "%s: %s\nTry '%s --help'.\n", c->prog, msg, c->prog);
	return BENCH_EXIT_USAGE;
}

static int record_options(const struct bench_common *c, struct record *r)
{
	int err = 0;

	for (const struct bench_opt *o = c->opts; o && o->name && !err; o++) {
		char key[64];
		snprintf(key, sizeof(key), "%s", o->name);
		for (char *k = key; *k; k++)
			*k = *k == '-' ? '_' : *k;
		if (o->kind == OPT_COUNT || o->kind == OPT_SIZE)
			err = rec_param_uint(r, key, *o->count);
		else if (o->kind == OPT_FLAG)
			err = rec_param_bool(r, key, *o->flag);
		else
			err = rec_param_text(r, key, o->choices[*o->choice]);
	}
	return err;
}

/* The parameters the options set, into r: what runs must share to be
 * runs of one result (--append). */
int bench_record_invocation(const struct bench_common *c, struct record *r)
{
	return record_options(c, r) ?: rec_param_uint(r, "guest_timeout_ms", c->opt.guest_timeout_ms) ?:
	       (c->opt.cpu >= 0 ? rec_param_uint(r, "cpu", (uint64_t)c->opt.cpu) :
		rec_param_text(r, "cpu", "not pinned"));
}

