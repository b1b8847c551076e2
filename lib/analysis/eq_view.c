/* Eigenvalues as text and equilibria as JSON. */
#include "eq_view.h"

#include <math.h>

#include "../base/textfmt.h"

void nd_eq_view_eigen(nd_sb *sb, const double *re, const double *im, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) nd_sb_puts(sb, ", ");
        if (im[i] != 0 && i + 1 < n && im[i + 1] == -im[i] && re[i + 1] == re[i]) {
            nd_sb_printf(sb, "%.4g \u00b1 %.4gi", re[i], fabs(im[i]));   /* a conjugate pair */
            i++;
        } else if (im[i] != 0) {
            nd_sb_printf(sb, "%.4g %c %.4gi", re[i], im[i] < 0 ? '-' : '+', fabs(im[i]));
        } else {
            nd_sb_printf(sb, "%.4g", re[i]);
        }
    }
}

void nd_eq_view_json_points(nd_sb *sb, const nd_model *m, const char *const *names,
                            const nd_eq_list *l)
{
    size_t n = l->n;
    nd_sb_putc(sb, '[');
    for (size_t k = 0; k < l->count; k++) {
        nd_sb_puts(sb, k ? ",{\"state\":{" : "{\"state\":{");
        for (size_t i = 0; i < n; i++) {
            if (i) nd_sb_putc(sb, ',');
            nd_json_string(sb, names ? names[i] : nd_model_item_at(m, ND_MODEL_STATE, i)->name);
            nd_sb_putc(sb, ':');
            nd_json_number(sb, l->x[k * n + i]);
        }
        nd_sb_puts(sb, "},\"eigenvalues\":[");
        for (size_t i = 0; i < n; i++) {
            nd_sb_puts(sb, i ? ",{\"re\":" : "{\"re\":");
            nd_json_number(sb, l->re[k * n + i]);
            nd_sb_puts(sb, ",\"im\":");
            nd_json_number(sb, l->im[k * n + i]);
            nd_sb_putc(sb, '}');
        }
        nd_sb_puts(sb, "],\"kind\":");
        nd_json_string(sb, nd_eq_kind_name(l->kind[k]));
        nd_sb_printf(sb, ",\"stable\":%s}", nd_eq_kind_stable(l->kind[k]) ? "true" : "false");
    }
    nd_sb_putc(sb, ']');
}
