/* The values `features` exposes (ephys_view.h): cell values as numbers, per-sweep values
   as vectors. */
#include <math.h>
#include <stddef.h>

#include "ephys_view.h"

/* The first spike's value of field f per sweep (NAN for a silent one). */
static double first_spike(const nd_ephys_sweep *w, size_t field)
{
    if (!w->n_spikes) return NAN;
    const nd_ephys_spike *p = &w->spikes[0];
    const double v[] = {p->threshold_v, p->peak_v, p->half_width, p->ahp_depth};
    return v[field];
}

nd_fields *nd_ephys_fields(const nd_ephys_sweep *s, size_t n, const nd_ephys_cell *cell)
{
    nd_fields *r = nd_fields_create("features");
    static const char *const spike_fields[] = {"threshold", "peak", "half_width", "ahp_depth"};
    for (size_t f = 0; f < 4; f++) {
        double *col = nd_fields_vector_fill(r, spike_fields[f], n);
        for (size_t k = 0; col && k < n; k++) col[k] = first_spike(&s[k], f);
    }
    const struct { const char *name; size_t off; } sweep_fields[] = {
        {"amplitude", offsetof(nd_ephys_sweep, amplitude)},
        {"rate", offsetof(nd_ephys_sweep, rate)},
        {"latency", offsetof(nd_ephys_sweep, latency)},
        {"adaptation", offsetof(nd_ephys_sweep, adaptation)},
        {"isi_mean", offsetof(nd_ephys_sweep, isi_mean)},
        {"sag_sweep", offsetof(nd_ephys_sweep, sag)},
        {"tau_sweep", offsetof(nd_ephys_sweep, tau)},
    };
    for (size_t f = 0; f < sizeof sweep_fields / sizeof sweep_fields[0]; f++) {
        double *col = nd_fields_vector_fill(r, sweep_fields[f].name, n);
        for (size_t k = 0; col && k < n; k++)
            col[k] = *(const double *)((const char *)&s[k] + sweep_fields[f].off);
    }
    double *col = nd_fields_vector_fill(r, "spike_count", n);
    for (size_t k = 0; col && k < n; k++) col[k] = (double)s[k].n_spikes;
    if (cell) {
        nd_fields_number(r, "rheobase", cell->rheobase);
        nd_fields_number(r, "input_resistance", cell->input_resistance);
        nd_fields_number(r, "tau", cell->tau);
        nd_fields_number(r, "sag", cell->sag);
        nd_fields_number(r, "fi_slope", cell->fi_slope);
    }
    return nd_fields_done(r);
}
