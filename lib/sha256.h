/* SHA-256 (FIPS 180-4), for the fingerprints of files a result names: the
 * kernel's config.  Not for secrets. */
#ifndef KVMBENCH_SHA256_H
#define KVMBENCH_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed */
	uint8_t buf[64];
	size_t used;
};

void sha256_init(struct sha256 *s);
void sha256_add(struct sha256 *s, const void *data, size_t size);
/* The digest as 64 lower-case hex digits and a NUL, into hex[65]. */
void sha256_hex(struct sha256 *s, char hex[65]);

#endif
