/* FitzHugh–Nagumo's equilibria and Hopf points in closed form or by bisection, written
   from the equations of docs/science.md §1.4 (a = 0.7, b = 0.8, ε = 0.08), independent of
   the model file and of lib/analysis. */
#ifndef ND_TEST_FHN_REF_H
#define ND_TEST_FHN_REF_H

/* Returns v of the single equilibrium under current I (bisection on the cubic). */
double fhn_ref_vstar(double current);

/* Returns w of the equilibrium with voltage v: the w-nullcline w = (v + a)/b. */
double fhn_ref_wstar(double v);

/* Returns the current of the Hopf point on the side sign (−1 lower, +1 upper), where
   v*² = 1 − bε. */
double fhn_ref_hopf_I(double sign);

/* Returns v at the Hopf point on the side sign. */
double fhn_ref_hopf_v(double sign);

#endif
