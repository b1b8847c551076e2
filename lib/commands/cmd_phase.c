/* Phase-plane commands: fixed (all equilibria), stability (eigenvalues at a state) and
   phase (nullclines, direction field, trajectories, equilibria; see phase_plot.c). */
#include <string.h>

#include "../analysis/eq_view.h"
#include "../analysis/phase_view.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "../language/fields_value.h"
#include "../learn/simulate.h"
#include "modules.h"
#include "phase_args.h"

static nd_status run_fixed(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 0, 1, err);
    nd_phase_setup s;
    if (st != ND_OK || (st = nd_phase_setup_read(ctx, nd_arg_pos(ctx, 0), &s, err)) != ND_OK)
        return st;
    double seeds, t1;
    if ((st = nd_arg_opt_number(ctx, "seeds", 0, &seeds, err)) == ND_OK &&
        (st = nd_arg_opt_number(ctx, "t", 200, &t1, err)) == ND_OK) {
        if (!(seeds >= 0 && seeds <= 1000))
            st = nd_arg_error(nd_arg_opt(ctx, "seeds"), err, ND_EVALUE,
                              "seeds= is the number of seeds per state, 2 … 1000");
        else if (!(t1 >= 0 && t1 < 1e7))
            st = nd_arg_error(nd_arg_opt(ctx, "t"), err, ND_EVALUE, "t= must be 0 … 1e7");
    }
    nd_eq_list l;
    nd_eq_list_init(&l, s.n);
    if (st == ND_OK)
        st = nd_phase_find_equilibria(s.m, s.p, s.lo, s.hi, (size_t)seeds, s.x0, t1, nd_sim_path,
                                      (void *)ctx->exec->interrupt, &l, err);
    if (st == ND_OK) {
        nd_bundle *view = nd_eq_view_fixed(s.m, s.p, &l, s.lo, s.hi, t1 > 0);
        st = nd_cmd_give(ctx, view ? nd_record_of_fields(nd_eq_fixed_fields(s.m, &l), view)
                              : NULL, result, err);
    }
    nd_eq_list_free(&l);
    nd_phase_setup_free(&s);
    return st;
}

static const nd_option fixed_options[] = {
    {"seeds", "about 400 in all", "grid points per state"},
    {"t", "200", "length of the trajectory from the initial state whose samples also seed Newton (0: none)"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_fixed = {
    "fixed", "equilibria with eigenvalues and their type (stable focus, saddle …)",
    "fixed [MODEL] [V=a..b …] [I=…] [seeds= t=]",
    "Finds the equilibria of the model (any number of states) by Newton's method with the "
    "symbolic Jacobian, started from a grid of seeds over a box of states and from samples "
    "of a trajectory of length t from the initial state, then keeps each distinct point "
    "once. A state's range defaults to init ± max(1, 2|init|), or [0, 1] for a gate (a "
    "dimensionless state that the flow keeps in [0, 1], as hh's m, h, n); give V=-100..50 "
    "to choose it, or a number to hold the seeds of that state at one value. A parameter given as "
    "I=0.5 applies to this command only; the stimulus protocol is ignored. Each point "
    "comes with the eigenvalues of the Jacobian (LAPACK) and its type: stable/unstable "
    "node or focus, saddle, centre, non-hyperbolic.",
    fixed_options, "use fhn\nfixed\nfixed izh v=-100..0 u=-30..10\nfixed ml I=10", ND_CMD_ANY_OPTIONS,
    run_fixed
};

/* ---- stability ---- */

static nd_status run_stability(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 0, 2, err);
    if (st != ND_OK) return st;
    const nd_arg *model_arg = NULL;
    for (size_t i = 0; i < nd_arg_count(ctx); i++) {   /* "at" reads well but means nothing */
        const nd_arg *a = nd_arg_pos(ctx, i);
        if (!(a->value->kind == ND_EXPR_NAME && strcmp(a->value->str, "at") == 0))
            model_arg = a;
    }
    nd_phase_setup s;
    if ((st = nd_phase_setup_read(ctx, model_arg, &s, err)) != ND_OK) return st;
    int nearest;
    double max_rate = 0;
    nd_eq_list l;
    nd_eq_list_init(&l, s.n);
    if ((st = nd_arg_opt_bool(ctx, "nearest", 0, &nearest, err)) == ND_OK && nearest &&
        (st = nd_eq_newton(s.m, s.p, s.x0, 1e-12, 100, err)) != ND_OK)
        nd_arg_error(nd_arg_opt(ctx, "nearest"), err, st, "Newton's method found no "
                     "equilibrium near this state");
    if (st == ND_OK) st = nd_eq_linearise(s.m, s.p, s.x0, &l, &max_rate, err);
    if (st == ND_OK) {
        nd_bundle *view = nd_eq_view_stability(s.m, s.p, &l, nearest, max_rate);
        nd_fields *f = view ? nd_eq_stability_fields(s.m, &l, max_rate) : NULL;
        st = nd_cmd_give(ctx, view ? nd_record_of_fields(f, view) : NULL, result, err);
    }
    nd_eq_list_free(&l);
    nd_phase_setup_free(&s);
    return st;
}

static const nd_option stability_options[] = {
    {"nearest", "false", "first move to the equilibrium Newton's method reaches from the state"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_stability = {
    "stability", "eigenvalues and type of the linearisation at a state",
    "stability at V=… n=… [MODEL] [nearest=]",
    "Linearises the model at the given state (states not given take their initial values; "
    "parameters may be given too, I=10) and shows the Jacobian's eigenvalues and the type "
    "they imply. With nearest=true the state is first moved to the equilibrium that "
    "Newton's method reaches from it.",
    stability_options, "use hh\nstability at V=-65 m=0.053 h=0.596 n=0.318\n"
    "stability at V=-60 nearest=true", ND_CMD_ANY_OPTIONS, run_stability
};

/* ---- phase ---- */

static const nd_option phase_options[] = {
    {"traj", NULL, "trajectories: a count of starts spread over the plane, or [[x0, y0], …]"},
    {"t", "100", "how long each trajectory runs (forward, dp5)"},
    {"others", "init", "states other than X and Y: init (held at their values) or qss (quasi-steady state)"},
    {"grid", "201", "grid points per axis for contouring the nullclines"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_phase = {
    "phase", "phase plane: nullclines, direction field, trajectories, equilibria",
    "phase X Y [MODEL] [X=a..b Y=c..d] [nullclines] [field] [traj=N|[[x,y],…]] [t= others= grid=]",
    "Draws the (X, Y) phase plane: the X- and Y-nullclines (where dX/dt = 0 and dY/dt = 0, "
    "contoured on a grid with every branch), a direction field of arrows of equal length, "
    "trajectories from given or spread starting points, and the equilibria (filled circle: "
    "stable, open circle: unstable) with their type listed under the figure. Without the "
    "words nullclines or field it draws both.\n\n"
    "For a model with more than two states the plane is a slice: the other states are held "
    "at their initial values (or at values given as h=0.6), or with others=qss each is put "
    "at its quasi-steady state, solved from dz/dt = 0 for the given X and Y (as if it were "
    "infinitely fast). Equilibria are then those of the slice; trajectories are those of the "
    "full model, started on the slice and projected onto it. Parameters given as I=0.5 "
    "apply to this command only.",
    phase_options, "use fhn\nphase v w v=-2.5..2.5 w=-1..2 nullclines field traj=5 I=0.5\n"
    "phase V n hh others=qss V=-80..40 n=0.2..0.8", ND_CMD_ANY_OPTIONS, nd_phase_run
};

nd_status nd_cmd_register_phase(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_fixed, &cmd_stability, &cmd_phase};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
