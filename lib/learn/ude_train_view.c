/* The summary of a training and its loss curve (ude_train_view.h). */
#include "ude_train_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"

const char *nd_ude_stage_label(const nd_ude_stage_report *s, char *buf, size_t cap)
{
    char seg[32] = "", att[32] = "";
    if (s->segments > 1 && !s->colloc) snprintf(seg, sizeof seg, " ×%zu", s->segments);
    if (s->attempt > 1) snprintf(att, sizeof att, " attempt %d", s->attempt);
    snprintf(buf, cap, "%s%s%s%s", nd_optim_kind_name(s->kind), s->colloc ? " (colloc)" : "",
             seg, att);
    return buf;
}

int nd_ude_verdicts_ok(const nd_ude_verdict *v, size_t n)
{
    int ok = 1;
    for (size_t k = 0; k < n; k++) ok = ok && v[k].ok;
    return ok;
}

char *nd_ude_verdicts_text(const nd_ude_verdict *v, size_t n, const char *const *names)
{
    if (n == 1) return nd_ude_verdict_text(&v[0]);
    nd_sb sb;
    nd_sb_init(&sb);
    size_t bad = 0;
    for (size_t k = 0; k < n; k++) bad += !v[k].ok;
    if (!bad) {
        nd_sb_printf(&sb, "good fit on all %zu datasets", n);
        return nd_sb_take(&sb);
    }
    nd_sb_printf(&sb, "NOT a good fit on %zu of the %zu datasets (", bad, n);
    for (size_t k = 0, i = 0; k < n; k++)
        if (!v[k].ok) nd_sb_printf(&sb, "%s%s", i++ ? ", " : "", names[k]);
    nd_sb_putc(&sb, ')');
    return nd_sb_take(&sb);
}

/* ---- JSON ---- */

static json_t *count(size_t n) { return json_integer((json_int_t)n); }

/* One observed variable's comparison. */
static json_t *check_json(const nd_ude_check *c)
{
    json_t *o = json_object();
    int rc = !o || nd_json_put(o, "name", nd_json_utf8(c->name)) ||
             nd_json_put(o, "ok", json_boolean(c->ok)) ||
             nd_json_put(o, "noise", nd_json_real(c->noise)) ||
             nd_json_put(o, "scale", nd_json_real(c->scale)) ||
             nd_json_put(o, "residual_rms", nd_json_real(c->rms)) ||
             nd_json_put(o, "rms_over_noise", nd_json_real(c->rms / c->scale)) ||
             nd_json_put(o, "samples", count(c->samples)) ||
             nd_json_put(o, "spiking", json_boolean(c->spiking));
    if (!rc && c->spiking)
        rc = nd_json_put(o, "threshold", nd_json_real(c->threshold)) ||
             nd_json_put(o, "window", nd_json_real(c->spikes.delta)) ||
             nd_json_put(o, "data_spikes", count(c->spikes.n_a)) ||
             nd_json_put(o, "model_spikes", count(c->spikes.n_b)) ||
             nd_json_put(o, "matched", count(c->spikes.matched)) ||
             nd_json_put(o, "gamma", nd_json_real(c->spikes.gamma)) ||
             nd_json_put(o, "missed", nd_json_reals(c->spikes.missing_at, c->spikes.missing)) ||
             nd_json_put(o, "extra", nd_json_reals(c->spikes.extra_at, c->spikes.extra)) ||
             nd_json_put(o, "spike_time_errors",
                         nd_json_reals(c->spikes.dt, c->spikes.matched));
    if (!rc) return o;
    json_decref(o);
    return NULL;
}

/* {"ok","text","rms_limit","variables":[…]} of verdict v, judged ok, in words text. */
static json_t *verdict_json(int ok, const nd_ude_verdict *v, const char *text)
{
    json_t *o = json_object(), *vars = json_array();
    int rc = !o || nd_json_put(o, "ok", json_boolean(ok)) ||
             nd_json_put(o, "text", nd_json_utf8(text ? text : "")) ||
             nd_json_put(o, "rms_limit", nd_json_real(ND_UDE_RMS_LIMIT));
    rc |= nd_json_put(o, "variables", vars);   /* vars taken over even on failure */
    for (size_t k = 0; !rc && k < v->nvar; k++) rc = nd_json_push(vars, check_json(&v->var[k]));
    if (!rc) return o;
    json_decref(o);
    return NULL;
}

/* [{"data","rows","stimulus","verdict"}…] of n experiments ex named names, judged by v
   (NULL: not judged); texts[k] the verdicts' words. */
static json_t *experiments_json(const nd_ude *u, size_t n, const char *const *names,
                                const nd_ude_experiment *ex, const nd_ude_verdict *v,
                                char *const *texts)
{
    json_t *list = json_array();
    int rc = !list;
    for (size_t k = 0; !rc && k < n; k++) {
        json_t *o = json_object();
        rc = nd_json_push(list, o);
        const nd_stim *stim = ex[k].stim ? ex[k].stim : nd_ude_stim(u, NULL);
        char *d = stim ? nd_stim_describe(stim) : NULL;
        rc = rc || nd_json_put(o, "data", nd_json_utf8(names[k])) ||
             nd_json_put(o, "rows", count(nd_ds_rows(ex[k].data))) ||
             nd_json_put(o, "stimulus", d ? nd_json_utf8(d) : json_null()) ||
             (v && nd_json_put(o, "verdict", verdict_json(v[k].ok, &v[k], texts[k])));
        free(d);
    }
    if (!rc) return list;
    json_decref(list);
    return NULL;
}

/* {"rms","spiking","data_spikes","model_spikes","matched","window","gamma","ok"} */
static json_t *score_json(const nd_ude_val_score *s)
{
    json_t *o = json_object();
    if (o && !(nd_json_put(o, "rms", nd_json_real(s->rms)) ||
               nd_json_put(o, "spiking", json_boolean(s->spiking)) ||
               nd_json_put(o, "data_spikes", count(s->data_spikes)) ||
               nd_json_put(o, "model_spikes", count(s->model_spikes)) ||
               nd_json_put(o, "matched", count(s->matched)) ||
               nd_json_put(o, "window", nd_json_real(s->window)) ||
               nd_json_put(o, "gamma", nd_json_real(s->gamma)) ||
               nd_json_put(o, "ok", json_boolean(s->ok))))
        return o;
    json_decref(o);
    return NULL;
}

static json_t *stage_json(const nd_ude_stage_report *s)
{
    json_t *o = json_object();
    if (o && !(nd_json_put(o, "stage", nd_json_utf8(nd_optim_kind_name(s->kind))) ||
               nd_json_put(o, "colloc", json_boolean(s->colloc)) ||
               nd_json_put(o, "segments", count(s->segments ? s->segments : 1)) ||
               nd_json_put(o, "attempt", json_integer(s->attempt)) ||
               nd_json_put(o, "iterations", json_integer(s->done)) ||
               nd_json_put(o, "loss", nd_json_real(s->loss)) ||
               nd_json_put(o, "stop", nd_json_utf8(nd_optim_stop_text(s->stop))) ||
               nd_json_put(o, "rejected", json_integer(s->failures)))) {
        json_t *val = s->nval ? json_array() : NULL;
        int rc = s->nval && nd_json_put(o, "validation", val);
        for (size_t k = 0; !rc && k < s->nval; k++) rc = nd_json_push(val, score_json(&s->val[k]));
        if (!rc) return o;
    }
    json_decref(o);
    return NULL;
}

/* The held-out experiments: as "experiments", each with its score and text. */
static json_t *validation_json(const nd_ude_train_report *r)
{
    char **texts = calloc(r->nval, sizeof *texts);
    int rc = !texts;
    for (size_t k = 0; !rc && r->val_verdicts && k < r->nval; k++)
        rc = !(texts[k] = nd_ude_verdict_text(&r->val_verdicts[k]));
    json_t *list = rc ? NULL : experiments_json(r->u, r->nval, r->val_names, r->val_ex,
                                                r->val_verdicts, texts);
    for (size_t k = 0; list && r->val_verdicts && k < r->nval; k++) {
        json_t *o = json_array_get(list, k);
        nd_ude_val_score sc = nd_ude_val_score_of(&r->val_verdicts[k]);
        char *line = nd_ude_val_text(&r->val_verdicts[k], r->val_names[k]);
        if (!line || nd_json_put(o, "score", score_json(&sc)) ||
            nd_json_put(o, "text", nd_json_utf8(line))) {
            json_decref(list);
            list = NULL;
        }
        free(line);
    }
    for (size_t k = 0; texts && k < r->nval; k++) free(texts[k]);
    free(texts);
    return list;
}

static json_t *params_json(const nd_ude_train_report *r);

static char *summary_json(const nd_ude_train_report *r, long rejected, const char *text,
                          char *const *texts)
{
    size_t n;
    const double *h = nd_ude_history(r->u, &n);
    const nd_ude_auto_result *res = r->recipe && r->recipe->attempts ? r->recipe : NULL;
    json_t *j = json_object(), *stages = json_array(), *recipe = NULL;
    int rc = !j || nd_json_put(j, "type", json_string("training")) ||
             nd_json_put(j, "network", nd_json_utf8(r->net_name));
    rc |= nd_json_put(j, "stages", stages);   /* taken over even on failure */
    for (size_t i = 0; !rc && i < r->nstages; i++)
        if (r->stages[i]->ran) rc = nd_json_push(stages, stage_json(r->stages[i]));
    rc = rc || nd_json_put(j, "rejected", json_integer(rejected)) ||
         nd_json_put(j, "iterations", count(n)) ||
         nd_json_put(j, "loss", n ? nd_json_real(h[n - 1]) : json_null()) ||
         nd_json_put(j, "history", nd_json_reals(h, n));
    if (!rc && res) {
        rc = nd_json_put(j, "recipe", recipe = json_object()) ||
             nd_json_put(recipe, "attempts", json_integer(res->attempts)) ||
             nd_json_put(recipe, "kept", json_integer(res->kept)) ||
             nd_json_put(recipe, "seed", nd_json_u64(res->seed)) ||
             nd_json_put(recipe, "loss", nd_json_real(res->loss)) ||
             nd_json_put(recipe, "ok", json_boolean(res->ok));
    }
    rc = rc || (r->verdicts &&
                nd_json_put(j, "verdict",
                            verdict_json(nd_ude_verdicts_ok(r->verdicts, r->ndata),
                                         &r->verdicts[0], text))) ||
         nd_json_put(j, "experiments", experiments_json(r->u, r->ndata, r->data_names, r->ex,
                                                        r->verdicts, texts)) ||
         (r->nval && nd_json_put(j, "validation", validation_json(r))) ||
         (r->nparams && nd_json_put(j, "parameters", params_json(r)));
    if (!rc) return nd_json_dump(j);
    json_decref(j);
    return NULL;
}

/* ---- the summary ---- */

/* Parameter i's current value in the model (NAN if unknown). */
static double param_now(const nd_ude_train_report *r, size_t i)
{
    const nd_model *m = nd_ude_truth(r->u);
    int k = nd_model_index(m, ND_MODEL_PAR, r->params[i]);
    return k >= 0 ? nd_model_pars(m)[k] : NAN;
}

/* "physical parameters trained with the network (start → estimate): gK 36 → 30.2, …" */
static void params_line(const nd_ude_train_report *r, nd_sb *sb)
{
    nd_sb_puts(sb, "physical parameters trained with the network (start → estimate): ");
    for (size_t i = 0; i < r->nparams; i++)
        nd_sb_printf(sb, "%s%s %.4g → %.4g", i ? ", " : "", r->params[i], r->param_initial[i],
                     param_now(r, i));
}

/* [{"name","initial","estimate"}…] */
static json_t *params_json(const nd_ude_train_report *r)
{
    json_t *list = json_array();
    int rc = !list;
    for (size_t i = 0; !rc && i < r->nparams; i++) {
        json_t *o = json_object();
        rc = nd_json_push(list, o) || nd_json_put(o, "name", nd_json_utf8(r->params[i])) ||
             nd_json_put(o, "initial", nd_json_real(r->param_initial[i])) ||
             nd_json_put(o, "estimate", nd_json_real(param_now(r, i)));
    }
    if (!rc) return list;
    json_decref(list);
    return NULL;
}

/* A stage's held-out RMS (and Γ where the data spike), one per held-out experiment. */
static void held_out_cell(const nd_ude_stage_report *s, char *buf, size_t cap)
{
    size_t at = 0;
    for (size_t k = 0; k < s->nval && at < cap; k++) {
        const nd_ude_val_score *v = &s->val[k];
        int w = isfinite(v->gamma)
                    ? snprintf(buf + at, cap - at, "%s%.3g (Γ %.2f)", k ? ", " : "", v->rms,
                               v->gamma)
                    : snprintf(buf + at, cap - at, "%s%.3g", k ? ", " : "", v->rms);
        if (w < 0) break;
        at += (size_t)w;
    }
}

nd_bundle *nd_ude_train_view(const nd_ude_train_report *r)
{
    static const char *const headers[] = {"stage", "iterations", "final loss", "stopped",
                                          "held-out RMS"};
    int val = 0;   /* the held-out column, when a stage has scores */
    for (size_t i = 0; i < r->nstages; i++) val |= r->stages[i]->ran && r->stages[i]->nval;
    nd_table *t = nd_table_create(val ? 5 : 4, headers);
    if (!t) return NULL;
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_printf(&plain, "training %s on ", r->net_name);
    for (size_t k = 0; k < r->ndata; k++)
        nd_sb_printf(&plain, "%s%s", k ? ", " : "", r->data_names[k]);
    nd_sb_putc(&plain, '\n');
    long rejected = 0;
    for (size_t i = 0; i < r->nstages; i++) {
        const nd_ude_stage_report *s = r->stages[i];
        if (!s->ran) continue;
        char it[32], loss[32], name[64], held[96] = "–";
        snprintf(it, sizeof it, "%ld", s->done);
        snprintf(loss, sizeof loss, "%.4g", s->loss);
        held_out_cell(s, held, sizeof held);
        const char *row[] = {nd_ude_stage_label(s, name, sizeof name), it, loss,
                             nd_optim_stop_text(s->stop), held};
        if (nd_table_add_row(t, row) != 0) plain.oom = 1;
        rejected += s->failures;
    }
    nd_table_text(t, &plain);
    nd_table_html(t, &html);
    nd_table_free(t);
    if (plain.len && plain.data[plain.len - 1] != '\n') nd_sb_putc(&plain, '\n');
    if (rejected) {
        nd_sb_printf(&plain, "%ld step%s rejected: the solve blew up (non-finite values); the "
                     "optimizer stepped back\n", rejected, rejected == 1 ? "" : "s");
        nd_sb_printf(&html, "<p>%ld step%s rejected: the solve blew up (non-finite values); "
                     "the optimizer stepped back</p>", rejected, rejected == 1 ? "" : "s");
    }
    if (r->nparams) {
        nd_sb line;
        nd_sb_init(&line);
        params_line(r, &line);
        nd_sb_printf(&plain, "%s\n", nd_sb_str(&line));
        nd_sb_puts(&html, "<p>");
        nd_html_escape(&html, nd_sb_str(&line));
        nd_sb_puts(&html, "</p>");
        if (line.oom) plain.oom = 1;
        nd_sb_free(&line);
    }
    const nd_ude_auto_result *res = r->recipe;
    if (res && res->attempts) {
        char line[256];
        snprintf(line, sizeof line, "default recipe: %d attempt%s, attempt %d kept (weights "
                 "seed %llu), single-shooting error %.4g", res->attempts,
                 res->attempts == 1 ? "" : "s", res->kept, (unsigned long long)res->seed,
                 res->loss);
        nd_sb_printf(&plain, "%s\n", line);
        nd_sb_printf(&html, "<p>%s</p>", line);
    }
    const nd_ude_verdict *v = r->verdicts;
    char **texts = calloc(r->ndata ? r->ndata : 1, sizeof *texts);
    char *text = v ? nd_ude_verdicts_text(v, r->ndata, r->data_names) : NULL;
    int ok = v && nd_ude_verdicts_ok(v, r->ndata);
    if (!texts || (v && !text)) plain.oom = 1;
    for (size_t k = 0; texts && v && k < r->ndata; k++)
        if (!(texts[k] = nd_ude_verdict_text(&v[k]))) plain.oom = 1;
    /* Several experiments: each one's verdict, then the verdict over all. */
    for (size_t k = 0; texts && v && r->ndata > 1 && k < r->ndata; k++) {
        if (!texts[k]) continue;
        nd_sb_printf(&plain, "%s: %s\n", r->data_names[k], texts[k]);
        nd_sb_puts(&html, v[k].ok ? "<p>" : "<p style=\"color:#b00\">");
        nd_html_escape(&html, r->data_names[k]);
        nd_sb_puts(&html, ": ");
        nd_html_escape(&html, texts[k]);
        nd_sb_puts(&html, "</p>");
    }
    if (text) {
        nd_sb_printf(&plain, "%s\n", text);
        nd_sb_puts(&html, ok ? "<p><b>" : "<p style=\"color:#b00\"><b>");
        nd_html_escape(&html, text);
        nd_sb_puts(&html, "</b></p>");
    }
    for (size_t k = 0; r->val_verdicts && k < r->nval; k++) {
        char *line = nd_ude_val_text(&r->val_verdicts[k], r->val_names[k]);
        if (!line) {
            plain.oom = 1;
            continue;
        }
        nd_sb_printf(&plain, "%s\n", line);
        nd_sb_puts(&html, "<p>");
        nd_html_escape(&html, line);
        nd_sb_puts(&html, "</p>");
        free(line);
    }
    char *json = texts ? summary_json(r, rejected, text, texts) : NULL;
    free(text);
    for (size_t k = 0; texts && k < r->ndata; k++) free(texts[k]);
    free(texts);
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), json);
}

/* ---- the loss curve ---- */

nd_figure *nd_ude_loss_figure(const double *loss, size_t n, const size_t *starts,
                              const nd_ude_stage_report *const *stages, size_t nstages,
                              const char *title)
{
    double *x = malloc((n ? n : 1) * sizeof *x), *y = malloc((n ? n : 1) * sizeof *y);
    nd_figure *fig = x && y ? nd_fig_create(title) : NULL;
    int p = fig ? nd_fig_add_panel(fig, "iteration", "loss (log10)") : -1;
    for (size_t i = 0; p >= 0 && i < n; i++) {
        x[i] = (double)(i + 1);
        y[i] = loss[i] > 0 && isfinite(loss[i]) ? log10(loss[i]) : NAN;
    }
    /* Each stage its own series, so a stage boundary shows as a change of colour. */
    size_t first = nstages ? starts[0] : n;
    int ok = p >= 0 && !(first > 1 &&
                         nd_fig_add_series(fig, p, "earlier training", x, y, first,
                                           (nd_fig_style){ND_FIG_SOLID, 0, ND_FIG_BLACK, 0}) < 0);
    for (size_t k = 0; ok && k < nstages; k++) {
        size_t from = starts[k], to = k + 1 < nstages ? starts[k + 1] : n;
        char name[64];
        if (to > from)
            ok = nd_fig_add_series(fig, p, nd_ude_stage_label(stages[k], name, sizeof name),
                                   x + from, y + from, to - from, (nd_fig_style){0}) >= 0;
    }
    free(x);
    free(y);
    if (ok) return fig;
    nd_fig_free(fig);
    return NULL;
}
