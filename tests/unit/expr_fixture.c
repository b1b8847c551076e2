#include "expr_fixture.h"

#include <stdio.h>
#include <string.h>

#include "test.h"
#include "../../lib/base/strbuf.h"
#include "../../lib/expr/treeval.h"
#include "../../lib/lang/parser.h"

nd_expr *fx_parse(const char *text)
{
    nd_error err;
    nd_expr *e = nd_parse_expression(text, &err);
    if (!e) nd_test_fail(__FILE__, __LINE__, "cannot parse '%s': %s", text, err.msg);
    return e;
}

const char *fx_text(const nd_expr *e)
{
    static char buf[2048];
    if (!e) return "<null>";
    nd_sb sb;
    nd_sb_init(&sb);
    nd_expr_text(e, &sb);
    snprintf(buf, sizeof buf, "%s", nd_sb_str(&sb));
    nd_sb_free(&sb);
    return buf;
}

const char *fx_roundtrip(const char *text)
{
    nd_expr *e = fx_parse(text);
    const char *s = fx_text(e);
    nd_expr_free(e);
    return s;
}

int fx_resolve(void *ctx, const char *name)
{
    static const char *const names[] = {"x", "y", "z", "V", "m", "h", "n"};
    (void)ctx;
    for (int i = 0; i < 7; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

double fx_eval(const char *text, const double *slots)
{
    nd_expr *e = fx_parse(text);
    double v = e ? nd_expr_eval_num(e, fx_resolve, NULL, slots) : NAN;
    nd_expr_free(e);
    return v;
}
