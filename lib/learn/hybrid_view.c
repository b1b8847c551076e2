/* The replaced terms read as a call of the network on its inputs, so the equations say
   what the network sees. */
#include "hybrid_view.h"

#include "../base/strbuf.h"

nd_bundle *nd_ude_equations(const nd_ude *u)
{
    size_t n = nd_ude_nreplace(u);
    const char *learned[n ? n : 1];
    for (size_t i = 0; i < n; i++) learned[i] = nd_ude_replace(u, i);
    nd_sb as;
    nd_sb_init(&as);
    nd_sb_puts(&as, "network(");
    for (size_t k = 0; k < nd_ude_ninputs(u); k++)
        nd_sb_printf(&as, "%s%s", k ? ", " : "", nd_ude_input(u, k));
    nd_sb_putc(&as, ')');
    int par;
    const nd_stim *stim = nd_ude_stim(u, &par);
    nd_bundle *b = as.oom ? NULL
                          : nd_model_equations(nd_ude_model(u), stim, par, learned, n, as.data);
    nd_sb_free(&as);
    return b;
}
