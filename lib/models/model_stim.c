/* The `stim` statement: a default input protocol, a sum of components with named
   arguments, kept as numbers and turned into an nd_stim (lib/ode/stim.h) on request. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_cursor.h"

enum { MAX_ARGS = 5 };

/* A component, its arguments in stim.h's order, and defaults (nan: required). */
static const struct part_spec {
    const char *name;
    md_stim_kind kind;
    const char *arg[MAX_ARGS];
    double dflt[MAX_ARGS];
} specs[] = {
    {"step", MD_STEP, {"at", "dur", "amp"}, {NAN, NAN, NAN}},
    {"pulses", MD_PULSES, {"start", "width", "period", "count", "amp"}, {NAN, NAN, NAN, NAN, NAN}},
    {"ramp", MD_RAMP, {"t0", "t1", "a0", "a1"}, {NAN, NAN, NAN, NAN}},
    {"ou", MD_OU, {"mean", "sigma", "tau", "seed", "dt"}, {0, NAN, NAN, 1, 0.01}},
};

static const struct part_spec *find_spec(const nd_token *t)
{
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (nd_lex_is_word(t, specs[i].name)) return &specs[i];
    return NULL;
}

static size_t spec_nargs(const struct part_spec *s)
{
    size_t n = 0;
    while (n < MAX_ARGS && s->arg[n]) n++;
    return n;
}

/* Lists a component's arguments for messages: "at, dur, amp". */
static void list_args(const struct part_spec *s, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (size_t i = 0; i < spec_nargs(s); i++) {
        if (i) strncat(buf, ", ", cap - strlen(buf) - 1);
        strncat(buf, s->arg[i], cap - strlen(buf) - 1);
    }
}

/* NAME(arg=value, ...) at the cursor into *part. */
static nd_status parse_part(md_cursor *c, md_stim_part *part)
{
    const nd_token *t = md_cur(c);
    const struct part_spec *s = t->kind == ND_TOK_NAME ? find_spec(t) : NULL;
    if (!s) return md_expected(c, "a stimulus component: step(...), pulses(...), ramp(...) or ou(...)");
    c->pos++;
    const nd_token *open = md_cur(c);
    nd_status st = md_expect(c, ND_TOK_LPAREN, "'(' and the component's arguments");
    if (st) return st;
    size_t nargs = spec_nargs(s);
    int seen[MAX_ARGS] = {0};
    char names[128];
    list_args(s, names, sizeof names);
    part->kind = s->kind;
    while (md_cur(c)->kind != ND_TOK_RPAREN) {
        if (seen[0] + seen[1] + seen[2] + seen[3] + seen[4] &&
            (st = md_expect(c, ND_TOK_COMMA, "',' or ')'")))
            return st;
        const nd_token *a = md_cur(c);
        size_t k = 0;
        if (a->kind != ND_TOK_NAME || md_ahead(c, 1)->kind != ND_TOK_ASSIGN)
            return md_expected(c, "a named argument like at=10");
        while (k < nargs && !nd_lex_is_word(a, s->arg[k])) k++;
        if (k == nargs)
            return md_fail(c, a, ND_ENAME, "unknown argument '%.*s' of %s (arguments: %s)",
                           (int)a->len, a->text, s->name, names);
        if (seen[k]) return md_fail(c, a, ND_EVALUE, "argument '%s' given twice", s->arg[k]);
        c->pos += 2;
        if ((st = md_parse_const(c, "a stimulus argument", &part->arg[k], NULL))) return st;
        seen[k] = 1;
    }
    c->pos++;
    for (size_t k = 0; k < nargs; k++) {
        if (seen[k]) continue;
        if (isnan(s->dflt[k]))
            return md_fail(c, open, ND_EVALUE, "%s needs the argument '%s' (arguments: %s)",
                           s->name, s->arg[k], names);
        part->arg[k] = s->dflt[k];
    }
    return ND_OK;
}

nd_status md_parse_stim(md_cursor *c)
{
    md_def *d = c->def;
    const nd_token *kw = md_cur(c);
    if (d->stim_target)
        return md_fail(c, kw, ND_EVALUE, "a model has one stim statement (join protocols with +)");
    c->pos++;
    const nd_token *t;
    nd_status st = md_take_name(c, "the parameter the stimulus drives", &d->stim_target, &t);
    if (st) return st;
    d->stim_line = t->line;
    d->stim_col = t->col;
    d->stim_span = (int)t->len;
    if ((st = md_expect(c, ND_TOK_ASSIGN, "'=' and the stimulus"))) return st;
    size_t first = c->pos;
    for (;;) {
        md_stim_part *parts = realloc(d->stim, (d->nstim + 1) * sizeof *parts);
        if (!parts) return md_oom(c);
        d->stim = parts;
        memset(&parts[d->nstim], 0, sizeof *parts);
        if ((st = parse_part(c, &parts[d->nstim]))) return st;
        d->nstim++;
        if (md_cur(c)->kind != ND_TOK_PLUS) break;
        c->pos++;
    }
    if (!(d->stim_text = md_raw_text(c->toks, first, c->pos))) return md_oom(c);
    return md_expect_end(c);
}

nd_stim *nd_model_stim(const nd_model *m)
{
    const md_def *d = m->def;
    if (!d->nstim) return NULL;
    nd_stim *s = nd_stim_create();
    for (size_t i = 0; s && i < d->nstim; i++) {
        const double *a = d->stim[i].arg;
        int rc = 0;
        switch (d->stim[i].kind) {
        case MD_STEP:   rc = nd_stim_add_step(s, a[0], a[1], a[2]); break;
        case MD_PULSES: rc = nd_stim_add_pulses(s, a[0], a[1], a[2], (int)a[3], a[4]); break;
        case MD_RAMP:   rc = nd_stim_add_ramp(s, a[0], a[1], a[2], a[3]); break;
        case MD_OU:     rc = nd_stim_add_ou(s, a[0], a[1], a[2], (unsigned long)a[3], a[4]); break;
        }
        if (rc) {
            nd_stim_free(s);
            s = NULL;
        }
    }
    return s;
}
