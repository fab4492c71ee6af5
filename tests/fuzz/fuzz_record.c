/*
 * Description: fuzz target for the result reader (lib/record.c): any bytes
 * must give either a record or a refusal with a message, never a crash, a
 * hang, a leak or undefined behaviour.  Built with libFuzzer by `make
 * fuzz`; replay.c runs the committed corpus through the same function in
 * every test run (under ASan and UBSan in CI's sanitizer build).
 */
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record r;

	if (rec_decode(&r, data, size) == 0) {
		/* Touch what a reader would: every sample and key. */
		volatile uint64_t sum = 0;
		for (size_t i = 0; i < r.nseries; i++)
			for (size_t k = 0; k < r.series[i].n; k++)
				sum += r.series[i].samples[k];
		(void)sum;
		(void)rec_map_text(&r.machine, "kernel_release");
		rec_free(&r);
	} else if (!err_msg()[0]) {
		__builtin_trap();	/* a refusal must say why */
	}
	return 0;
}
