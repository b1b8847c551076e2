/* Equilibria as records, the values `fixed` and `stability` bind (their views come from
   lib/analysis/eq_view.h). */
#ifndef ND_COMMANDS_EQ_RECORD_H
#define ND_COMMANDS_EQ_RECORD_H

#include "../analysis/equilibria.h"
#include "../base/bundle.h"
#include "../language/value.h"

/* Returns point k of l as a record of type "equilibrium": each state by name (from m),
   re and im (the eigenvalues, vectors), type ("stable focus" …) and stable (a bool); NULL
   on ENOMEM. */
nd_value *nd_eq_point_record(const nd_model *m, const nd_eq_list *l, size_t k);

/* Returns what `fixed` binds: a record of the given type shown as view (taken over)
   with fields count and points (a list of point records); NULL on ENOMEM. */
nd_value *nd_eq_list_record(const nd_model *m, const nd_eq_list *l, const char *type,
                            nd_bundle *view);

#endif
