/* Interrupts from another thread stop sleep and busy loops and keep the workspace. The
   latency is printed, not asserted: a loaded machine must not fail the suite. */
#include "test.h"
#include "../../lib/commands/modules.h"

#include <pthread.h>
#include <time.h>

#include "../../lib/language/workspace.h"
#include "rec_sink.h"

typedef struct interrupter {
    nd_interp *in;
    double delay;       /* seconds before the interrupt */
    double fired_at;    /* monotonic time of the interrupt */
} interrupter;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *interrupt_later(void *arg)
{
    interrupter *it = arg;
    struct timespec ts = {0, (long)(it->delay * 1e9)};
    nanosleep(&ts, NULL);
    it->fired_at = now();
    nd_interp_interrupt(it->in);
    return NULL;
}

/* Runs code while a second thread interrupts after delay; returns the latency. */
static double run_interrupted(nd_interp *in, const char *code, double delay, nd_status *st,
                              nd_error *err, rec_sink *r)
{
    interrupter it = {in, delay, 0};
    pthread_t th;
    pthread_create(&th, NULL, interrupt_later, &it);
    *st = rec_run(in, code, r, err);
    double done = now();
    pthread_join(th, NULL);
    return done - it.fired_at;
}

TEST(interrupt_stops_sleep)
{
    nd_interp *in = nd_interp_create(nd_cmd_register_all);
    rec_sink r;
    rec_init(&r);
    nd_error e;
    nd_status st;
    double latency = run_interrupted(in, "before = 1\nsleep 5\nafter = 1", 0.05, &st, &e, &r);
    printf("    sleep stopped %.1f ms after the interrupt\n", latency * 1e3);
    CHECK_INT(st, ND_EINTERRUPT);
    CHECK_STR(e.msg, "interrupted by the user");
    CHECK_STR(nd_status_name(e.code), "Interrupted");
    CHECK_INT(e.line, 2);
    CHECK_INT(e.col, 1);
    CHECK(nd_ws_get(nd_interp_workspace(in), "before") != NULL);
    CHECK(nd_ws_get(nd_interp_workspace(in), "after") == NULL);
    rec_clear(&r);
    nd_interp_free(in);
}

TEST(interrupt_stops_a_busy_repeat)
{
    nd_interp *in = nd_interp_create(nd_cmd_register_all);
    rec_sink r;
    rec_init(&r);
    nd_error e;
    nd_status st;
    CHECK_INT(rec_run(in, "x = 0\nkeep = \"me\"", &r, &e), ND_OK);
    double latency = run_interrupted(in, "repeat 1e9 {\n  repeat 2 { let x = x + 1 }\n}", 0.05,
                                     &st, &e, &r);
    printf("    repeat stopped %.1f ms after the interrupt\n", latency * 1e3);
    CHECK_INT(st, ND_EINTERRUPT);
    nd_value *x = nd_ws_get(nd_interp_workspace(in), "x");
    CHECK(x && x->kind == ND_VAL_NUMBER && x->as.num > 0);
    CHECK(nd_ws_get(nd_interp_workspace(in), "keep") != NULL);
    rec_clear(&r);
    nd_interp_free(in);
}

TEST(interrupt_flag_stays_until_cleared)
{
    nd_interp *in = nd_interp_create(nd_cmd_register_all);
    rec_sink r;
    rec_init(&r);
    nd_error e;
    nd_interp_interrupt(in);
    /* exec does not clear the flag itself: the kernel does before each cell. */
    CHECK_INT(rec_run(in, "x = 1", &r, &e), ND_EINTERRUPT);
    CHECK_INT(rec_run(in, "x = 1", &r, &e), ND_EINTERRUPT);
    CHECK(nd_ws_get(nd_interp_workspace(in), "x") == NULL);
    nd_interp_clear_interrupt(in);
    CHECK_INT(rec_run(in, "x = 1", &r, &e), ND_OK);
    CHECK(nd_ws_get(nd_interp_workspace(in), "x") != NULL);
    rec_clear(&r);
    nd_interp_free(in);
}
