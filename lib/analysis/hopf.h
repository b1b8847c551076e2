/* The normal form of a Hopf bifurcation: the first Lyapunov coefficient l1, whose sign
   says whether the cycle born there is stable (l1 < 0, supercritical: firing starts at
   small amplitude) or unstable (l1 > 0, subcritical: an abrupt jump and bistability). */
#ifndef ND_ANALYSIS_HOPF_H
#define ND_ANALYSIS_HOPF_H

#include "../base/error.h"
#include "../models/model.h"

/* Computes l1 at the Hopf point x of m with parameters p, where the Jacobian has the
   eigenvalues ±iω, by Kuznetsov's formula (Elements of Applied Bifurcation Theory, 3rd
   ed., eq. 3.20) with eigenvectors q, p of J and Jᵀ normalised ⟨q, q⟩ = ⟨p, q⟩ = 1, and the
   multilinear forms B, C as central differences of the (symbolic) Jacobian along the
   real and imaginary parts of q. ND_ESOLVER when no eigenvalue is near iω or a linear
   solve fails, ND_ENOMEM. */
nd_status nd_hopf_l1(const nd_model *m, const double *p, const double *x, double omega,
                     double *l1, nd_error *err);

#endif
