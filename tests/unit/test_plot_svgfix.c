/* lib/plot: making gnuplot's SVG embeddable (declarations gone, ids prefixed). */
#include "test.h"

#include <stdlib.h>

#include "../../lib/plot/svgfix.h"

TEST(svgfix_strips_declarations_and_prefixes_ids)
{
    const char *in =
        "<?xml version=\"1.0\" encoding=\"utf-8\"  standalone=\"no\"?>\n"
        "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\" [ <!ENTITY a \"b>\"> ]>\n"
        "<svg width=\"600\" height=\"400\">\n"
        "<title>Gnuplot</title>\n"
        "<!-- id=\"inside-comment\" -->\n"
        "<defs><circle id='gpDot' r='0.5'/><use xlink:href='#gpDot' id = \"gpPt6\"/></defs>\n"
        "<g id=\"gnuplot_canvas\" filter=\"url(#textbox)\" style='fill: url(\"#grad\")'>\n"
        "<use href=\"#gpPt6\"/><a href=\"https://example.org/#frag\">x</a>\n"
        "<text>url(#keep) id=\"keep\" &lt;g id='no'></text>\n"
        "</g></svg>\n";
    char *out = nd_fig_svg_fix(in, "ndX-", "V & I <1>");
    CHECK(out != NULL);
    CHECK(strncmp(out, "<svg ", 5) == 0);
    CHECK(strstr(out, "<?xml") == NULL);
    CHECK(strstr(out, "DOCTYPE") == NULL);
    CHECK_CONTAINS(out, "<title>V &amp; I &lt;1&gt;</title>");
    CHECK_CONTAINS(out, "<!-- id=\"inside-comment\" -->");
    CHECK_CONTAINS(out, "<circle id='ndX-gpDot' r='0.5'/>");
    CHECK_CONTAINS(out, "<use xlink:href='#ndX-gpDot' id = \"ndX-gpPt6\"/>");
    CHECK_CONTAINS(out, "<g id=\"ndX-gnuplot_canvas\" filter=\"url(#ndX-textbox)\" "
                        "style='fill: url(\"#ndX-grad\")'>");
    CHECK_CONTAINS(out, "<use href=\"#ndX-gpPt6\"/>");
    CHECK_CONTAINS(out, "href=\"https://example.org/#frag\"");
    CHECK_CONTAINS(out, "<text>url(#keep) id=\"keep\" &lt;g id='no'></text>");
    free(out);
}

TEST(svgfix_survives_truncated_input)
{
    const char *cases[] = {"<svg id=\"a", "<svg id=", "<?xml", "<!DOCTYPE [", "<!-- x", "<",
                           "<g a b='1' / >", ""};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *out = nd_fig_svg_fix(cases[i], "p-", NULL);
        CHECK(out != NULL);
        free(out);
    }
    char *out = nd_fig_svg_fix("<svg id=\"a", "p-", NULL);
    CHECK_STR(out, "<svg id=\"p-a");
    free(out);
}

TEST(svgfix_prefix_is_a_stable_hash)
{
    char a[20], b[20], c[20];
    nd_fig_id_prefix("plot sin(x)", a);
    nd_fig_id_prefix("plot sin(x)", b);
    nd_fig_id_prefix("plot cos(x)", c);
    CHECK_STR(a, b);
    CHECK(strcmp(a, c) != 0);
    CHECK_INT(strlen(a), 19);
    CHECK(strncmp(a, "nd", 2) == 0 && a[18] == '-');
    nd_fig_id_prefix("", a);
    CHECK_STR(a, "ndcbf29ce484222325-");   /* FNV-1a 64 offset basis */
}

TEST(svgfix_rounds_path_coordinates_to_a_tenth)
{
    const char *in = "<svg><path d='M201.99,368.00 L-0.04,38.02 h2 M-1,-1 L12.36,7.449'/>"
                     "<polyline points='1.25,2.75 3,4'/><text x='1.234'>12.345</text></svg>";
    char *out = nd_fig_svg_fix(in, "p-", NULL);
    CHECK(out != NULL);
    /* round(x·10)/10 by hand; "-0.04" is 0, integers and commands stay as written */
    CHECK_CONTAINS(out, "d='M202,368 L0,38 h2 M-1,-1 L12.4,7.4'");
    CHECK_CONTAINS(out, "points='1.3,2.8 3,4'");
    CHECK_CONTAINS(out, "x='1.234'>12.345</text>");   /* only path data is rounded */
    free(out);
}
