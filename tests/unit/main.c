/* Runs every registered unit test (optionally only those whose name contains argv[1]). */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>

typedef struct { const char *name, *file; nd_test_fn fn; } test_case;

static test_case *cases;
static size_t ncases, capcases;
static int current_failed;

void nd_test_register(const char *name, const char *file, nd_test_fn fn)
{
    if (ncases == capcases) {
        capcases = capcases ? 2 * capcases : 64;
        cases = realloc(cases, capcases * sizeof *cases);
        if (!cases) abort();
    }
    cases[ncases++] = (test_case){name, file, fn};
}

void nd_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "  %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    current_failed = 1;
}

static int by_file_then_name(const void *a, const void *b)
{
    const test_case *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : strcmp(x->name, y->name);
}

int main(int argc, char **argv)
{
    /* Compiled programs run on the interpreter here, so that the suite's thousands of small
       programs do not each start cc and fill the user's cache; native code has its own
       tests (test_expr_native.c), and NEURODYN_NATIVE=1 runs the whole suite native. */
    setenv("NEURODYN_NATIVE", "0", 0);
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;
    qsort(cases, ncases, sizeof *cases, by_file_then_name);
    for (size_t i = 0; i < ncases; i++) {
        if (filter && !strstr(cases[i].name, filter)) continue;
        current_failed = 0;
        cases[i].fn();
        if (current_failed) {
            failed++;
            fprintf(stderr, "FAIL %s (%s)\n", cases[i].name, cases[i].file);
        } else {
            passed++;
        }
    }
    free(cases);
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
