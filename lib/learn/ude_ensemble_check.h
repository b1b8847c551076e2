/* An ensemble of hybrids checked as `train … ensemble=N`, `plot ENS.TERM` and `eval
   ENS.TERM` check it (ude_ensemble.h, ude_ensemble_view.h): its bands against datasets
   with their figures, its first replaced term against the truth, and a term's band as a
   dataset. */
#ifndef ND_LEARN_UDE_ENSEMBLE_CHECK_H
#define ND_LEARN_UDE_ENSEMBLE_CHECK_H

#include "ude_ensemble_view.h"

/* One dataset's check: its numbers, the band and its figure. */
typedef struct nd_ude_ens_checked {
    nd_ude_ens_check c;
    nd_ens_band b;
    nd_ude_plot p;
} nd_ude_ens_checked;

/* nd_ude_ens_check_data of the n members of net_name on ex (data ds named data_name),
   then its figure titled title (NULL: "ensemble of N NET against DATA"): out. Errors of
   both. */
nd_status nd_ude_ens_check_figure(nd_ude *const *member, size_t n, const char *net_name,
                                  const nd_ude_experiment *ex, const nd_dataset *ds,
                                  const char *data_name, const char *const *observe,
                                  const atomic_int *interrupt, const char *title,
                                  nd_ude_ens_checked *out, nd_error *err);

/* Frees what k holds and zeroes it. */
void nd_ude_ens_checked_clear(nd_ude_ens_checked *k);

/* The band of net's first replaced term over the n members along truth's rows against
   the true term of that name: b, the true values in *tv (malloc'ed), the share inside
   the band in *cover and its figure in p. Errors of nd_ude_ens_term_band; ND_ENOMEM. */
nd_status nd_ude_ens_truth_check(nd_ude *const *member, size_t n, const nd_ude *net,
                                 const char *net_name, const nd_dataset *truth,
                                 nd_ens_band *b, double **tv, double *cover, nd_ude_plot *p,
                                 nd_error *err);

/* The figure of band b of term over the n members of ens_name (net one of them) along
   ds's times against the true true_name (values tv; NULL: none), in the unit of net's
   true model, titled title (NULL: "ENS.TERM over N members[ vs TRUE]"). ND_ENOMEM. */
nd_status nd_ude_ens_term_figure(const nd_ude *net, const nd_ens_band *b, size_t n,
                                 const nd_dataset *ds, const double *tv, const char *ens_name,
                                 const char *term, const char *true_name, const char *title,
                                 nd_ude_plot *p, nd_error *err);

/* The band b of term (of ensemble ens_name, net one of its members) along ds's times as
   a dataset: t, TERM, "TERM sd", "TERM lo", "TERM hi" and, when tv is not NULL, "true
   TRUE" (true_name NULL: term), in the unit of net's true model, with the metadata
   ensemble, term and band. ND_ENOMEM. */
nd_status nd_ude_ens_term_dataset(const nd_ude *net, const nd_ens_band *b, const nd_dataset *ds,
                                  const double *tv, const char *ens_name, const char *term,
                                  const char *true_name, nd_dataset **out, nd_error *err);

#endif
