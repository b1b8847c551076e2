/* What `symreg` shows: the chosen equation, the Pareto front as a table and a figure, the
   JSON of docs/json-results.md, and the live progress line. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/table.h"
#include "symreg_job.h"

static void name_latex(const char *name, nd_sb *sb)
{
    nd_expr e = {.kind = ND_EXPR_NAME, .str = (char *)name, .span = 1};
    nd_expr_latex(&e, sb);
}

static json_t *strings(const char *const *s, size_t n)
{
    json_t *a = json_array();
    int rc = !a;
    for (size_t i = 0; !rc && i < n; i++) rc = nd_json_push(a, nd_json_utf8(s[i]));
    return nd_json_ok(a, rc);
}

static json_t *entry_json(const nd_symreg_entry *e)
{
    json_t *j = json_object();
    int rc = !j || nd_json_put(j, "size", json_integer(e->size)) ||
             nd_json_put(j, "mse", nd_json_real(e->mse)) ||
             nd_json_put(j, "nrmse", nd_json_real(e->nrmse)) ||
             nd_json_put(j, "expression", nd_json_utf8(e->text)) ||
             nd_json_put(j, "latex", nd_json_utf8(e->latex));
    return nd_json_ok(j, rc);
}

static json_t *ops_json(const nd_symreg_options *o)
{
    static const char *const dflt[] = {"+", "-", "*", "/", "exp", "pow2"};
    return o->ops ? strings(o->ops, o->nops) : strings(dflt, 6);
}

static json_t *result_json(const nd_symreg_job *job, const char *model)
{
    const nd_symreg_result *r = job->res;
    const nd_symreg_options *o = &job->opt;
    json_t *j = json_object(), *front = json_array();
    int rc = !j || !front ||
             nd_json_put(j, "type", json_string("symreg")) ||
             nd_json_put(j, "source", json_string(job->from_network ? "network" : "dataset")) ||
             nd_json_put(j, "target", nd_json_utf8(job->target_text ? job->target_text : "")) ||
             nd_json_put(j, "inputs", strings(job->vars, job->nvars)) ||
             nd_json_put(j, "rows", json_integer((json_int_t)job->rows)) ||
             nd_json_put(j, "ops", ops_json(o)) ||
             nd_json_put(j, "functions", strings(o->functions, o->nfunctions)) ||
             nd_json_put(j, "maxsize", json_integer(o->maxsize)) ||
             nd_json_put(j, "iters", json_integer(o->iters)) ||
             nd_json_put(j, "islands", json_integer(o->islands)) ||
             nd_json_put(j, "population", json_integer((json_int_t)o->population)) ||
             nd_json_put(j, "seed", nd_json_u64(o->seed)) ||
             nd_json_put(j, "generations", json_integer(r->generations)) ||
             nd_json_put(j, "evaluations", json_integer(r->evaluations)) ||
             nd_json_put(j, "interrupted", json_boolean(r->interrupted)) ||
             nd_json_put(j, "stopped_early", json_boolean(r->stopped_early));
    if (rc) json_decref(front);
    else rc = nd_json_put(j, "front", front);
    for (size_t k = 0; !rc && k < r->nfront; k++) rc = nd_json_push(front, entry_json(&r->front[k]));
    const nd_symreg_entry *e = nd_symreg_job_chosen(job);
    rc = rc || nd_json_put(j, "pick", e ? json_integer((json_int_t)r->pick) : json_null()) ||
         nd_json_put(j, "pick_rule", json_string(job->pick_size ? "size" : "accuracy")) ||
         nd_json_put(j, "equation", e ? nd_json_utf8(e->text) : json_null()) ||
         nd_json_put(j, "latex", e ? nd_json_utf8(e->latex) : json_null()) ||
         nd_json_put(j, "model", model ? nd_json_utf8(model) : json_null());
    return nd_json_ok(j, rc);
}

static nd_bundle *front_bundle(const nd_symreg_job *job, const char *json)
{
    static const char *const head[] = {"", "size", "relative error", "RMS error", "expression"};
    const nd_symreg_result *r = job->res;
    nd_table *t = nd_table_create(5, head);
    int fail = !t;
    for (size_t k = 0; !fail && k < r->nfront; k++) {
        char size[16], rel[32], rms[32];
        snprintf(size, sizeof size, "%d", r->front[k].size);
        snprintf(rel, sizeof rel, "%.3g", r->front[k].nrmse);
        snprintf(rms, sizeof rms, "%.4g", sqrt(r->front[k].mse));
        const char *cells[] = {k == r->pick ? "→" : "", size, rel, rms, r->front[k].text};
        fail = nd_table_add_row(t, cells) != 0;
    }
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_printf(&plain, "Pareto front of %s: size (nodes) against error (→ the chosen "
                 "equation)\n", job->target);
    if (t) nd_table_text(t, &plain);
    if (t) nd_table_html(t, &html);
    nd_table_free(t);
    char *pl = nd_sb_take(&plain), *ht = nd_sb_take(&html), *js = strdup(json);
    if (fail || !pl || !ht || !js) {
        free(pl), free(ht), free(js);
        return NULL;
    }
    return nd_bundle_take3(pl, ht, js);
}

static void equation_text(const nd_symreg_job *job, const char *model, const char *unbuilt,
                          nd_sb *plain, nd_sb *tex)
{
    const nd_symreg_result *r = job->res;
    const nd_symreg_entry *e = nd_symreg_job_chosen(job);
    nd_sb_printf(plain, "symreg: %s from %zu samples%s\n", job->target, job->rows,
                 job->from_network ? " of the network's learned term" : "");
    if (e) {
        nd_sb_printf(plain, "  %s = %s\n    (size %d, relative error %.3g, RMS error %.4g; "
                     "%s)\n", job->target, e->text, e->size, e->nrmse, sqrt(e->mse),
                     job->pick_size ? "the front's entry picked by size"
                                    : "the smallest within 1.5x of the best error");
        nd_sb_puts(tex, "$$");
        name_latex(job->target, tex);
        nd_sb_printf(tex, " = %s$$", e->latex);
    } else {
        nd_sb_puts(plain, "  no expression could be evaluated on the samples\n");
        nd_sb_puts(tex, "$$\\text{no expression}$$");
    }
    nd_sb_printf(plain, "search: %zu expression%s on the front, %ld generations on %u island%s "
                 "of %zu, %ld evaluations, seed %llu%s\n", r->nfront, r->nfront == 1 ? "" : "s",
                 r->generations, job->opt.islands, job->opt.islands == 1 ? "" : "s",
                 job->opt.population, r->evaluations,
                 (unsigned long long)job->opt.seed,
                 r->interrupted ? " — interrupted: the front found so far"
                 : r->stopped_early ? " — stopped: an exact expression was found" : "");
    if (unbuilt) nd_sb_printf(plain, "note: no model was built (%s)\n", unbuilt);
    if (model)
        nd_sb_printf(plain, "%s: %s with %s replaced by the equation (simulate %s, show %s)\n",
                     model, nd_model_name(job->base), job->target, model, model);
    if (plain->len && plain->data[plain->len - 1] == '\n') plain->data[--plain->len] = '\0';
}

nd_status nd_symreg_view(const nd_symreg_job *job, const char *model, const char *unbuilt,
                         nd_bundle **equation, nd_bundle **front, nd_error *err)
{
    *equation = *front = NULL;
    nd_sb plain, tex;
    nd_sb_init(&plain);
    nd_sb_init(&tex);
    equation_text(job, model, unbuilt, &plain, &tex);
    char *json = nd_json_dump(result_json(job, model));
    nd_bundle *b = plain.oom || tex.oom ? NULL
                                        : nd_bundle_latex(nd_sb_str(&plain), nd_sb_str(&tex), json);
    if (b) {
        *equation = b;
        *front = front_bundle(job, json);
    }
    free(json);
    nd_sb_free(&plain);
    nd_sb_free(&tex);
    if (*equation && *front) return ND_OK;
    nd_bundle_free(*equation);
    *equation = NULL;
    return nd_error_fail(err, ND_ENOMEM, "out of memory while rendering output");
}

nd_figure *nd_symreg_view_figure(const nd_symreg_job *job, const char *title, char **caption)
{
    const nd_symreg_result *r = job->res;
    size_t n = r->nfront;
    double x[ND_SYMREG_MAX_SIZE], y[ND_SYMREG_MAX_SIZE];
    *caption = NULL;
    for (size_t k = 0; k < n; k++) {
        x[k] = r->front[k].size;
        y[k] = log10(fmax(r->front[k].nrmse, 1e-16));
    }
    nd_figure *fig = nd_fig_create(title);
    int p = fig ? nd_fig_add_panel(fig, "size (nodes)", "log10 relative error") : -1;
    if (p < 0 || !n ||
        nd_fig_add_series(fig, p, "Pareto front", x, y, n,
                          (nd_fig_style){ND_FIG_DOTTED, ND_FIG_CIRCLE, ND_FIG_BLUE, 0}) < 0 ||
        nd_fig_add_series(fig, p, "chosen", x + r->pick, y + r->pick, 1,
                          (nd_fig_style){ND_FIG_NOLINE, ND_FIG_SQUARE, ND_FIG_VERMILLION, 0}) < 0) {
        nd_fig_free(fig);
        return NULL;
    }
    nd_sb cap;
    nd_sb_init(&cap);
    nd_sb_printf(&cap, "Pareto front of %s: %zu expressions from size %d (relative error %.3g) "
                 "to %d (%.3g); chosen: size %d (%.3g)", job->target, n, r->front[0].size,
                 r->front[0].nrmse, r->front[n - 1].size, r->front[n - 1].nrmse,
                 r->front[r->pick].size, r->front[r->pick].nrmse);
    if (!(*caption = nd_sb_take(&cap))) {
        nd_fig_free(fig);
        return NULL;
    }
    return fig;
}

void nd_symreg_view_progress(const nd_symreg_result *front, long gen, long total, nd_sb *sb)
{
    nd_sb_printf(sb, "symreg: generation %ld of %ld, %zu expressions on the front", gen, total,
                 front->nfront);
    if (front->nfront) {
        const nd_symreg_entry *e = &front->front[front->nfront - 1];
        nd_sb_printf(sb, "; most accurate (size %d, relative error %.3g): %s", e->size,
                     e->nrmse, e->text);
    }
}
