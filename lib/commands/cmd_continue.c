/* continue: the equilibrium branch of a model in one parameter, with its fold and Hopf
   points and the branches of periodic orbits born at the Hopf points, as a
   bifurcation-diagram object that `plot` draws. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/continuation.h"
#include "../analysis/cycles.h"
#include "../language/args.h"
#include "cont2_cmd.h"
#include "modules.h"
#include "../language/target.h"

static nd_status check_interrupt(void *ctx, nd_error *err)
{
    return nd_cmd_check_interrupt(ctx, err);
}

/* Reads ds= and maxpoints= into o. */
static nd_status read_options(nd_cmd_ctx *ctx, nd_cont_options *o, nd_error *err)
{
    double ds, maxp;
    nd_status st = nd_arg_opt_number(ctx, "ds", 0, &ds, err);
    if (st == ND_OK) st = nd_arg_opt_number(ctx, "maxpoints", 2000, &maxp, err);
    if (st != ND_OK) return st;
    if (!(ds >= 0 && isfinite(ds)))
        return nd_arg_error(nd_arg_opt(ctx, "ds"), err, ND_EVALUE, "ds must be a positive step");
    if (!(maxp >= 2 && maxp <= 1e6))
        return nd_arg_error(nd_arg_opt(ctx, "maxpoints"), err, ND_EVALUE,
                            "maxpoints must be 2 … 1e6");
    nd_cont_options_default(o);
    o->ds = ds;
    o->max_points = (size_t)maxp;
    o->check = check_interrupt;
    o->check_ctx = ctx;
    return ND_OK;
}

/* The parameter and its range: `continue I 0..2` or `continue I=-2..2` (the second form
   because `continue r -2..2` reads as the subtraction r − 2..2). *pos is the number of
   positionals they took. */
static nd_status read_param(nd_cmd_ctx *ctx, const char **pname, const nd_arg **where,
                            double *lo, double *hi, size_t *pos, nd_error *err)
{
    const nd_arg *keyed = NULL;
    for (size_t i = 0; i < ctx->call->nargs; i++) {
        const nd_arg *a = &ctx->call->args[i];
        if (!a->key || nd_cmd_option(ctx->cmd, a->key)) continue;
        if (keyed) return nd_arg_error(a, err, ND_ESYNTAX, "continue follows one parameter");
        keyed = a;
    }
    if (keyed) {
        *pname = keyed->key;
        *where = keyed;
        *pos = 0;
        return nd_arg_range(ctx, keyed, lo, hi, err);
    }
    *pos = 2;
    nd_status st = nd_arg_expect(ctx, 2, 3, err);
    if (st == ND_OK) st = nd_arg_name(ctx, nd_arg_pos(ctx, 0), pname, err);
    if (st == ND_OK) st = nd_arg_range(ctx, nd_arg_pos(ctx, 1), lo, hi, err);
    *where = nd_arg_pos(ctx, 0);
    return st;
}

static nd_status run_continue(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    if (nd_cont2_cmd_is_two(ctx)) return nd_cont2_cmd_run(ctx, result, err);
    nd_model_obj *mo;
    const char *pname;
    const nd_arg *where = NULL;
    double lo, hi;
    size_t pos = 0;
    nd_cont_options o;
    int cycles;
    nd_status st = read_param(ctx, &pname, &where, &lo, &hi, &pos, err);
    if (st == ND_OK && pos == 0) st = nd_arg_expect(ctx, 0, 1, err);
    if (st != ND_OK || (st = nd_target_model(ctx, nd_arg_pos(ctx, pos), &mo, err)) != ND_OK ||
        (st = read_options(ctx, &o, err)) != ND_OK ||
        (st = nd_arg_opt_bool(ctx, "cycles", 1, &cycles, err)) != ND_OK)
        return st;
    int par = nd_model_index(mo->model, ND_MODEL_PAR, pname);
    if (par < 0)
        return nd_arg_error(where, err, ND_ENAME, "model %s has no parameter '%s'",
                            nd_model_name(mo->model), pname);
    if (!(lo != hi))
        return nd_arg_error(where, err, ND_EVALUE,
                            "the range must have two different ends (I 0..20)");
    nd_bif_result *r;
    if ((st = nd_bif_continue(mo->model, par, lo, hi, &o, &r, err)) != ND_OK) {
        if (st != ND_EINTERRUPT) nd_target_locate(err, where);
        return st;
    }
    if (cycles) {
        nd_cycle_options co;
        nd_cycle_options_default(&co);
        co.check = check_interrupt;
        co.check_ctx = ctx;
        if ((st = nd_cont_read_from(ctx, "the parameter", &co.samples, &co.start, err)) !=
                ND_OK ||
            (st = nd_bif_continue_cycles(mo->model, r, &co, err)) != ND_OK) {
            nd_bif_free(r);
            return st;
        }
    }
    return nd_cmd_give(ctx, nd_value_bif(r), result, err);
}

static const nd_option continue_options[] = {
    {"ds", "1/100 of the range", "the first arclength step (it adapts between ds·1e-6 and 1/20 of the range)"},
    {"maxpoints", "2000", "stop after this many points on the branch"},
    {"cycles", "true", "also follow the periodic orbits born at each Hopf point and those "
                       "simulations settle on (period, min/max, Floquet multipliers, folds of "
                       "cycles, period doublings, torus points, homoclinic/SNIC ends)"},
    {"from", "simulation", "where cycle branches start: hopf (Hopf points only), simulation "
                           "(also stable orbits found by simulating at 8 values across the "
                           "range) or a value of PARAM (simulate there); two parameters with "
                           "lpc: the same, for the cycle continuation in P1 whose folds start "
                           "the LPC curves"},
    {"map", "none", "two parameters: a sweep result over the same grid (sweep P1=… n=… "
                    "P2=… n=…) drawn as a heatmap under the curves"},
    {"plot", "true", "two parameters: show the figure of the curves"},
    {"title", "model and parameters", "two parameters: the figure's title"},
    {"width", "720", "two parameters: the figure's width in pixels"},
    {"height", "420", "two parameters: the figure's height in pixels"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_continue = {
    "continue", "equilibria against a parameter: folds, Hopf points, the bifurcation diagram",
    "[NAME =] continue PARAM a..b [MODEL] [ds= maxpoints= cycles= from=]   (or PARAM=a..b) | "
    "[NAME =] continue hopf|fold|lpc [fold|lpc …] P1=a..b P2=c..d [MODEL] [ds= maxpoints= map= "
    "plot= from=]",
    "Follows the equilibrium of the model (found from its initial values at PARAM = a) as "
    "PARAM goes from a to b, by pseudo-arclength continuation: the branch may turn around "
    "at a fold and come back. Shows the special points: folds (saddle-nodes: two "
    "equilibria meet and vanish, the onset of class 1 firing) and Hopf points (a pair of "
    "eigenvalues crosses the imaginary axis, oscillations are born at frequency ω), with "
    "the first Lyapunov coefficient l1: l1 < 0 supercritical (small stable oscillations "
    "grow from the point), l1 > 0 subcritical (a jump to large oscillations and a bistable "
    "window before it). From each Hopf point, and through each stable orbit a simulation "
    "settles on (from=), the branch of periodic orbits is followed both ways (cycles=false "
    "skips it): its period, the min and max of each variable, its stability from the "
    "Floquet multipliers, its folds of cycles (where a stable and an unstable cycle meet: "
    "the edge of the bistable window), period doublings (a multiplier through -1) and torus "
    "points (a complex pair through the unit circle); a period growing without bound is "
    "labelled as a homoclinic orbit or a SNIC at the fitted parameter. Models with resets "
    "(when) get no continued cycles but a brute-force branch: min and max after a transient, "
    "simulated at each value. `plot NAME [VAR]` draws the diagram.\n\n"
    "Two parameters: `continue hopf P1=a..b P2=c..d` (and/or `fold`) follows the curves of "
    "Hopf points (and of folds) in the plane of P1 and P2, from those a one-parameter "
    "continuation finds, to the edges of the box, and locates on them the codimension-2 "
    "points: Bogdanov-Takens (BT: Hopf meets fold, ω → 0), cusp (CP), Bautin (GH: l1 "
    "changes sign, the onset turns from super- to subcritical), zero-Hopf (ZH) and double "
    "Hopf (HH). It shows their table and the figure of the curves (subcritical Hopf "
    "orange, supercritical vermillion), over the heatmap of a sweep of the same grid with "
    "map=. `lpc` adds the curves of folds of cycles (LPC: where the stable spiking orbit "
    "meets an unstable one and both vanish; with the subcritical part of a Hopf curve they "
    "bound the region where rest and repetitive firing coexist), continued by shooting from "
    "the folds of cycles of the one-parameter cycle continuation in P1 (from= as in one "
    "parameter) and, with hopf, from next to each Bautin point; each ends at the box, at the "
    "Bautin point (the cycle shrinks away), at a cusp of cycles or where the period blows "
    "up. The record's fields: curves, hopf, fold, lpc, points, bt, cusp, bautin, zero_hopf, "
    "double_hopf. ds= is then a step in the box scaled to the unit square (default 0.01), "
    "maxpoints= per direction of a curve (1000). See docs/bifurcations.md.",
    continue_options, "bif = continue I 0..200 hh\nplot bif V\nbif = continue I 0..2 fhn ds=0.01\n"
    "b = continue r=-2..2\nb = continue I 0..40 hh_rinzel from=10\n"
    "c = continue hopf I=0..200 gK=20..50 hh\n"
    "m = sweep I=0..200 n=41 gK=0..50 n=26 model=hh t=300\n"
    "c = continue hopf fold I=0..200 gK=0..50 hh map=m\n"
    "c = continue hopf lpc I=0..200 gK=0..50 hh map=m",
    ND_CMD_ANY_OPTIONS, run_continue
};

nd_status nd_cmd_register_continue(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_continue};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
