/* What a parameter sweep shows: a summary of the grid and of each measured column, and a
   figure of the first measured column (the table itself is the value the command binds). */
#include "psweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/numfmt.h"
#include "../base/range.h"
#include "../base/strbuf.h"
#include "../base/textfmt.h"
#include "../plot/ds_figure.h"

/* How many leading columns are swept values (metadata axes; 1 for a table without it). */
static size_t axis_count(const nd_dataset *ds)
{
    const char *p = nd_ds_meta(ds, "axes");
    return p ? (size_t)atoi(p) : 1;
}

static double meta_number(const nd_dataset *ds, const char *key)
{
    const char *v = nd_ds_meta(ds, key);
    return v ? strtod(v, NULL) : NAN;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The number of distinct values of column c (a swept axis: finite values) and their
   range; sorted copy, so that a 100000-point axis costs n log n. */
static size_t distinct(const nd_dataset *ds, size_t c, double *lo, double *hi)
{
    size_t n = nd_ds_rows(ds), count = 0;
    if (nd_finite_range(nd_ds_col(ds, c), n, lo, hi) == 0) *lo = *hi = NAN;
    double *v = n ? malloc(n * sizeof *v) : NULL;
    if (!v) return 0;
    memcpy(v, nd_ds_col(ds, c), n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_double);
    for (size_t i = 0; i < n; i++) count += i == 0 || v[i] != v[i - 1];
    free(v);
    return count;
}

static void summarize(nd_sb *sb, const nd_dataset *ds)
{
    size_t na = axis_count(ds), rows = nd_ds_rows(ds);
    char a[ND_NUMFMT_CAP], b[ND_NUMFMT_CAP];
    nd_sb_printf(sb, "sweep of %s: ", nd_ds_meta(ds, "model") ? nd_ds_meta(ds, "model") : "?");
    for (size_t k = 0; k < na; k++) {
        double lo, hi;
        size_t n = distinct(ds, k, &lo, &hi);
        nd_sb_printf(sb, "%s%s = %s … %s (%zu value%s)", k ? " × " : "", nd_ds_name(ds, k),
                     nd_numfmt(lo, a), nd_numfmt(hi, b), n, n == 1 ? "" : "s");
    }
    double done = meta_number(ds, "done");
    nd_sb_printf(sb, "\n%zu point%s", rows, rows == 1 ? "" : "s");
    if (done < (double)rows) nd_sb_printf(sb, "; interrupted: %.0f finished, the rest nan", done);
    double failed = meta_number(ds, "failed");
    if (failed > 0)
        nd_sb_printf(sb, "; %.0f failed (nan), the first: %s", failed, nd_ds_meta(ds, "failure"));
    const char *meas = nd_ds_meta(ds, "measure");
    nd_sb_printf(sb, "\nmeasure %s of %s", meas ? meas : "?",
                 nd_ds_meta(ds, "var") ? nd_ds_meta(ds, "var") : "?");
    if (nd_ds_meta(ds, "t"))
        nd_sb_printf(sb, " over t = %s after a transient of %s", nd_ds_meta(ds, "t"),
                     nd_ds_meta(ds, "transient"));
    for (size_t c = na; c < nd_ds_cols(ds); c++) {
        double lo, hi;
        const char *u = nd_ds_unit(ds, c);
        if (nd_finite_range(nd_ds_col(ds, c), rows, &lo, &hi) == 0)
            nd_sb_printf(sb, "\n  %s: no finite value", nd_ds_name(ds, c));
        else
            nd_sb_printf(sb, "\n  %s: %.4g … %.4g%s%s", nd_ds_name(ds, c), lo, hi,
                         u && *u ? " " : "", u ? u : "");
    }
}

static char *sweep_json(const nd_dataset *ds)
{
    size_t na = axis_count(ds), rows = nd_ds_rows(ds), nx, ny;
    json_t *j = json_object(), *axes = json_array(), *cols = json_array();
    int rc = j && axes && cols ? 0 : -1;
    for (size_t k = 0; rc == 0 && k < na; k++) {
        double lo, hi;
        size_t n = distinct(ds, k, &lo, &hi);
        json_t *o = json_object();
        rc |= nd_json_put(o, "name", nd_json_utf8(nd_ds_name(ds, k))) |
              nd_json_put(o, "n", json_integer((json_int_t)n)) |
              nd_json_put(o, "min", nd_json_real(lo)) | nd_json_put(o, "max", nd_json_real(hi));
        rc |= nd_json_push(axes, o);
    }
    for (size_t c = na; rc == 0 && c < nd_ds_cols(ds); c++) {
        double lo = NAN, hi = NAN;
        nd_finite_range(nd_ds_col(ds, c), rows, &lo, &hi);
        json_t *o = json_object();
        rc |= nd_json_put(o, "name", nd_json_utf8(nd_ds_name(ds, c))) |
              nd_json_put(o, "unit", nd_json_utf8(nd_ds_unit(ds, c) ? nd_ds_unit(ds, c) : "")) |
              nd_json_put(o, "min", nd_json_real(lo)) | nd_json_put(o, "max", nd_json_real(hi));
        rc |= nd_json_push(cols, o);
    }
    json_t *shape = json_null();
    if (nd_ds_grid_shape(ds, &nx, &ny)) {
        json_decref(shape);
        shape = json_pack("[II]", (json_int_t)nx, (json_int_t)ny);
    }
    rc |= nd_json_put(j, "type", json_string("sweep")) |
          nd_json_put(j, "model", nd_json_utf8(nd_ds_meta(ds, "model"))) |
          nd_json_put(j, "measure", nd_json_utf8(nd_ds_meta(ds, "measure"))) |
          nd_json_put(j, "var", nd_json_utf8(nd_ds_meta(ds, "var"))) |
          nd_json_put(j, "axes", axes) | nd_json_put(j, "columns", cols) |
          nd_json_put(j, "grid_shape", shape) |
          nd_json_put(j, "points", json_integer((json_int_t)rows)) |
          nd_json_put(j, "done", json_integer((json_int_t)meta_number(ds, "done")));
    double failed = meta_number(ds, "failed");
    rc |= nd_json_put(j, "failed", json_integer(failed > 0 ? (json_int_t)failed : 0)) |
          nd_json_put(j, "failure", failed > 0 ? nd_json_utf8(nd_ds_meta(ds, "failure"))
                                               : json_null());
    return nd_json_dump(nd_json_ok(j, rc));
}

nd_bundle *nd_psweep_bundle(const nd_dataset *ds)
{
    nd_sb plain, html;
    nd_sb_init(&plain);
    nd_sb_init(&html);
    summarize(&plain, ds);
    nd_sb_puts(&html, "<pre>");
    nd_html_escape(&html, plain.data ? plain.data : "");
    nd_sb_puts(&html, "</pre>");
    return nd_bundle_take3(nd_sb_take(&plain), nd_sb_take(&html), sweep_json(ds));
}

nd_figure *nd_psweep_figure(const nd_dataset *ds)
{
    size_t na = axis_count(ds);
    if (na > 2 || nd_ds_cols(ds) <= na) return NULL;
    /* The column that says most: the rate where there is one, the resting value of an
       equilibrium sweep (its last column), else the first measured. */
    int rate = nd_ds_find(ds, "rate");
    const char *meas = nd_ds_meta(ds, "measure");
    size_t col = rate >= (int)na ? (size_t)rate
                 : meas && strcmp(meas, "fixed") == 0 ? nd_ds_cols(ds) - 1 : na;
    const char *var = nd_ds_name(ds, col);
    nd_ds_plot p = {"sweep", ds, &var, 1};
    char *title = nd_ds_plot_title(&p, 1, NULL);
    nd_figure *fig = title ? nd_ds_plot_figure(&p, 1, NULL, title) : NULL;
    free(title);
    return fig;
}
