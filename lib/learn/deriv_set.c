/* Derivatives of a dataset's columns by one or all methods, and the dataset of them
   (deriv_set.h). */
#include "deriv_set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/numfmt.h"
#include "../base/strbuf.h"

int nd_deriv_set_computed(const nd_deriv_set *s, int m)
{
    return s->compare || s->method < 0 || s->method == m;
}

nd_deriv_options nd_deriv_set_shared(const nd_deriv_set *s)
{
    nd_deriv_options all;
    nd_deriv_options_default(&all, ND_DERIV_SAVGOL);
    all.method = nd_deriv_set_computed(s, ND_DERIV_SAVGOL) ? ND_DERIV_SAVGOL : ND_DERIV_FD;
    return all;
}

void nd_deriv_set_options(nd_deriv_set *s, const nd_deriv_options *all)
{
    for (int k = 0; k < ND_DERIV_NMETHODS; k++) {
        nd_deriv_options_default(&s->o[k], (nd_deriv_method)k);
        s->o[k].window = all->window;
        s->o[k].order = all->order;
        s->o[k].iters = all->iters;
        s->o[k].alpha = all->alpha;
    }
}

/* Whether method m goes into the result. */
static int in_result(const nd_deriv_set *s, int m)
{
    return s->method < 0 || s->method == m;
}

/* Prefixes err's message with "METHOD of COLUMN: ". */
static void prefix_message(nd_error *err, int m, const char *column)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_printf(&sb, "%s of %s: %s", nd_deriv_name((nd_deriv_method)m), column, err->msg);
    if (sb.data) snprintf(err->msg, sizeof err->msg, "%s", sb.data);
    nd_sb_free(&sb);
}

nd_status nd_deriv_set_run(nd_deriv_set *s, const atomic_int *interrupt, nd_error *err)
{
    size_t n = nd_ds_rows(s->ds);
    const double *t = nd_ds_col(s->ds, 0);
    if (!(s->tv_info = calloc(s->nvars ? s->nvars : 1, sizeof *s->tv_info)))
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (int m = 0; m < ND_DERIV_NMETHODS; m++) {
        if (!nd_deriv_set_computed(s, m)) continue;
        if (!(s->d[m] = malloc((n ? n : 1) * s->nvars * sizeof *s->d[m])))
            return nd_error_fail(err, ND_ENOMEM, "out of memory");
        for (size_t v = 0; v < s->nvars; v++) {
            const double *x = nd_ds_col(s->ds, (size_t)s->cols[v]);
            nd_deriv_info info;
            nd_status st = nd_deriv_ex(t, x, n, &s->o[m], s->d[m] + v * n, &info, err);
            if (st != ND_OK) {
                if (err) prefix_message(err, m, nd_ds_name(s->ds, (size_t)s->cols[v]));
                return st;
            }
            if (m == ND_DERIV_TV) s->tv_info[v] = info;
            if (interrupt && atomic_load(interrupt))
                return nd_error_fail(err, ND_EINTERRUPT, "interrupted by the user");
        }
    }
    return ND_OK;
}

void nd_deriv_set_clear(nd_deriv_set *s)
{
    for (int m = 0; m < ND_DERIV_NMETHODS; m++) {
        free(s->d[m]);
        s->d[m] = NULL;
    }
    free(s->tv_info);
    s->tv_info = NULL;
}

/* "dV/dt" (suffix: "dV/dt_fd" ...), malloc'ed. */
static char *column_name(const char *var, const char *suffix)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_printf(&sb, "d%s/dt%s%s", var, suffix ? "_" : "", suffix ? suffix : "");
    return nd_sb_take(&sb);
}

/* Sets meta key to the integer x. */
static void meta_int(nd_dataset *ds, const char *key, int x)
{
    char buf[ND_NUMFMT_CAP];
    snprintf(buf, sizeof buf, "%d", x);
    nd_ds_set_meta(ds, key, buf);
}

nd_dataset *nd_deriv_set_dataset(const nd_deriv_set *s)
{
    size_t n = nd_ds_rows(s->ds);
    const char *tname = nd_ds_name(s->ds, 0), *tunit = nd_ds_unit(s->ds, 0);
    nd_dataset *ds = nd_ds_create(1, &tname, &tunit);
    int ok = ds && nd_ds_reserve(ds, n) == 0;
    for (size_t i = 0; ok && i < n; i++) ok = nd_ds_append(ds, &nd_ds_col(s->ds, 0)[i]) == 0;
    for (size_t v = 0; ok && v < s->nvars; v++)
        for (int m = 0; ok && m < ND_DERIV_NMETHODS; m++) {
            if (!in_result(s, m)) continue;
            const char *var = nd_ds_name(s->ds, (size_t)s->cols[v]);
            char *name = column_name(var, s->method < 0 ? nd_deriv_name((nd_deriv_method)m)
                                                        : NULL);
            char *unit = nd_fig_unit_per(nd_ds_unit(s->ds, (size_t)s->cols[v]), tunit);
            ok = name && nd_ds_add_column(ds, name, unit, s->d[m] + v * n) == 0;
            free(name);
            free(unit);
        }
    for (size_t k = 0; ok && k < nd_ds_meta_count(s->ds); k++)
        nd_ds_set_meta(ds, nd_ds_meta_key(s->ds, k), nd_ds_meta_value(s->ds, k));
    if (ok) {
        char buf[ND_NUMFMT_CAP];
        nd_ds_set_meta(ds, "derivative_of", s->src);
        nd_ds_set_meta(ds, "derivative_method", s->method < 0 ? "all"
                       : nd_deriv_name((nd_deriv_method)s->method));
        if (in_result(s, ND_DERIV_SAVGOL)) {
            meta_int(ds, "window", s->o[ND_DERIV_SAVGOL].window);
            meta_int(ds, "order", s->o[ND_DERIV_SAVGOL].order);
        }
        if (in_result(s, ND_DERIV_TV)) {
            nd_ds_set_meta(ds, "alpha", nd_numfmt(s->tv_info[0].alpha, buf));
            meta_int(ds, "iters", s->o[ND_DERIV_TV].iters);
        }
    }
    if (!ok) {
        nd_ds_free(ds);
        return NULL;
    }
    return ds;
}
