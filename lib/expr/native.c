/* Native code for compiled expressions.

   What. The instruction list an nd_code runs on the interpreter (vm.c) - after CSE,
   folding and fusions - is printed as straight-line C,
       void nd_native_eval(const double *slots, double *out)
   with every value in a local, built by the system's cc into a shared object and loaded
   with dlopen. The HH right-hand side then runs as fast as the same function written by
   hand (33 ns), instead of ~3x slower. A long program (more than PART instructions) is
   cut into functions of PART instructions, values crossing a cut passed in an array, to
   keep gcc's time near linear (~0.25 ms per instruction; 36 ms for HH all told).

   Same results, bit for bit. Each instruction becomes the C expression the interpreter
   evaluates for it, with the same operands in the same order, the same libm functions (the
   preamble's helpers copy functions.c and vm.c's expm1 switch) and constants as exact
   hex-float literals. cc runs with -ffp-contract=off (no fused multiply-add: each product
   and sum rounds on its own, as in the interpreter) and without fast-math; sin and cos
   are not builtins there, so that sin(x) next to cos(x) is not merged into one sincos()
   call, whose last bit may differ. Only the order of independent instructions may differ,
   which changes no value, and a nan's payload (which operand's nan an addition passes on
   is the compiler's choice in both builds); nan stays nan.

   No injection. No text of the user's reaches the generated file: inputs are slots[i],
   values are locals t<i>, constants are hex-float literals printed from their bits,
   functions come from a fixed table below (a function without a row keeps its program on
   the interpreter). cc is started without a shell, its arguments fixed here.

   Cache. The object is ${XDG_CACHE_HOME:-$HOME/.cache}/neurodyn/native/<key>.so, key the
   SHA-256 of the source, cc's flags, cc's path and its --version text: a changed compiler
   or generator never reuses an old object. It is written under a temporary name and
   renamed into place, so two kernels building the same model never see half a file. The
   object carries its key (nd_native_key), checked after loading; an object that does not
   load or carries another key is rebuilt and renamed over. Objects are never deleted
   (one per distinct program, ~15 KB each).

   Fallback. When native code cannot be had - NEURODYN_NATIVE=0, a program too small to be
   worth cc's time, no cc on PATH, an unusable cache directory, cc failing or running past
   its time limit, an object that will not load - the program stays on the interpreter
   and nd_code_backend says why. Compiling never fails because of this.

   Lifetime. Each nd_code holds its own dlopen reference (glibc counts them; the same file
   is mapped once per process); nd_code_free closes it, and the last close unmaps. */
#define _GNU_SOURCE
#include "native.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/proc.h"
#include "../base/strbuf.h"
#include "vm.h"

/* Programs shorter than this stay on the interpreter: cc's ~0.1 s is not won back. */
static atomic_size_t min_size = 8;
static atomic_int timeout_ms = 60000;
static atomic_ulong compiles;

/* Part of the cache key: changing the generator below must change this. */
static const char generator_version[] = "neurodyn-native-1";

static const char *const cc_flags[] = {
    "-std=c11", "-O2", "-ffp-contract=off", "-fno-fast-math", "-fno-builtin-sin",
    "-fno-builtin-cos", "-fno-builtin-sincos", "-fPIC", "-shared", "-g0", "-pipe", "-w",
    /* compile time only: these passes find nothing in straight-line code whose every store
       is read later, yet take half of gcc's time on a large program */
    "-fno-tree-slp-vectorize", "-fno-tree-dse", "-fno-dse",
};
enum { NFLAGS = sizeof cc_flags / sizeof cc_flags[0] };

/* Diagnostics kept from cc: enough for the first error line. */
enum { MAX_DIAG = 16384 };

/* ---- the C source ---- */

/* Functions of the table in functions.c, by name, with the C that computes them exactly
   as its row there does. The only place function names come from. */
static const struct { const char *name, *c; } fn_c[] = {
    {"abs", "fabs"}, {"acos", "acos"}, {"asin", "asin"}, {"atan", "atan"},
    {"atan2", "atan2"}, {"ceil", "ceil"}, {"cos", "cos"}, {"cosh", "cosh"},
    {"exp", "exp"}, {"expm1", "expm1"}, {"floor", "floor"}, {"heaviside", "nd_heaviside"},
    {"log", "log"}, {"log10", "log10"}, {"max", "nd_max"}, {"min", "nd_min"},
    {"pow", "pow"}, {"round", "round"}, {"sign", "nd_sign"}, {"sin", "sin"},
    {"sinh", "sinh"}, {"sqrt", "sqrt"}, {"tan", "tan"}, {"tanh", "tanh"},
};

/* No headers: nothing in the build depends on include paths or their contents. The
   helpers repeat functions.c and vm.c expression for expression. */
static const char preamble[] =
    "/* Generated by neurodyn (lib/expr/native.c) from a compiled expression program.\n"
    "   No user text is in this file: inputs are slots[i], constants hex-float literals. */\n"
    "double fabs(double), acos(double), asin(double), atan(double), atan2(double, double),\n"
    "    ceil(double), cos(double), cosh(double), exp(double), expm1(double), floor(double),\n"
    "    log(double), log10(double), pow(double, double), round(double), sin(double),\n"
    "    sinh(double), sqrt(double), tan(double), tanh(double), fmin(double, double),\n"
    "    fmax(double, double);\n"
    "static inline double nd_k(unsigned long long u)\n"
    "{\n"
    "    union { unsigned long long u; double d; } x;\n"
    "    x.u = u;\n"
    "    return x.d;\n"
    "}\n"
    "static inline double nd_expm1r(double z) { return fabs(z) < 0.7 ? expm1(z) : exp(z) - 1.0; }\n"
    "static inline double nd_sign(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }\n"
    "static inline double nd_heaviside(double x)\n"
    "{\n"
    "    return x > 0 ? 1.0 : x < 0 ? 0.0 : x == 0 ? 0.5 : x;\n"
    "}\n";

/* Appends x as an exact C literal from its bits (never printf's %a: that follows the
   locale's decimal point), parenthesised so that a sign can follow any operator. */
static void put_double(nd_sb *sb, double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    if (!isfinite(x)) {
        nd_sb_printf(sb, "nd_k(0x%016llxull)", (unsigned long long)u);
        return;
    }
    int e = (int)(u >> 52 & 0x7ff);
    unsigned long long m = u & ((1ull << 52) - 1);
    nd_sb_printf(sb, "(%s0x%d.%013llxp%+d)", u >> 63 ? "-" : "", e ? 1 : 0, m,
                 e ? e - 1023 : m ? -1022 : 0);
}

/* min and max fold two arguments at a time in the interpreter (VM_FN2); these are
   functions.c's min2 and max2, its NAN included bit for bit. */
static void put_minmax(nd_sb *sb)
{
    const double nan_value = NAN;
    nd_sb_puts(sb, "static inline int nd_signbit(double x)\n"
                   "{\n"
                   "    union { double d; unsigned long long u; } v;\n"
                   "    v.d = x;\n"
                   "    return (int)(v.u >> 63);\n"
                   "}\n");
    for (int max = 0; max < 2; max++) {
        nd_sb_printf(sb, "static inline double nd_%s(double m, double a)\n{\n"
                         "    if (m != m || a != a) return ", max ? "max" : "min");
        put_double(sb, nan_value);
        nd_sb_printf(sb, ";\n    if (m != a) return m %c a ? m : a;\n"
                         "    return nd_signbit(m) ? %s;\n}\n",
                     max ? '>' : '<', max ? "a : m" : "m : a");
    }
}

static const char *fn_name(const nd_func *f)
{
    for (size_t i = 0; i < sizeof fn_c / sizeof fn_c[0]; i++)
        if (strcmp(fn_c[i].name, f->name) == 0) return fn_c[i].c;
    return NULL;
}

/* Which of the operands a, b, c an instruction reads. */
static int arity(int op)
{
    switch (op) {
    case VM_CONST:
        return 0;
    case VM_ADD: case VM_SUB: case VM_MUL: case VM_DIV: case VM_POW: case VM_FN2:
    case VM_LT: case VM_LE: case VM_GT: case VM_GE: case VM_EQ: case VM_NE:
    case VM_AND: case VM_OR:
        return 2;
    case VM_MULADD: case VM_MULSUB: case VM_NMULADD:
        return 3;
    default:
        return 1;
    }
}

/* The right-hand side for instruction p, its operands' names in v[]; -1 when the
   instruction has no C form. */
static int put_ins(nd_sb *sb, const vm_ins *p, const char v[3][24])
{
    static const char *const infix[VM_NOPS] = {
        [VM_ADD] = "+", [VM_SUB] = "-", [VM_MUL] = "*", [VM_DIV] = "/",
        [VM_LT] = "<", [VM_LE] = "<=", [VM_GT] = ">", [VM_GE] = ">=", [VM_EQ] = "==",
        [VM_NE] = "!=",
    };
    static const char *const unary_fn[VM_NOPS] = {
        [VM_EXP] = "exp", [VM_EXPM1] = "expm1", [VM_LOG] = "log", [VM_SQRT] = "sqrt",
        [VM_EXPM1R] = "nd_expm1r",
    };
    const char *a = v[0], *b = v[1], *c = v[2];
    if (infix[p->op]) {
        nd_sb_printf(sb, "%s %s %s", a, infix[p->op], b);
        return 0;
    }
    if (unary_fn[p->op]) {
        nd_sb_printf(sb, "%s(%s)", unary_fn[p->op], a);
        return 0;
    }
    switch (p->op) {
    case VM_CONST:   put_double(sb, p->k); break;
    case VM_NEG:     nd_sb_printf(sb, "-%s", a); break;
    case VM_NOT:     nd_sb_printf(sb, "%s == 0", a); break;
    case VM_ADDK:    nd_sb_printf(sb, "%s + ", a); put_double(sb, p->k); break;
    case VM_MULK:    nd_sb_printf(sb, "%s * ", a); put_double(sb, p->k); break;
    case VM_DIVK:    nd_sb_printf(sb, "%s / ", a); put_double(sb, p->k); break;
    case VM_KSUB:    put_double(sb, p->k); nd_sb_printf(sb, " - %s", a); break;
    case VM_KDIV:    put_double(sb, p->k); nd_sb_printf(sb, " / %s", a); break;
    case VM_ADDMULK:
    case VM_ADDDIVK:
        nd_sb_printf(sb, "(%s + ", a);
        put_double(sb, p->k);
        nd_sb_puts(sb, p->op == VM_ADDMULK ? ") * " : ") / ");
        put_double(sb, p->u.k2);
        break;
    case VM_MULADD:  nd_sb_printf(sb, "%s * %s + %s", a, b, c); break;
    case VM_MULSUB:  nd_sb_printf(sb, "%s * %s - %s", a, b, c); break;
    case VM_NMULADD: nd_sb_printf(sb, "%s - %s * %s", c, a, b); break;
    case VM_POW:     nd_sb_printf(sb, "pow(%s, %s)", a, b); break;
    case VM_POWK:    nd_sb_printf(sb, "pow(%s, ", a); put_double(sb, p->k); nd_sb_putc(sb, ')'); break;
    case VM_AND:     nd_sb_printf(sb, "%s != 0 && %s != 0", a, b); break;
    case VM_OR:      nd_sb_printf(sb, "%s != 0 || %s != 0", a, b); break;
    case VM_FN1:
    case VM_FN2: {
        const char *name = fn_name(p->u.f);
        if (!name) return -1;
        if (p->op == VM_FN1) nd_sb_printf(sb, "%s(%s)", name, a);
        else nd_sb_printf(sb, "%s(%s, %s)", name, a, b);
        break;
    }
    default:
        return -1;
    }
    return 0;
}

/* Instructions per C function. gcc's time grows faster than linearly with a function's
   size (4600 instructions: 4.5 s as one function), so a long program is cut into parts,
   each a function of its own. */
enum { PART = 256 };

/* Values crossing parts live in an array: on the stack up to this many, else malloc'ed
   (when that fails, every output is nan, and nd_code_eval then runs the interpreter). */
enum { STACK_VALUES = 4096 };

/* Where operand j of every instruction comes from: the instruction that last wrote the
   register it reads (>= 0), or input i as -i - 1; INT_MIN for operands not read. Tracks
   the interpreter's register file over the program; -1 (why set) when a register is read
   before any write. */
static int trace(const nd_code *c, int *src, int *out_src, char *why, size_t cap)
{
    int *holder = malloc(c->nregs * sizeof *holder);     /* register -> value in it now */
    if (!holder) {
        snprintf(why, cap, "out of memory");
        return -1;
    }
    for (size_t r = 0; r < c->nregs; r++) holder[r] = INT_MIN;
    for (size_t i = 0; i < c->nin; i++) holder[c->in_reg[i]] = -(int)i - 1;
    int st = 0;
    for (size_t i = 0; i < c->nins && !st; i++) {
        const vm_ins *p = &c->ins[i];
        const uint16_t regs[3] = {p->a, p->b, p->c};
        for (int j = 0; j < 3; j++) {
            src[3 * i + j] = j < arity(p->op) ? holder[regs[j]] : INT_MIN;
            if (j < arity(p->op) && holder[regs[j]] == INT_MIN) st = -1;
        }
        holder[p->d] = (int)i;
    }
    for (size_t k = 0; k < c->nout && !st; k++)
        if ((out_src[k] = holder[c->out_reg[k]]) == INT_MIN) st = -1;
    if (st) snprintf(why, cap, "internal: register read before written");
    free(holder);
    return st;
}

/* The order the C follows. A short program keeps the interpreter's (its interleaving of
   independent chains suits the CPU, and gcc keeps it). A long one goes output by output,
   depth first, so that a part holds whole chains and few values cross parts: the
   interpreter's order by depth would have nearly every value cross. Any order computes
   the same values - every instruction is a pure function of its operands. */
static void emission_order(const nd_code *c, const int *src, const int *out_src, int *order,
                           int *stack, unsigned char *seen)
{
    size_t n = 0;
    if (c->nins <= PART) {
        for (size_t i = 0; i < c->nins; i++) order[i] = (int)i;
        return;
    }
    memset(seen, 0, c->nins);
    for (size_t r = 0; r < c->nout + c->nins; r++) {
        /* roots: the outputs, then (defensively) anything they do not reach */
        int root = r < c->nout ? out_src[r] : (int)(r - c->nout);
        if (root < 0 || seen[root]) continue;
        size_t sp = 0;
        stack[sp++] = root;
        seen[root] = 1;
        while (sp) {
            int x = stack[sp - 1];
            int pushed = 0;
            for (int j = 0; j < 3 && !pushed; j++) {
                int s = src[3 * x + j];
                if (s >= 0 && !seen[s]) {
                    seen[s] = 1;
                    stack[sp++] = s;
                    pushed = 1;
                }
            }
            if (!pushed) order[n++] = stack[--sp];
        }
    }
}

/* Prints c's program as C into sb; -1 (why set) when some instruction has no C form. */
static int generate(const nd_code *c, nd_sb *sb, char *why, size_t cap)
{
    int parted = c->nins > PART;
    size_t n = c->nins;
    int *src = malloc((3 * n + c->nout + 3 * n + 1) * sizeof *src);
    unsigned char *seen = malloc(n + 1);
    if (!src || !seen) {
        free(src);
        free(seen);
        snprintf(why, cap, "out of memory");
        return -1;
    }
    int *out_src = src + 3 * n, *order = out_src + c->nout, *part = order + n,
        *slot = part + n;                 /* value -> index in the array of crossing values */
    int st = trace(c, src, out_src, why, cap);
    if (!st) emission_order(c, src, out_src, order, slot, seen);
    size_t nvalues = c->nin;             /* inputs first, in the array's first places */
    if (parted && !st) {
        for (size_t pos = 0; pos < n; pos++) part[order[pos]] = (int)(pos / PART);
        memset(seen, 0, n);              /* now: does the value cross parts (or go out)? */
        for (size_t i = 0; i < n; i++)
            for (int j = 0; j < 3; j++)
                if (src[3 * i + j] >= 0 && part[src[3 * i + j]] != part[i]) seen[src[3 * i + j]] = 1;
        for (size_t k = 0; k < c->nout; k++)
            if (out_src[k] >= 0) seen[out_src[k]] = 1;
        for (size_t pos = 0; pos < n; pos++)
            slot[order[pos]] = seen[order[pos]] ? (int)nvalues++ : -1;
    }
    nd_sb_puts(sb, preamble);
    put_minmax(sb);
    if (!parted) {
        nd_sb_puts(sb, "void nd_native_eval(const double *slots, double *out)\n{\n");
        /* every input is read before any output is written, as in the interpreter: slots
           and out may overlap */
        for (size_t i = 0; i < c->nin; i++)
            nd_sb_printf(sb, "    const double x%zu = slots[%d];\n", i, c->in_slot[i]);
    }
    for (size_t pos = 0; pos < n && !st; pos++) {
        int i = order[pos];
        if (parted && pos % PART == 0)
            nd_sb_printf(sb, "%sstatic __attribute__((noinline)) void nd_part%zu(double *v)\n{\n",
                         pos ? "}\n" : "", pos / PART);
        const vm_ins *p = &c->ins[i];
        char v[3][24] = {"", "", ""};
        for (int j = 0; j < arity(p->op); j++) {
            int from = src[3 * i + j];
            if (!parted && from < 0) snprintf(v[j], sizeof v[j], "x%d", -from - 1);
            else if (from < 0) snprintf(v[j], sizeof v[j], "v[%d]", -from - 1);
            else if (parted && part[from] != part[i]) snprintf(v[j], sizeof v[j], "v[%d]", slot[from]);
            else snprintf(v[j], sizeof v[j], "t%d", from);
        }
        nd_sb_printf(sb, "    const double t%d = ", i);
        if (put_ins(sb, p, v)) {
            snprintf(why, cap, "instruction %d has no C form%s%s", p->op,
                     p->op == VM_FN1 || p->op == VM_FN2 ? ": " : "",
                     p->op == VM_FN1 || p->op == VM_FN2 ? p->u.f->name : "");
            st = -1;
            break;
        }
        nd_sb_puts(sb, ";\n");
        if (parted && slot[i] >= 0) nd_sb_printf(sb, "    v[%d] = t%d;\n", slot[i], i);
    }
    if (parted && !st) {
        nd_sb_puts(sb, "}\nvoid *malloc(__SIZE_TYPE__);\nvoid free(void *);\n"
                       "void nd_native_eval(const double *slots, double *out)\n{\n");
        if (nvalues <= STACK_VALUES) nd_sb_printf(sb, "    double v[%zu];\n", nvalues);
        else nd_sb_printf(sb, "    double *v = malloc(%zu * sizeof *v);\n"
                              "    if (!v) {\n"
                              "        for (int k = 0; k < %zu; k++) out[k] = nd_k(0x7ff8000000000000ull);\n"
                              "        return;\n"
                              "    }\n", nvalues, c->nout);
        for (size_t i = 0; i < c->nin; i++)
            nd_sb_printf(sb, "    v[%zu] = slots[%d];\n", i, c->in_slot[i]);
        for (size_t k = 0; k * PART < n; k++) nd_sb_printf(sb, "    nd_part%zu(v);\n", k);
    }
    for (size_t k = 0; k < c->nout && !st; k++) {
        int from = out_src[k];
        if (parted) nd_sb_printf(sb, "    out[%zu] = v[%d];\n", k, from >= 0 ? slot[from] : -from - 1);
        else if (from >= 0) nd_sb_printf(sb, "    out[%zu] = t%d;\n", k, from);
        else nd_sb_printf(sb, "    out[%zu] = x%d;\n", k, -from - 1);
    }
    if (parted && !st && nvalues > STACK_VALUES) nd_sb_puts(sb, "    free(v);\n");
    nd_sb_puts(sb, "}\n");
    free(src);
    free(seen);
    if (!st && sb->oom) {
        snprintf(why, cap, "out of memory");
        st = -1;
    }
    return st;
}

char *nd_native_source(const nd_code *c)
{
    nd_sb sb;
    char why[128];
    nd_sb_init(&sb);
    if (generate(c, &sb, why, sizeof why)) {
        nd_sb_free(&sb);
        return NULL;
    }
    return nd_sb_take(&sb);
}

/* ---- cc ---- */

/* Runs cc at path with argv under the time limit, stdout and stderr together into r (the
   first MAX_DIAG bytes: enough for the first error line; cc's stderr interleaved with its
   stdout as written, --version's text as before). 0 when it ran (see r), -1 with why (when
   not NULL) set. */
static int run_cc(const char *path, char *const argv[], nd_proc_result *r, char *why,
                  size_t cap)
{
    nd_proc_opts o = {.timeout_ms = atomic_load(&timeout_ms), .merge_stderr = 1,
                      .max_output = MAX_DIAG};
    nd_error err;
    if (nd_proc_run(path, argv, &o, r, &err) == ND_OK) return 0;
    if (why && cap) snprintf(why, cap, "%.*s", (int)(cap - 1), err.msg);   /* cut to fit */
    return -1;
}

/* cc --version, by cc's identity: asked once per compiler per process. */
static pthread_mutex_t version_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char *path, *text;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} version_memo;

/* Returns cc's --version output (caller frees), or NULL. */
static char *cc_version(const char *cc)
{
    struct stat st;
    if (stat(cc, &st) != 0) return NULL;
    pthread_mutex_lock(&version_lock);
    char *text = NULL;
    if (version_memo.path && strcmp(version_memo.path, cc) == 0 &&
        version_memo.dev == st.st_dev && version_memo.ino == st.st_ino &&
        version_memo.size == st.st_size && version_memo.mtime.tv_sec == st.st_mtim.tv_sec &&
        version_memo.mtime.tv_nsec == st.st_mtim.tv_nsec) {
        text = strdup(version_memo.text);
    } else {
        char *argv[] = {"cc", "--version", NULL};
        nd_proc_result r;
        int ok = run_cc(cc, argv, &r, NULL, 0) == 0 && r.exit_code == 0 && !r.timed_out;
        char *got = nd_sb_take(&r.out[1]);
        nd_proc_result_free(&r);
        if (got && ok) {
            char *path = strdup(cc), *memo = strdup(got);
            if (path && memo) {
                free(version_memo.path);
                free(version_memo.text);
                version_memo.path = path;
                version_memo.text = memo;
                version_memo.dev = st.st_dev;
                version_memo.ino = st.st_ino;
                version_memo.size = st.st_size;
                version_memo.mtime = st.st_mtim;
                text = got;
                got = NULL;
            } else {
                free(path);
                free(memo);
            }
        }
        free(got);
    }
    pthread_mutex_unlock(&version_lock);
    return text;
}

/* The first non-empty line of cc's complaints, for the reason string. */
static void first_line(const char *text, char *out, size_t cap)
{
    while (*text == '\n') text++;
    size_t len = strcspn(text, "\n");
    if (len >= cap) len = cap - 1;
    memcpy(out, text, len);
    out[len] = '\0';
}

/* ---- the cache ---- */

/* The key: SHA-256 over everything that decides the object's contents, as 64 hex digits. */
static int make_key(const char *source, const char *cc, const char *version, char key[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    const char *parts[4 + NFLAGS];
    size_t n = 0;
    parts[n++] = generator_version;
    parts[n++] = cc;
    parts[n++] = version;
    for (size_t i = 0; i < NFLAGS; i++) parts[n++] = cc_flags[i];
    parts[n++] = source;
    for (size_t i = 0; ok && i < n; i++)        /* each with its NUL: no two splits collide */
        ok = EVP_DigestUpdate(ctx, parts[i], strlen(parts[i]) + 1);
    ok = ok && EVP_DigestFinal_ex(ctx, md, &len) && len == 32;
    EVP_MD_CTX_free(ctx);
    for (unsigned i = 0; ok && i < 32; i++) snprintf(key + 2 * i, 3, "%02x", md[i]);
    return ok ? 0 : -1;
}

/* Makes dir (mode 0700) unless it is there; 0 ok. */
static int make_dir(const char *dir)
{
    struct stat st;
    if (mkdir(dir, 0700) == 0) return 0;
    if (errno != EEXIST) return -1;
    if (stat(dir, &st) != 0) return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* Finds and makes the cache directory into dir; -1 with why set. */
static int cache_dir(char *dir, size_t cap, char *why, size_t whycap)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/') n = snprintf(dir, cap, "%s", xdg);     /* relative: ignored, as the spec says */
    else if (home && home[0]) n = snprintf(dir, cap, "%s/.cache", home);
    else {
        snprintf(why, whycap, "no cache directory (neither XDG_CACHE_HOME nor HOME is set)");
        return -1;
    }
    if (n < 0 || (size_t)n + sizeof "/neurodyn/native/" + 64 + sizeof ".XXXXXX.so" >= cap) {
        snprintf(why, whycap, "cache directory path too long");
        return -1;
    }
    size_t base = strlen(dir);
    const char *parts[] = {"", "/neurodyn", "/neurodyn/native"};
    for (int i = 0; i < 3; i++) {
        snprintf(dir + base, cap - base, "%s", parts[i]);
        if (make_dir(dir)) {
            snprintf(why, whycap, "cache directory unusable: %.120s: %s", dir, strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* Loads the object at so into c when it is ours and carries key. 1 when there is no
   file, -1 when there is one that will not do (why set), 0 when loaded. */
static int load(nd_code *c, const char *so, const char *key, char *why, size_t cap)
{
    struct stat st;
    if (stat(so, &st) != 0) return 1;
    /* only an object this user made: never code another account could have written */
    if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
        snprintf(why, cap, "cached object not ours or writable by others");
        return -1;
    }
    void *dl = dlopen(so, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        const char *e = dlerror();
        snprintf(why, cap, "cannot load compiled code: %s", e ? e : "?");
        return -1;
    }
    const char *k = dlsym(dl, "nd_native_key");
    void *f = dlsym(dl, "nd_native_eval");
    if (!k || !f || strncmp(k, key, 65) != 0) {
        dlclose(dl);
        snprintf(why, cap, "cached object is not the program's");
        return -1;
    }
    c->dl = dl;
    memcpy(&c->native, &f, sizeof f);      /* POSIX: dlsym's pointer is the function's */
    return 0;
}

/* Writes all of text to fd; 0 ok. */
static int write_all(int fd, const char *text, size_t len)
{
    while (len) {
        ssize_t w = write(fd, text, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        text += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Builds source into the object so (through a temporary name); -1 with why set. */
static int build(const char *dir, const char *key, const char *cc, const char *source,
                 const char *so, char *why, size_t cap)
{
    char src[PATH_MAX], tmp[PATH_MAX];
    if (snprintf(src, sizeof src, "%s/%s.XXXXXX.c", dir, key) >= (int)sizeof src ||
        snprintf(tmp, sizeof tmp, "%s/%s.XXXXXX.so", dir, key) >= (int)sizeof tmp) {
        snprintf(why, cap, "cache directory path too long");
        return -1;
    }
    int fd = mkstemps(src, 2);
    if (fd < 0) {
        snprintf(why, cap, "cache directory unwritable: %.120s: %s", dir, strerror(errno));
        return -1;
    }
    int werr = write_all(fd, source, strlen(source));
    werr = close(fd) || werr;
    int ofd = werr ? -1 : mkstemps(tmp, 3);
    if (ofd < 0) {
        snprintf(why, cap, "cache directory unwritable: %.120s: %s", dir, strerror(errno));
        unlink(src);
        return -1;
    }
    close(ofd);
    char *argv[NFLAGS + 6];
    size_t n = 0;
    argv[n++] = "cc";
    for (size_t i = 0; i < NFLAGS; i++) argv[n++] = (char *)cc_flags[i];
    argv[n++] = "-o";
    argv[n++] = tmp;
    argv[n++] = src;
    argv[n++] = "-lm";
    argv[n] = NULL;
    nd_proc_result r;
    atomic_fetch_add(&compiles, 1);
    int limit = atomic_load(&timeout_ms);
    int ran = run_cc(cc, argv, &r, why, cap) == 0;
    unlink(src);
    char line[160];
    first_line(nd_sb_str(&r.out[1]), line, sizeof line);
    int st = -1;
    if (!ran) {}                                  /* why says it */
    else if (r.timed_out) snprintf(why, cap, "cc took longer than %.3g s", limit / 1000.0);
    else if (r.signal) snprintf(why, cap, "cc was killed by signal %d", r.signal);
    else if (r.exit_code != 0)
        snprintf(why, cap, "cc failed (exit %d)%s%s", r.exit_code, *line ? ": " : "", line);
    else if (rename(tmp, so) != 0)
        snprintf(why, cap, "cannot store compiled code: %s", strerror(errno));
    else st = 0;
    if (st) unlink(tmp);
    nd_proc_result_free(&r);
    return st;
}

void nd_native_attach(nd_code *c)
{
    char *why = c->backend;
    size_t cap = sizeof c->backend;
    char reason[200] = "";
    const char *env = getenv("NEURODYN_NATIVE");
    char *cc = NULL, *version = NULL, *body = NULL, *source = NULL;
    char dir[PATH_MAX], so[PATH_MAX], key[65];
    nd_sb sb;
    nd_sb_init(&sb);
    if (env && strcmp(env, "0") == 0) {
        snprintf(reason, sizeof reason, "disabled by NEURODYN_NATIVE=0");
        goto fallback;
    }
    if (c->nins < atomic_load(&min_size)) {
        snprintf(reason, sizeof reason, "small program (%zu instructions)", c->nins);
        goto fallback;
    }
    if (generate(c, &sb, reason, sizeof reason)) goto fallback;
    if (!(body = nd_sb_take(&sb))) {
        snprintf(reason, sizeof reason, "out of memory");
        goto fallback;
    }
    /* resolved here rather than by the runner, so that the key names the very compiler
       that runs */
    if (!(cc = nd_proc_find("cc"))) {
        snprintf(reason, sizeof reason, "no C compiler (cc) on PATH");
        goto fallback;
    }
    if (!(version = cc_version(cc))) {
        snprintf(reason, sizeof reason, "cc --version failed (%s)", cc);
        goto fallback;
    }
    if (make_key(body, cc, version, key)) {
        snprintf(reason, sizeof reason, "cannot hash the program");
        goto fallback;
    }
    if (cache_dir(dir, sizeof dir, reason, sizeof reason)) goto fallback;
    if (snprintf(so, sizeof so, "%s/%s.so", dir, key) >= (int)sizeof so) {
        snprintf(reason, sizeof reason, "cache directory path too long");
        goto fallback;
    }
    if (load(c, so, key, reason, sizeof reason) == 0) goto native;
    nd_sb_puts(&sb, body);
    nd_sb_printf(&sb, "const char nd_native_key[] = \"%s\";\n", key);
    if (!(source = nd_sb_take(&sb))) {
        snprintf(reason, sizeof reason, "out of memory");
        goto fallback;
    }
    /* missing or unusable: (re)build, renaming over whatever is there */
    if (build(dir, key, cc, source, so, reason, sizeof reason)) goto fallback;
    if (load(c, so, key, reason, sizeof reason) == 0) goto native;
fallback:
    snprintf(why, cap, "vm: %s", reason);
    goto done;
native:
    snprintf(why, cap, "native");
done:
    nd_sb_free(&sb);
    free(cc);
    free(version);
    free(body);
    free(source);
}

void nd_native_release(nd_code *c)
{
    if (c->dl) dlclose(c->dl);
    c->dl = NULL;
    c->native = NULL;
}

unsigned long nd_native_compile_count(void)
{
    return atomic_load(&compiles);
}

size_t nd_native_set_min_size(size_t n)
{
    return atomic_exchange(&min_size, n);
}

int nd_native_set_timeout_ms(int ms)
{
    return atomic_exchange(&timeout_ms, ms);
}
