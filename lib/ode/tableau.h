/* Internal to lib/ode: explicit Runge–Kutta pairs with FSAL and a continuous extension,
   as data for the one adaptive driver (erk.c). */
#ifndef ND_ODE_TABLEAU_H
#define ND_ODE_TABLEAU_H

#define ND_ODE_ERK_STAGES 7

typedef struct nd_ode_tableau {
    const char *name;
    int stages;                            /* the last stage is f(t + h, y_new) (FSAL) */
    double c[ND_ODE_ERK_STAGES];
    double a[ND_ODE_ERK_STAGES][ND_ODE_ERK_STAGES];   /* row s-1 = the solution weights b */
    double e[ND_ODE_ERK_STAGES];           /* b - b̂: the local error estimate's weights */
    int order;                             /* of the solution: sets the starting-step exponent */
    double beta1, beta2;                   /* PI controller gains (exponents of err, err_old) */
    /* Writes the continuous-extension weights w_i(θ), y(t + θh) = y + h Σ w_i k_i. */
    void (*dense)(double theta, double *w);
} nd_ode_tableau;

/* Dormand & Prince (1980) 5(4) with Shampine's (1986) dense output. */
extern const nd_ode_tableau nd_ode_dp5;

/* Tsitouras (2011) 5(4) with its own 4th-order interpolant. */
extern const nd_ode_tableau nd_ode_tsit5;

#endif
