/* Noise relative to the signal's range rather than to each value: relative-to-value noise
   would vanish near zero crossings and explode on spikes, which no recording does. */
#include "noise.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/range.h"
#include "../base/rng.h"
#include "../base/strbuf.h"

/* Appends "V: sigma 0.05 × range = 5.83 mV, seed 42" to the "noise" metadata, so a saved
   dataset says how it was made. */
static nd_status note(nd_dataset *ds, int j, double rel_sigma, double sigma, unsigned long seed)
{
    nd_sb sb;
    nd_sb_init(&sb);
    const char *old = nd_ds_meta(ds, "noise");
    if (old) nd_sb_printf(&sb, "%s; ", old);
    nd_sb_printf(&sb, "%s: sigma %g × range = %g", nd_ds_name(ds, (size_t)j), rel_sigma, sigma);
    if (nd_ds_unit(ds, (size_t)j)) nd_sb_printf(&sb, " %s", nd_ds_unit(ds, (size_t)j));
    nd_sb_printf(&sb, ", seed %lu", seed);
    char *text = nd_sb_take(&sb);
    nd_status st = text ? nd_ds_set_meta(ds, "noise", text) : ND_ENOMEM;
    free(text);
    return st;
}

nd_status nd_ds_add_noise(nd_dataset *ds, const char *col, double rel_sigma,
                          unsigned long seed, nd_error *err)
{
    int j = nd_ds_find(ds, col);
    if (j < 0) return nd_error_fail(err, ND_ENAME, "the dataset has no column '%s'", col);
    if (!isfinite(rel_sigma) || rel_sigma < 0)
        return nd_error_fail(err, ND_EVALUE, "noise must be a finite fraction >= 0, not %g",
                             rel_sigma);
    size_t n = nd_ds_rows(ds);
    double *x = nd_ds_col_mut(ds, (size_t)j);
    double lo, hi;
    double sigma = nd_finite_range(x, n, &lo, &hi) ? rel_sigma * (hi - lo) : 0.0;
    nd_rng rng;
    nd_rng_seed(&rng, (uint64_t)seed);
    for (size_t i = 0; i < n; i++) {
        /* drawn for every row, finite or not, so row i's noise does not depend on gaps */
        double z = nd_rng_normal(&rng);
        if (isfinite(x[i])) x[i] += sigma * z;
    }
    if (note(ds, j, rel_sigma, sigma, seed) != ND_OK)
        return nd_error_fail(err, ND_ENOMEM, "out of memory recording the noise");
    return ND_OK;
}
