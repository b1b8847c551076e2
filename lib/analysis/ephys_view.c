/* The sweep table shows the first spike's shape: it is the one every protocol has, and the
   one the literature's tables report (ipfx's "first spike" features of the rheobase
   sweep). All spikes are in the JSON. */
#include "ephys_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"

/* A number for a table cell: 4 significant digits, "–" for NAN. */
static const char *cell_num(char *buf, size_t cap, double x)
{
    if (isnan(x)) snprintf(buf, cap, "–");
    else snprintf(buf, cap, "%.4g", x);
    return buf;
}

enum { NCOLS = 13 };

static nd_table *sweep_table(const nd_ephys_sweep *s, size_t n, const char *unit)
{
    char amp[48];
    snprintf(amp, sizeof amp, "I [%s]", unit ? unit : "?");
    const char *heads[NCOLS] = {"sweep", amp, "spikes", "rate [Hz]", "latency [ms]",
                                "threshold [mV]", "peak [mV]", "half-width [ms]", "AHP [mV]",
                                "adaptation", "sag", "tau [ms]", "steady [mV]"};
    nd_table *t = nd_table_create(NCOLS, heads);
    char c[NCOLS][32];
    const char *row[NCOLS];
    for (size_t k = 0; t && k < n; k++) {
        const nd_ephys_sweep *w = &s[k];
        const nd_ephys_spike *first = w->n_spikes ? &w->spikes[0] : NULL;
        snprintf(c[0], sizeof c[0], "%zu", k + 1);
        cell_num(c[1], 32, w->amplitude);
        snprintf(c[2], sizeof c[2], "%zu", w->n_spikes);
        cell_num(c[3], 32, w->rate);
        cell_num(c[4], 32, w->latency);
        cell_num(c[5], 32, first ? first->threshold_v : NAN);
        cell_num(c[6], 32, first ? first->peak_v : NAN);
        cell_num(c[7], 32, first ? first->half_width : NAN);
        cell_num(c[8], 32, first ? first->ahp_depth : NAN);
        cell_num(c[9], 32, w->adaptation);
        cell_num(c[10], 32, w->sag);
        cell_num(c[11], 32, w->tau);
        cell_num(c[12], 32, w->steady);
        for (int j = 0; j < NCOLS; j++) row[j] = c[j];
        if (nd_table_add_row(t, row) != 0) {
            nd_table_free(t);
            return NULL;
        }
    }
    return t;
}

static void cell_text(nd_sb *sb, const nd_ephys_cell *c, const char *unit)
{
    char a[32], b[32], d[32], e[32], f[32];
    nd_sb_printf(sb, "cell: rheobase %s %s, input resistance %s MΩ, tau %s ms, sag %s",
                 cell_num(a, 32, c->rheobase), unit ? unit : "", cell_num(b, 32, c->input_resistance),
                 cell_num(d, 32, c->tau), cell_num(e, 32, c->sag));
    if (!isnan(c->sag)) nd_sb_printf(sb, " (at %s %s)", cell_num(f, 32, c->sag_amplitude), unit ? unit : "");
    nd_sb_printf(sb, ", F–I slope %s Hz/%s", cell_num(a, 32, c->fi_slope), unit ? unit : "unit");
    if (c->notes[0]) nd_sb_printf(sb, "\nnot measured: %s", c->notes);
}

static json_t *spike_json(const nd_ephys_spike *p)
{
    json_t *j = json_object();
    int rc = !j || nd_json_put(j, "threshold_t", nd_json_real(p->threshold_t)) |
             nd_json_put(j, "threshold_v", nd_json_real(p->threshold_v)) |
             nd_json_put(j, "peak_t", nd_json_real(p->peak_t)) |
             nd_json_put(j, "peak_v", nd_json_real(p->peak_v)) |
             nd_json_put(j, "upstroke", nd_json_real(p->upstroke)) |
             nd_json_put(j, "amplitude", nd_json_real(p->amplitude)) |
             nd_json_put(j, "half_width", nd_json_real(p->half_width)) |
             nd_json_put(j, "trough_t", nd_json_real(p->trough_t)) |
             nd_json_put(j, "trough_v", nd_json_real(p->trough_v)) |
             nd_json_put(j, "ahp_depth", nd_json_real(p->ahp_depth)) |
             nd_json_put(j, "clipped", json_boolean(p->clipped)) |
             nd_json_put(j, "threshold_lost", json_boolean(p->threshold_lost));
    if (rc) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static json_t *sweep_json(const nd_ephys_sweep *w)
{
    json_t *j = json_object(), *spikes = json_array();
    int rc = !j || !spikes;
    for (size_t k = 0; !rc && k < w->n_spikes; k++) rc |= nd_json_push(spikes, spike_json(&w->spikes[k]));
    if (rc) {
        json_decref(spikes);
        json_decref(j);
        return NULL;
    }
    rc = nd_json_put(j, "start", nd_json_real(w->start)) | nd_json_put(j, "end", nd_json_real(w->end)) |
         nd_json_put(j, "amplitude", nd_json_real(w->amplitude)) |
         nd_json_put(j, "spike_count", json_integer((json_int_t)w->n_spikes)) |
         nd_json_put(j, "rate", nd_json_real(w->rate)) |
         nd_json_put(j, "latency", nd_json_real(w->latency)) |
         nd_json_put(j, "isi_mean", nd_json_real(w->isi_mean)) |
         nd_json_put(j, "isi_cv", nd_json_real(w->isi_cv)) |
         nd_json_put(j, "adaptation", nd_json_real(w->adaptation)) |
         nd_json_put(j, "baseline", nd_json_real(w->baseline)) |
         nd_json_put(j, "v_min", nd_json_real(w->v_min)) |
         nd_json_put(j, "steady", nd_json_real(w->steady)) |
         nd_json_put(j, "sag", nd_json_real(w->sag)) | nd_json_put(j, "tau", nd_json_real(w->tau)) |
         nd_json_put(j, "spikes", spikes);
    if (rc) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static json_t *cell_json(const nd_ephys_cell *c)
{
    json_t *j = json_object();
    int rc = !j || nd_json_put(j, "rheobase", nd_json_real(c->rheobase)) |
             nd_json_put(j, "input_resistance", nd_json_real(c->input_resistance)) |
             nd_json_put(j, "tau", nd_json_real(c->tau)) | nd_json_put(j, "sag", nd_json_real(c->sag)) |
             nd_json_put(j, "sag_amplitude", nd_json_real(c->sag_amplitude)) |
             nd_json_put(j, "fi_slope", nd_json_real(c->fi_slope)) |
             nd_json_put(j, "fi_amplitude", nd_json_reals(c->amplitude, c->n)) |
             nd_json_put(j, "fi_rate", nd_json_reals(c->rate, c->n)) |
             nd_json_put(j, "hyperpolarising_sweeps", json_integer((json_int_t)c->n_hyper)) |
             nd_json_put(j, "notes", json_string(c->notes));
    if (rc) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static char *features_json(const nd_ephys_sweep *s, size_t n, const nd_ephys_cell *cell,
                           const char *unit)
{
    json_t *j = json_object(), *sweeps = json_array();
    int rc = !j || !sweeps;
    for (size_t k = 0; !rc && k < n; k++) rc |= nd_json_push(sweeps, sweep_json(&s[k]));
    if (rc) {
        json_decref(sweeps);
        json_decref(j);
        return NULL;
    }
    rc = nd_json_put(j, "type", json_string("features")) |
         nd_json_put(j, "current_unit", unit ? json_string(unit) : json_null()) |
         nd_json_put(j, "cell", cell ? cell_json(cell) : json_null()) |
         nd_json_put(j, "sweeps", sweeps);
    if (rc) {
        json_decref(j);
        return NULL;
    }
    return nd_json_dump(j);
}

nd_bundle *nd_ephys_bundle(const nd_ephys_sweep *s, size_t n, const nd_ephys_cell *cell,
                           const char *current_unit)
{
    nd_table *t = sweep_table(s, n, current_unit);
    nd_sb plain, html, head;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    nd_sb_init(&head);
    if (cell) cell_text(&head, cell, current_unit);
    if (t) {
        if (head.len) nd_sb_printf(&plain, "%s\n", nd_sb_str(&head));
        nd_table_text(t, &plain);
        if (head.len) {
            nd_sb_puts(&html, "<p>");
            nd_html_escape(&html, nd_sb_str(&head));
            nd_sb_puts(&html, "</p>");
        }
        nd_table_html(t, &html);
    }
    nd_table_free(t);
    nd_sb_free(&head);
    char *json = t ? features_json(s, n, cell, current_unit) : NULL;
    if (!json) {
        nd_sb_free(&plain);
        nd_sb_free(&html);
        return NULL;
    }
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), json);
}

nd_figure *nd_ephys_fi_figure(const nd_ephys_cell *cell, const char *title,
                              const char *current_unit)
{
    nd_figure *fig = nd_fig_create(title);
    char *xl = nd_fig_label("step amplitude", current_unit), *yl = nd_fig_label("rate", "Hz");
    int p = fig && xl && yl ? nd_fig_add_panel(fig, xl, yl) : -1;
    free(xl);
    free(yl);
    int ok = p >= 0 && nd_fig_add_series(fig, p, "F–I curve", cell->amplitude, cell->rate, cell->n,
                                         (nd_fig_style){.marker = ND_FIG_CIRCLE}) >= 0;
    if (ok && !isnan(cell->rheobase)) {
        /* the rheobase as a vertical line across the data's range of rates */
        double hi = 0;
        for (size_t k = 0; k < cell->n; k++) if (cell->rate[k] > hi) hi = cell->rate[k];
        double x[2] = {cell->rheobase, cell->rheobase}, y[2] = {0, hi};
        ok = nd_fig_add_series(fig, p, "rheobase", x, y, 2,
                               (nd_fig_style){.line = ND_FIG_DASHED, .color = ND_FIG_GRAY}) >= 0;
    }
    if (!ok) {
        nd_fig_free(fig);
        return NULL;
    }
    return fig;
}
