/* The units recordings arrive in, and the factors to the units models use: ms, mV, and
   currents in pA (µA/cm² once a membrane area is known). */
#ifndef ND_DATA_UNITS_H
#define ND_DATA_UNITS_H

typedef enum nd_quantity {
    ND_Q_OTHER,       /* not one of these (or no unit) */
    ND_Q_TIME,        /* s, ms, us, µs: scale to ms */
    ND_Q_POTENTIAL,   /* V, mV, uV, µV: scale to mV */
    ND_Q_CURRENT,     /* A, mA, uA, µA, nA, pA, fA: scale to pA */
    ND_Q_DENSITY      /* µA/cm² (uA/cm2, uA/cm^2 ...): scale 1 */
} nd_quantity;

/* Returns what unit measures and sets *scale (when not NULL) to the factor from unit to
   the quantity's model unit (ms, mV, pA, µA/cm²); ND_Q_OTHER and 1 when unit is NULL or
   unknown. */
nd_quantity nd_unit_quantity(const char *unit, double *scale);

/* Returns the membrane area in cm² of a cell of capacitance pF, at the specific membrane
   capacitance 1 µF/cm² (Hodgkin–Huxley's, and the usual value for neurons). */
double nd_area_from_capacitance(double pF);

#endif
