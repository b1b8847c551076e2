/* The constants of a candidate fitted by Levenberg–Marquardt on the squared error, the
   Jacobian exact from forward mode (symreg_eval.c). Few constants (at most 16), so the
   normal equations are solved directly. */
#include <math.h>
#include <string.h>

#include "symreg_impl.h"

/* Solves A x = b (n × n, row-major, destroyed) by Gaussian elimination with partial
   pivoting; -1 when A is singular. */
static int solve(double *A, double *b, int n)
{
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int r = c + 1; r < n; r++)
            if (fabs(A[r * n + c]) > fabs(A[p * n + c])) p = r;
        if (!(fabs(A[p * n + c]) > 0)) return -1;
        if (p != c) {
            for (int k = 0; k < n; k++) {
                double tmp = A[c * n + k];
                A[c * n + k] = A[p * n + k];
                A[p * n + k] = tmp;
            }
            double tmp = b[c];
            b[c] = b[p];
            b[p] = tmp;
        }
        for (int r = c + 1; r < n; r++) {
            double f = A[r * n + c] / A[c * n + c];
            for (int k = c; k < n; k++) A[r * n + k] -= f * A[c * n + k];
            b[r] -= f * b[c];
        }
    }
    for (int c = n - 1; c >= 0; c--) {
        for (int k = c + 1; k < n; k++) b[c] -= A[c * n + k] * b[k];
        b[c] /= A[c * n + c];
    }
    return 0;
}

static double sse(const double *pred, const double *y, size_t rows)
{
    double s = 0;
    for (size_t i = 0; i < rows; i++) {
        double r = pred[i] - y[i];
        s += r * r;
    }
    return s;
}

static void set_consts(sr_tree *t, const double *c, int nc)
{
    for (int i = 0, k = 0; i < t->n && k < nc; i++)
        if (t->nodes[i].kind == SR_CONST) t->nodes[i].c = c[k++];
}

static void get_consts(const sr_tree *t, double *c, int nc)
{
    for (int i = 0, k = 0; i < t->n && k < nc; i++)
        if (t->nodes[i].kind == SR_CONST) c[k++] = t->nodes[i].c;
}

int sr_fit(sr_tree *t, const sr_ops *ops, const double *X, const double *y, sr_scratch *s,
           int iters)
{
    size_t rows = s->rows;
    int nc = sr_nconsts(t), evals = 1;
    if (nc > SR_MAX_CONSTS) nc = SR_MAX_CONSTS;
    if (sr_eval(t, ops, X, s, nc > 0 && iters > 0) != 0) {
        t->loss = INFINITY;
        return evals;
    }
    double f = sse(s->pred, y, rows);
    double c[SR_MAX_CONSTS], A[SR_MAX_CONSTS * SR_MAX_CONSTS], g[SR_MAX_CONSTS];
    double M[SR_MAX_CONSTS * SR_MAX_CONSTS], step[SR_MAX_CONSTS], trial[SR_MAX_CONSTS];
    double lambda = 1e-3;
    get_consts(t, c, nc);
    for (int it = 0; it < iters && nc > 0 && f > 0; it++) {
        for (int a = 0; a < nc; a++) {
            const double *ja = s->jac + (size_t)a * rows;
            double ga = 0;
            for (size_t i = 0; i < rows; i++) ga += ja[i] * (s->pred[i] - y[i]);
            g[a] = ga;
            for (int b = 0; b <= a; b++) {
                const double *jb = s->jac + (size_t)b * rows;
                double sum = 0;
                for (size_t i = 0; i < rows; i++) sum += ja[i] * jb[i];
                A[a * nc + b] = A[b * nc + a] = sum;
            }
        }
        int accepted = 0;
        while (!accepted && lambda < 1e12) {
            memcpy(M, A, sizeof(double) * (size_t)(nc * nc));
            for (int a = 0; a < nc; a++) {
                M[a * nc + a] += lambda * A[a * nc + a] + 1e-300;
                step[a] = -g[a];
            }
            if (solve(M, step, nc) == 0) {
                for (int a = 0; a < nc; a++) trial[a] = c[a] + step[a];
                set_consts(t, trial, nc);
                evals++;
                if (sr_eval(t, ops, X, s, 1) == 0) {
                    double fn = sse(s->pred, y, rows);
                    if (fn < f) {
                        accepted = 1;
                        double gain = (f - fn) / f;
                        f = fn;
                        memcpy(c, trial, sizeof(double) * (size_t)nc);
                        lambda = fmax(lambda / 3, 1e-12);
                        if (gain < 1e-10) it = iters;    /* converged */
                        continue;
                    }
                }
            }
            lambda *= 4;
        }
        set_consts(t, c, nc);
        if (!accepted) break;
    }
    /* s holds the last trial's state; the best point is c, with error f. */
    set_consts(t, c, nc);
    t->loss = f / (double)rows;
    return evals;
}
