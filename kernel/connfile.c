/* Reading and checking Jupyter connection files. */
#include "connfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

enum { MAX_FILE_BYTES = 1 << 20 };

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errcap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errcap, fmt, ap);
    va_end(ap);
    return -1;
}

/* Copies string field name into dst[cap]; fallback is used when it is absent (NULL makes
   it required). 0 ok. */
static int get_string(const json_t *root, const char *name, const char *fallback,
                      char *dst, size_t cap, char *err, size_t errcap)
{
    const json_t *v = json_object_get(root, name);
    if (!v && !fallback) return fail(err, errcap, "missing \"%s\"", name);
    if (v && !json_is_string(v)) return fail(err, errcap, "\"%s\" must be a string", name);
    const char *text = v ? json_string_value(v) : fallback;
    if (strlen(text) >= cap)
        return fail(err, errcap, "\"%s\" is too long (at most %zu bytes)", name, cap - 1);
    strcpy(dst, text);
    return 0;
}

static int get_port(const json_t *root, const char *name, int *dst, char *err, size_t errcap)
{
    const json_t *v = json_object_get(root, name);
    if (!v) return fail(err, errcap, "missing \"%s\"", name);
    if (!json_is_integer(v)) return fail(err, errcap, "\"%s\" must be an integer", name);
    json_int_t port = json_integer_value(v);
    if (port < 1 || port > 65535)
        return fail(err, errcap, "\"%s\" is %" JSON_INTEGER_FORMAT ", outside 1..65535",
                    name, port);
    *dst = (int)port;
    return 0;
}

/* Copies the optional string "key" as raw bytes (absent means empty). 0 ok. */
static int get_key(const json_t *root, nd_connection *out, char *err, size_t errcap)
{
    const json_t *v = json_object_get(root, "key");
    if (!v) return 0;
    if (!json_is_string(v)) return fail(err, errcap, "\"key\" must be a string");
    size_t len = json_string_length(v);
    if (len == 0) return 0;
    out->key = malloc(len);
    if (!out->key) return fail(err, errcap, "out of memory");
    memcpy(out->key, json_string_value(v), len);
    out->key_len = len;
    return 0;
}

/* Fills out from the parsed root object; 0 ok. */
static int read_fields(const json_t *root, nd_connection *out, char *err, size_t errcap)
{
    if (!json_is_object(root)) return fail(err, errcap, "not a JSON object");
    const struct { const char *name; int *dst; } ports[] = {
        {"shell_port", &out->shell_port},     {"iopub_port", &out->iopub_port},
        {"stdin_port", &out->stdin_port},     {"control_port", &out->control_port},
        {"hb_port", &out->hb_port},
    };
    if (get_string(root, "transport", "tcp", out->transport, sizeof out->transport,
                   err, errcap) != 0)
        return -1;
    if (strcmp(out->transport, "tcp") != 0 && strcmp(out->transport, "ipc") != 0)
        return fail(err, errcap, "unknown transport \"%s\" (expected tcp or ipc)",
                    out->transport);
    if (get_string(root, "ip", NULL, out->ip, sizeof out->ip, err, errcap) != 0) return -1;
    if (!out->ip[0]) return fail(err, errcap, "\"ip\" is empty");
    for (size_t i = 0; i < sizeof ports / sizeof *ports; i++)
        if (get_port(root, ports[i].name, ports[i].dst, err, errcap) != 0) return -1;
    if (get_string(root, "signature_scheme", "hmac-sha256", out->signature_scheme,
                   sizeof out->signature_scheme, err, errcap) != 0 ||
        get_string(root, "kernel_name", "", out->kernel_name, sizeof out->kernel_name,
                   err, errcap) != 0)
        return -1;
    return get_key(root, out, err, errcap);
}

int nd_connection_parse(const char *json_text, nd_connection *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    if (errcap) err[0] = '\0';
    json_error_t je;
    json_t *root = json_loads(json_text ? json_text : "", 0, &je);
    /* Not je.text: jansson quotes the offending token ("near '...'"), which can be the key. */
    if (!root)
        return fail(err, errcap, "invalid JSON at line %d, column %d", je.line, je.column);
    int rc = read_fields(root, out, err, errcap);
    json_decref(root);
    if (rc != 0) nd_connection_clear(out);
    return rc;
}

/* Reads a whole (small) file into a NUL-terminated buffer; NULL with a message. */
static char *read_file(const char *path, char *err, size_t errcap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail(err, errcap, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    char *text = malloc(MAX_FILE_BYTES + 1);
    size_t len = text ? fread(text, 1, MAX_FILE_BYTES + 1, f) : 0;
    int bad = !text || ferror(f) || len > MAX_FILE_BYTES;
    if (bad) {
        fail(err, errcap, "cannot read %s: %s", path,
             !text ? "out of memory" : len > MAX_FILE_BYTES ? "larger than 1 MiB"
                                                            : strerror(errno));
        free(text);
        text = NULL;
    } else {
        text[len] = '\0';
    }
    fclose(f);
    return text;
}

int nd_connection_load(const char *path, nd_connection *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    char *text = read_file(path, err, errcap);
    if (!text) return -1;
    char why[256];
    int rc = nd_connection_parse(text, out, why, sizeof why);
    if (rc != 0) fail(err, errcap, "connection file %s: %s", path, why);
    free(text);
    return rc;
}

void nd_connection_clear(nd_connection *c)
{
    if (c->key) OPENSSL_cleanse(c->key, c->key_len);
    free(c->key);
    memset(c, 0, sizeof *c);
}

int nd_connection_endpoint(const nd_connection *c, int port, char *out, size_t cap)
{
    int len;
    if (strcmp(c->transport, "tcp") == 0)
        len = snprintf(out, cap, "tcp://%s:%d", c->ip, port);
    else if (strcmp(c->transport, "ipc") == 0)
        len = snprintf(out, cap, "ipc://%s-%d", c->ip, port);
    else
        return -1;
    return len >= 0 && (size_t)len < cap ? 0 : -1;
}
