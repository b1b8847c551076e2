/* One pass over the columns: pick, rename, scale. The continuous solution and stimulus of
   a simulation are not carried over: scaled columns would no longer match them. */
#include "ds_adapt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "units.h"

/* The columns the result takes (indices into ds), or -1 with err set. */
static int pick_columns(const nd_dataset *ds, const nd_ds_adapt *a, size_t *idx, nd_error *err)
{
    size_t n = a->npick ? a->npick : nd_ds_cols(ds);
    for (size_t k = 0; k < n; k++) {
        if (!a->npick) {
            idx[k] = k;
            continue;
        }
        int j = nd_ds_find(ds, a->pick_old[k]);
        if (j < 0) {
            nd_sb have;
            nd_sb_init(&have);
            for (size_t c = 0; c < nd_ds_cols(ds); c++)
                nd_sb_printf(&have, "%s%s", c ? ", " : "", nd_ds_name(ds, c));
            nd_error_fail(err, ND_ENAME, "there is no column '%s' (the columns are: %s)",
                          a->pick_old[k], have.oom ? "?" : nd_sb_str(&have));
            nd_sb_free(&have);
            return -1;
        }
        idx[k] = (size_t)j;
    }
    return 0;
}

/* The unit a column ends in and the factor to it; "" notes nothing converted. */
static const char *target_unit(const char *unit, double area, double *scale, int is_time,
                               const char *time_unit, nd_error *err, int *bad)
{
    const char *from = is_time && time_unit ? time_unit : unit;
    nd_quantity q = nd_unit_quantity(from, scale);
    if (is_time && time_unit && q != ND_Q_TIME) {
        nd_error_fail(err, ND_EVALUE, "time=%s is not a unit of time (s, ms, us)", time_unit);
        *bad = 1;
        return NULL;
    }
    if (q == ND_Q_TIME && is_time) return "ms";
    if (q == ND_Q_POTENTIAL) return "mV";
    if (q == ND_Q_CURRENT && area > 0) {
        *scale *= 1e-6 / area;   /* pA → µA, then per cm² */
        return "\xc2\xb5" "A/cm\xc2\xb2";
    }
    *scale = 1;
    return unit;
}

nd_dataset *nd_ds_adapted(const nd_dataset *ds, const nd_ds_adapt *a, nd_error *err)
{
    size_t n = a->npick ? a->npick : nd_ds_cols(ds);
    size_t *idx = malloc(n * sizeof *idx);
    const char **names = malloc(n * sizeof *names), **units = malloc(n * sizeof *units);
    double *scale = malloc(n * sizeof *scale);
    nd_sb note;
    nd_sb_init(&note);
    nd_dataset *out = NULL;
    int bad = !idx || !names || !units || !scale, density = 0;
    if (bad) nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (!bad && pick_columns(ds, a, idx, err) != 0) bad = 1;
    for (size_t k = 0; !bad && k < n; k++) {
        const char *old = nd_ds_unit(ds, idx[k]);
        names[k] = a->npick && a->pick_new[k] ? a->pick_new[k] : nd_ds_name(ds, idx[k]);
        units[k] = target_unit(old, a->area_cm2, &scale[k], k == 0, a->time_unit, err, &bad);
        density |= !bad && nd_unit_quantity(units[k], NULL) == ND_Q_DENSITY &&
                   nd_unit_quantity(old, NULL) == ND_Q_CURRENT;
        const char *from = k == 0 && a->time_unit ? a->time_unit : old;
        if (!bad && (scale[k] != 1 || (units[k] && from && strcmp(units[k], from) != 0)))
            nd_sb_printf(&note, "%s%s: %s → %s", note.len ? "; " : "", names[k], from, units[k]);
    }
    if (!bad && !(out = nd_ds_create(n, names, units)))
        nd_error_fail(err, ND_EVALUE, "the columns cannot be named so (a name given twice?)");
    size_t rows = nd_ds_rows(ds);
    if (out && nd_ds_reserve(out, rows) != 0) {
        nd_ds_free(out);
        out = NULL;
        nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    double *row = out ? malloc(n * sizeof *row) : NULL;
    int window = a->t_to > a->t_from;
    size_t every = a->every > 1 ? a->every : 1, inside = 0;
    for (size_t i = 0; row && i < rows; i++) {
        double t = nd_ds_col(ds, idx[0])[i] * scale[0];
        if (window && !(t >= a->t_from && t <= a->t_to)) continue;
        if (inside++ % every) continue;
        for (size_t k = 0; k < n; k++) row[k] = nd_ds_col(ds, idx[k])[i] * scale[k];
        nd_ds_append(out, row);   /* reserved */
    }
    int ok = out && row;
    if (ok && (window || every > 1) && nd_ds_rows(out) < 2) {
        nd_error_fail(err, ND_EVALUE, "the window %g..%g ms keeps %zu row%s of the data",
                      a->t_from, a->t_to, nd_ds_rows(out), nd_ds_rows(out) == 1 ? "" : "s");
        ok = 0;
        bad = 1;
    }
    for (size_t m = 0; ok && m < nd_ds_meta_count(ds); m++)
        ok = nd_ds_set_meta(out, nd_ds_meta_key(ds, m), nd_ds_meta_value(ds, m)) == ND_OK;
    if (ok && density) {
        char num[32];
        snprintf(num, sizeof num, "%.6g", a->area_cm2);
        ok = nd_ds_set_meta(out, "area_cm2", num) == ND_OK;
        nd_sb_printf(&note, " over %s cm\xc2\xb2", num);
    }
    if (ok && note.len) ok = nd_ds_set_meta(out, "converted", nd_sb_str(&note)) == ND_OK;
    if (ok && (window || every > 1)) {
        char kept[128] = "", nth[48] = "";
        if (every > 1) snprintf(nth, sizeof nth, "every %zu%s sample", every,
                                every == 2 ? "nd" : every == 3 ? "rd" : "th");
        if (window) snprintf(kept, sizeof kept, "t in [%g, %g] ms%s%s", a->t_from, a->t_to,
                             every > 1 ? ", " : "", nth);
        else snprintf(kept, sizeof kept, "%s", nth);
        ok = nd_ds_set_meta(out, "rows", kept) == ND_OK;
    }
    if (out && !ok) {
        nd_ds_free(out);
        out = NULL;
        if (!bad) nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    nd_sb_free(&note);
    free(row);
    free(idx);
    free(names);
    free(units);
    free(scale);
    return out;
}
