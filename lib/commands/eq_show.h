/* How equilibria are shown: a table (text/plain + text/html) and the JSON of
   {"type":"equilibria"} results, shared by `fixed` and `stability`. */
#ifndef ND_COMMANDS_EQ_SHOW_H
#define ND_COMMANDS_EQ_SHOW_H

#include "../analysis/equilibria.h"
#include "../base/bundle.h"
#include "../base/strbuf.h"
#include "../language/value.h"

/* Returns a bundle with a table of the points (one row each: state values, eigenvalues,
   kind) under the heading line, and JSON {"type":type,"model":…,"parameters":{…},
   "points":[…]}; NULL on ENOMEM. */
nd_bundle *nd_eq_show_bundle(const nd_model *m, const double *p, const nd_eq_list *l,
                             const char *type, const char *heading);

/* Returns point k of l as a record of type "equilibrium": each state by name (from m),
   re and im (the eigenvalues, vectors), type ("stable focus" …) and stable (a bool); NULL
   on ENOMEM. */
nd_value *nd_eq_point_record(const nd_model *m, const nd_eq_list *l, size_t k);

/* Returns what `fixed` binds: a record of the given type shown as view (taken over)
   with fields count and points (a list of point records); NULL on ENOMEM. */
nd_value *nd_eq_list_record(const nd_model *m, const nd_eq_list *l, const char *type,
                            nd_bundle *view);

#endif
