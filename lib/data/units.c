/* Unit spellings as electrophysiology files write them: pCLAMP's "mV"/"pA", NWB's SI
   names are turned into these by the NWB reader, CSV headers anything in between. */
#include "units.h"

#include <stddef.h>
#include <string.h>

#define MICRO "\xc2\xb5"   /* µ, U+00B5 */

typedef struct unit_row {
    const char *name;
    nd_quantity q;
    double scale;
} unit_row;

static const unit_row units[] = {
    {"s", ND_Q_TIME, 1e3}, {"ms", ND_Q_TIME, 1}, {"us", ND_Q_TIME, 1e-3},
    {MICRO "s", ND_Q_TIME, 1e-3},
    {"V", ND_Q_POTENTIAL, 1e3}, {"mV", ND_Q_POTENTIAL, 1}, {"uV", ND_Q_POTENTIAL, 1e-3},
    {MICRO "V", ND_Q_POTENTIAL, 1e-3},
    {"A", ND_Q_CURRENT, 1e12}, {"mA", ND_Q_CURRENT, 1e9}, {"uA", ND_Q_CURRENT, 1e6},
    {MICRO "A", ND_Q_CURRENT, 1e6}, {"nA", ND_Q_CURRENT, 1e3}, {"pA", ND_Q_CURRENT, 1},
    {"fA", ND_Q_CURRENT, 1e-3},
    {"uA/cm2", ND_Q_DENSITY, 1}, {"uA/cm^2", ND_Q_DENSITY, 1}, {"uA/cm\xc2\xb2", ND_Q_DENSITY, 1},
    {MICRO "A/cm2", ND_Q_DENSITY, 1}, {MICRO "A/cm^2", ND_Q_DENSITY, 1},
    {MICRO "A/cm\xc2\xb2", ND_Q_DENSITY, 1},
};

nd_quantity nd_unit_quantity(const char *unit, double *scale)
{
    if (scale) *scale = 1;
    for (size_t i = 0; unit && i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(unit, units[i].name) == 0) {
            if (scale) *scale = units[i].scale;
            return units[i].q;
        }
    }
    return ND_Q_OTHER;
}

double nd_area_from_capacitance(double pF)
{
    return pF * 1e-12 / 1e-6;   /* F over F/cm² */
}
