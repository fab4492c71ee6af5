/*
 * kvmbench-report: reads result files and tells what they hold.
 *
 *   kvmbench-report PATH...               a Markdown table, a row per series
 *   kvmbench-report --data DIR PATH...    also plain data files for gnuplot
 *   kvmbench-report --compare A B         run B against run A, series by series
 *
 * A PATH is a result file or a directory of them (*.cbor).  Every file is
 * read in full and validated by lib/record.c; one bad file stops the report
 * with a message, so a table or chart never silently lacks a part.
 * Incomplete runs are shown and flagged, published reference figures
 * (results/seed-2021) are labelled as such; neither is mixed with measured
 * complete runs.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>

#include "report.h"

static void help(void)
{
	printf("Usage: %s [--data DIR] PATH...\n"
	       "       %s --compare A B\n"
	       "Read kvmbench result files (or directories of them) and report.\n\n"
	       "  --data DIR          also write plain data files for gnuplot into DIR\n"
	       "  --compare A B       compare run B against run A, series by series: medians,\n"
	       "                      ratio with a 95%% interval, Mann-Whitney p, machines\n"
	       "  --help              print this help\n", report_prog, report_prog);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "compare", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *data = NULL;
	bool cmp = false;
	struct results rs = { 0 };
	int opt, err = 0;

	/* A reader that stops reading (| head) must not cost the data files. */
	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			data = optarg;
			break;
		case 'c':
			cmp = true;
			break;
		case 'h':
			help();
			return 0;
		default:
			fprintf(stderr, "%s: %s '%s'\nTry '%s --help'.\n", report_prog, opt == ':' ?
				"missing the argument of" : "unknown option", argv[optind - 1], report_prog);
			return REPORT_EXIT_USAGE;
		}
	}
	if (cmp) {
		if (argc - optind != 2 || data) {
			fprintf(stderr, "%s: --compare takes two runs, A and B\nTry '%s --help'.\n",
				report_prog, report_prog);
			return REPORT_EXIT_USAGE;
		}
		return report_compare(argv[optind], argv[optind + 1]);
	}
	if (optind == argc) {
		fprintf(stderr, "%s: no result file or directory given\nTry '%s --help'.\n",
			report_prog, report_prog);
		return REPORT_EXIT_USAGE;
	}
	for (int i = optind; i < argc && !err; i++)
		err = report_load(&rs, argv[i]);
	if (!err) {
		report_table(&rs);
		if (data)
			err = report_data(data, &rs, argv + optind, argc - optind);
	}
	report_free(&rs);
	return err;
}
