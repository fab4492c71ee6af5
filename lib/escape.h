/*
 * Text from a result file, a file name or a directory name is untrusted:
 * a colleague's run, or a hostname with a backtick in it.  It never becomes
 * code.  Where it must be shown, it is escaped for the exact context it
 * lands in, by one function per context, and nothing else writes such text
 * into that context.
 *
 * Every function writes a NUL-ended string of at most size bytes (size >= 8)
 * into out and returns out.  What does not fit is cut between two whole
 * characters or escapes and marked with "...", so a cut never leaves half
 * an escape behind.
 *
 * Characters escaped everywhere (shown as \n, \r, \t or \xNN, one \xNN per
 * byte): C0 controls and DEL, C1 controls (U+0080-U+009F, whose CSI starts
 * terminal escape sequences just as ESC does), the Unicode controls that
 * reorder or break lines as displayed (U+061C, U+200E-U+200F,
 * U+2028-U+202E, U+2066-U+2069), and bytes that are not UTF-8.
 */
#ifndef KVMBENCH_ESCAPE_H
#define KVMBENCH_ESCAPE_H

#include <stddef.h>

/* For a terminal or a log line: the escapes above, and "\\" for "\", so
 * that every escape reads back unambiguously. */
char *esc_terminal(const char *in, char *out, size_t size);
/* esc_terminal into a buffer of its own that lasts to the end of the
 * enclosing block: for the arguments of a message. */
#define ESC_SHOWN(text) esc_terminal((text), (char[256]){ 0 }, 256)

/* For a cell of a Markdown (GitHub) table: esc_terminal, and also "\|" for
 * "|", so that no cell adds a column; "&lt;", "&gt;", "&amp;" for "<", ">",
 * "&", so that no cell adds HTML; and a backslash before each of
 * ` * _ [ ] ~ $, so that no cell adds emphasis, code, links or math. */
char *esc_markdown(const char *in, char *out, size_t size);

/* A gnuplot string literal, quotes included: single-quoted, in which
 * gnuplot expands neither backquotes nor macros nor backslash escapes, with
 * "''" for "'" and the escapes above, so that no newline ends the command.
 * A backslash stays one backslash: it is shown, never interpreted. */
char *esc_gnuplot(const char *in, char *out, size_t size);

/* A file name: every byte outside [A-Za-z0-9._-] becomes "_", and so does
 * a leading "." or "-" (no hidden file, no "." or "..", no name a command
 * takes for an option); never empty, at most size - 1 bytes (cut, without
 * "..."). */
char *esc_filename(const char *in, char *out, size_t size);

#endif
