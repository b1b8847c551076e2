/* The gates' x_inf and tau_x against V, as `rates` draws them. */
#include <stdlib.h>

#include "../base/strbuf.h"
#include "rates.h"

nd_figure *nd_rates_figure(const nd_dataset *ds)
{
    size_t ng = (nd_ds_cols(ds) - 1) / 4;
    const char *model = nd_ds_meta(ds, "model"), *v = nd_ds_name(ds, 0);
    nd_sb title;
    nd_sb_init(&title);
    nd_sb_printf(&title, "%s: gate steady states x_inf and time constants tau_x against %s",
                 model ? model : "the model", v);
    nd_figure *fig = title.oom ? NULL : nd_fig_create(title.data);
    nd_sb_free(&title);
    /* tau's unit is the same for every gate: the first one's */
    char *xl = nd_fig_label(v, nd_ds_unit(ds, 0)), *y1 = nd_fig_label("steady state x_inf", NULL);
    char *y2 = nd_fig_label("time constant tau_x", nd_ds_unit(ds, 4));
    int p1 = fig && xl && y1 ? nd_fig_add_panel(fig, xl, y1) : -1;
    int p2 = fig && xl && y2 ? nd_fig_add_panel(fig, xl, y2) : -1;
    free(xl);
    free(y1);
    free(y2);
    int ok = p1 >= 0 && p2 >= 0;
    for (size_t g = 0; ok && g < ng; g++) {
        size_t inf = 1 + 4 * g + 2, tau = 1 + 4 * g + 3;
        ok = nd_fig_add_series(fig, p1, nd_ds_name(ds, inf), nd_ds_col(ds, 0), nd_ds_col(ds, inf),
                               nd_ds_rows(ds), (nd_fig_style){0}) >= 0 &&
             nd_fig_add_series(fig, p2, nd_ds_name(ds, tau), nd_ds_col(ds, 0), nd_ds_col(ds, tau),
                               nd_ds_rows(ds), (nd_fig_style){0}) >= 0;
    }
    if (!ok) {
        nd_fig_free(fig);
        return NULL;
    }
    return fig;
}
