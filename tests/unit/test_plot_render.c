/* lib/plot: rendering figures through the real gnuplot — bundle contents, ids, exact
   repeatability, size of long traces, and user text that must stay text. */
#include "test.h"

#include <stdlib.h>
#include <unistd.h>

#include "../../lib/plot/figure.h"
#include "tempdir.h"

static nd_bundle *render(const nd_figure *fig)
{
    nd_bundle *b = NULL;
    nd_error err;
    nd_error_clear(&err);
    if (nd_fig_render(fig, &b, &err) != ND_OK)
        nd_test_fail(__FILE__, __LINE__, "render failed: %s", err.msg);
    return b;
}

static nd_figure *two_panels(const char *title)
{
    double t[50], v[50], m[50];
    for (int i = 0; i < 50; i++) {
        t[i] = 0.5 * i;
        v[i] = -65 + (i == 20 ? 105 : 0);
        m[i] = 0.05 + 0.01 * i;
    }
    nd_figure *fig = nd_fig_create(title);
    int p0 = nd_fig_add_panel(fig, "t [ms]", "V [mV]");
    int p1 = nd_fig_add_panel(fig, "t [ms]", "gates");
    nd_fig_add_series(fig, p0, NULL, t, v, 50, (nd_fig_style){0});
    nd_fig_add_series(fig, p1, "m", t, m, 50, (nd_fig_style){0});
    nd_fig_add_series(fig, p1, "h", t, v, 0, (nd_fig_style){.line = ND_FIG_DASHED});
    return fig;
}

TEST(render_bundle_has_all_types)
{
    nd_figure *fig = two_panels("HH");
    nd_bundle *b = render(fig);
    CHECK_INT(nd_bundle_count(b), 4);
    const char *svg = nd_bundle_get(b, "image/svg+xml");
    CHECK(strncmp(svg, "<svg ", 5) == 0);
    CHECK(strstr(svg, "<?xml") == NULL);
    CHECK_CONTAINS(svg, "width=\"720\" height=\"590\"");
    CHECK_CONTAINS(svg, "<title>HH</title>");
    CHECK(strncmp(nd_bundle_get(b, "image/png"), "iVBORw0KGgo", 11) == 0);   /* \x89PNG */
    CHECK_STR(nd_bundle_get(b, "text/plain"),
              "figure: HH (2 panels)\n"
              "panel 1: y V [mV], x t [ms]\n"
              "  series 1: 50 points, x 0..24.5, y -65..40\n"
              "panel 2: y gates, x t [ms]\n"
              "  m: 50 points, x 0..24.5, y 0.05..0.54\n"
              "  h: 0 points");
    CHECK_STR(nd_bundle_get(b, ND_MIME_JSON),
              "{\"type\":\"figure\",\"title\":\"HH\",\"width\":720,\"height\":590,\"panels\":["
              "{\"xlabel\":\"t [ms]\",\"ylabel\":\"V [mV]\",\"series\":[{\"label\":null,\"n\":50,"
              "\"plotted\":50,\"xmin\":0.0,\"xmax\":24.5,\"ymin\":-65.0,\"ymax\":40.0}]},"
              "{\"xlabel\":\"t [ms]\",\"ylabel\":\"gates\",\"series\":[{\"label\":\"m\",\"n\":50,"
              "\"plotted\":50,\"xmin\":0.0,\"xmax\":24.5,\"ymin\":0.050000000000000003,"
              "\"ymax\":0.54000000000000004},"
              "{\"label\":\"h\",\"n\":0,\"plotted\":0,\"xmin\":null,\"xmax\":null,"
              "\"ymin\":null,\"ymax\":null}]}]}");
    nd_bundle_free(b);
    nd_fig_free(fig);
}

/* Every id carries the figure's prefix and every local reference points at one of them. */
TEST(render_ids_are_prefixed)
{
    nd_figure *fig = two_panels("ids");
    double x[3] = {1, 2, 3}, y[3] = {0.1, 0.2, 0.3};
    nd_fig_add_series(fig, 1, "eq", x, y, 3,
                      (nd_fig_style){.line = ND_FIG_NOLINE, .marker = ND_FIG_OPEN_CIRCLE});
    nd_bundle *b = render(fig);
    const char *svg = nd_bundle_get(b, "image/svg+xml");
    const char *g = strstr(svg, "id=\"nd");
    CHECK(g != NULL);
    char prefix[20] = "";
    if (g) memcpy(prefix, g + 4, 19);
    CHECK(prefix[18] == '-');
    int ids = 0, refs = 0;
    for (const char *p = svg; (p = strstr(p, " id=")) != NULL; p += 4) {
        ids++;
        if (strncmp(p + 5, prefix, 19) != 0)
            nd_test_fail(__FILE__, __LINE__, "unprefixed id: %.40s", p);
    }
    static const char *const ref_forms[] = {"href='#", "href=\"#", "url(#"};
    for (size_t f = 0; f < 3; f++) {
        size_t len = strlen(ref_forms[f]);
        for (const char *p = svg; (p = strstr(p, ref_forms[f])) != NULL; p += len) {
            refs++;
            if (strncmp(p + len, prefix, 19) != 0)
                nd_test_fail(__FILE__, __LINE__, "unprefixed reference: %.40s", p);
            /* the referenced id exists */
            char target[80];
            size_t n = strcspn(p + len, "'\")");
            snprintf(target, sizeof target, "id='%.*s'", (int)n, p + len);
            char target2[80];
            snprintf(target2, sizeof target2, "id=\"%.*s\"", (int)n, p + len);
            if (!strstr(svg, target) && !strstr(svg, target2))
                nd_test_fail(__FILE__, __LINE__, "dangling reference %s", target);
        }
    }
    CHECK(ids > 10);
    CHECK(refs > 3);
    nd_bundle_free(b);
    nd_fig_free(fig);
}

TEST(render_is_byte_identical_across_runs)
{
    nd_figure *a = two_panels("same"), *c = two_panels("other");
    nd_bundle *b1 = render(a), *b2 = render(a), *b3 = render(c);
    CHECK_STR(nd_bundle_get(b1, "image/svg+xml"), nd_bundle_get(b2, "image/svg+xml"));
    CHECK_STR(nd_bundle_get(b1, "image/png"), nd_bundle_get(b2, "image/png"));
    CHECK_STR(nd_bundle_get(b1, ND_MIME_JSON), nd_bundle_get(b2, ND_MIME_JSON));
    /* another figure gets other ids, so both can sit on one page */
    const char *s1 = strstr(nd_bundle_get(b1, "image/svg+xml"), "id=\"nd");
    const char *s3 = strstr(nd_bundle_get(b3, "image/svg+xml"), "id=\"nd");
    CHECK(s1 && s3 && strncmp(s1, s3, 23) != 0);
    nd_bundle_free(b1);
    nd_bundle_free(b2);
    nd_bundle_free(b3);
    nd_fig_free(a);
    nd_fig_free(c);
}

/* A 100k-point spiking trace stays far below 200 KB of SVG and keeps its peaks. */
TEST(render_long_trace_is_small)
{
    size_t n = 100000;
    double *t = malloc(n * sizeof *t), *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++) {
        t[i] = 0.002 * (double)i;
        v[i] = -65 + 2 * sin(t[i]) + (i % 7919 == 100 ? 111.25 : 0);
    }
    nd_figure *fig = nd_fig_create("long");
    int p = nd_fig_add_panel(fig, "t [ms]", "V [mV]");
    nd_fig_add_series(fig, p, "V", t, v, n, (nd_fig_style){0});
    nd_bundle *b = render(fig);
    size_t svg = strlen(nd_bundle_get(b, "image/svg+xml"));
    CHECK(svg < 200 * 1024);
    CHECK(strlen(nd_bundle_get(b, "image/png")) < 200 * 1024);
    CHECK_CONTAINS(nd_bundle_get(b, ND_MIME_JSON), "\"n\":100000,\"plotted\":");
    CHECK_CONTAINS(nd_bundle_get(b, "text/plain"), "V: 100000 points, x 0..200, y -67..48.25");
    nd_bundle_free(b);
    nd_fig_free(fig);
    free(t);
    free(v);
}

/* Hostile titles, labels and series names: nothing runs and the text shows as typed. */
TEST(render_escapes_user_text)
{
    char dir[64], marker[128];
    nd_tempdir_make(dir);
    nd_tempdir_path(marker, sizeof marker, dir, "pwned");
    char attack[6][300];
    snprintf(attack[0], sizeof attack[0], "'; system(\"touch %s\"); '", marker);
    snprintf(attack[1], sizeof attack[1], "`touch %s`", marker);
    snprintf(attack[2], sizeof attack[2], "x\nsystem(\"touch %s\")", marker);
    snprintf(attack[3], sizeof attack[3], "\"; system(\"touch %s\"); \"", marker);
    snprintf(attack[4], sizeof attack[4], "I_Na^2 {b} @GPVAL_TERM \\n %s", "'quoted'");
    snprintf(attack[5], sizeof attack[5], "system(\"touch %s\")", marker);
    nd_figure *fig = nd_fig_create(attack[0]);
    int p = nd_fig_add_panel(fig, attack[1], attack[2]);
    double y[3] = {1, 3, 2};
    nd_fig_add_series(fig, p, attack[3], NULL, y, 3, (nd_fig_style){0});
    nd_fig_add_series(fig, p, attack[4], NULL, y, 3, (nd_fig_style){0});
    nd_fig_add_series(fig, p, attack[5], NULL, y, 3, (nd_fig_style){0});
    nd_bundle *b = render(fig);
    CHECK(access(marker, F_OK) != 0);
    const char *svg = b ? nd_bundle_get(b, "image/svg+xml") : "";
    char expect[320];
    snprintf(expect, sizeof expect, "<text>'; system(\"touch %s\"); '</text>", marker);
    CHECK_CONTAINS(svg, expect);
    snprintf(expect, sizeof expect, "<text>`touch %s`</text>", marker);
    CHECK_CONTAINS(svg, expect);
    snprintf(expect, sizeof expect, "<text>x system(\"touch %s\")</text>", marker);
    CHECK_CONTAINS(svg, expect);
    snprintf(expect, sizeof expect, "<text>\"; system(\"touch %s\"); \"</text>", marker);
    CHECK_CONTAINS(svg, expect);
    CHECK_CONTAINS(svg, "<text>I_Na^2 {b} @GPVAL_TERM \\n 'quoted'</text>");
    snprintf(expect, sizeof expect, "<text>system(\"touch %s\")</text>", marker);
    CHECK_CONTAINS(svg, expect);
    nd_bundle_free(b);
    nd_fig_free(fig);
    nd_tempdir_remove(dir);
}

/* Markup and malformed bytes in labels cannot break the SVG document. */
TEST(render_keeps_svg_well_formed)
{
    nd_figure *fig = nd_fig_create("<script>alert(1)</script> & \xff\xfe bad \xed\xa0\x80 utf8");
    int p = nd_fig_add_panel(fig, "µs", "</text></svg>");
    double y[2] = {0, 1};
    nd_fig_add_series(fig, p, NULL, NULL, y, 2, (nd_fig_style){0});
    nd_bundle *b = render(fig);
    const char *svg = b ? nd_bundle_get(b, "image/svg+xml") : "";
    CHECK(strstr(svg, "<script") == NULL);
    CHECK_CONTAINS(svg, "&lt;script>alert(1)&lt;/script> &amp; ?? bad ??? utf8");
    CHECK_CONTAINS(svg, "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; ?? bad ??? utf8</title>");
    CHECK_CONTAINS(svg, "&lt;/text>&lt;/svg>");
    CHECK_CONTAINS(svg, "µs");
    /* The JSON is UTF-8 too: malformed bytes become '?' there as well. */
    CHECK_CONTAINS(b ? nd_bundle_get(b, ND_MIME_JSON) : "",
                   "\"title\":\"<script>alert(1)</script> & ?? bad ??? utf8\"");
    nd_bundle_free(b);
    nd_fig_free(fig);
}

/* Nothing finite to draw, or only points outside the range: gnuplot still gets a valid
   figure (it refuses to autoscale over nothing). */
TEST(render_empty_and_undefined_series)
{
    nd_figure *fig = nd_fig_create(NULL);
    int p0 = nd_fig_add_panel(fig, NULL, NULL);
    int p1 = nd_fig_add_panel(fig, "x", "all NaN");
    int p2 = nd_fig_add_panel(fig, "x", "outside");
    double nan3[3] = {NAN, NAN, INFINITY}, x3[3] = {100, 101, 102}, y3[3] = {1, 2, 3};
    nd_fig_add_series(fig, p1, "nan", NULL, nan3, 3, (nd_fig_style){0});
    nd_fig_add_series(fig, p2, NULL, x3, y3, 3, (nd_fig_style){0});
    nd_fig_set_xrange(fig, 0, 10);
    (void)p0;
    nd_bundle *b = render(fig);
    CHECK(b != NULL);
    CHECK_CONTAINS(b ? nd_bundle_get(b, "text/plain") : "", "figure (3 panels)");
    nd_bundle_free(b);
    nd_fig_free(fig);

    fig = nd_fig_create("constant");
    int p = nd_fig_add_panel(fig, NULL, NULL);
    double one[1] = {5};
    nd_fig_add_series(fig, p, NULL, one, one, 1, (nd_fig_style){.marker = ND_FIG_CIRCLE});
    b = render(fig);
    CHECK(b != NULL);
    nd_bundle_free(b);
    nd_fig_free(fig);
}

TEST(render_options_and_bad_arguments)
{
    nd_figure *fig = nd_fig_create("opts");
    nd_bundle *b = (nd_bundle *)1;
    nd_error err;
    CHECK_INT(nd_fig_render(fig, &b, &err), ND_EVALUE);
    CHECK(b == NULL);
    CHECK_STR(err.msg, "the figure has no panels");
    double y[3] = {1, 2, 3};
    CHECK_INT(nd_fig_add_series(fig, 0, NULL, NULL, y, 3, (nd_fig_style){0}), -1);
    int p = nd_fig_add_panel(fig, "x", "y");
    CHECK_INT(nd_fig_add_series(fig, p, NULL, NULL, y, 3, (nd_fig_style){.color = 99}), 0);
    CHECK_INT(nd_fig_add_series(fig, p, "b", NULL, y, 3,
                                (nd_fig_style){.line = ND_FIG_DOTTED, .marker = ND_FIG_SQUARE,
                                               .color = ND_FIG_GRAY, .width = 3}), 1);
    nd_fig_set_size(fig, 10, 100000);
    nd_fig_set_xrange(fig, -1, 5);
    nd_fig_set_xrange(fig, 5, 5);        /* ignored: empty */
    nd_fig_set_yrange(fig, p, 0, 4);
    nd_fig_set_yrange(fig, 7, 0, 4);     /* ignored: no such panel */
    b = render(fig);
    const char *svg = b ? nd_bundle_get(b, "image/svg+xml") : "";
    CHECK_CONTAINS(svg, "width=\"300\" height=\"4000\"");
    CHECK_CONTAINS(svg, "stroke='rgb(153, 153, 153)'");    /* gray */
    CHECK_CONTAINS(svg, "<text> 5</text>");                 /* the x range's end */
    nd_bundle_free(b);
    nd_fig_free(fig);
}
