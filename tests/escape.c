/* Description: each escaping function on hostile text: controls, ANSI
 * sequences, C1 and bidi controls and bytes that are not UTF-8 become
 * visible escapes; Markdown cells cannot add a column, HTML or emphasis;
 * a gnuplot literal cannot end its string or its line; file names keep
 * only [A-Za-z0-9._-]; a cut never splits a character or an escape; plain
 * text, UTF-8 included, passes unchanged. */
#include <string.h>

#include "escape.h"
#include "helpers.h"

typedef char *(*escaper)(const char *, char *, size_t);

static void expect(escaper f, const char *name, const char *in, const char *want)
{
	char out[256];

	f(in, out, sizeof(out));
	T_CHECK(!strcmp(out, want), "%s(\"%s\"): got [%s], want [%s]", name, in, out, want);
}

#define EXPECT(f, in, want) expect(f, #f, in, want)

int main(void)
{
	char out[64];

	/* Plain text, and UTF-8 that is neither a control nor invisible. */
	EXPECT(esc_terminal, "vm-6.18.44, kvm_pvm (nested)", "vm-6.18.44, kvm_pvm (nested)");
	EXPECT(esc_terminal, "Gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x90\xa7",
	       "Gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x90\xa7");
	EXPECT(esc_terminal, "", "");

	/* Terminal: controls, ESC sequences, C1 CSI, bidi, broken UTF-8. */
	EXPECT(esc_terminal, "a\nb\rc\td", "a\\nb\\rc\\td");
	EXPECT(esc_terminal, "\x1b[31mred\x1b[0m\a\x7f", "\\x1b[31mred\\x1b[0m\\x07\\x7f");
	EXPECT(esc_terminal, "csi\xc2\x9b" "2J", "csi\\xc2\\x9b2J");
	EXPECT(esc_terminal, "abc\xe2\x80\xae" "fed", "abc\\xe2\\x80\\xaefed");
	EXPECT(esc_terminal, "line\xe2\x80\xa8sep", "line\\xe2\\x80\\xa8sep");
	EXPECT(esc_terminal, "bad\xff\xc3(\xed\xa0\x80\xc0\xaf", "bad\\xff\\xc3(\\xed\\xa0\\x80\\xc0\\xaf");
	EXPECT(esc_terminal, "cut\xe2\x82", "cut\\xe2\\x82");
	EXPECT(esc_terminal, "back\\slash \\n", "back\\\\slash \\\\n");
	/* Quotes and shell syntax are text on a terminal. */
	EXPECT(esc_terminal, "`id` $(id) 'x' \"y\" ;!", "`id` $(id) 'x' \"y\" ;!");

	/* Markdown: no column, no HTML, no emphasis, code, link or math. */
	EXPECT(esc_markdown, "a|b", "a\\|b");
	EXPECT(esc_markdown, "<script>&amp;", "&lt;script&gt;&amp;amp;");
	EXPECT(esc_markdown, "*b* _i_ `c` [l](x) ~~s~~ $m$",
	       "\\*b\\* \\_i\\_ \\`c\\` \\[l\\](x) \\~\\~s\\~\\~ \\$m\\$");
	EXPECT(esc_markdown, "row\n| x | y |", "row\\n\\| x \\| y \\|");
	EXPECT(esc_markdown, "\x1b]8;;http://x\x1b\\", "\\x1b\\]8;;http://x\\x1b\\\\");
	EXPECT(esc_markdown, "kvm_pvm", "kvm\\_pvm");

	/* gnuplot: one single-quoted literal, whatever the input. */
	EXPECT(esc_gnuplot, "plain", "'plain'");
	EXPECT(esc_gnuplot, "", "''");
	EXPECT(esc_gnuplot, "it's", "'it''s'");
	EXPECT(esc_gnuplot, "'; system('id'); x='", "'''; system(''id''); x='''");
	EXPECT(esc_gnuplot, "x\n!id\nset output 'y'", "'x\\n!id\\nset output ''y'''");
	EXPECT(esc_gnuplot, "`id` $(id) @macro \"dq\"", "'`id` $(id) @macro \"dq\"'");
	EXPECT(esc_gnuplot, "trailing\\", "'trailing\\'");

	/* File names. */
	EXPECT(esc_filename, "create-run-close", "create-run-close");
	EXPECT(esc_filename, "reset=dirty ring/..", "reset_dirty_ring_..");
	EXPECT(esc_filename, "..", "_.");
	EXPECT(esc_filename, ".hidden", "_hidden");
	EXPECT(esc_filename, "-rf x", "_rf_x");
	EXPECT(esc_filename, "", "_");
	EXPECT(esc_filename, "a'b\"c`d$e\nf;g", "a_b_c_d_e_f_g");
	EXPECT(esc_filename, "\xc3\xbc", "__");

	/* Cuts: marked, never inside an escape or a character, never over. */
	memset(out, 'z', sizeof(out));
	esc_terminal("\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n", out, 16);
	T_CHECK(!strcmp(out, "\\n\\n\\n\\n\\n\\n..."), "cut terminal: [%s]", out);
	T_CHECK(out[16] == 'z', "wrote past the end");
	esc_gnuplot("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", out, 12);
	T_CHECK(!strcmp(out, "'aaaaaa...'"), "cut gnuplot: [%s]", out);
	esc_terminal("\xf0\x9f\x90\xa7\xf0\x9f\x90\xa7\xf0\x9f\x90\xa7", out, 13);
	T_CHECK(!strcmp(out, "\xf0\x9f\x90\xa7\xf0\x9f\x90\xa7..."), "cut UTF-8: [%s]", out);
	esc_filename("abcdefghijkl", out, 5);
	T_CHECK(!strcmp(out, "abcd"), "cut file name: [%s]", out);
	return T_EXIT_PASS;
}
