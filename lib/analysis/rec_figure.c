/* Sweeps share the palette's cycle and stay out of the legend: seventeen entries would
   hide the traces, and the order of the protocol is the order of the colours. */
#include "rec_figure.h"

#include <stdio.h>
#include <stdlib.h>

#include "../base/strbuf.h"

/* Adds channel c's traces of the chosen sweeps to a new panel; 0 ok, -1 ENOMEM. */
static int add_channel(nd_figure *fig, const nd_recording *rec, size_t c, const size_t *sweeps,
                       size_t n)
{
    char *col = nd_rec_column_name(rec, c);
    char *ylabel = col ? nd_fig_label(col, nd_rec_channel_unit(rec, c)) : NULL;
    char *xlabel = nd_fig_label("t", "ms");
    int p = ylabel && xlabel ? nd_fig_add_panel(fig, xlabel, ylabel) : -1;
    free(col);
    free(ylabel);
    free(xlabel);
    for (size_t k = 0; p >= 0 && k < n; k++) {
        size_t s = sweeps ? sweeps[k] : k, len = nd_rec_sweep_len(rec, s);
        double *t = malloc(len * sizeof *t);
        if (!t) return -1;
        for (size_t i = 0; i < len; i++) t[i] = (double)i * nd_rec_sweep_dt(rec, s);
        int ok = nd_fig_add_series(fig, p, NULL, t, nd_rec_data(rec, s, c), len,
                                   (nd_fig_style){.width = 1.0}) >= 0;
        free(t);
        if (!ok) return -1;
    }
    return p >= 0 ? 0 : -1;
}

nd_figure *nd_rec_figure(const nd_recording *rec, const size_t *sweeps, size_t n,
                         const char *title)
{
    if (!sweeps) n = nd_rec_sweeps(rec);
    const char *file = nd_rec_meta(rec, "file"), *protocol = nd_rec_meta(rec, "protocol");
    nd_sb dflt;
    nd_sb_init(&dflt);
    nd_sb_printf(&dflt, "%s: %zu sweep%s", file ? file : "recording", n, n == 1 ? "" : "s");
    if (protocol && *protocol) nd_sb_printf(&dflt, ", protocol %s", protocol);
    nd_figure *fig = dflt.oom ? NULL : nd_fig_create(title ? title : nd_sb_str(&dflt));
    nd_sb_free(&dflt);
    /* recorded channels on top, the commands that drove them below */
    for (int pass = 0; fig && pass < 2; pass++) {
        nd_chan_kind kind = pass == 0 ? ND_CHAN_RECORDED : ND_CHAN_COMMAND;
        for (size_t c = 0; fig && c < nd_rec_channels(rec); c++) {
            if (nd_rec_channel_kind(rec, c) == kind && add_channel(fig, rec, c, sweeps, n) != 0) {
                nd_fig_free(fig);
                fig = NULL;
            }
        }
    }
    return fig;
}
