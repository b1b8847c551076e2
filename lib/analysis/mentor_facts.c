/* The facts the mentor reasons on, and the interpolation of its texts with them. */
#include "mentor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"

void nd_mentor_facts_init(nd_mentor_facts *f)
{
    memset(f, 0, sizeof *f);
}

void nd_mentor_facts_clear(nd_mentor_facts *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].name);
        free(f->v[i].str);
    }
    free(f->v);
    nd_mentor_facts_init(f);
}

const nd_mentor_fact *nd_mentor_fact_get(const nd_mentor_facts *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->v[i].name, name) == 0) return &f->v[i];
    return NULL;
}

/* The slot for name, emptied for a new value; NULL on ENOMEM. */
static nd_mentor_fact *slot(nd_mentor_facts *f, const char *name)
{
    nd_mentor_fact *x = (nd_mentor_fact *)nd_mentor_fact_get(f, name);
    if (x) {
        free(x->str);
        x->str = NULL;
        return x;
    }
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 16;
        nd_mentor_fact *v = realloc(f->v, cap * sizeof *v);
        if (!v) return NULL;
        f->v = v;
        f->cap = cap;
    }
    x = &f->v[f->n];
    memset(x, 0, sizeof *x);
    if (!(x->name = strdup(name))) return NULL;
    f->n++;
    return x;
}

int nd_mentor_fact_num(nd_mentor_facts *f, const char *name, double x)
{
    nd_mentor_fact *s = slot(f, name);
    if (!s) return -1;
    s->is_num = 1;
    s->num = x;
    return 0;
}

int nd_mentor_fact_str(nd_mentor_facts *f, const char *name, const char *str)
{
    nd_mentor_fact *s = slot(f, name);
    if (!s) return -1;
    s->is_num = 0;
    s->str = strdup(str ? str : "");
    return s->str ? 0 : -1;
}

char *nd_mentor_fill(const char *text, const nd_mentor_facts *f, const char **missing)
{
    nd_sb sb;
    nd_sb_init(&sb);
    for (const char *p = text; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (!close) {
            nd_sb_putc(&sb, *p++);
            continue;
        }
        char name[96];
        size_t len = (size_t)(close - p - 1);
        if (len >= sizeof name) len = sizeof name - 1;
        memcpy(name, p + 1, len);
        name[len] = '\0';
        char *dflt = strchr(name, ':');
        if (dflt) *dflt++ = '\0';
        const nd_mentor_fact *x = nd_mentor_fact_get(f, name);
        if (x && x->is_num) nd_sb_printf(&sb, "%.4g", x->num);
        else if (x) nd_sb_puts(&sb, x->str);
        else if (dflt) nd_sb_puts(&sb, dflt);
        else {
            if (missing) *missing = p + 1;
            nd_sb_free(&sb);
            return NULL;
        }
        p = close + 1;
    }
    return nd_sb_take(&sb);
}
