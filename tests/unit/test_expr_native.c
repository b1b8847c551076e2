/* Native code for compiled expressions: bit-identical to the interpreter (HH, a model's
   right-hand side and Jacobians, thousands of random expressions), the 0/0 repair, the
   on-disk cache (reuse, a corrupt object, two threads at once) and every fallback.

   The rest of the unit suite runs on the interpreter (tests/unit/main.c sets
   NEURODYN_NATIVE=0 unless it is set already); the tests here turn native code on in a
   temporary XDG_CACHE_HOME of their own. */
#include "test.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <dirent.h>
#include <dlfcn.h>
#include <sys/stat.h>

#include "expr_fixture.h"
#include "proc_util.h"
#include "tempdir.h"
#include "../../lib/expr/compile.h"
#include "../../lib/expr/functions.h"
#include "../../lib/expr/native.h"
#include "../../lib/expr/vm.h"
#include "../../lib/models/model_impl.h"

/* ---- a private cache and environment per test ---- */

typedef struct sandbox {
    char dir[64];
    char *old_cache, *old_native;
} sandbox;

static char *saved(const char *name)
{
    const char *v = getenv(name);
    return v ? strdup(v) : NULL;
}

static void restore(const char *name, char *value)
{
    if (value) setenv(name, value, 1);
    else unsetenv(name);
    free(value);
}

static void sandbox_open(sandbox *s)
{
    if (nd_tempdir_make(s->dir)) nd_test_fail(__FILE__, __LINE__, "no temp dir");
    s->old_cache = saved("XDG_CACHE_HOME");
    s->old_native = saved("NEURODYN_NATIVE");
    setenv("XDG_CACHE_HOME", s->dir, 1);
    unsetenv("NEURODYN_NATIVE");
}

static void sandbox_close(sandbox *s)
{
    restore("XDG_CACHE_HOME", s->old_cache);
    restore("NEURODYN_NATIVE", s->old_native);
    nd_tempdir_remove(s->dir);
}

/* Counts the files in the sandbox's object directory; *others gets those not "*.so" or
   with a temporary name (nothing may be left behind). */
static int cached_objects(const sandbox *s, int *others)
{
    char path[128];
    snprintf(path, sizeof path, "%s/neurodyn/native", s->dir);
    DIR *d = opendir(path);
    int n = 0;
    *others = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        size_t len = strlen(e->d_name);
        if (len == 64 + 3 && strcmp(e->d_name + 64, ".so") == 0) n++;
        else (*others)++;
    }
    if (d) closedir(d);
    return n;
}

/* ---- programs ---- */

static const char *const hh_term_names[] = {"am", "bm", "ah", "bh", "an", "bn"};
static const char *const hh_terms[] = {
    "0.1 * (V + 40) / (1 - exp(-(V + 40) / 10))", "4 * exp(-(V + 65) / 18)",
    "0.07 * exp(-(V + 65) / 20)", "1 / (1 + exp(-(V + 35) / 10))",
    "0.01 * (V + 55) / (1 - exp(-(V + 55) / 10))", "0.125 * exp(-(V + 65) / 80)",
};

/* The HH right-hand side, terms inlined; `extra` is added to dV/dt (a different constant
   makes a different program). */
static nd_code *compile_hh(double extra)
{
    char first[160];
    snprintf(first, sizeof first,
             "%.17g - 120 * m^3 * h * (V - 50) - 36 * n^4 * (V + 77) - 0.3 * (V + 54.387)", extra);
    const char *rt[] = {first, "am * (1 - m) - bm * m", "ah * (1 - h) - bh * h",
                        "an * (1 - n) - bn * n"};
    nd_expr *terms[6], *rhs[4];
    for (int i = 0; i < 6; i++) terms[i] = fx_parse(hh_terms[i]);
    for (int i = 0; i < 4; i++) {
        nd_expr *raw = fx_parse(rt[i]);
        rhs[i] = nd_expr_subst(raw, hh_term_names, (const nd_expr *const *)terms, 6);
        nd_expr_free(raw);
    }
    nd_error err;
    nd_code *c = nd_code_compile((const nd_expr *const *)rhs, 4, fx_resolve, NULL, &err);
    if (!c) nd_test_fail(__FILE__, __LINE__, "cannot compile HH: %s", err.msg);
    for (int i = 0; i < 6; i++) nd_expr_free(terms[i]);
    for (int i = 0; i < 4; i++) nd_expr_free(rhs[i]);
    return c;
}

static nd_code *compile_text(const char *text)
{
    nd_expr *e = fx_parse(text);
    nd_error err;
    const nd_expr *list[] = {e};
    nd_code *c = e ? nd_code_compile(list, 1, fx_resolve, NULL, &err) : NULL;
    if (!c) nd_test_fail(__FILE__, __LINE__, "cannot compile '%s'", text);
    nd_expr_free(e);
    return c;
}

/* Equal bits, or both nan (which nan an operation passes on is the compiler's choice). */
static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b));
}

/* Runs c both ways at slots and counts the outputs that differ (reporting the first). */
static int compare(const nd_code *c, const double *slots, const char *what)
{
    enum { MAXOUT = 4096 };
    static double vm[MAXOUT], nat[MAXOUT];
    if (!c || !c->native || c->nout > MAXOUT) {
        nd_test_fail(__FILE__, __LINE__, "%s: not native (%s)", what, c ? nd_code_backend(c) : "-");
        return 1;
    }
    nd_vm_run_raw(c, slots, vm);
    c->native(slots, nat);
    int bad = 0;
    for (size_t k = 0; k < c->nout; k++)
        if (!same_bits(vm[k], nat[k]) && bad++ == 0)
            nd_test_fail(__FILE__, __LINE__, "%s: output %zu: native %a, vm %a", what, k,
                         nat[k], vm[k]);
    return bad;
}

/* ---- tests ---- */

TEST(expr_native_hh_is_bit_identical)
{
    sandbox s;
    sandbox_open(&s);
    nd_code *c = compile_hh(10);
    CHECK_STR(c ? nd_code_backend(c) : "", "native");
    int bad = 0;
    for (double V = -100.3; c && V < 60 && !bad; V += 0.0917) {
        double sl[7] = {0, 0, 0, V, 0.05, 0.6, 0.32};
        bad += compare(c, sl, "HH");
    }
    /* on the singularities (0/0 repaired through the interpreter) and near them, where
       the expm1 switch decides */
    const double Vs[] = {-40, -55, -40 + 1e-9, -55 - 1e-7, -47, -33, -62, -48};
    for (size_t i = 0; c && i < sizeof Vs / sizeof Vs[0]; i++) {
        double sl[7] = {0, 0, 0, Vs[i], 0.05, 0.6, 0.32}, a[4], b[4];
        bad += compare(c, sl, "HH near a singularity");
        nd_code_eval(c, sl, a);
        setenv("NEURODYN_NATIVE", "0", 1);
        nd_code *vm = compile_hh(10);
        unsetenv("NEURODYN_NATIVE");
        CHECK(vm && vm->native == NULL);
        CHECK_CONTAINS(vm ? nd_code_backend(vm) : "", "vm: disabled by NEURODYN_NATIVE=0");
        if (vm) nd_code_eval(vm, sl, b);
        for (int k = 0; vm && k < 4; k++) CHECK(same_bits(a[k], b[k]) && !isnan(a[k]));
        nd_code_free(vm);
    }
    CHECK_INT(bad, 0);
    nd_code_free(c);
    sandbox_close(&s);
}

TEST(expr_native_repairs_removable_singularities)
{
    sandbox s;
    sandbox_open(&s);
    size_t old = nd_native_set_min_size(0);
    nd_code *am = compile_text("0.1 * (V + 40) / (1 - exp(-(V + 40) / 10)) + 0 * x");
    CHECK_STR(am ? nd_code_backend(am) : "", "native");
    double sl[7] = {0, 0, 0, -40, 0, 0, 0}, out = 0;
    if (am) nd_code_eval(am, sl, &out);
    CHECK_NEAR(out, 1.0, 1e-10);
    sl[3] = -40 + 1e-9;                      /* no 0/0: expm1 keeps full accuracy */
    if (am) nd_code_eval(am, sl, &out);
    double x = 1e-10;
    CHECK_NEAR(out, x / -expm1(-x), 1e-15);
    nd_code *lg = compile_text("log(x) + x / x");    /* a nan that is no 0/0 stays */
    double neg[1] = {-1};
    if (lg) nd_code_eval(lg, neg, &out);
    CHECK(isnan(out));
    nd_code_free(lg);
    nd_code_free(am);
    nd_native_set_min_size(old);
    sandbox_close(&s);
}

/* ---- random expressions ---- */

/* Integers too (powers become multiplications, 1 - exp(z) becomes expm1): the native code
   must follow the interpreter through every rewrite. */
static const double consts[] = {0.3, 2.5, -1.7, 4.25, 0.5, 1, 2, 3, -1, 0, 40, 1e-300, 1e300};
static const char *const names[] = {"x", "y", "z", "pi", "inf", "nan"};
static const fx_leaves leaves = {consts, 13, names, 6, 3};

typedef struct random_program {
    nd_expr *e[400];
    nd_code *code;
} random_program;

static void *compile_random(void *arg)
{
    random_program *rp = arg;
    nd_error err;
    rp->code = nd_code_compile((const nd_expr *const *)rp->e, 400, fx_resolve, NULL, &err);
    return NULL;
}

/* 2000 random expressions in 5 programs (one cc run each, run side by side to save
   time), each program run at 40 points. */
TEST(expr_native_random_expressions_are_bit_identical)
{
    enum { NPROG = 5, NEXPR = 400, NPTS = 40 };
    static random_program rp[NPROG];
    sandbox s;
    sandbox_open(&s);
    fx_seed(7);
    pthread_t th[NPROG];
    for (int prog = 0; prog < NPROG; prog++) {
        for (int i = 0; i < NEXPR; i++) rp[prog].e[i] = fx_random_tree(5, &leaves);
        pthread_create(&th[prog], NULL, compile_random, &rp[prog]);
    }
    int bad = 0, programs = 0;
    for (int prog = 0; prog < NPROG; prog++) {
        pthread_join(th[prog], NULL);
        nd_code *c = rp[prog].code;
        CHECK(c != NULL);
        programs += c && c->native;
        for (int p = 0; c && p < NPTS && bad < 5; p++) {
            static const double special[] = {0, -0.0, 1, -1, 0.5, 1e-300, -1e300, INFINITY, -INFINITY, NAN};
            double sl[3];
            for (int j = 0; j < 3; j++)
                sl[j] = p < 8 ? special[fx_rnd(10)] : p < 24 ? 6 * fx_rnd_unit() - 3 : 200 * fx_rnd_unit() - 100;
            bad += compare(c, sl, "random expressions");
        }
        nd_code_free(c);
        for (int i = 0; i < NEXPR; i++) nd_expr_free(rp[prog].e[i]);
    }
    CHECK_INT(programs, NPROG);
    CHECK_INT(bad, 0);
    sandbox_close(&s);
}

/* Every function of the table has a native form, each alone in a small program. */
TEST(expr_native_every_function)
{
    sandbox s;
    sandbox_open(&s);
    nd_expr *e[64];
    size_t n = 0;
    for (size_t i = 0; i < nd_func_count() && n < 64; i++) {
        const nd_func *f = nd_func_at(i);
        char text[96];
        if (f->min_args == 1) snprintf(text, sizeof text, "%s(x) + %s(y * 3)", f->name, f->name);
        else snprintf(text, sizeof text, "%s(x, z) + %s(z, x, y)", f->name, f->name);
        if (f->max_args == 2) snprintf(text, sizeof text, "%s(x, z) + %s(z, y)", f->name, f->name);
        e[n++] = fx_parse(text);
    }
    nd_error err;
    nd_code *c = nd_code_compile((const nd_expr *const *)e, n, fx_resolve, NULL, &err);
    int bad = 0;
    for (double x = -2.05; c && x < 2.1; x += 0.25) {
        double sl[3] = {x, 0.37 - x / 3, 1.7 * x + 0.2};
        bad += compare(c, sl, "functions");
    }
    double zeros[3] = {-0.0, 0, NAN};
    if (c) bad += compare(c, zeros, "functions at zeros and nan");
    CHECK_INT(bad, 0);
    nd_code_free(c);
    for (size_t i = 0; i < n; i++) nd_expr_free(e[i]);
    sandbox_close(&s);
}

/* A built-in model's right-hand side and both Jacobians go native. */
TEST(expr_native_model_code)
{
    sandbox s;
    sandbox_open(&s);
    nd_error err;
    nd_model *m = nd_model_builtin("hh", &err);
    CHECK(m != NULL);
    if (m) {
        md_def *d = m->def;
        nd_code *codes[] = {d->rhs, d->jac, d->jacp};
        size_t nslots = 1 + d->list[ND_MODEL_STATE].count + d->list[ND_MODEL_PAR].count;
        double *sl = calloc(nslots, sizeof *sl);
        for (int i = 0; i < 3; i++) {
            CHECK_STR(codes[i] ? nd_code_backend(codes[i]) : "", "native");
            for (double V = -90; codes[i] && codes[i]->native && V < 50; V += 3.3) {
                for (size_t j = 0; j < nslots; j++) sl[j] = 0.1 + 0.05 * (double)j;
                sl[1] = V;
                compare(codes[i], sl, "hh model");
            }
        }
        free(sl);
    }
    nd_model_free(m);
    sandbox_close(&s);
}

TEST(expr_native_cache_is_reused)
{
    sandbox s;
    sandbox_open(&s);
    unsigned long before = nd_native_compile_count();
    nd_code *a = compile_hh(11);
    CHECK_INT(nd_native_compile_count() - before, 1);
    nd_code *b = compile_hh(11);             /* while a is loaded */
    nd_code_free(a);
    nd_code_free(b);
    nd_code *c = compile_hh(11);             /* after the object was unloaded */
    CHECK_INT(nd_native_compile_count() - before, 1);
    CHECK_STR(c ? nd_code_backend(c) : "", "native");
    double sl[7] = {0, 0, 0, -61, 0.05, 0.6, 0.32};
    if (c) CHECK_INT(compare(c, sl, "cached HH"), 0);
    nd_code_free(c);
    int others;
    CHECK_INT(cached_objects(&s, &others), 1);
    CHECK_INT(others, 0);
    sandbox_close(&s);
}

TEST(expr_native_corrupt_object_is_rebuilt)
{
    sandbox s;
    sandbox_open(&s);
    unsigned long before = nd_native_compile_count();
    nd_code *a = compile_hh(12), *other = compile_hh(13);
    CHECK_INT(nd_native_compile_count() - before, 2);
    char dir[128], path[512] = "", other_path[512] = "";
    snprintf(dir, sizeof dir, "%s/neurodyn/native", s.dir);
    /* a's object is the one whose already-loaded handle is a's */
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char full[400];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        void *h = dlopen(full, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
        snprintf(h == a->dl ? path : other_path, sizeof path, "%s", full);
        if (h) dlclose(h);
    }
    if (d) closedir(d);
    nd_code_free(a);
    nd_code_free(other);
    CHECK(path[0] && other_path[0]);

    /* garbage in place of the object */
    CHECK_INT(nd_tempdir_write(path, "not an ELF file\n"), 0);
    nd_code *b = compile_hh(12);
    CHECK_INT(nd_native_compile_count() - before, 3);
    CHECK_STR(b ? nd_code_backend(b) : "", "native");
    double sl[7] = {0, 0, 0, -20, 0.05, 0.6, 0.32};
    if (b) CHECK_INT(compare(b, sl, "rebuilt HH"), 0);
    nd_code_free(b);

    /* a valid object of another program in its place: its key gives it away */
    char *bytes = NULL;
    FILE *f = fopen(other_path, "rb");
    size_t len = 0;
    if (f) {
        bytes = malloc(1 << 20);
        len = bytes ? fread(bytes, 1, 1 << 20, f) : 0;
        fclose(f);
    }
    f = fopen(path, "wb");
    if (f && bytes) fwrite(bytes, 1, len, f);
    if (f) fclose(f);
    free(bytes);
    nd_code *c = compile_hh(12);
    CHECK_INT(nd_native_compile_count() - before, 4);
    CHECK_STR(c ? nd_code_backend(c) : "", "native");
    if (c) CHECK_INT(compare(c, sl, "rebuilt HH"), 0);
    nd_code_free(c);
    sandbox_close(&s);
}

typedef struct job {
    pthread_barrier_t *start;
    nd_code *code;
} job;

static void *compile_in_thread(void *arg)
{
    job *j = arg;
    pthread_barrier_wait(j->start);
    j->code = compile_hh(14);
    return NULL;
}

/* Two threads build the same new program at once: both get it, and the cache holds one
   object and no temporary files. */
TEST(expr_native_concurrent_compiles)
{
    sandbox s;
    sandbox_open(&s);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    job jobs[2] = {{&start, NULL}, {&start, NULL}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, compile_in_thread, &jobs[i]);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    double sl[7] = {0, 0, 0, -52, 0.05, 0.6, 0.32}, a[4] = {0}, b[4] = {1};
    for (int i = 0; i < 2; i++) CHECK_STR(jobs[i].code ? nd_code_backend(jobs[i].code) : "", "native");
    if (jobs[0].code && jobs[1].code) {
        nd_code_eval(jobs[0].code, sl, a);
        nd_code_eval(jobs[1].code, sl, b);
        CHECK(memcmp(a, b, sizeof a) == 0);
        CHECK_INT(compare(jobs[0].code, sl, "thread 0"), 0);
    }
    for (int i = 0; i < 2; i++) nd_code_free(jobs[i].code);
    int others;
    CHECK_INT(cached_objects(&s, &others), 1);
    CHECK_INT(others, 0);
    sandbox_close(&s);
}

/* Compiles HH under the current environment and checks it runs on the interpreter for
   the reason given, with the interpreter's results. */
static void check_fallback(const char *reason, int line)
{
    nd_code *c = compile_hh(15);
    const char *got = c ? nd_code_backend(c) : "";
    if (!c || c->native || !strstr(got, reason))
        nd_test_fail(__FILE__, line, "backend \"%s\", expected one with \"%s\"", got, reason);
    double sl[7] = {0, 0, 0, -64, 0.05, 0.6, 0.32}, out[4], ref[4];
    if (c) {
        nd_code_eval(c, sl, out);
        nd_vm_run_raw(c, sl, ref);
        if (memcmp(out, ref, sizeof out) != 0) nd_test_fail(__FILE__, line, "results differ");
    }
    nd_code_free(c);
}

TEST(expr_native_falls_back_to_the_interpreter)
{
    sandbox s;
    sandbox_open(&s);
    unsigned long before = nd_native_compile_count();

    setenv("NEURODYN_NATIVE", "0", 1);
    check_fallback("vm: disabled by NEURODYN_NATIVE=0", __LINE__);
    unsetenv("NEURODYN_NATIVE");

    nd_code *small = compile_text("x * y + 1");
    CHECK_CONTAINS(small ? nd_code_backend(small) : "", "vm: small program (2 instructions)");
    nd_code_free(small);

    char bin[64];
    CHECK_INT(nd_tempdir_make(bin), 0);
    char *old_path = nd_test_set_path(bin);               /* no cc at all */
    check_fallback("vm: no C compiler (cc) on PATH", __LINE__);

    /* a cc that fails, one that hangs (killed at the time limit, with its child) */
    nd_test_fake_program(bin, "cc", "[ \"$1\" = --version ] && { echo fake cc 1; exit 0; }\n"
                                    "echo 'fatal: nothing works' >&2; exit 3");
    check_fallback("vm: cc failed (exit 3): fatal: nothing works", __LINE__);
    CHECK_INT(nd_native_compile_count() - before, 1);
    nd_test_fake_program(bin, "cc", "[ \"$1\" = --version ] && { echo fake cc 2; exit 0; }\n"
                                    "/bin/sleep 30");
    int old_limit = nd_native_set_timeout_ms(300);
    check_fallback("vm: cc took longer than 0.3 s", __LINE__);
    nd_native_set_timeout_ms(old_limit);
    CHECK_INT(nd_test_zombie_children(), 0);
    nd_test_restore_path(old_path);
    nd_tempdir_remove(bin);

    /* a cache directory that cannot be made: a file where it should be */
    char file[128];
    nd_tempdir_path(file, sizeof file, s.dir, "file");
    nd_tempdir_write(file, "x");
    setenv("XDG_CACHE_HOME", file, 1);
    check_fallback("vm: cache directory unusable", __LINE__);
    setenv("XDG_CACHE_HOME", s.dir, 1);

    /* and native again once all is well */
    nd_code *c = compile_hh(15);
    CHECK_STR(c ? nd_code_backend(c) : "", "native");
    nd_code_free(c);
    sandbox_close(&s);
}

/* The generated source: constants as exact literals, no names from the expression. */
TEST(expr_native_source_has_no_user_text)
{
    size_t old = nd_native_set_min_size(SIZE_MAX);
    nd_code *c = compile_text("x * 0.1 + y * -0.0 + z / 1e-310 + inf * V + m^2.5 + sign(h)");
    char *src = c ? nd_native_source(c) : NULL;
    CHECK(src != NULL);
    if (src) {
        CHECK_CONTAINS(src, "(0x1.999999999999ap-4)");     /* 0.1 exactly */
        CHECK_CONTAINS(src, "(-0x0.0000000000000p+0)");    /* -0 */
        CHECK_CONTAINS(src, "nd_k(0x7ff0000000000000ull)");/* inf by its bits */
        CHECK_CONTAINS(src, "slots[5]");
        CHECK(strstr(src, "inf") == NULL || strstr(src, "nd_k(0x7ff0") != NULL);
        CHECK(strstr(src, " V") == NULL && strstr(src, "1e-310") == NULL);
    }
    free(src);
    nd_code_free(c);
    nd_native_set_min_size(old);
}
