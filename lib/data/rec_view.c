/* A recording's sweeps are listed in full: protocols have tens of sweeps, not thousands. */
#include "rec_view.h"

#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/strbuf.h"
#include "../base/table.h"
#include "../base/textfmt.h"

/* The common sample interval of the sweeps and their common duration (ms), or NaN when
   they differ. */
static void common_timing(const nd_recording *rec, double *dt, double *dur)
{
    *dt = *dur = 0.0 / 0.0;
    for (size_t s = 0; s < nd_rec_sweeps(rec); s++) {
        double d = nd_rec_sweep_dt(rec, s), len = d * (double)nd_rec_sweep_len(rec, s);
        if (s == 0) {
            *dt = d;
            *dur = len;
        }
        if (d != *dt) *dt = 0.0 / 0.0;
        if (len != *dur) *dur = 0.0 / 0.0;
    }
}

static const char *file_name(const nd_recording *rec)
{
    const char *f = nd_rec_meta(rec, "file");
    return f ? f : "";
}

char *nd_rec_summary(const nd_recording *rec)
{
    nd_sb sb;
    nd_sb_init(&sb);
    size_t ns = nd_rec_sweeps(rec);
    nd_sb_printf(&sb, "recording %s%s(%s): %zu sweep%s", file_name(rec),
                 *file_name(rec) ? " " : "", nd_rec_format(rec), ns, ns == 1 ? "" : "s");
    double dt, dur;
    common_timing(rec, &dt, &dur);
    if (ns && dur == dur) nd_sb_printf(&sb, " of %.6g ms", dur);
    if (ns && dt == dt) nd_sb_printf(&sb, " at %.6g kHz", 1.0 / dt);
    for (size_t c = 0; c < nd_rec_channels(rec); c++) {
        char *col = nd_rec_column_name(rec, c);
        const char *unit = nd_rec_channel_unit(rec, c), *name = nd_rec_channel_name(rec, c);
        int renamed = col && strcmp(col, name) != 0;
        int command = nd_rec_channel_kind(rec, c) == ND_CHAN_COMMAND;
        nd_sb_printf(&sb, "%s %s", c ? "," : ";", col ? col : name);
        if (unit) nd_sb_printf(&sb, " [%s]", unit);
        if (renamed || command)
            nd_sb_printf(&sb, " (%s%s%s)", renamed ? name : "", renamed && command ? ", " : "",
                         command ? "command" : "");
        free(col);
    }
    const char *protocol = nd_rec_meta(rec, "protocol");
    if (protocol && *protocol) nd_sb_printf(&sb, "; protocol %s", protocol);
    return nd_sb_take(&sb);
}

/* "min … max" of x[0..n). */
static void range_cell(const double *x, size_t n, char *out, size_t cap)
{
    double lo = x[0], hi = x[0];
    for (size_t i = 1; i < n; i++) {
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
    }
    /* six digits: a display of ADC samples, the values themselves are in the JSON-free
       dataset of each sweep */
    if (lo == hi) snprintf(out, cap, "%.6g", lo);
    else snprintf(out, cap, "%.6g … %.6g", lo, hi);
}

static nd_table *sweep_table(const nd_recording *rec)
{
    size_t nc = nd_rec_channels(rec), ncols = 3 + nc;
    const char **heads = calloc(ncols, sizeof *heads);
    char **names = calloc(nc, sizeof *names);
    nd_table *t = NULL;
    if (heads && names) {
        heads[0] = "sweep";
        heads[1] = "start (s)";
        heads[2] = "ms";
        for (size_t c = 0; c < nc; c++) {
            char *col = nd_rec_column_name(rec, c);
            const char *unit = nd_rec_channel_unit(rec, c);
            size_t cap = (col ? strlen(col) : 0) + (unit ? strlen(unit) : 0) + 4;
            if (col && (names[c] = malloc(cap)))
                snprintf(names[c], cap, unit ? "%s [%s]" : "%s", col, unit);
            free(col);
            heads[3 + c] = names[c] ? names[c] : "";
        }
        t = nd_table_create(ncols, heads);
    }
    char (*cells)[64] = t ? calloc(ncols, sizeof *cells) : NULL;
    const char **row = cells ? calloc(ncols, sizeof *row) : NULL;
    for (size_t s = 0; row && s < nd_rec_sweeps(rec); s++) {
        size_t n = nd_rec_sweep_len(rec, s);
        snprintf(cells[0], 64, "%zu", s + 1);
        snprintf(cells[1], 64, "%.6g", nd_rec_sweep_t0(rec, s) / 1000.0);
        snprintf(cells[2], 64, "%.6g", (double)n * nd_rec_sweep_dt(rec, s));
        for (size_t c = 0; c < nc; c++) range_cell(nd_rec_data(rec, s, c), n, cells[3 + c], 64);
        for (size_t k = 0; k < ncols; k++) row[k] = cells[k];
        if (nd_table_add_row(t, row) != 0) break;
    }
    int ok = row != NULL;
    free(row);
    free(cells);
    for (size_t c = 0; names && c < nc; c++) free(names[c]);
    free(names);
    free(heads);
    if (!ok) {
        nd_table_free(t);
        return NULL;
    }
    return t;
}

static json_t *rec_json(const nd_recording *rec)
{
    json_t *j = json_object(), *chans = json_array(), *sweeps = json_array(), *meta = json_object();
    int rc = !j || !chans || !sweeps || !meta;
    for (size_t c = 0; !rc && c < nd_rec_channels(rec); c++) {
        json_t *ch = json_object();
        char *col = nd_rec_column_name(rec, c);
        const char *unit = nd_rec_channel_unit(rec, c);
        rc |= !ch || nd_json_put(ch, "name", json_string(nd_rec_channel_name(rec, c))) |
              nd_json_put(ch, "column", col ? json_string(col) : NULL) |
              nd_json_put(ch, "unit", unit ? json_string(unit) : json_null()) |
              nd_json_put(ch, "kind", json_string(nd_rec_channel_kind(rec, c) == ND_CHAN_COMMAND
                                                  ? "command" : "recorded"));
        free(col);
        rc |= nd_json_push(chans, ch);
    }
    for (size_t s = 0; !rc && s < nd_rec_sweeps(rec); s++) {
        json_t *sw = json_object();
        rc |= !sw || nd_json_put(sw, "sweep", json_integer((json_int_t)s + 1)) |
              nd_json_put(sw, "t0", nd_json_real(nd_rec_sweep_t0(rec, s))) |
              nd_json_put(sw, "dt", nd_json_real(nd_rec_sweep_dt(rec, s))) |
              nd_json_put(sw, "samples", json_integer((json_int_t)nd_rec_sweep_len(rec, s)));
        rc |= nd_json_push(sweeps, sw);
    }
    for (size_t i = 0; !rc && i < nd_rec_meta_count(rec); i++)
        rc |= nd_json_put(meta, nd_rec_meta_key(rec, i), json_string(nd_rec_meta_value(rec, i)));
    if (rc) {
        json_decref(chans);
        json_decref(sweeps);
        json_decref(meta);
        json_decref(j);
        return NULL;
    }
    rc = nd_json_put(j, "type", json_string("recording")) |
         nd_json_put(j, "format", json_string(nd_rec_format(rec))) |
         nd_json_put(j, "sweeps", json_integer((json_int_t)nd_rec_sweeps(rec))) |
         nd_json_put(j, "channels", chans) | nd_json_put(j, "sweep_table", sweeps) |
         nd_json_put(j, "meta", meta);
    if (rc) {
        json_decref(j);
        return NULL;
    }
    return j;
}

nd_bundle *nd_rec_bundle(const nd_recording *rec)
{
    char *summary = nd_rec_summary(rec);
    nd_table *t = summary ? sweep_table(rec) : NULL;
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    if (t) {
        nd_sb_printf(&plain, "%s\n", summary);
        nd_table_text(t, &plain);
        nd_sb_puts(&html, "<p>");
        nd_html_escape(&html, summary);
        nd_sb_puts(&html, "</p>");
        nd_table_html(t, &html);
    }
    nd_table_free(t);
    free(summary);
    char *json = t ? nd_json_dump(rec_json(rec)) : NULL;
    if (!json) {
        nd_sb_free(&plain);
        nd_sb_free(&html);
        return NULL;
    }
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), json);
}
