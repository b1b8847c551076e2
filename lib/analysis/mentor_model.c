/* What the mentor computes from a model: the facts of its rest state that explain a
   situation (time constants against a step, stability against a current) and the
   quantities the guess table asks for. Every number comes from the analyses, none from
   the tables. */
#include "mentor.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "continuation.h"
#include "equilibria.h"
#include "fi.h"

/* The real-axis stability limits |λ| dt of the explicit fixed-step methods (Hairer &
   Wanner, Solving ODEs II, §IV.2: Euler 2, classical RK4 2.785). */
static double stability_limit(const char *method)
{
    if (strcmp(method, "euler") == 0) return 2.0;
    if (strcmp(method, "rk4") == 0) return 2.785;
    return NAN;
}

/* The rest state: Newton from the model's initial values. */
static nd_status rest_state(const nd_model *m, const double *p, double *x, nd_error *err)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    memcpy(x, nd_model_inits(m), n * sizeof *x);
    return nd_eq_newton(m, p, x, 1e-10, 100, err);
}

static int add_pars(const nd_model *m, const double *p, nd_mentor_facts *f)
{
    char name[96];
    for (size_t i = 0; i < nd_model_count(m, ND_MODEL_PAR); i++) {
        snprintf(name, sizeof name, "par.%s", nd_model_item_at(m, ND_MODEL_PAR, i)->name);
        if (nd_mentor_fact_num(f, name, p[i]) != 0) return -1;
    }
    return 0;
}

/* rest.X, lead_re, rest_kind, tau_fast, tau_slow, dt_limit from the rest state x. */
static int add_rest(const nd_model *m, const double *x, const double *re, const double *im,
                    nd_mentor_facts *f)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    char name[96];
    double fast = 0, slow = INFINITY, modulus = 0;
    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "rest.%s", nd_model_item_at(m, ND_MODEL_STATE, i)->name);
        if (nd_mentor_fact_num(f, name, x[i]) != 0) return -1;
        double r = fabs(re[i]);
        if (r > fast) fast = r;
        if (r > 0 && r < slow) slow = r;
        if (hypot(re[i], im[i]) > modulus) modulus = hypot(re[i], im[i]);
    }
    int rc = nd_mentor_fact_num(f, "lead_re", re[0]) |
             nd_mentor_fact_str(f, "rest_kind", nd_eq_kind_name(nd_eq_classify(re, im, n)));
    if (fast > 0) rc |= nd_mentor_fact_num(f, "tau_fast", 1 / fast);
    if (isfinite(slow)) rc |= nd_mentor_fact_num(f, "tau_slow", 1 / slow);
    const nd_mentor_fact *method = nd_mentor_fact_get(f, "opt.method");
    double lim = method && !method->is_num ? stability_limit(method->str) : NAN;
    if (isfinite(lim) && modulus > 0) rc |= nd_mentor_fact_num(f, "dt_limit", lim / modulus);
    const nd_mentor_fact *dt = nd_mentor_fact_get(f, "opt.dt");
    if (dt && dt->is_num && fast > 0) rc |= nd_mentor_fact_num(f, "dt_over_tau", dt->num * fast);
    return rc ? -1 : 0;
}

nd_status nd_mentor_model_facts(const nd_model *m, const double *p, nd_mentor_facts *f,
                                nd_error *err)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE);
    if (nd_mentor_fact_str(f, "model", nd_model_name(m)) != 0 || add_pars(m, p, f) != 0)
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    double *x = malloc(3 * n * sizeof *x);
    if (!x) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    double *re = x + n, *im = re + n;
    nd_status st = ND_OK;
    /* A model without a rest state (it fires, or Newton fails) simply has no rest facts. */
    if (rest_state(m, p, x, NULL) == ND_OK && nd_eq_eigen(m, p, x, re, im, NULL) == ND_OK &&
        add_rest(m, x, re, im, f) != 0)
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    free(x);
    return st;
}

/* ---- guesses ---- */

/* The words of a compute line, split at blanks (at most cap). */
static size_t words(char *s, char **w, size_t cap)
{
    size_t n = 0;
    for (char *tok = strtok(s, " \t"); tok && n < cap; tok = strtok(NULL, " \t")) w[n++] = tok;
    return n;
}

static nd_status par_index(const nd_model *m, const char *name, int *i, nd_error *err)
{
    *i = nd_model_index(m, ND_MODEL_PAR, name);
    if (*i < 0) return nd_error_fail(err, ND_EVALUE, "model %s has no parameter '%s'",
                                     nd_model_name(m), name);
    return ND_OK;
}

static nd_status range_of(const char *text, double *lo, double *hi, nd_error *err)
{
    /* strtod would read "0." of "0..20" as a number: split at ".." first */
    const char *dots = strstr(text, "..");
    char first[64], *end = NULL;
    int ok = dots != NULL && dots > text && (size_t)(dots - text) < sizeof first;
    if (ok) {
        memcpy(first, text, (size_t)(dots - text));
        first[dots - text] = '\0';
        *lo = strtod(first, &end);
        ok = *end == '\0';
    }
    if (ok) *hi = strtod(dots + 2, &end);
    if (!ok || end == dots + 2 || *end || !(*lo < *hi))
        return nd_error_fail(err, ND_EVALUE, "a range LO..HI expected, not '%s'", text);
    return ND_OK;
}

static nd_status first_hopf(const nd_model *m, const char *par, const char *range, double *out,
                            nd_error *err)
{
    int i;
    double lo, hi;
    nd_status st = par_index(m, par, &i, err);
    if (st == ND_OK) st = range_of(range, &lo, &hi, err);
    if (st != ND_OK) return st;
    nd_cont_options o;
    nd_cont_options_default(&o);
    nd_bif_result *r = NULL;
    if ((st = nd_bif_continue(m, i, lo, hi, &o, &r, err)) != ND_OK) return st;
    *out = NAN;
    for (size_t k = 0; k < r->npoints; k++)
        if (r->points[k].kind == ND_BIF_HOPF && !(r->points[k].param >= *out))
            *out = r->points[k].param;
    nd_bif_free(r);
    if (isnan(*out)) st = nd_error_fail(err, ND_EVALUE, "no Hopf point for %s in %s", par, range);
    return st;
}

static int spiking_state(const nd_model *m)
{
    int v = nd_model_index(m, ND_MODEL_STATE, "V");
    return v >= 0 ? v : 0;
}

static nd_status onset(const nd_model *m, const char *par, const char *range, double *out,
                       nd_error *err)
{
    int i;
    double lo, hi;
    nd_status st = par_index(m, par, &i, err);
    if (st == ND_OK) st = range_of(range, &lo, &hi, err);
    if (st != ND_OK) return st;
    nd_fi_options o;
    nd_fi_options_default(&o, i, spiking_state(m), lo, hi);
    return nd_fi_onset(m, &o, 0.01 * (hi - lo), out, NULL, err);
}

/* The up-sweep rate at the current parameters (PAR=VALUE words set them first). */
static nd_status rate(const nd_model *m, const char *par, double *out, nd_error *err)
{
    int i;
    nd_status st = par_index(m, par, &i, err);
    if (st != ND_OK) return st;
    double v = nd_model_pars(m)[i];
    nd_fi_options o;
    nd_fi_options_default(&o, i, spiking_state(m), v, v + 1);
    o.step = 1;
    o.down = 0;
    o.rate_scale = strcmp(nd_model_time_unit(m), "ms") == 0 ? 1000 : 1;
    nd_fi_result r = {0};
    if ((st = nd_fi_sweep(m, &o, &r, err)) == ND_OK) *out = r.rate_up[0];
    nd_fi_result_clear(&r);
    return st;
}

static nd_status rest_value(const nd_model *m, const char *what, double *out, nd_error *err)
{
    nd_mentor_facts f;
    nd_mentor_facts_init(&f);
    char name[96];
    snprintf(name, sizeof name, strcmp(what, "tau_fast") == 0 ? "%s" : "rest.%s", what);
    nd_status st = nd_mentor_model_facts(m, nd_model_pars(m), &f, err);
    const nd_mentor_fact *x = nd_mentor_fact_get(&f, name);
    if (st == ND_OK && !x)
        st = nd_error_fail(err, ND_EVALUE, "no rest state (or no '%s') for model %s", what,
                           nd_model_name(m));
    if (st == ND_OK) *out = x->num;
    nd_mentor_facts_clear(&f);
    return st;
}

/* Runs compute words w[0..n) on m, after the PAR=VALUE words have set parameters. */
static nd_status compute(nd_model *m, char **w, size_t n, double *out, nd_error *err)
{
    size_t k = 0;
    char *plain[4];
    for (size_t i = 0; i < n; i++) {
        char *eq = strchr(w[i], '=');
        if (eq && i > 0) {
            *eq = '\0';
            nd_status st = nd_model_set_par(m, w[i], atof(eq + 1), err);
            if (st != ND_OK) return st;
        } else if (k < 4) {
            plain[k++] = w[i];
        }
    }
    if (k == 2 && strcmp(plain[0], "rest") == 0) return rest_value(m, plain[1], out, err);
    if (k == 1 && strcmp(plain[0], "tau_fast") == 0) return rest_value(m, "tau_fast", out, err);
    if (k == 3 && strcmp(plain[0], "hopf") == 0) return first_hopf(m, plain[1], plain[2], out, err);
    if (k == 3 && strcmp(plain[0], "onset") == 0) return onset(m, plain[1], plain[2], out, err);
    if (k == 2 && strcmp(plain[0], "rate") == 0) return rate(m, plain[1], out, err);
    return nd_error_fail(err, ND_EVALUE, "unknown compute line (rest X, tau_fast, hopf P LO..HI, "
                         "onset P LO..HI, rate P; P=V words set parameters)");
}

nd_status nd_mentor_guess_compute(const nd_mentor_row *row, double *value, nd_error *err)
{
    const char *model = nd_mentor_row_get(row, "model");
    const char *line = nd_mentor_row_get(row, "compute");
    if (!model || !line)
        return nd_error_fail(err, ND_EVALUE, "guess '%s' needs model: and compute:", row->id);
    nd_model *m = nd_model_builtin(model, err);
    if (!m) return err ? err->code : ND_EVALUE;
    char *copy = strdup(line);
    nd_status st;
    if (!copy) {
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    } else {
        char *w[8];
        size_t n = words(copy, w, 8);
        st = compute(m, w, n, value, err);
    }
    free(copy);
    nd_model_free(m);
    return st;
}
