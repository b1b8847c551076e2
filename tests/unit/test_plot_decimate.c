/* lib/plot: decimation keeps every extreme a pixel grid can show. */
#include "test.h"

#include <stdlib.h>

#include "../../lib/plot/decimate.h"
#include "../../lib/plot/figure_impl.h"

static int contains(const size_t *keep, size_t n, size_t idx)
{
    for (size_t i = 0; i < n; i++)
        if ((keep[i] & ~ND_FIG_BREAK) == idx) return 1;
    return 0;
}

static int increasing(const size_t *keep, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if ((keep[i] & ~ND_FIG_BREAK) <= (keep[i - 1] & ~ND_FIG_BREAK)) return 0;
    return 1;
}

/* A million samples of a slow wave with one-sample spikes up and down: every spike's
   peak must survive, and the result must fit the 2-points-per-column budget. */
TEST(decimate_columns_keeps_one_sample_spikes)
{
    size_t n = 1000000;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        x[i] = 1e-4 * (double)i;
        y[i] = -65 + 5 * sin(1e-4 * (double)i);
    }
    size_t spikes[40];
    for (size_t s = 0; s < 40; s++) {
        spikes[s] = 1234 + s * 24961;
        y[spikes[s]] = s % 2 ? -120.0 - (double)s : 40.0 + (double)s;
    }
    size_t *keep = malloc(n * sizeof *keep);
    nd_fig_grid g = {0, x[n - 1], -200, 100, 620, 300};
    size_t m = nd_fig_decimate_columns(x, y, n, &g, keep);
    CHECK(m <= 2 * 620 + 2);
    CHECK(m > 620);
    CHECK(increasing(keep, m));
    CHECK_INT(keep[0], 0);
    CHECK_INT(keep[m - 1], n - 1);
    for (size_t s = 0; s < 40; s++)
        if (!contains(keep, m, spikes[s]))
            nd_test_fail(__FILE__, __LINE__, "spike %zu (y=%g) lost", s, y[spikes[s]]);
    free(keep);
    free(x);
    free(y);
}

TEST(decimate_columns_keeps_gaps)
{
    size_t n = 10000;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)i;
        y[i] = (i >= 4000 && i < 4100) ? NAN : (double)(i % 7);
    }
    size_t *keep = malloc(n * sizeof *keep);
    nd_fig_grid g = {0, (double)n, 0, 7, 100, 100};
    size_t m = nd_fig_decimate_columns(x, y, n, &g, keep);
    size_t gaps = 0;
    for (size_t i = 0; i < m; i++) gaps += isnan(y[keep[i]]);
    CHECK_INT(gaps, 1);          /* one marker for the 100-sample gap */
    CHECK(contains(keep, m, 3999));      /* the line runs up to the gap */
    CHECK(contains(keep, m, 4100));      /* and resumes right after it */
    CHECK(increasing(keep, m));
    free(keep);
    free(x);
    free(y);
}

/* A limit cycle traced 200 times costs about one loop. */
TEST(decimate_path_drops_retraced_loops)
{
    size_t n = 200000;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        double a = 2 * M_PI * (double)i / 1000.0;
        x[i] = cos(a);
        y[i] = sin(a);
    }
    size_t *keep = malloc(n * sizeof *keep);
    nd_fig_grid g = {-1.1, 1.1, -1.1, 1.1, 600, 300};
    size_t m = nd_fig_decimate_path(x, y, n, &g, keep);
    CHECK(m < 1000);
    CHECK(m > 300);
    CHECK(increasing(keep, m));
    double xmin = 1, xmax = -1;
    for (size_t i = 0; i < m; i++) {
        size_t j = keep[i] & ~ND_FIG_BREAK;
        xmin = fmin(xmin, x[j]);
        xmax = fmax(xmax, x[j]);
    }
    CHECK(xmin < -0.999 && xmax > 0.999);   /* the turning points are still drawn */
    free(keep);
    free(x);
    free(y);
}

/* A spiral into a fixed point never retraces: the path stays continuous (no breaks). */
TEST(decimate_path_keeps_a_spiral_whole)
{
    size_t n = 50000;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        double a = 2 * M_PI * (double)i / 5000.0, r = exp(-(double)i / 20000.0);
        x[i] = r * cos(a);
        y[i] = r * sin(a);
    }
    size_t *keep = malloc(n * sizeof *keep);
    nd_fig_grid g = {-1, 1, -1, 1, 600, 400};
    size_t m = nd_fig_decimate_path(x, y, n, &g, keep);
    size_t breaks = 0;
    for (size_t i = 0; i < m; i++) breaks += (keep[i] & ND_FIG_BREAK) != 0;
    CHECK(m < n / 4);
    CHECK(breaks < 5);
    CHECK_INT(keep[0], 0);
    free(keep);
    free(x);
    free(y);
}

TEST(decimate_marks_one_per_pixel)
{
    size_t n = 100000;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)(i % 317) / 317.0;
        y[i] = i == 5 ? NAN : (double)(i % 101) / 101.0;
    }
    size_t *keep = malloc(n * sizeof *keep);
    nd_fig_grid g = {0, 1, 0, 1, 10, 10};
    size_t m = nd_fig_decimate_marks(x, y, n, &g, keep);
    CHECK(m <= 100);
    CHECK(m >= 90);
    CHECK(!contains(keep, m, 5));
    free(keep);
    free(x);
    free(y);
}

/* Through the figure: a long trace is thinned, a short one is left alone. */
TEST(decimate_through_plan)
{
    size_t n = 100000;
    double *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) y[i] = i == 77777 ? 50.0 : -65.0;
    nd_figure *fig = nd_fig_create(NULL);
    int p = nd_fig_add_panel(fig, "t", "V");
    nd_fig_add_series(fig, p, NULL, NULL, y, n, (nd_fig_style){0});
    nd_fig_add_series(fig, p, NULL, NULL, y, 500, (nd_fig_style){0});
    nd_fig_plan plan;
    CHECK_INT(nd_fig_plan_make(fig, &plan), 0);
    CHECK(plan.nkeep[0] < 2 * 720);
    CHECK(contains(plan.keep[0], plan.nkeep[0], 77777));
    CHECK(plan.keep[1] == NULL);
    CHECK_INT(plan.nkeep[1], 500);
    CHECK(plan.xlo == 0 && plan.xhi == (double)(n - 1));
    nd_fig_plan_free(&plan);
    nd_fig_free(fig);
    free(y);
}
