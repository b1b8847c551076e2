/* jansson reports every allocation failure as a NULL, which these helpers pass on, so a
   builder can chain constructors and test once at the end. */
#include "json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "textfmt.h"

json_t *nd_json_real(double x)
{
    if (isfinite(x)) return json_real(x);
    return json_string(isnan(x) ? "nan" : x > 0 ? "inf" : "-inf");
}

int nd_json_real_read(const json_t *v, double *x)
{
    const char *s = json_string_value(v);
    if (json_is_number(v)) *x = json_number_value(v);
    else if (s && strcmp(s, "nan") == 0) *x = NAN;
    else if (s && strcmp(s, "inf") == 0) *x = INFINITY;
    else if (s && strcmp(s, "-inf") == 0) *x = -INFINITY;
    else return -1;
    return 0;
}

json_t *nd_json_utf8(const char *s)
{
    json_t *j = json_string(s);
    if (j || !s) return j;
    size_t n = strlen(s);
    char *clean = malloc(n + 1);
    if (!clean) return NULL;
    for (size_t i = 0; i < n;) {
        int len = nd_utf8_seq_len(s + i);
        if (len) memcpy(clean + i, s + i, (size_t)len);
        else clean[i] = '?';
        i += len ? (size_t)len : 1;
    }
    clean[n] = 0;
    j = json_string(clean);
    free(clean);
    return j;
}

json_t *nd_json_reals(const double *x, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        if (nd_json_push(arr, nd_json_real(x[i])) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

int nd_json_put(json_t *obj, const char *key, json_t *value)
{
    if (!value) return -1;
    return json_object_set_new(obj, key, value) == 0 ? 0 : -1;
}

int nd_json_push(json_t *arr, json_t *value)
{
    if (!value) return -1;
    return json_array_append_new(arr, value) == 0 ? 0 : -1;
}

char *nd_json_dump(json_t *j)
{
    if (!j) return NULL;
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(j);
    return s;
}

json_t *nd_json_u64(uint64_t u)
{
    if (u <= INT64_MAX) return json_integer((json_int_t)u);
    char buf[21], *p = buf + sizeof buf - 1;
    *p = '\0';
    do *--p = (char)('0' + u % 10); while (u /= 10);
    return json_string(p);
}

json_t *nd_json_ok(json_t *j, int rc)
{
    if (rc == 0) return j;
    json_decref(j);
    return NULL;
}
