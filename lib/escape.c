#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"

enum context { CTX_TERMINAL, CTX_MARKDOWN, CTX_GNUPLOT };

/* The length of the valid UTF-8 sequence at p (RFC 3629: shortest form, no
 * surrogates, at most U+10FFFF) and its code point; 0 if it is not one. */
static size_t utf8_decode(const unsigned char *p, uint32_t *cp)
{
	unsigned char c = p[0];
	size_t len;
	uint32_t min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, min = 0x80, *cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, min = 0x800, *cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, min = 0x10000, *cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;	/* also stops at the NUL */
		*cp = *cp << 6 | (p[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

/* Controls, and the characters that reorder or break a line as shown. */
static bool hidden(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* The escape of one ASCII character in ctx, or NULL to copy it. */
static const char *special(unsigned char c, enum context ctx)
{
	switch (ctx) {
	case CTX_TERMINAL:
		return c == '\\' ? "\\\\" : NULL;
	case CTX_MARKDOWN:
		switch (c) {
		case '\\': return "\\\\";
		case '|': return "\\|";
		case '<': return "&lt;";
		case '>': return "&gt;";
		case '&': return "&amp;";
		case '`': return "\\`";
		case '*': return "\\*";
		case '_': return "\\_";
		case '[': return "\\[";
		case ']': return "\\]";
		case '~': return "\\~";
		case '$': return "\\$";
		}
		return NULL;
	case CTX_GNUPLOT:
		return c == '\'' ? "''" : NULL;
	}
	return NULL;
}

static char *escape(const char *in, char *out, size_t size, enum context ctx)
{
	static const char cut[] = "...";
	const char *quote = ctx == CTX_GNUPLOT ? "'" : "";
	/* Room kept for the cut mark, the closing quote and the NUL. */
	size_t room = size - sizeof(cut) - strlen(quote), len = 0;
	const unsigned char *p = (const unsigned char *)in;

	len = (size_t)snprintf(out, size, "%s", quote);
	while (*p) {
		char buf[32];
		const char *piece = buf;
		uint32_t cp;
		size_t n = utf8_decode(p, &cp);

		if (n == 1 && (piece = special(*p, ctx)) != NULL) {
			;
		} else if (n && !hidden(cp)) {
			memcpy(buf, p, n);
			buf[n] = 0;
			piece = buf;
		} else if (n == 1 && (cp == '\n' || cp == '\r' || cp == '\t')) {
			snprintf(buf, sizeof(buf), "\\%c", cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't');
			piece = buf;
		} else {
			/* One \xNN per byte: a hidden character, or one byte that
			 * is not UTF-8 (the next byte starts afresh). */
			n = n ? n : 1;
			for (size_t i = 0; i < n; i++)
				snprintf(buf + 4 * i, sizeof(buf) - 4 * i, "\\x%02x", p[i]);
			piece = buf;
		}
		size_t plen = strlen(piece);
		if (len + plen > room) {
			len += (size_t)snprintf(out + len, size - len, "%s", cut);
			break;
		}
		memcpy(out + len, piece, plen);
		len += plen;
		p += n;
	}
	snprintf(out + len, size - len, "%s", quote);
	return out;
}

char *esc_terminal(const char *in, char *out, size_t size)
{
	return escape(in, out, size, CTX_TERMINAL);
}

char *esc_markdown(const char *in, char *out, size_t size)
{
	return escape(in, out, size, CTX_MARKDOWN);
}

char *esc_gnuplot(const char *in, char *out, size_t size)
{
	return escape(in, out, size, CTX_GNUPLOT);
}

char *esc_filename(const char *in, char *out, size_t size)
{
	size_t len = 0;

	for (const char *p = in; *p && len + 1 < size; p++) {
		char c = *p;
		bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '_' || ((c == '.' || c == '-') && len);
		out[len++] = safe ? c : '_';
	}
	if (!len && size > 1)
		out[len++] = '_';
	out[len] = 0;
	return out;
}
