/* What `train` leaves behind: the summary table with the verdict (text, HTML, JSON) and
   the record `t = train …` binds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"
#include "../language/args.h"
#include "train.h"

const char *nd_train_stage_name(const nd_train_stage *s, char *buf, size_t cap)
{
    char seg[32] = "", att[32] = "";
    if (s->segments > 1 && !s->colloc) snprintf(seg, sizeof seg, " ×%zu", s->segments);
    if (s->attempt > 1) snprintf(att, sizeof att, " attempt %d", s->attempt);
    snprintf(buf, cap, "%s%s%s%s", nd_optim_kind_name(s->kind), s->colloc ? " (colloc)" : "",
             seg, att);
    return buf;
}

const char *nd_train_stop_text(nd_optim_stop s)
{
    switch (s) {
    case ND_OPTIM_ITERS: return "iteration limit";
    case ND_OPTIM_GTOL: return "gradient below gtol";
    case ND_OPTIM_FTOL: return "converged (no further decrease)";
    case ND_OPTIM_STALLED: return "stalled (no step decreases the loss)";
    case ND_OPTIM_INTERRUPTED: return "interrupted";
    default: return "failed (see the error)";
    }
}

const char *nd_train_data_name(const nd_train_call *tc, size_t k)
{
    const nd_arg *a = k < tc->ndata ? tc->data_arg[k] : NULL;
    return a && a->value->kind == ND_EXPR_NAME ? a->value->str : "the data";
}

/* The verdict over every experiment in words, malloc'ed (NULL on ENOMEM): one
   experiment's own verdict, or for several "good fit on all 3 datasets" / "NOT a good fit
   on 1 of the 3 datasets (ramp)". */
static char *overall_text(const nd_train_call *tc, const nd_ude_verdict *v)
{
    if (tc->ndata == 1) return nd_ude_verdict_text(&v[0]);
    nd_sb sb;
    nd_sb_init(&sb);
    size_t bad = 0;
    for (size_t k = 0; k < tc->ndata; k++) bad += !v[k].ok;
    if (!bad) {
        nd_sb_printf(&sb, "good fit on all %zu datasets", tc->ndata);
        return nd_sb_take(&sb);
    }
    nd_sb_printf(&sb, "NOT a good fit on %zu of the %zu datasets (", bad, tc->ndata);
    for (size_t k = 0, i = 0; k < tc->ndata; k++)
        if (!v[k].ok) nd_sb_printf(&sb, "%s%s", i++ ? ", " : "", nd_train_data_name(tc, k));
    nd_sb_putc(&sb, ')');
    return nd_sb_take(&sb);
}

static int all_ok(const nd_train_call *tc, const nd_ude_verdict *v)
{
    int ok = 1;
    for (size_t k = 0; k < tc->ndata; k++) ok = ok && v[k].ok;
    return ok;
}

/* {"ok":…,"text":…,"rms_limit":…,"variables":[…]} of verdict v, text its words */
static void verdict_json(nd_sb *json, int ok, const nd_ude_verdict *v, const char *text)
{
    nd_sb_printf(json, "{\"ok\":%s,\"text\":", ok ? "true" : "false");
    nd_json_string(json, text ? text : "");
    nd_sb_puts(json, ",\"rms_limit\":");
    nd_json_number(json, ND_UDE_RMS_LIMIT);
    nd_sb_puts(json, ",\"variables\":[");
    for (size_t k = 0; k < v->nvar; k++) {
        const nd_ude_check *c = &v->var[k];
        nd_sb_puts(json, k ? ",{\"name\":" : "{\"name\":");
        nd_json_string(json, c->name);
        nd_sb_printf(json, ",\"ok\":%s,\"noise\":", c->ok ? "true" : "false");
        nd_json_number(json, c->noise);
        nd_sb_puts(json, ",\"scale\":");
        nd_json_number(json, c->scale);
        nd_sb_puts(json, ",\"residual_rms\":");
        nd_json_number(json, c->rms);
        nd_sb_puts(json, ",\"rms_over_noise\":");
        nd_json_number(json, c->rms / c->scale);
        nd_sb_printf(json, ",\"samples\":%zu,\"spiking\":%s", c->samples,
                     c->spiking ? "true" : "false");
        if (c->spiking) {
            nd_sb_puts(json, ",\"threshold\":");
            nd_json_number(json, c->threshold);
            nd_sb_puts(json, ",\"window\":");
            nd_json_number(json, c->window);
            nd_sb_printf(json, ",\"data_spikes\":%zu,\"model_spikes\":%zu,\"missed\":",
                         c->data_spikes, c->model_spikes);
            nd_json_numbers(json, c->missed, c->nmissed);
            nd_sb_puts(json, ",\"extra\":");
            nd_json_numbers(json, c->extra, c->nextra);
            nd_sb_puts(json, ",\"spike_time_errors\":");
            nd_json_numbers(json, c->dt, c->matched);
        }
        nd_sb_putc(json, '}');
    }
    nd_sb_puts(json, "]}");
}

/* "experiments":[{"data":…,"rows":…,"stimulus":…,"verdict":{…}}, …]; texts[k] may be NULL */
static void experiments_json(nd_sb *json, const nd_train_call *tc, const nd_ude_verdict *v,
                             char *const *texts)
{
    nd_sb_puts(json, ",\"experiments\":[");
    for (size_t k = 0; k < tc->ndata; k++) {
        nd_sb_puts(json, k ? ",{\"data\":" : "{\"data\":");
        nd_json_string(json, nd_train_data_name(tc, k));
        nd_sb_printf(json, ",\"rows\":%zu,\"stimulus\":", nd_ds_rows(tc->data[k]));
        const nd_stim *stim = tc->ex[k].stim ? tc->ex[k].stim : nd_ude_stim(tc->u, NULL);
        char *d = stim ? nd_stim_describe(stim) : NULL;
        if (d) nd_json_string(json, d);
        else nd_sb_puts(json, "null");
        free(d);
        if (v) {
            nd_sb_puts(json, ",\"verdict\":");
            verdict_json(json, v[k].ok, &v[k], texts[k]);
        }
        nd_sb_putc(json, '}');
    }
    nd_sb_putc(json, ']');
}

nd_bundle *nd_train_summary(const nd_train_call *tc, const nd_ude_auto_result *res,
                            const nd_ude_verdict *v)
{
    /* No wall-clock times: the summary stays in the notebook and must be the same on
       every run (the live display shows the time while training runs). */
    static const char *const headers[] = {"stage", "iterations", "final loss", "stopped"};
    nd_table *t = nd_table_create(4, headers);
    nd_sb plain, html, json;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_init(&json);
    if (!t) return NULL;
    nd_sb_printf(&plain, "training %s on ", tc->net_name);
    for (size_t k = 0; k < tc->ndata; k++)
        nd_sb_printf(&plain, "%s%s", k ? ", " : "", nd_train_data_name(tc, k));
    nd_sb_putc(&plain, '\n');
    nd_sb_puts(&json, "{\"type\":\"training\",\"network\":");
    nd_json_string(&json, tc->net_name);
    nd_sb_puts(&json, ",\"stages\":[");
    long rejected = 0;
    for (size_t i = 0; i < tc->nst; i++) {
        const nd_train_stage *s = &tc->st[i];
        if (!s->ran) continue;
        char it[32], loss[32];
        snprintf(it, sizeof it, "%ld", s->done);
        snprintf(loss, sizeof loss, "%.4g", s->loss);
        char name[64];
        const char *row[] = {nd_train_stage_name(s, name, sizeof name), it, loss,
                             nd_train_stop_text(s->stop)};
        if (nd_table_add_row(t, row) != 0) plain.oom = 1;
        nd_sb_puts(&json, i ? ",{\"stage\":" : "{\"stage\":");
        nd_json_string(&json, nd_optim_kind_name(s->kind));
        nd_sb_printf(&json, ",\"colloc\":%s,\"segments\":%zu,\"attempt\":%d,"
                     "\"iterations\":%ld,\"loss\":", s->colloc ? "true" : "false",
                     s->segments ? s->segments : 1, s->attempt, s->done);
        nd_json_number(&json, s->loss);
        nd_sb_puts(&json, ",\"stop\":");
        nd_json_string(&json, nd_train_stop_text(s->stop));
        nd_sb_printf(&json, ",\"rejected\":%ld}", s->failures);
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
    if (res && res->attempts) {
        char line[256];
        snprintf(line, sizeof line, "default recipe: %d attempt%s, attempt %d kept (weights "
                 "seed %llu), single-shooting error %.4g", res->attempts,
                 res->attempts == 1 ? "" : "s", res->kept, (unsigned long long)res->seed,
                 res->loss);
        nd_sb_printf(&plain, "%s\n", line);
        nd_sb_printf(&html, "<p>%s</p>", line);
    }
    char *texts[ND_TRAIN_MAX_DATA] = {0};
    char *text = v ? overall_text(tc, v) : NULL;
    int ok = v && all_ok(tc, v);
    for (size_t k = 0; v && k < tc->ndata; k++)
        if (!(texts[k] = nd_ude_verdict_text(&v[k]))) plain.oom = 1;
    if (v && !text) plain.oom = 1;
    /* Several experiments: each one's verdict, then the verdict over all. */
    for (size_t k = 0; v && tc->ndata > 1 && k < tc->ndata; k++) {
        if (!texts[k]) continue;
        nd_sb_printf(&plain, "%s: %s\n", nd_train_data_name(tc, k), texts[k]);
        nd_sb_puts(&html, v[k].ok ? "<p>" : "<p style=\"color:#b00\">");
        nd_html_escape(&html, nd_train_data_name(tc, k));
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
    size_t n;
    const double *h = nd_ude_history(tc->u, &n);
    nd_sb_printf(&json, "],\"rejected\":%ld,\"iterations\":%zu,\"loss\":", rejected, n);
    if (n) nd_json_number(&json, h[n - 1]);
    else nd_sb_puts(&json, "null");
    nd_sb_puts(&json, ",\"history\":");
    nd_json_numbers(&json, h, n);
    if (res && res->attempts) {
        nd_sb_printf(&json, ",\"recipe\":{\"attempts\":%d,\"kept\":%d,\"seed\":%llu,\"loss\":",
                     res->attempts, res->kept, (unsigned long long)res->seed);
        nd_json_number(&json, res->loss);
        nd_sb_printf(&json, ",\"ok\":%s}", res->ok ? "true" : "false");
    }
    if (v) {
        nd_sb_puts(&json, ",\"verdict\":");
        verdict_json(&json, ok, &v[0], text);
    }
    experiments_json(&json, tc, v, texts);
    nd_sb_puts(&json, "}");
    free(text);
    for (size_t k = 0; k < tc->ndata; k++) free(texts[k]);
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), nd_sb_take(&json));
}

/* The stages as a list of records {name, iterations, loss, stopped}. */
static nd_value *stage_list(const nd_train_call *tc)
{
    nd_value *items[ND_TRAIN_MAX_STAGES];
    size_t k = 0;
    int bad = 0;
    for (size_t i = 0; i < tc->nst; i++) {
        const nd_train_stage *s = &tc->st[i];
        if (!s->ran) continue;
        char name[64];
        nd_value *r = nd_value_record("training stage", NULL);
        if (!r || nd_record_add_string(r, "name", nd_train_stage_name(s, name, sizeof name)) ||
            nd_record_add_number(r, "iterations", (double)s->done) ||
            nd_record_add_number(r, "loss", s->loss) ||
            nd_record_add_string(r, "stopped", nd_train_stop_text(s->stop)))
            bad = 1;
        items[k++] = r;
    }
    if (bad) {
        for (size_t i = 0; i < k; i++) nd_value_unref(items[i]);
        return NULL;
    }
    return nd_value_list(items, k);
}

/* The first observed variable's numbers of verdict v (V in a voltage fit; the JSON has
   them all) added to record r; nonzero on ENOMEM. */
static int add_check(nd_value *r, const nd_ude_verdict *v)
{
    const nd_ude_check *c = v->nvar ? &v->var[0] : NULL;
    return !c || nd_record_add_string(r, "variable", c->name) ||
           nd_record_add_number(r, "noise", c->noise) ||
           nd_record_add_number(r, "residual_rms", c->rms) ||
           nd_record_add_number(r, "rms_over_noise", c->rms / c->scale) ||
           nd_record_add_number(r, "data_spikes", c->spiking ? (double)c->data_spikes : NAN) ||
           nd_record_add_number(r, "model_spikes", c->spiking ? (double)c->model_spikes : NAN) ||
           nd_record_add_vector(r, "spike_time_errors", c->dt, c->matched) ||
           nd_record_add_vector(r, "missed_spikes", c->missed, c->nmissed) ||
           nd_record_add_vector(r, "extra_spikes", c->extra, c->nextra);
}

/* The experiments as a list of records {data, ok, verdict, variable, noise, …}. */
static nd_value *experiment_list(const nd_train_call *tc, const nd_ude_verdict *v)
{
    nd_value *items[ND_TRAIN_MAX_DATA];
    int bad = 0;
    for (size_t k = 0; k < tc->ndata; k++) {
        char *text = nd_ude_verdict_text(&v[k]);
        nd_value *r = nd_value_record("training experiment", NULL);
        if (!text || !r || nd_record_add_string(r, "data", nd_train_data_name(tc, k)) ||
            nd_record_add(r, "ok", nd_value_bool(v[k].ok)) ||
            nd_record_add_string(r, "verdict", text) || add_check(r, &v[k]))
            bad = 1;
        free(text);
        items[k] = r;
    }
    if (bad) {
        for (size_t k = 0; k < tc->ndata; k++) nd_value_unref(items[k]);
        return NULL;
    }
    return nd_value_list(items, tc->ndata);
}

nd_value *nd_train_record(const nd_train_call *tc, nd_bundle *view,
                          const nd_ude_auto_result *res, const nd_ude_verdict *v)
{
    nd_value *r = nd_value_record("training", view);
    if (!r) return NULL;
    size_t n;
    const double *h = nd_ude_history(tc->u, &n);
    char *text = overall_text(tc, v);
    int bad = !text || nd_record_add_string(r, "verdict", text) ||
              nd_record_add(r, "ok", nd_value_bool(all_ok(tc, v))) ||
              nd_record_add_number(r, "loss", n ? h[n - 1] : NAN) ||
              nd_record_add_vector(r, "history", h, n) ||
              nd_record_add(r, "stages", stage_list(tc));
    if (!bad) bad = add_check(r, &v[0]);
    if (!bad && res && res->attempts)
        bad = nd_record_add_number(r, "attempts", res->attempts) ||
              nd_record_add_number(r, "attempt_kept", res->kept);
    if (!bad) bad = nd_record_add(r, "experiments", experiment_list(tc, v));
    free(text);
    if (bad) {
        nd_value_unref(r);
        return NULL;
    }
    return r;
}
