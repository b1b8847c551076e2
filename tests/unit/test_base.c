/* lib/base: errors, bundles, strings, number formatting, tables, suggestions, escaping. */
#include "test.h"

#include <math.h>
#include <stdlib.h>

#include "../../lib/base/atomicfile.h"
#include "../../lib/base/bundle.h"
#include "../../lib/base/minimize.h"
#include "../../lib/base/range.h"
#include "../../lib/base/reduce.h"
#include "../../lib/base/root.h"
#include "../../lib/base/error.h"
#include "../../lib/base/json.h"
#include "../../lib/base/numfmt.h"
#include "../../lib/base/strbuf.h"
#include "../../lib/base/suggest.h"
#include "../../lib/base/table.h"
#include "../../lib/base/textfmt.h"

TEST(error_set_and_clear)
{
    nd_error e;
    CHECK_INT(nd_error_set(&e, ND_EVALUE, 3, 4, 0, "bad %d", 7), ND_EVALUE);
    CHECK_STR(e.msg, "bad 7");
    CHECK_INT(e.line, 3);
    CHECK_INT(e.col, 4);
    CHECK_INT(e.span, 1);   /* a located error underlines at least one column */
    CHECK_INT(nd_error_fail(&e, ND_EIO, "no file"), ND_EIO);
    CHECK_INT(e.line, 0);
    CHECK_INT(e.col, 0);
    CHECK_INT(nd_error_set(NULL, ND_ENAME, 1, 1, 1, "ignored"), ND_ENAME);
    nd_error_clear(&e);
    CHECK_INT(e.code, ND_OK);
    CHECK_STR(e.msg, "");
}

TEST(error_value_and_traceback_without_location)
{
    nd_error e;
    nd_error_fail(&e, ND_EIO, "cannot open 'x'");
    char *v = nd_error_value(&e, NULL);
    CHECK_STR(v, "cannot open 'x'");
    free(v);
    char *tb = nd_error_traceback(&e, "whatever");
    CHECK_STR(tb, "IOError: cannot open 'x'");
    free(tb);
    nd_error_set(&e, ND_ESOLVER, 2, 0, 0, "blow-up");
    v = nd_error_value(&e, NULL);
    CHECK_STR(v, "blow-up (line 2)");
    free(v);
    tb = nd_error_traceback(&e, "a\nsimulate t=1\n");
    CHECK_STR(tb, "  line 2\n    simulate t=1\nSolverError: blow-up");
    free(tb);
    /* The source may be missing or shorter than the error's line. */
    nd_error_set(&e, ND_ENAME, 5, 2, 3, "gone");
    tb = nd_error_traceback(&e, NULL);
    CHECK_STR(tb, "  line 5, column 2\nNameError: gone");
    free(tb);
    tb = nd_error_traceback(&e, "one line");
    CHECK_STR(tb, "  line 5, column 2\nNameError: gone");
    free(tb);
}

TEST(error_traceback_carets)
{
    nd_error e;
    nd_error_set(&e, ND_ETYPE, 1, 5, 3, "m");
    char *tb = nd_error_traceback(&e, "x = abc + 1\r\n");
    CHECK_STR(tb, "  line 1, column 5\n    x = abc + 1\n        ^^^\nTypeError: m");
    free(tb);
    /* A span running past the line end is cut; a column past it still shows a caret. */
    nd_error_set(&e, ND_ESYNTAX, 1, 3, 40, "m");
    tb = nd_error_traceback(&e, "abcd");
    CHECK_STR(tb, "  line 1, column 3\n    abcd\n      ^^\nSyntaxError: m");
    free(tb);
    nd_error_set(&e, ND_ESYNTAX, 1, 5, 1, "m");
    tb = nd_error_traceback(&e, "abcd");
    CHECK_STR(tb, "  line 1, column 5\n    abcd\n        ^\nSyntaxError: m");
    free(tb);
    /* Multi-byte characters take one column each, in the caret line and in the column. */
    nd_error_set(&e, ND_ESYNTAX, 1, 9, 3, "m");
    tb = nd_error_traceback(&e, "\"\xc2\xb5V\" + \xe2\x88\x92");
    CHECK_STR(tb, "  line 1, column 8\n    \"\xc2\xb5V\" + \xe2\x88\x92\n           ^\nSyntaxError: m");
    free(tb);
}

TEST(bundle_set_get_replace)
{
    nd_bundle *b = nd_bundle_create();
    CHECK_INT(nd_bundle_count(b), 0);
    CHECK(nd_bundle_get(b, "text/plain") == NULL);
    CHECK_INT(nd_bundle_set(b, "text/plain", "one"), 0);
    CHECK_INT(nd_bundle_setf(b, "text/html", "<b>%d</b>", 2), 0);
    CHECK_INT(nd_bundle_set(b, "text/plain", "three"), 0);
    CHECK_INT(nd_bundle_count(b), 2);
    CHECK_STR(nd_bundle_mime(b, 0), "text/plain");
    CHECK_STR(nd_bundle_text(b, 0), "three");
    CHECK_STR(nd_bundle_mime(b, 1), "text/html");
    CHECK_STR(nd_bundle_get(b, "text/html"), "<b>2</b>");
    nd_bundle_free(b);
    nd_bundle_free(NULL);
}

TEST(strbuf_appends)
{
    nd_sb sb;
    nd_sb_init(&sb);
    CHECK_STR(nd_sb_str(&sb), "");
    nd_sb_puts(&sb, "ab");
    nd_sb_putc(&sb, 'c');
    nd_sb_putn(&sb, "defgh", 2);
    nd_sb_printf(&sb, "%d-%s", 42, "x");
    nd_sb_repeat(&sb, '.', 3);
    for (int i = 0; i < 100; i++) nd_sb_puts(&sb, "0123456789");
    CHECK_INT(sb.len, 12 + 1000);
    char *s = nd_sb_take(&sb);
    CHECK(strncmp(s, "abcde42-x...0123", 16) == 0);
    free(s);
    CHECK_INT(sb.len, 0);
    s = nd_sb_take(&sb);
    CHECK_STR(s, "");
    free(s);
}

TEST(numfmt_round_trips)
{
    char buf[ND_NUMFMT_CAP];
    CHECK_STR(nd_numfmt(3, buf), "3");
    CHECK_STR(nd_numfmt(0.1, buf), "0.1");
    CHECK_STR(nd_numfmt(0.1 + 0.2, buf), "0.30000000000000004");
    CHECK_STR(nd_numfmt(1.0 / 3.0, buf), "0.3333333333333333");
    CHECK_STR(nd_numfmt(-65.0, buf), "-65");
    CHECK_STR(nd_numfmt(1e-7, buf), "1e-07");
    CHECK_STR(nd_numfmt(INFINITY, buf), "inf");
    CHECK_STR(nd_numfmt(-INFINITY, buf), "-inf");
    CHECK_STR(nd_numfmt(NAN, buf), "nan");
    CHECK_STR(nd_numfmt(1.7976931348623157e308, buf), "1.7976931348623157e+308");
}

TEST(suggest_closest_names)
{
    CHECK_INT(nd_edit_distance("kitten", "sitting"), 3);
    CHECK_INT(nd_edit_distance("", "abc"), 3);
    CHECK_INT(nd_edit_distance("same", "same"), 0);
    nd_suggest s;
    nd_suggest_init(&s, "simulte");
    nd_suggest_offer(&s, "simulate");
    nd_suggest_offer(&s, "sleep");
    CHECK_STR(nd_suggest_best(&s), "simulate");
    nd_suggest_init(&s, "xyz");
    nd_suggest_offer(&s, "sleep");
    CHECK(nd_suggest_best(&s) == NULL);
    /* digits are never typos: t0 (the start) is not suggested for to (the end) nor for t1,
       but for T0 or t_0 it is */
    static const char *const ramp[] = {"t0", "t1", "to", "from", "a0", "a1"};
    nd_suggest_init(&s, "t2");
    for (size_t i = 0; i < 6; i++) nd_suggest_offer(&s, ramp[i]);
    CHECK(nd_suggest_best(&s) == NULL);
    nd_suggest_init(&s, "tO");
    nd_suggest_offer(&s, "t0");
    CHECK(nd_suggest_best(&s) == NULL);
    nd_suggest_init(&s, "T0");
    for (size_t i = 0; i < 6; i++) nd_suggest_offer(&s, ramp[i]);
    CHECK_STR(nd_suggest_best(&s), "t0");
    nd_suggest_init(&s, "t_0");
    for (size_t i = 0; i < 6; i++) nd_suggest_offer(&s, ramp[i]);
    CHECK_STR(nd_suggest_best(&s), "t0");
    nd_suggest_init(&s, "a_1");
    for (size_t i = 0; i < 6; i++) nd_suggest_offer(&s, ramp[i]);
    CHECK_STR(nd_suggest_best(&s), "a1");
    nd_suggest_init(&s, "a");   /* a one-letter word is never "close" to another */
    nd_suggest_offer(&s, "a");
    nd_suggest_offer(&s, "bc");
    CHECK(nd_suggest_best(&s) == NULL);
}

TEST(table_text_and_html)
{
    const char *headers[] = {"name", "value"};
    nd_table *t = nd_table_create(2, headers);
    const char *r1[] = {"gNa", "120"};
    const char *r2[] = {"\xc2\xb5", "<1 & \"2\">"};
    const char *r3[] = {NULL, "x"};
    nd_table_add_row(t, r1);
    nd_table_add_row(t, r2);
    nd_table_add_row(t, r3);
    CHECK_INT(nd_table_rows(t), 3);
    nd_sb sb;
    nd_sb_init(&sb);
    nd_table_text(t, &sb);
    CHECK_STR(nd_sb_str(&sb), "name  value\n----  ---------\ngNa   120\n\xc2\xb5     <1 & \"2\">\n      x");
    nd_sb_free(&sb);
    nd_table_html(t, &sb);
    CHECK_CONTAINS(nd_sb_str(&sb), "<th style=\"text-align:left\">name</th>");
    CHECK_CONTAINS(nd_sb_str(&sb), "<td style=\"text-align:left\">&lt;1 &amp; &quot;2&quot;&gt;</td>");
    nd_sb_free(&sb);
    nd_table_free(t);
}

TEST(text_escaping)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_html_escape(&sb, "<a href='x'>&</a>");
    CHECK_STR(nd_sb_str(&sb), "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
    nd_sb_free(&sb);
    nd_json_string(&sb, "q\"b\\n\n\t\x01");
    CHECK_STR(nd_sb_str(&sb), "\"q\\\"b\\\\n\\n\\t\\u0001\"");
    nd_sb_free(&sb);
    CHECK_INT(nd_utf8_width("a\xc2\xb5\xe2\x88\x92"), 3);
}

/* Unicode 15, table 3-7: the well-formed sequences; a buffer's end cuts one short. */
TEST(utf8_sequences_per_the_unicode_table)
{
    CHECK_INT(nd_utf8_seq_len("\xe2\x88\x92"), 3);            /* U+2212 */
    CHECK_INT(nd_utf8_seq_len_n("\xe2\x88\x92", 3), 3);
    CHECK_INT(nd_utf8_seq_len_n("\xe2\x88\x92", 2), 0);       /* cut by the buffer */
    CHECK_INT(nd_utf8_seq_len("\xc0\x80"), 0);                 /* overlong NUL */
    CHECK_INT(nd_utf8_seq_len("\xe0\x9f\xbf"), 0);             /* overlong U+07FF */
    CHECK_INT(nd_utf8_seq_len("\xed\xa0\x80"), 0);             /* surrogate U+D800 */
    CHECK_INT(nd_utf8_seq_len("\xf4\x8f\xbf\xbf"), 4);        /* U+10FFFF */
    CHECK_INT(nd_utf8_seq_len("\xf4\x90\x80\x80"), 0);        /* above U+10FFFF */
    CHECK_INT(nd_utf8_seq_len("\xe2\x88"), 0);                 /* the NUL ends it */
    CHECK_INT(nd_utf8_seq_len("x"), 1);
}

TEST(error_column_counts_characters_of_the_source)
{
    /* "ä" and "ö" are two bytes each: byte column 13 is character column 11. */
    const char *src = "x = 1\nlet s = \"äö\" + y";
    nd_error e;
    nd_error_set(&e, ND_ENAME, 2, 17, 1, "unknown name 'y'");
    char *v = nd_error_value(&e, src);
    CHECK_STR(v, "unknown name 'y' (line 2, column 15)");
    free(v);
    v = nd_error_value(&e, NULL);
    CHECK_STR(v, "unknown name 'y' (line 2, column 17)");
    free(v);
    char *tb = nd_error_traceback(&e, src);
    CHECK_CONTAINS(tb, "line 2, column 15\n");
    CHECK_CONTAINS(tb, "\n                  ^\n");
    free(tb);
}

static int root_calls;

static double cube_minus_two(void *ctx, double s)
{
    (void)ctx;
    root_calls++;
    return s * s * s - 2;
}

static double nan_past_one(void *ctx, double s)
{
    (void)ctx;
    return s > 1 ? NAN : s - 5;
}

TEST(root_illinois_finds_the_sign_change)
{
    double s;
    root_calls = 0;
    CHECK_INT(nd_root_illinois(cube_minus_two, NULL, 0, -2, 2, 6, 1e-13, 100, &s), 0);
    CHECK_NEAR(s, cbrt(2), 1e-12);
    CHECK(root_calls < 20);          /* superlinear, unlike bisection's ~44 */
    /* a bracket given from the positive end works the same */
    CHECK_INT(nd_root_illinois(cube_minus_two, NULL, 2, 6, 0, -2, 1e-13, 100, &s), 0);
    CHECK_NEAR(s, cbrt(2), 1e-12);
    CHECK_INT(nd_root_illinois(nan_past_one, NULL, 0, -5, 10, 5, 1e-9, 100, &s), -1);
}

static int min_calls;

/* A skewed well with its minimum 0 at 1.3 (0, not 1: a minimum value of 1 would hide
   differences below 1e-16 of it, and with them the minimum's place below ~1e-8). */
static double well_at_1_3(void *ctx, double x)
{
    (void)ctx;
    min_calls++;
    return (x - 1.3) * (x - 1.3) * (1 + 0.3 * (x - 1.3));
}

static double kink_at_0_7(void *ctx, double x)
{
    (void)ctx;
    return fabs(x - 0.7);
}

TEST(min_brent_finds_the_minimum)
{
    double fx, x;
    min_calls = 0;
    x = nd_min_brent(well_at_1_3, NULL, 0, 3, 0.5, well_at_1_3(NULL, 0.5), 1e-9, 100, &fx);
    CHECK_NEAR(x, 1.3, 1e-8);
    CHECK_NEAR(fx, 0, 1e-16);
    CHECK(min_calls < 25);           /* parabolic steps: golden sections alone take ~42 */
    /* no parabola fits a kink: golden sections still close in on it */
    x = nd_min_brent(kink_at_0_7, NULL, -1, 2, 1.5, 0.8, 1e-9, 200, &fx);
    CHECK_NEAR(x, 0.7, 1e-8);
    /* maxit bounds the work, and the start is returned when it is never improved on */
    x = nd_min_brent(kink_at_0_7, NULL, -1, 2, 0.7, 0, 1e-9, 0, &fx);
    CHECK(x == 0.7 && fx == 0);
}

TEST(range_skips_gaps_and_keeps_the_first_of_equal_extremes)
{
    double lo, hi;
    /* blocks of four with gaps inside, and a tail */
    double x[11] = {NAN, 3, -2, 0.5, 7, 7, INFINITY, -2, 1, -INFINITY, 6};
    CHECK_INT(nd_finite_range(x, 11, &lo, &hi), 8);
    CHECK(lo == -2 && hi == 7);
    double z[6] = {0.0, -0.0, -0.0, 0.0, -0.0, 0.0};
    CHECK_INT(nd_finite_range(z, 6, &lo, &hi), 6);
    CHECK(lo == 0 && !signbit(lo) && hi == 0 && !signbit(hi));
    CHECK_INT(nd_finite_range(z + 1, 5, &lo, &hi), 5);
    CHECK(signbit(lo) && signbit(hi));
    double gaps[5] = {NAN, INFINITY, NAN, NAN, -INFINITY};
    CHECK_INT(nd_finite_range(gaps, 5, &lo, &hi), 0);
    CHECK(isnan(lo) && isnan(hi));
    CHECK_INT(nd_finite_range(x, 0, &lo, &hi), 0);
    /* a gap at every position, inside the blocks and in the tail */
    double y[19];
    for (int k = 0; k < 19; k++) y[k] = k * 1e300;
    CHECK_INT(nd_all_finite(y, 19), 1);
    CHECK_INT(nd_all_finite(y, 0), 1);
    for (int k = 0; k < 19; k++) {
        y[k] = k % 3 == 0 ? NAN : k % 3 == 1 ? -INFINITY : INFINITY;
        CHECK_INT(nd_all_finite(y, 19), 0);
        CHECK_INT(nd_all_finite(y, (size_t)k), 1);
        y[k] = k * 1e300;
    }
}

TEST(json_builders_write_compact_ordered_text)
{
    json_t *o = json_object();
    double xs[3] = {1.5, NAN, -INFINITY};
    int rc = nd_json_put(o, "type", json_string("x")) | nd_json_put(o, "v", nd_json_reals(xs, 3)) |
             nd_json_put(o, "n", json_integer(3)) | nd_json_put(o, "third", nd_json_real(0.1));
    CHECK_INT(rc, 0);
    CHECK_INT(nd_json_put(o, "bad", NULL), -1);
    char *s = nd_json_dump(o);
    /* 0.1 with 17 digits reads back to the same double */
    CHECK_STR(s, "{\"type\":\"x\",\"v\":[1.5,\"nan\",\"-inf\"],\"n\":3,\"third\":0.10000000000000001}");
    free(s);
    CHECK(nd_json_dump(NULL) == NULL);
}

/* Sums, means and sample standard deviations of short runs worked by hand; the two-pass
   std keeps its digits where Σx² − n·mean² would lose them all (1e9 + {1, 2, 3}: std 1). */
TEST(reduce_numbers_by_hand)
{
    const double x[] = {1, 2, 4}, big[] = {1e9 + 1, 1e9 + 2, 1e9 + 3}, gap[] = {3, NAN, 1};
    CHECK_NEAR(nd_reduce_numbers(ND_REDUCE_SUM, x, 3), 7, 0);
    CHECK_NEAR(nd_reduce_numbers(ND_REDUCE_SUM, x, 0), 0, 0);
    CHECK_NEAR(nd_reduce_numbers(ND_REDUCE_MEAN, x, 3), 7.0 / 3, 1e-15);
    CHECK_NEAR(nd_reduce_numbers(ND_REDUCE_STD, x, 3), sqrt(7.0 / 3), 1e-15);  /* (16+1+25)/9/2 */
    CHECK_NEAR(nd_reduce_numbers(ND_REDUCE_STD, big, 3), 1, 0);
    CHECK_NEAR(nd_reduce_numbers(ND_REDUCE_MIN, x, 3), 1, 0);
    CHECK_NEAR(nd_reduce_numbers(ND_REDUCE_MAX, x, 3), 4, 0);
    CHECK(isnan(nd_reduce_numbers(ND_REDUCE_MIN, gap, 3)));
    CHECK(isnan(nd_reduce_numbers(ND_REDUCE_STD, x, 1)));
    CHECK(isnan(nd_reduce_numbers(ND_REDUCE_MEAN, x, 0)));
    CHECK_INT(nd_reduce_min_count(ND_REDUCE_STD), 2);
}

/* Only plain files (or none yet) are read or replaced: a directory or a device is not. */
TEST(file_check_regular_refuses_directories_and_devices)
{
    nd_error err;
    CHECK_INT(nd_file_check_regular("/nonexistent/neurodyn-test", "read", &err), ND_OK);
    CHECK_INT(nd_file_check_regular("/dev/null", "write", &err), ND_EIO);
    CHECK_STR(err.msg, "cannot write '/dev/null': it is a device or pipe, not a regular file");
    CHECK_INT(nd_file_check_regular("/", "read", &err), ND_EIO);
    CHECK_STR(err.msg, "cannot read '/': it is a directory, not a regular file");
    CHECK_INT(nd_file_check_regular("/etc/passwd", "read", &err), ND_OK);
}
