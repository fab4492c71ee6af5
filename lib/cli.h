/* What every benchmark's command line shares: numbers and result paths. */
#ifndef KVMBENCH_CLI_H
#define KVMBENCH_CLI_H

#include <stddef.h>
#include <stdint.h>

/* A decimal count in [min, max] for option (named in the message). */
int cli_count(const char *option, const char *arg, uint64_t min, uint64_t max,
	      uint64_t *out);

/* A size in bytes in [min, max]: a whole number, optionally followed by K,
 * M or G (binary: 64K is 65536). */
int cli_size(const char *option, const char *arg, uint64_t min, uint64_t max,
	     uint64_t *out);

/*
 * Where a benchmark's result goes: output if given; else
 * results_dir/<bench>.cbor if results_dir is given; else
 * results/<hostname>-<kernel release>/<bench>.cbor under the current
 * directory.  Directories of the last two are created; in every case the
 * directory must end up existing and writable, so a bad path is refused
 * before anything is measured.
 */
int cli_output_path(char *buf, size_t size, const char *bench, const char *output,
		    const char *results_dir);

#endif
