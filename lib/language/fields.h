/* Fields of values by dot: resolving a dotted name (sim.V, c.hopf) against the workspace,
   one field at a time with errors that list what is there, and the table of a value's
   fields that `vars`, `show` and help use. */
#ifndef ND_LANGUAGE_FIELDS_H
#define ND_LANGUAGE_FIELDS_H

#include "../base/bundle.h"
#include "../base/error.h"
#include "workspace.h"

/* Resolves a dotted name: the longest prefix (up to a dot) bound in ws, then the rest as
   fields one by one; *out is a new reference. ND_OK with *out NULL when no prefix is bound
   (the caller reports the unknown name); a NameError naming the missing field, the
   fields there are and the closest one, located at the field's columns from (line, col). */
nd_status nd_fields_resolve(const nd_ws *ws, const char *dotted, int line, int col,
                            nd_value **out, nd_error *err);

/* Looks up field name of v, called what (its text, for messages); NameError located at
   (line, col, span) when there is none. *out is a new reference. */
nd_status nd_fields_get(const nd_value *v, const char *what, const char *name, int line,
                        int col, int span, nd_value **out, nd_error *err);

/* Returns a table (text, HTML and JSON {"type":"fields","of":what,"fields":[{"name",
   "type","summary"}]}) of v's fields under the heading "WHAT (TYPE) — fields:"; NULL on
   ENOMEM. */
nd_bundle *nd_fields_bundle(const nd_value *v, const char *what);

#endif
