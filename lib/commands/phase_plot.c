/* The `phase` command: reads the axes, the box, what to draw and the trajectories' starts,
   and shows the plane that lib/analysis/phase_view.h draws. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/phase_view.h"
#include "../learn/simulate.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "phase_args.h"

typedef struct phase_req {
    nd_phase_setup s;
    nd_phase_plane pp;
    double *starts;     /* pp.ntraj (x, y) pairs */
} phase_req;

/* Reads traj=N (spread starts) or traj=[[x, y], …]. */
static nd_status read_traj(const nd_cmd_ctx *ctx, phase_req *q, nd_error *err)
{
    const nd_arg *a = nd_arg_opt(ctx, "traj");
    if (!a) return ND_OK;
    nd_value *v;
    nd_status st = nd_arg_value(ctx, a, &v, err);
    if (st != ND_OK) return st;
    size_t n = v->kind == ND_VAL_NUMBER ? (size_t)fmax(0, v->as.num)
               : v->kind == ND_VAL_LIST ? v->as.list.n : 0;
    if ((v->kind != ND_VAL_NUMBER && v->kind != ND_VAL_LIST) || n > ND_PHASE_TRAJ_MAX)
        st = nd_arg_error(a, err, ND_EVALUE, "traj= takes a count up to %d or a list of "
                          "[x, y] starting points", ND_PHASE_TRAJ_MAX);
    q->starts = st == ND_OK ? malloc((n ? n : 1) * 2 * sizeof *q->starts) : NULL;
    if (st == ND_OK && !q->starts) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    if (st == ND_OK && v->kind == ND_VAL_NUMBER) nd_phase_spread(&q->pp, n, q->starts);
    for (size_t k = 0; st == ND_OK && v->kind == ND_VAL_LIST && k < n; k++) {
        const nd_value *it = v->as.list.items[k];
        if (it->kind != ND_VAL_LIST || it->as.list.n != 2 ||
            it->as.list.items[0]->kind != ND_VAL_NUMBER || it->as.list.items[1]->kind != ND_VAL_NUMBER)
            st = nd_arg_error(a, err, ND_EVALUE, "traj= item %zu is not a pair [x, y]", k + 1);
        else {
            q->starts[2 * k] = it->as.list.items[0]->as.num;
            q->starts[2 * k + 1] = it->as.list.items[1]->as.num;
        }
    }
    q->pp.starts = q->starts;
    q->pp.ntraj = st == ND_OK ? n : 0;
    nd_value_unref(v);
    return st;
}

/* Reads X, Y, the optional model, the words nullclines / field and the options; frames
   the axes given no range. */
static nd_status read_request(const nd_cmd_ctx *ctx, phase_req *q, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 2, 5, err);
    if (st != ND_OK) return st;
    nd_phase_plane *pp = &q->pp;
    const nd_arg *model_arg = NULL;
    for (size_t i = 2; i < nd_arg_count(ctx); i++) {
        const nd_arg *a = nd_arg_pos(ctx, i);
        const char *w = a->value->kind == ND_EXPR_NAME ? a->value->str : "";
        if (strcmp(w, "nullclines") == 0) pp->nullclines = 1;
        else if (strcmp(w, "field") == 0) pp->field = 1;
        else model_arg = a;
    }
    if ((st = nd_phase_setup_read(ctx, model_arg, &q->s, err)) != ND_OK) return st;
    pp->m = q->s.m;
    pp->p = q->s.p;
    pp->x0 = q->s.x0;
    for (int k = 0; k < 2; k++) {
        const nd_arg *a = nd_arg_pos(ctx, (size_t)k);
        const char *name;
        if ((st = nd_arg_name(ctx, a, &name, err)) != ND_OK) return st;
        int idx = nd_model_index(q->s.m, ND_MODEL_STATE, name);
        if (idx < 0)
            return nd_arg_error(a, err, ND_ENAME, "model %s has no state '%s'",
                                nd_model_name(q->s.m), name);
        *(k ? &pp->iy : &pp->ix) = idx;
        pp->lo[k] = q->s.lo[idx];
        pp->hi[k] = q->s.hi[idx];
    }
    if (pp->ix == pp->iy)
        return nd_arg_error(nd_arg_pos(ctx, 1), err, ND_EVALUE, "X and Y must differ");
    if (!pp->nullclines && !pp->field) pp->nullclines = pp->field = 1;
    double grid;
    char *others = NULL;
    if ((st = nd_arg_opt_number(ctx, "t", 100, &pp->t1, err)) != ND_OK ||
        (st = nd_arg_opt_number(ctx, "grid", 201, &grid, err)) != ND_OK ||
        (st = nd_arg_opt_word(ctx, "others", "init", &others, err)) != ND_OK)
        return st;
    pp->qss = strcmp(others, "qss") == 0;
    if (!pp->qss && strcmp(others, "init") != 0)
        st = nd_arg_error(nd_arg_opt(ctx, "others"), err, ND_EVALUE,
                          "others= is init (held at their values) or qss (quasi-steady state)");
    free(others);
    if (st == ND_OK && !(grid >= 11 && grid <= 1001))
        st = nd_arg_error(nd_arg_opt(ctx, "grid"), err, ND_EVALUE, "grid= must be 11 … 1001");
    if (st == ND_OK && !(pp->t1 > 0 && pp->t1 < 1e7))
        st = nd_arg_error(nd_arg_opt(ctx, "t"), err, ND_EVALUE, "t= must be > 0");
    pp->grid = (size_t)grid;
    pp->path = nd_sim_path;
    pp->path_ctx = (void *)ctx->exec->interrupt;
    if (st == ND_OK)
        st = nd_phase_frame(pp, !q->s.ranged[pp->ix], !q->s.ranged[pp->iy], err);
    if (st == ND_OK) st = read_traj(ctx, q, err);
    return st;
}

nd_status nd_phase_run(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    phase_req q;
    memset(&q, 0, sizeof q);
    nd_bundle *b = NULL;
    nd_status st = read_request(ctx, &q, err);
    if (st == ND_OK) st = nd_phase_bundle(&q.pp, &b, err);
    if (st == ND_OK) st = nd_cmd_display(ctx, b, err);
    free(q.starts);
    nd_phase_setup_free(&q.s);
    return st;
}
