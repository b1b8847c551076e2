/* The statements of the model language, one function each. Names defined elsewhere in
   the text (init, doc, when targets, sets) are recorded here and resolved by md_check. */
#include <stdlib.h>
#include <string.h>

#include "../expr/functions.h"
#include "model_cursor.h"

static const char *const kind_names[] = {"state variable", "parameter", "term", "function"};

/* Adds a new definition of name (taking ownership), refusing a second definition. */
static nd_status define(md_cursor *c, nd_model_kind kind, char *name, const nd_token *at,
                        int col_shift, md_item **out)
{
    nd_model_kind old_kind;
    md_item *old = md_lookup(c->def, name, &old_kind);
    if (old) {
        nd_status st = nd_error_set(c->err, ND_EVALUE, at->line, at->col + col_shift,
                                    (int)strlen(name),
                                    "'%s' is already defined as a %s at line %d, column %d",
                                    name, kind_names[old_kind], old->pub.line, old->pub.col);
        free(name);
        return st;
    }
    if (c->def->list[kind].count >= MD_MAX_ITEMS) {
        /* Checking and compiling cost grows with the square of these counts (name
           lookups, the n x n Jacobian): hostile text must not make the kernel hang. */
        nd_status st = nd_error_set(c->err, ND_EVALUE, at->line, at->col + col_shift,
                                    (int)strlen(name), "a model defines at most %d %ss",
                                    MD_MAX_ITEMS, kind_names[kind]);
        free(name);
        return st;
    }
    md_item *it = md_add_item(c->def, kind);
    if (!it) {
        free(name);
        return md_oom(c);
    }
    it->name = name;
    it->pub.line = at->line;
    it->pub.col = at->col + col_shift;
    *out = it;
    return ND_OK;
}

/* dX/dt = expr ["summary"]   or   X' = expr ["summary"]; the name is at the cursor. */
static nd_status parse_ode(md_cursor *c, int primed)
{
    const nd_token *t = md_cur(c);
    int shift = primed ? 0 : 1;
    char *name = strndup(t->text + shift, t->len - (size_t)shift);
    if (!name) return md_oom(c);
    if (md_is_reserved(name) || memchr(name, '.', strlen(name))) {
        nd_status st = md_fail(c, t, ND_ESYNTAX, "'%s' cannot name a state variable", name);
        free(name);
        return st;
    }
    md_item *it;
    nd_status st = define(c, ND_MODEL_STATE, name, t, shift, &it);
    if (st) return st;
    c->pos += primed ? 3 : 4;
    if ((st = md_parse_expr(c, &it->expr, &it->text))) return st;
    if ((st = md_opt_string(c, &it->summary))) return st;
    return md_expect_end(c);
}

/* NAME = expr ["summary"] */
static nd_status parse_term(md_cursor *c)
{
    char *name;
    const nd_token *t;
    md_item *it;
    nd_status st = md_take_name(c, "a term name", &name, &t);
    if (st || (st = define(c, ND_MODEL_TERM, name, t, 0, &it))) return st;
    c->pos++;  /* = */
    if ((st = md_parse_expr(c, &it->expr, &it->text))) return st;
    if ((st = md_opt_string(c, &it->summary))) return st;
    return md_expect_end(c);
}

/* The unit after a value: the raw text of the tokens up to ',', a string or the end. */
static nd_status parse_unit(md_cursor *c, char **unit)
{
    size_t first = c->pos;
    for (;;) {
        nd_tok_kind k = md_cur(c)->kind;
        if (k == ND_TOK_COMMA || k == ND_TOK_STRING || k == ND_TOK_NEWLINE ||
            k == ND_TOK_SEMI || k == ND_TOK_EOF || k == ND_TOK_RBRACE)
            break;
        if (k == ND_TOK_ASSIGN)
            return md_fail(c, md_cur(c), ND_ESYNTAX,
                           "expected ',' between two definitions, found '='");
        c->pos++;
    }
    *unit = md_raw_text(c->toks, first, c->pos);
    return *unit ? ND_OK : md_oom(c);
}

/* par NAME = VALUE [UNIT] ["summary"] [, ...]   and   init X = VALUE [UNIT] ["summary"] */
static nd_status parse_values(md_cursor *c, int is_init)
{
    c->pos++;
    for (;;) {
        char *name;
        const nd_token *t;
        double value;
        nd_status st = md_take_name(c, is_init ? "a state name" : "a parameter name", &name, &t);
        if (st) return st;
        char *unit = NULL, *summary = NULL;
        if (!(st = md_expect(c, ND_TOK_ASSIGN, "'=' after the name")) &&
            !(st = md_parse_const(c, is_init ? "an initial value" : "a parameter value",
                                  &value, NULL)) &&
            !(st = parse_unit(c, &unit)))
            st = md_opt_string(c, &summary);
        if (st) {
            free(name), free(unit), free(summary);
            return st;
        }
        if (is_init) {
            md_ref *r = md_add_ref(&c->def->inits);
            if (!r) {
                free(name), free(unit), free(summary);
                return md_oom(c);
            }
            *r = (md_ref){name, t->line, t->col, (int)t->len, value, unit, summary, NULL};
        } else {
            md_item *it;
            if ((st = define(c, ND_MODEL_PAR, name, t, 0, &it))) {
                free(unit), free(summary);
                return st;
            }
            it->value = value;
            it->unit = unit;
            it->summary = summary;
        }
        if (md_cur(c)->kind != ND_TOK_COMMA) break;
        c->pos++;
        while (md_cur(c)->kind == ND_TOK_NEWLINE) c->pos++;  /* a list may go on below */
    }
    return md_expect_end(c);
}

/* fn NAME(a, b) = expr ["summary"] */
static nd_status parse_fn(md_cursor *c)
{
    char *name;
    const nd_token *t;
    md_item *it;
    c->pos++;
    nd_status st = md_take_name(c, "a function name", &name, &t);
    if (st) return st;
    if (nd_func_find(name)) {
        st = md_fail(c, t, ND_EVALUE, "'%s' is a built-in math function and cannot be redefined", name);
        free(name);
        return st;
    }
    if ((st = define(c, ND_MODEL_FN, name, t, 0, &it))) return st;
    size_t start = c->pos;
    if ((st = md_expect(c, ND_TOK_LPAREN, "'(' and the function's parameters"))) return st;
    while (md_cur(c)->kind != ND_TOK_RPAREN) {
        if (it->nparams && (st = md_expect(c, ND_TOK_COMMA, "',' or ')'"))) return st;
        char **params = realloc(it->params, (it->nparams + 1) * sizeof *params);
        if (!params) return md_oom(c);
        it->params = params;
        const nd_token *pt;
        if ((st = md_take_name(c, "a parameter of the function", &params[it->nparams], &pt)))
            return st;
        it->nparams++;
        for (size_t i = 0; i + 1 < it->nparams; i++)
            if (strcmp(params[i], params[it->nparams - 1]) == 0)
                return md_fail(c, pt, ND_EVALUE, "'%s' appears twice among the parameters of '%s'",
                               params[i], name);
    }
    c->pos++;
    char *head = md_raw_text(c->toks, start, c->pos), *body = NULL;
    if (!head) return md_oom(c);
    if (!(st = md_expect(c, ND_TOK_ASSIGN, "'=' and the function's body")) &&
        !(st = md_parse_expr(c, &it->expr, &body))) {
        nd_sb sb;
        nd_sb_init(&sb);
        nd_sb_printf(&sb, "%s%s = %s", name, head, body);
        st = (it->text = nd_sb_take(&sb)) ? md_opt_string(c, &it->summary) : md_oom(c);
    }
    free(head);
    free(body);
    return st ? st : md_expect_end(c);
}

/* Appends one `X = expr` of a when block. */
static nd_status add_assign(md_cursor *c, md_when *w, const nd_token *t, char *target,
                            nd_expr *value)
{
    size_t n = w->nassign + 1;
    char **tg = realloc(w->target, n * sizeof *tg);
    if (tg) w->target = tg;
    nd_expr **v = realloc(w->value, n * sizeof *v);
    if (v) w->value = v;
    int *ln = realloc(w->line, n * sizeof *ln);
    if (ln) w->line = ln;
    int *cl = realloc(w->col, n * sizeof *cl);
    if (cl) w->col = cl;
    int *sp = realloc(w->span, n * sizeof *sp);
    if (sp) w->span = sp;
    if (!tg || !v || !ln || !cl || !sp) {
        free(target);
        nd_expr_free(value);
        return md_oom(c);
    }
    w->target[w->nassign] = target;
    w->value[w->nassign] = value;
    w->line[w->nassign] = t->line;
    w->col[w->nassign] = t->col;
    w->span[w->nassign] = (int)t->len;
    w->nassign++;
    return ND_OK;
}

static int is_event_op(nd_binop op)
{
    return op == ND_OP_GE || op == ND_OP_GT || op == ND_OP_LE || op == ND_OP_LT;
}

/* when A >= B { X = expr; Y = expr } */
static nd_status parse_when(md_cursor *c)
{
    md_def *d = c->def;
    md_when *ws = realloc(d->whens, (d->nwhens + 1) * sizeof *ws);
    if (!ws) return md_oom(c);
    d->whens = ws;
    md_when *w = &ws[d->nwhens++];
    memset(w, 0, sizeof *w);
    c->pos++;
    nd_sb text;
    nd_sb_init(&text);
    char *piece;
    nd_status st = md_parse_expr(c, &w->cond, &piece);
    if (st) return st;
    if (w->cond->kind != ND_EXPR_BINARY || !is_event_op(w->cond->op)) {
        free(piece);
        return nd_error_set(c->err, ND_ESYNTAX, w->cond->line, w->cond->col, w->cond->span,
                            "a when condition is one comparison A >= B, A > B, A <= B or A < B "
                            "(the event is its becoming true)");
    }
    int up = w->cond->op == ND_OP_GE || w->cond->op == ND_OP_GT;
    w->hi = up ? w->cond->a : w->cond->b;
    w->lo = up ? w->cond->b : w->cond->a;
    nd_sb_printf(&text, "when %s {", piece);
    free(piece);
    const nd_token *open = md_cur(c);
    if ((st = md_expect(c, ND_TOK_LBRACE, "'{' and the assignments of the reset"))) goto out;
    for (;;) {
        md_skip_blank(c);
        if (md_cur(c)->kind == ND_TOK_RBRACE) break;
        if (md_cur(c)->kind == ND_TOK_EOF) {
            st = md_fail(c, open, ND_ESYNTAX, "unclosed '{' of the when block");
            goto out;
        }
        char *target;
        const nd_token *t;
        nd_expr *value;
        if ((st = md_take_name(c, "a state variable to reset", &target, &t))) goto out;
        for (size_t i = 0; i < w->nassign; i++)
            if (strcmp(w->target[i], target) == 0) {
                free(target);
                st = md_fail(c, t, ND_EVALUE, "'%s' is assigned twice in one when block",
                             w->target[i]);
                goto out;
            }
        if ((st = md_expect(c, ND_TOK_ASSIGN, "'=' after the state variable")) ||
            (st = md_parse_expr(c, &value, &piece))) {
            free(target);
            goto out;
        }
        nd_sb_printf(&text, "%s %s = %s", w->nassign ? ";" : "", target, piece);
        free(piece);
        if ((st = add_assign(c, w, t, target, value))) goto out;
        nd_tok_kind k = md_cur(c)->kind;
        if (k == ND_TOK_EOF) continue;  /* reported as the unclosed block */
        if (k != ND_TOK_NEWLINE && k != ND_TOK_SEMI && k != ND_TOK_RBRACE) {
            st = md_expected(c, "';', a new line or '}' after the assignment");
            goto out;
        }
    }
    if (!w->nassign) {
        st = md_fail(c, open, ND_ESYNTAX, "a when block needs at least one assignment");
        goto out;
    }
    c->pos++;
    nd_sb_puts(&text, " }");
    if (!(w->text = nd_sb_take(&text))) return md_oom(c);
    return md_expect_end(c);
out:
    nd_sb_free(&text);
    return st;
}

/* doc [NAME] "text" ["more text" ...], continued by lines holding only strings */
static nd_status parse_doc(md_cursor *c)
{
    c->pos++;
    md_ref *r = md_add_ref(&c->def->docs);
    if (!r) return md_oom(c);
    const nd_token *at = md_cur(c);
    r->line = at->line;
    r->col = at->col;
    r->span = (int)at->len;
    nd_status st;
    if (at->kind == ND_TOK_NAME && (st = md_take_name(c, "documented", &r->name, NULL))) return st;
    if (md_cur(c)->kind != ND_TOK_STRING) return md_expected(c, "a doc string \"...\"");
    nd_sb sb;
    nd_sb_init(&sb);
    /* A line that is only strings continues the doc above it. */
    for (;;) {
        if (md_cur(c)->kind == ND_TOK_NEWLINE && md_ahead(c, 1)->kind == ND_TOK_STRING) c->pos++;
        if (md_cur(c)->kind != ND_TOK_STRING) break;
        if (sb.len) nd_sb_putc(&sb, ' ');
        nd_sb_puts(&sb, md_cur(c)->str);
        c->pos++;
    }
    if (!(r->text = nd_sb_take(&sb))) return md_oom(c);
    return md_expect_end(c);
}

/* Appends one `par = value` of a set. */
static nd_status add_set_value(md_cursor *c, md_set *s, const nd_token *t, char *par, double v)
{
    size_t n = s->n + 1;
    char **names = realloc(s->par, n * sizeof *names);
    if (names) s->par = names;
    double *vals = realloc(s->value, n * sizeof *vals);
    if (vals) s->value = vals;
    int *ln = realloc(s->line, n * sizeof *ln);
    if (ln) s->line = ln;
    int *cl = realloc(s->col, n * sizeof *cl);
    if (cl) s->col = cl;
    int *sp = realloc(s->span, n * sizeof *sp);
    if (sp) s->span = sp;
    if (!names || !vals || !ln || !cl || !sp) {
        free(par);
        return md_oom(c);
    }
    s->par[s->n] = par;
    s->value[s->n] = v;
    s->line[s->n] = t->line;
    s->col[s->n] = t->col;
    s->span[s->n] = (int)t->len;
    s->n++;
    return ND_OK;
}

/* set NAME { par = value, ... } ["summary"] */
static nd_status parse_set(md_cursor *c)
{
    md_def *d = c->def;
    md_set *ss = realloc(d->sets, (d->nsets + 1) * sizeof *ss);
    if (!ss) return md_oom(c);
    d->sets = ss;
    md_set *s = &ss[d->nsets++];
    memset(s, 0, sizeof *s);
    c->pos++;
    const nd_token *t;
    nd_status st = md_take_name(c, "the name of a parameter set", &s->name, &t);
    if (st) return st;
    for (size_t i = 0; i + 1 < d->nsets; i++)
        if (strcmp(d->sets[i].name, s->name) == 0)
            return md_fail(c, t, ND_EVALUE, "the parameter set '%s' is defined twice", s->name);
    const nd_token *open = md_cur(c);
    if ((st = md_expect(c, ND_TOK_LBRACE, "'{' and the parameter values"))) return st;
    nd_sb text;
    nd_sb_init(&text);
    for (;;) {
        while (md_cur(c)->kind == ND_TOK_NEWLINE || md_cur(c)->kind == ND_TOK_SEMI ||
               md_cur(c)->kind == ND_TOK_COMMA)
            c->pos++;
        if (md_cur(c)->kind == ND_TOK_RBRACE) break;
        if (md_cur(c)->kind == ND_TOK_EOF) {
            st = md_fail(c, open, ND_ESYNTAX, "unclosed '{' of the parameter set");
            goto out;
        }
        char *par, *vtext;
        double v;
        if ((st = md_take_name(c, "a parameter name", &par, &t))) goto out;
        if ((st = md_expect(c, ND_TOK_ASSIGN, "'=' after the parameter name")) ||
            (st = md_parse_const(c, "a parameter value", &v, &vtext))) {
            free(par);
            goto out;
        }
        nd_sb_printf(&text, "%s%s = %s", s->n ? ", " : "", par, vtext);
        free(vtext);
        if ((st = add_set_value(c, s, t, par, v))) goto out;
        nd_tok_kind k = md_cur(c)->kind;
        if (k != ND_TOK_NEWLINE && k != ND_TOK_SEMI && k != ND_TOK_COMMA && k != ND_TOK_RBRACE &&
            k != ND_TOK_EOF) {
            st = md_expected(c, "',' or '}' after the value");
            goto out;
        }
    }
    c->pos++;
    if (!(s->text = nd_sb_take(&text))) return md_oom(c);
    if ((st = md_opt_string(c, &s->summary))) return st;
    return md_expect_end(c);
out:
    nd_sb_free(&text);
    return st;
}

/* Returns 1 when the cursor is at "dX/dt =" (the NAME is dX). */
static int at_ode(const md_cursor *c)
{
    const nd_token *t = md_cur(c);
    return t->kind == ND_TOK_NAME && t->len > 1 && t->text[0] == 'd' &&
           md_ahead(c, 1)->kind == ND_TOK_SLASH && nd_lex_is_word(md_ahead(c, 2), "dt") &&
           md_ahead(c, 3)->kind == ND_TOK_ASSIGN;
}

/* time UNIT: the unit of t (ms for the neuron models), for datasets and axes. */
static nd_status parse_time(md_cursor *c)
{
    const nd_token *at = md_cur(c);
    c->pos++;
    if (c->def->time_unit)
        return md_fail(c, at, ND_ESYNTAX, "the time unit is already given");
    nd_status st = parse_unit(c, &c->def->time_unit);
    if (st) return st;
    if (!c->def->time_unit[0]) return md_expected(c, "a unit after 'time' (time ms)");
    return md_expect_end(c);
}

static nd_status parse_par(md_cursor *c) { return parse_values(c, 0); }
static nd_status parse_init(md_cursor *c) { return parse_values(c, 1); }

/* The statements that start with a keyword (the others are equations and terms). */
static const struct {
    const char *word;
    nd_status (*parse)(md_cursor *);
} keywords[] = {
    {"par", parse_par}, {"init", parse_init}, {"fn", parse_fn}, {"when", parse_when},
    {"stim", md_parse_stim}, {"doc", parse_doc}, {"set", parse_set}, {"time", parse_time},
};

const char *nd_model_keyword(size_t i)
{
    return i < sizeof keywords / sizeof keywords[0] ? keywords[i].word : NULL;
}

static nd_status parse_statement(md_cursor *c)
{
    const nd_token *t = md_cur(c);
    if (t->kind == ND_TOK_NAME && md_ahead(c, 1)->kind != ND_TOK_ASSIGN) {
        for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
            if (nd_lex_is_word(t, keywords[i].word)) return keywords[i].parse(c);
    }
    if (at_ode(c)) return parse_ode(c, 0);
    if (t->kind == ND_TOK_NAME && md_ahead(c, 1)->kind == ND_TOK_QUOTE &&
        md_ahead(c, 2)->kind == ND_TOK_ASSIGN)
        return parse_ode(c, 1);
    if (t->kind == ND_TOK_NAME && md_ahead(c, 1)->kind == ND_TOK_ASSIGN) return parse_term(c);
    return md_expected(c, "a model statement (dX/dt = ..., X' = ..., NAME = ..., par, init, "
                          "fn, when, stim, doc, set or time)");
}

nd_status md_parse(md_def *def, const nd_tokens *toks, nd_error *err)
{
    md_cursor c = {toks, 0, def, err};
    for (;;) {
        md_skip_blank(&c);
        if (md_cur(&c)->kind == ND_TOK_EOF) return ND_OK;
        nd_status st = parse_statement(&c);
        if (st) return st;
    }
}
