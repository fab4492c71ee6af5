/*
 * kvmbench-report: reads result files and tells what they hold.
 *
 *   kvmbench-report PATH...               a Markdown table, a row per series
 *   kvmbench-report --data DIR PATH...    also plain data files for gnuplot
 *   kvmbench-report --compare A B         run B against run A, series by series
 *   kvmbench-report --gather DIR...       several machines' results by CPU model
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
	       "       %s --compare [--noise FILE] A B [C...]\n"
	       "       %s --noise-out FILE PATH...\n"
	       "       %s --gather DIR...\n"
	       "Read kvmbench result files (or directories of them) and report.\n\n"
	       "  --data DIR          also write plain data files for gnuplot into DIR\n"
	       "  --compare A B...    every run against A (2 to 8 runs), series by series,\n"
	       "                      the run as the unit: ratio of the run medians with a\n"
	       "                      95%% interval, t-test p, a verdict, the machines\n"
	       "  --noise FILE        with --compare: a noise floor measured by --noise-out\n"
	       "  --noise-out FILE    the between-run spread of every series over the runs\n"
	       "                      of PATH... (one build, one machine), what K runs can\n"
	       "                      detect with it; saved to FILE for --compare --noise\n"
	       "  --gather DIR...     result directories of several machines (one each),\n"
	       "                      grouped by CPU model: per series the median of the\n"
	       "                      machines' run medians, the spread between machines\n"
	       "                      against that within one, and where machines of one\n"
	       "                      model disagree beyond their own noise\n"
	       "  --help              print this help\n", report_prog, report_prog, report_prog,
	       report_prog);
}

static int usage(const char *msg)
{
	fprintf(stderr, "%s: %s\nTry '%s --help'.\n", report_prog, msg, report_prog);
	return REPORT_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "compare", no_argument, NULL, 'c' },
		{ "noise", required_argument, NULL, 'n' },
		{ "noise-out", required_argument, NULL, 'o' },
		{ "gather", no_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *data = NULL, *noise = NULL, *noise_out = NULL;
	bool cmp = false, gather = false;
	struct results rs = { 0 };
	int opt, err = 0;
	char msg[256];

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
		case 'g':
			gather = true;
			break;
		case 'n':
			noise = optarg;
			break;
		case 'o':
			noise_out = optarg;
			break;
		case 'h':
			help();
			return 0;
		default:
			snprintf(msg, sizeof(msg), "%s '%s'", opt == ':' ? "missing the argument of" :
				 "unknown option", argv[optind - 1]);
			return usage(msg);
		}
	}
	size_t npaths = (size_t)(argc - optind);
	if (gather) {
		if (!npaths || cmp || data || noise || noise_out)
			return usage("--gather takes result directories, and no other option");
		return report_gather(argv + optind, npaths);
	}
	if (cmp) {
		if (npaths < 2 || npaths > 8 || data || noise_out)
			return usage("--compare takes two to eight runs, A B [C...]");
		return report_compare(argv + optind, npaths, noise);
	}
	if (noise)
		return usage("--noise FILE goes with --compare (--noise-out FILE measures it)");
	if (!npaths)
		return usage("no result file or directory given");
	if (noise_out)
		return data ? usage("--noise-out and --data: one at a time") :
		       report_noise(argv + optind, npaths, noise_out);
	for (int i = optind; i < argc && !err; i++)
		err = report_load(&rs, argv[i]);
	if (!err) {
		report_table(&rs);
		if (data)
			err = report_data(data, &rs, argv + optind, argc - optind) ?:
			      charts_write(data, &rs);
	}
	report_free(&rs);
	return err;
}
