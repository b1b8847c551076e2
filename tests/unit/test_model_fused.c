/* The fused evaluation of f, J and Jp (nd_model_rhs_jac) against the three separate
   programs and against central differences of f. */
#include "test.h"

#include <math.h>
#include <string.h>

#include "../../lib/models/model.h"

TEST(model_rhs_jac_matches_the_separate_programs)
{
    const char *names[] = {"hh", "hh_rinzel", "ml"};
    for (size_t q = 0; q < 3; q++) {
        nd_error err = {0};
        nd_model *m = nd_model_builtin(names[q], &err);
        CHECK(m != NULL);
        if (!m) continue;
        size_t n = nd_model_count(m, ND_MODEL_STATE), np = nd_model_count(m, ND_MODEL_PAR);
        double y[8], p[16], out[8 + 64 + 128], f[8], J[64], Jp[128], fp[8], fm[8];
        CHECK(n <= 8 && np <= 16);
        memcpy(y, nd_model_inits(m), n * sizeof *y);
        memcpy(p, nd_model_pars(m), np * sizeof *p);
        y[0] += 17.3;   /* away from rest, where every rate function matters */
        p[nd_model_index(m, ND_MODEL_PAR, "I")] = 12.5;
        CHECK(nd_model_rhs_jac(m, 0, y, p, out) == 0);
        nd_model_rhs(m, 0, y, p, f);
        nd_model_jac(m, 0, y, p, J);
        nd_model_jacp(m, 0, y, p, Jp);
        CHECK(memcmp(out, f, n * sizeof *f) == 0);
        CHECK(memcmp(out + n, J, n * n * sizeof *J) == 0);
        CHECK(memcmp(out + n + n * n, Jp, n * np * sizeof *Jp) == 0);
        for (size_t j = 0; j < n; j++) {
            double h = 1e-6 * fmax(1, fabs(y[j])), keep = y[j];
            y[j] = keep + h;
            nd_model_rhs(m, 0, y, p, fp);
            y[j] = keep - h;
            nd_model_rhs(m, 0, y, p, fm);
            y[j] = keep;
            for (size_t i = 0; i < n; i++) {
                double fd = (fp[i] - fm[i]) / (2 * h), an = out[n + i * n + j];
                CHECK(fabs(fd - an) <= 1e-5 * (1 + fabs(an)));
            }
        }
        nd_model_free(m);
    }
}
