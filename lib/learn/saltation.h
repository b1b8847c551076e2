/* Sensitivities across a `when` reset: the saltation matrix.

   At an event g(t, y, p) = 0 the state jumps, y⁺ = h(t, y⁻, p). A perturbation dy⁻ of the
   state just before and dp of the parameters move the event time by
     dt* = −(g_y dy⁻ + g_p dp) / (g_y f⁻ + g_t)
   and the state just after it, compared at a fixed time, by
     dy⁺ = H_y dy⁻ + H_p dp + (f⁺ − H_y f⁻ − H_t)(g_y dy⁻ + g_p dp)/(g_y f⁻ + g_t)
   with f∓ the right-hand side on either side of the event (Aizerman & Gantmacher 1958;
   Leine & Nijmeijer 2004; the same jump EventProp uses in reverse, Wunderlich & Pehle
   2021). This file computes the two matrices Σ_y = ∂y⁺/∂y⁻ and Σ_p = ∂y⁺/∂p once per
   event, so a forward sensitivity (S⁺ = Σ_y S⁻ + Σ_p) and an adjoint (λ⁻ = Σ_yᵀ λ⁺) use
   the same numbers. */
#ifndef ND_LEARN_SALTATION_H
#define ND_LEARN_SALTATION_H

#include <stddef.h>

#include "../models/model.h"

typedef struct nd_salt {
    size_t n, npar;
    double *Sy;       /* n × n: ∂y⁺/∂y⁻ */
    double *Sp;       /* n × npar: ∂y⁺/∂p */
    double *ty, *tp;  /* n, npar: the event time's gradient ∂t* / ∂y⁻ and ∂t* / ∂p */
    double *dg, *D;   /* work: the event's gradient, the reset's derivatives */
} nd_salt;

/* Allocates the matrices for m's states and parameters; 0, or -1 on ENOMEM. */
int nd_salt_init(nd_salt *s, const nd_model *m);
void nd_salt_free(nd_salt *s);

/* Computes Σ_y, Σ_p and the event time's gradient at event k of m at time t, from the
   parameters p, the state ym before the reset and the right-hand sides fm = f(t, ym) and
   fp = f(t, h(ym)). Returns 0, or -1 when the derivatives are not available or the
   trajectory only grazes the event surface (g_y f⁻ + g_t ≈ 0: the event time is not
   differentiable there). */
int nd_salt_compute(nd_salt *s, const nd_model *m, size_t k, double t, const double *p,
                    const double *ym, const double *fm, const double *fp);

/* Carries the sensitivities S (n × ms, row-major; column c with respect to model parameter
   col[c], or to something the event does not depend on when col[c] < 0) across the event:
   S ← Σ_y S + Σ_p[:, col]. work has n × ms values. */
void nd_salt_forward(const nd_salt *s, double *S, size_t ms, const int *col, double *work);

/* Loads the event's gradient (dg: ∂g/∂t, ∂g/∂y, ∂g/∂p) and the reset's derivatives (D: n
   rows of 1 + n + npar) at event k of m at time t from the state ym before the reset,
   without the matrices; 0, or -1 when not available. nd_salt_compute starts with it. */
int nd_salt_load(nd_salt *s, const nd_model *m, size_t k, double t, const double *p,
                 const double *ym);

/* The same jump in reverse, on a discrete solve whose step is cut at the event (the
   event time θ a root on the step's own solution). In two parts, because the step's
   derivative by its length is known only to the integrator:
   nd_salt_reset_adjoint: the reset y⁺ = h(t*, y⁻, p) with λ⁺ the adjoint just after it
     and c (may be NULL) the cotangent of the jump y⁻ − y⁺: writes λ⁻ = H_yᵀ(λ⁺ − c) + c
     into lm, adds H_pᵀ(λ⁺ − c) to mu (npar, may be NULL) and returns the event time's
     cotangent H_tᵀ(λ⁺ − c);
   nd_salt_time_adjoint: with tbar the event time's whole explicit cotangent (the reset's,
     and the shortened rest of the step's) and dphi = ∂y⁻/∂θ of the step that reached the
     event, adds λ g_y to lm and λ g_p to mu, λ = −(tbar + lm·dphi)/(g_t + g_y·dphi): the
     implicit function theorem on g(t + θ, y⁻(θ)) = 0. Returns -1 when the event is only
     grazed. With dphi = f⁻ and the rest of the step's cotangent −λ⁺·f⁺ — the limit of
     a fine step — the two compose to λ⁻ = Σ_yᵀ λ⁺, the saltation matrix's transpose. */
double nd_salt_reset_adjoint(const nd_salt *s, const double *lp, const double *c, double *lm,
                             double *mu);
int nd_salt_time_adjoint(const nd_salt *s, double tbar, const double *dphi, double *lm,
                         double *mu);

/* Event k's function at s into a step (the step from its start redone to length s), or
   NaN when that step fails. */
typedef double (*nd_salt_event_fn)(void *ctx, size_t k, double s);

/* The earliest of nw events that crossed from below over a step of length len (ga: their
   values at its start, gb: at its end; below-to-at-or-above, as lib/ode/events.c decides),
   located on the step's own solution by Illinois. Sets *s and *k and returns 1; 0 when
   none crossed; -1 when a root search failed. */
int nd_salt_first_crossing(size_t nw, const double *ga, const double *gb, double len,
                           nd_salt_event_fn g, void *ctx, double *s, size_t *k);

#endif
