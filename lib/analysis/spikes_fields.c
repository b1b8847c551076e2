/* The values a spike search and a comparison expose (spikes_view.h). */
#include "spikes_view.h"

nd_fields *nd_spikes_fields(const nd_spikes_report *r)
{
    const nd_spikes *s = r->s;
    nd_fields *f = nd_fields_create("spikes");
    nd_fields_number(f, "count", (double)s->n);
    nd_fields_vector(f, "times", s->times, s->n);
    nd_fields_vector(f, "peak_times", s->peak_times, s->n);
    nd_fields_vector(f, "peaks", s->peaks, s->n);
    double *isi = nd_fields_vector_fill(f, "isi", s->n ? s->n - 1 : 0);
    if (isi) nd_spikes_isi(s, isi);
    nd_fields_number(f, "rate", nd_spikes_isi_rate(s));
    nd_fields_number(f, "count_rate", nd_spikes_rate(s, r->t0, r->t1));
    nd_fields_number(f, "isi_mean", nd_spikes_isi_mean(s));
    nd_fields_number(f, "isi_cv", nd_spikes_isi_cv(s));
    nd_fields_number(f, "threshold", s->threshold);
    nd_fields_string(f, "variable", r->var);
    nd_fields_number(f, "block_start", s->block_start);
    nd_fields_number(f, "t_start", r->t0);
    nd_fields_number(f, "t_end", r->t1);
    return nd_fields_done(f);
}

nd_fields *nd_compare_fields(const nd_compare_report *r)
{
    const nd_compare *c = r->c;
    nd_fields *f = nd_fields_create("compare");
    nd_fields_number(f, "gamma", c->gamma);
    nd_fields_number(f, "matched", (double)c->matched);
    nd_fields_number(f, "missing", (double)c->missing);
    nd_fields_number(f, "extra", (double)c->extra);
    nd_fields_number(f, "dt_mean", c->dt_mean);
    nd_fields_number(f, "dt_max", c->dt_max);
    nd_fields_vector(f, "dt", c->dt, c->matched);
    nd_fields_vector(f, "times_a", r->a, r->na);
    nd_fields_vector(f, "times_b", r->b, r->nb);
    nd_fields_number(f, "rms", r->rms);
    nd_fields_number(f, "delta", c->delta);
    return nd_fields_done(f);
}
