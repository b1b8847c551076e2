/* One row per function: adding a function is adding a row. */
#include "functions.h"

#include <math.h>
#include <string.h>

static double f_exp(const double *a, int n)   { (void)n; return exp(a[0]); }
static double f_expm1(const double *a, int n) { (void)n; return expm1(a[0]); }
static double f_log(const double *a, int n)   { (void)n; return log(a[0]); }
static double f_log10(const double *a, int n) { (void)n; return log10(a[0]); }
static double f_sqrt(const double *a, int n)  { (void)n; return sqrt(a[0]); }
static double f_abs(const double *a, int n)   { (void)n; return fabs(a[0]); }
static double f_sin(const double *a, int n)   { (void)n; return sin(a[0]); }
static double f_cos(const double *a, int n)   { (void)n; return cos(a[0]); }
static double f_tan(const double *a, int n)   { (void)n; return tan(a[0]); }
static double f_asin(const double *a, int n)  { (void)n; return asin(a[0]); }
static double f_acos(const double *a, int n)  { (void)n; return acos(a[0]); }
static double f_atan(const double *a, int n)  { (void)n; return atan(a[0]); }
static double f_atan2(const double *a, int n) { (void)n; return atan2(a[0], a[1]); }
static double f_sinh(const double *a, int n)  { (void)n; return sinh(a[0]); }
static double f_cosh(const double *a, int n)  { (void)n; return cosh(a[0]); }
static double f_tanh(const double *a, int n)  { (void)n; return tanh(a[0]); }
static double f_pow(const double *a, int n)   { (void)n; return pow(a[0], a[1]); }
static double f_floor(const double *a, int n) { (void)n; return floor(a[0]); }
static double f_ceil(const double *a, int n)  { (void)n; return ceil(a[0]); }
static double f_round(const double *a, int n) { (void)n; return round(a[0]); }

static double f_sign(const double *a, int n)
{
    (void)n;
    return a[0] > 0 ? 1.0 : a[0] < 0 ? -1.0 : a[0];  /* keeps 0, -0 and nan */
}

static double f_heaviside(const double *a, int n)
{
    (void)n;
    return a[0] > 0 ? 1.0 : a[0] < 0 ? 0.0 : a[0] == 0 ? 0.5 : a[0];
}

/* One step of min and max: nan when either is nan (fmin would drop it), and -0 below
   +0. fmin and fmax may return either zero, and the compiler may swap their arguments
   (it treats them as commutative), so leaving equal zeros to them would make the sign of
   the result depend on the build: the native code of compiled expressions would differ
   from the interpreter in it. Compares decide every case here. */
static double min2(double m, double a)
{
    if (isnan(m) || isnan(a)) return NAN;
    if (m != a) return m < a ? m : a;
    return signbit(m) ? m : a;
}

static double max2(double m, double a)
{
    if (isnan(m) || isnan(a)) return NAN;
    if (m != a) return m > a ? m : a;
    return signbit(m) ? a : m;
}

static double f_min(const double *a, int n)
{
    double m = a[0];
    for (int i = 1; i < n; i++) m = min2(m, a[i]);
    return m;
}

static double f_max(const double *a, int n)
{
    double m = a[0];
    for (int i = 1; i < n; i++) m = max2(m, a[i]);
    return m;
}

static const nd_func functions[] = {
    {"abs", 1, 1, f_abs, "abs(x)", "absolute value |x|"},
    {"acos", 1, 1, f_acos, "acos(x)", "arc cosine in radians, x in [-1, 1]"},
    {"asin", 1, 1, f_asin, "asin(x)", "arc sine in radians, x in [-1, 1]"},
    {"atan", 1, 1, f_atan, "atan(x)", "arc tangent in radians"},
    {"atan2", 2, 2, f_atan2, "atan2(y, x)", "angle of the point (x, y) in radians, in (-pi, pi]"},
    {"ceil", 1, 1, f_ceil, "ceil(x)", "smallest integer not below x"},
    {"cos", 1, 1, f_cos, "cos(x)", "cosine of x (radians)"},
    {"cosh", 1, 1, f_cosh, "cosh(x)", "hyperbolic cosine"},
    {"exp", 1, 1, f_exp, "exp(x)", "e raised to the power x"},
    {"expm1", 1, 1, f_expm1, "expm1(x)", "exp(x) - 1, accurate for small x"},
    {"floor", 1, 1, f_floor, "floor(x)", "largest integer not above x"},
    {"heaviside", 1, 1, f_heaviside, "heaviside(x)", "step function: 0 for x < 0, 1 for x > 0, 0.5 at 0"},
    {"log", 1, 1, f_log, "log(x)", "natural logarithm"},
    {"log10", 1, 1, f_log10, "log10(x)", "base-10 logarithm"},
    {"max", 2, -1, f_max, "max(a, b, ...)", "largest of the arguments"},
    {"min", 2, -1, f_min, "min(a, b, ...)", "smallest of the arguments"},
    {"pow", 2, 2, f_pow, "pow(x, y)", "x raised to the power y (same as x^y)"},
    {"round", 1, 1, f_round, "round(x)", "nearest integer, halves away from zero"},
    {"sign", 1, 1, f_sign, "sign(x)", "-1, 0 or 1 by the sign of x"},
    {"sin", 1, 1, f_sin, "sin(x)", "sine of x (radians)"},
    {"sinh", 1, 1, f_sinh, "sinh(x)", "hyperbolic sine"},
    {"sqrt", 1, 1, f_sqrt, "sqrt(x)", "square root (nan for x < 0)"},
    {"tan", 1, 1, f_tan, "tan(x)", "tangent of x (radians)"},
    {"tanh", 1, 1, f_tanh, "tanh(x)", "hyperbolic tangent"},
};

#define NFUNCS (sizeof functions / sizeof functions[0])

const nd_func *nd_func_find(const char *name)
{
    for (size_t i = 0; i < NFUNCS; i++)
        if (strcmp(functions[i].name, name) == 0) return &functions[i];
    return NULL;
}

size_t nd_func_count(void)
{
    return NFUNCS;
}

const nd_func *nd_func_at(size_t i)
{
    return i < NFUNCS ? &functions[i] : NULL;
}

int nd_func_accepts(const nd_func *f, int n)
{
    return n >= f->min_args && (f->max_args < 0 || n <= f->max_args);
}

static const struct { const char *name; double value; } constants[] = {
    {"inf", INFINITY}, {"nan", NAN}, {"pi", 3.14159265358979323846},
};

int nd_const_find(const char *name, double *value)
{
    for (size_t i = 0; i < sizeof constants / sizeof constants[0]; i++)
        if (strcmp(constants[i].name, name) == 0) {
            *value = constants[i].value;
            return 1;
        }
    return 0;
}

const char *nd_const_name(size_t i)
{
    return i < sizeof constants / sizeof constants[0] ? constants[i].name : NULL;
}
