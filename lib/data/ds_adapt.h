/* Bringing a loaded table or a recorded sweep to the units models use: columns picked and
   renamed, time in ms, potentials in mV, currents as densities when the membrane area is
   known. */
#ifndef ND_DATA_DS_ADAPT_H
#define ND_DATA_DS_ADAPT_H

#include <stddef.h>

#include "../base/error.h"
#include "dataset.h"

typedef struct nd_ds_adapt {
    const char *time_unit;       /* the unit of the time column when the data do not say
                                    (or to overrule them): "s", "ms", "us"; NULL: theirs */
    size_t npick;                /* columns kept, in this order (the first is time); 0: all */
    const char *const *pick_old; /* their names in the data */
    const char *const *pick_new; /* their names in the result (an entry NULL: unchanged) */
    double area_cm2;             /* > 0: currents become densities in µA/cm² over it */
    double t_from, t_to;         /* t_to > t_from: only the rows with t (in ms) inside */
    size_t every;                /* > 1: of those, every every-th row from the first */
} nd_ds_adapt;

/* Returns a new dataset of ds's picked columns and rows (a time window, every k-th
   sample: a whole recorded sweep is often far more than a training needs), time in ms,
   potentials in mV and, given an area, currents in µA/cm²; metadata copied plus
   "converted" (what was converted, e.g. "t: s → ms; I: pA → µA/cm² over 0.0001 cm²"),
   "area_cm2" and "rows" ("t in [100, 700] ms, every 4th sample"). NULL with err naming the
   problem: a picked column that does not exist (the columns there are listed), a name
   taken twice, a time unit that is not one, a window without rows. */
nd_dataset *nd_ds_adapted(const nd_dataset *ds, const nd_ds_adapt *a, nd_error *err);

#endif
