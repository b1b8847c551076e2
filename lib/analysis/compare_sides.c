/* Two sides brought to one window: a train from a record keeps the window it was found
   over, a dataset's spans its samples, and only their overlap is compared. */
#include "compare_sides.h"

#include <math.h>

nd_status nd_compare_side_dataset(const nd_dataset *ds, int col, nd_compare_side *out,
                                  nd_error *err)
{
    out->ds = ds;
    out->col = col;
    nd_status st = nd_spikes_dataset(ds, (size_t)col, NULL, &out->s, NULL, err);
    if (st != ND_OK) return st;
    out->times = out->s.times;
    out->n = out->s.n;
    nd_spikes_window(ds, &out->t0, &out->t1);
    return ND_OK;
}

void nd_compare_side_clear(nd_compare_side *side)
{
    nd_spikes_clear(&side->s);
}

nd_status nd_compare_sides(const nd_compare_side *a, const nd_compare_side *b, double delta,
                           nd_compare *c, nd_compare_report *r, nd_error *err)
{
    double t0 = fmax(a->t0, b->t0), t1 = fmin(a->t1, b->t1);
    if (!(t1 > t0))
        return nd_error_fail(err, ND_EVALUE, "A covers [%g, %g] and B [%g, %g]: no common "
                             "time window", a->t0, a->t1, b->t0, b->t1);
    nd_status st = nd_compare_trains(a->times, a->n, b->times, b->n, t0, t1, delta, c, err);
    if (st != ND_OK) return st;
    *r = (nd_compare_report){c, a->times, b->times, a->n, b->n, NAN, NULL, NULL, t0, t1};
    if (!a->ds || !b->ds) return ND_OK;
    r->var = nd_ds_name(a->ds, (size_t)a->col);
    r->unit = nd_ds_unit(a->ds, (size_t)a->col);
    int bc = nd_ds_find(b->ds, r->var);
    if (bc < 1) return nd_error_fail(err, ND_ENAME, "B has no variable '%s'", r->var);
    r->rms = nd_compare_rms(nd_ds_col(a->ds, 0), nd_ds_col(a->ds, (size_t)a->col),
                            nd_ds_rows(a->ds), nd_ds_col(b->ds, 0), nd_ds_col(b->ds, (size_t)bc),
                            nd_ds_rows(b->ds), t0, t1, NULL);
    return ND_OK;
}
