/* Channels by their column names (V, I), as sweeps become datasets: the same names find
   the same data whether a recording or one of its sweeps is measured. */
#include "ephys_source.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ephys_view.h"

/* The channel whose column is called name, or -1. */
static int channel_called(const nd_recording *rec, const char *name)
{
    for (size_t c = 0; c < nd_rec_channels(rec); c++) {
        char *col = nd_rec_column_name(rec, c);
        int same = col && strcmp(col, name) == 0;
        free(col);
        if (same) return (int)c;
    }
    return -1;
}

/* The F–I curve of the cell, titled after the recording's file. */
static nd_status fi_figure(const nd_recording *rec, const nd_ephys_cell *cell,
                           const char *unit, nd_figure **fig, nd_error *err)
{
    const char *file = nd_rec_meta(rec, "file");
    char title[300];
    snprintf(title, sizeof title, "%s: F–I curve", file ? file : "recording");
    *fig = nd_ephys_fi_figure(cell, title, unit);
    return *fig ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

nd_status nd_ephys_of_recording(const nd_recording *rec, double start, double end,
                                nd_ephys_sweep **sweeps, nd_ephys_cell *cell,
                                const char **current_unit, nd_figure **fig, nd_error *err)
{
    *sweeps = NULL;
    if (fig) *fig = NULL;
    int v = channel_called(rec, "V"), i = channel_called(rec, "I");
    if (v < 0)
        return nd_error_fail(err, ND_EVALUE, "the recording has no membrane potential (a channel "
                             "in V or mV): features need current-clamp sweeps");
    nd_status st = ND_OK;
    if (isnan(start) && i < 0)
        st = nd_error_fail(err, ND_EVALUE, "the recording has no current channel to find the "
                           "stimulus in; give the window (window=START..END in ms)");
    if (st == ND_OK && isnan(start)) st = nd_ephys_protocol_window(rec, (size_t)i, &start, &end, err);
    if (st == ND_OK) st = nd_ephys_recording(rec, (size_t)v, i, start, end, NULL, sweeps, err);
    if (st != ND_OK) return st;
    size_t n = nd_rec_sweeps(rec);
    *current_unit = i >= 0 ? "pA" : NULL;
    if ((st = nd_ephys_cell_analyze(*sweeps, n, cell, err)) == ND_OK && fig && n > 1 &&
        (st = fi_figure(rec, cell, *current_unit, fig, err)) != ND_OK)
        nd_ephys_cell_clear(cell);
    if (st != ND_OK) {
        nd_ephys_sweeps_free(*sweeps, n);
        *sweeps = NULL;
    }
    return st;
}

nd_status nd_ephys_of_dataset(const nd_dataset *ds, double start, double end,
                              nd_ephys_sweep *out, const char **current_unit, nd_error *err)
{
    int v = nd_ds_find(ds, "V"), ic = nd_ds_find(ds, "I");
    if (v < 0) return nd_error_fail(err, ND_EVALUE, "features need a column V (the membrane potential)");
    size_t n = nd_ds_rows(ds);
    double *stim = NULL;
    const nd_stim *sim = nd_ds_stim(ds);
    if (ic < 0 && sim && isnan(start)) {
        if (!(stim = malloc((n ? n : 1) * sizeof *stim))) return nd_error_fail(err, ND_ENOMEM, "out of memory");
        for (size_t k = 0; k < n; k++) stim[k] = nd_stim_eval(sim, nd_ds_col(ds, 0)[k]);
    }
    const double *i = ic >= 0 ? nd_ds_col(ds, (size_t)ic) : stim;
    nd_ephys_trace tr = {nd_ds_col(ds, 0), nd_ds_col(ds, (size_t)v), i, n, n, i ? n : 0,
                         start, end, NAN};
    nd_status st = nd_ephys_sweep_analyze(&tr, NULL, out, err);
    free(stim);
    *current_unit = ic >= 0 ? nd_ds_unit(ds, (size_t)ic) : NULL;
    return st;
}
