/* Which situation the facts describe: each row's "when" is a conjunction of small tests on
   the facts, and the first row (in the table's order) whose tests all hold wins, so the
   table lists the specific situations before the general ones. */
#include "mentor.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { NAME_CAP = 96, VALUE_CAP = 256 };

/* Copies s[0..n) trimmed into buf (cap bytes). */
static void trimmed(const char *s, size_t n, char *buf, size_t cap)
{
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (n >= cap) n = cap - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
}

static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0) return 1;
    return n == 0;
}

/* One alternative of "NAME = a|b" against a fact. */
static int equals(const nd_mentor_fact *x, const char *alt)
{
    if (!x->is_num) return strcmp(x->str, alt) == 0;
    char *end;
    double v = strtod(alt, &end);
    return end != alt && *end == '\0' && v == x->num;
}

static int equals_any(const nd_mentor_fact *x, const char *value)
{
    char buf[VALUE_CAP];
    for (const char *s = value;;) {
        const char *bar = strchr(s, '|');
        size_t n = bar ? (size_t)(bar - s) : strlen(s);
        trimmed(s, n, buf, sizeof buf);
        if (equals(x, buf)) return 1;
        if (!bar) return 0;
        s = bar + 1;
    }
}

/* The number a comparison's right side stands for: a literal or a numeric fact. */
static int operand(const char *text, const nd_mentor_facts *f, double *out)
{
    char *end;
    *out = strtod(text, &end);
    if (end != text && *end == '\0') return 1;
    const nd_mentor_fact *x = nd_mentor_fact_get(f, text);
    if (!x || !x->is_num) return 0;
    *out = x->num;
    return 1;
}

static int compare(double a, const char *op, double b)
{
    if (strcmp(op, "<") == 0) return a < b;
    if (strcmp(op, ">") == 0) return a > b;
    if (strcmp(op, "<=") == 0) return a <= b;
    return a >= b;
}

/* One condition: 1 holds, 0 fails, -1 malformed. */
static int condition(const char *c, const nd_mentor_facts *f, nd_error *err)
{
    char name[NAME_CAP], value[VALUE_CAP];
    if (strncmp(c, "has ", 4) == 0 || strncmp(c, "no ", 3) == 0) {
        int has = c[0] == 'h';
        trimmed(c + (has ? 4 : 3), strlen(c) - (has ? 4 : 3), name, sizeof name);
        return (nd_mentor_fact_get(f, name) != NULL) == has;
    }
    size_t at = strcspn(c, "=!~<>");
    if (!c[at] || at == 0) {
        nd_error_fail(err, ND_ESYNTAX, "mentor condition '%s': NAME OP VALUE expected", c);
        return -1;
    }
    char op[3] = {c[at], 0, 0};
    if (c[at + 1] == '=') op[1] = '=';
    trimmed(c, at, name, sizeof name);
    const char *rest = c + at + strlen(op);
    trimmed(rest, strlen(rest), value, sizeof value);
    if (strcmp(op, "!") == 0 || strcmp(op, "==") == 0 || strcmp(op, "~=") == 0 ||
        strcmp(op, "=<") == 0) {
        nd_error_fail(err, ND_ESYNTAX, "mentor condition '%s': unknown operator", c);
        return -1;
    }
    const nd_mentor_fact *x = nd_mentor_fact_get(f, name);
    if (!x) return 0;
    if (strcmp(op, "=") == 0) return equals_any(x, value);
    if (strcmp(op, "!=") == 0) return !equals_any(x, value);
    if (strcmp(op, "~") == 0) return !x->is_num && contains_ci(x->str, value);
    double b;
    if (!x->is_num || !operand(value, f, &b)) return 0;
    return compare(x->num, op, b);
}

int nd_mentor_when(const char *when, const nd_mentor_facts *f, nd_error *err)
{
    char c[VALUE_CAP + NAME_CAP];
    for (const char *s = when;;) {
        const char *semi = strchr(s, ';');
        size_t n = semi ? (size_t)(semi - s) : strlen(s);
        trimmed(s, n, c, sizeof c);
        if (*c) {
            int ok = condition(c, f, err);
            if (ok <= 0) return ok;
        }
        if (!semi) return 1;
        s = semi + 1;
    }
}

const nd_mentor_row *nd_mentor_match(const nd_mentor_table *t, const nd_mentor_facts *f)
{
    for (size_t i = 0; i < t->n; i++) {
        const char *when = nd_mentor_row_get(&t->rows[i], "when");
        if (when && nd_mentor_when(when, f, NULL) == 1) return &t->rows[i];
    }
    return NULL;
}
