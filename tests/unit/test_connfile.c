/* Tests for kernel/connfile: parsing, defaults, every rejection, loading, endpoints. */
#include "test.h"

#include <stdlib.h>

#include <jansson.h>

#include "../../kernel/connfile.h"
#include "tempdir.h"

#define VALID                                                                           \
    "{\"shell_port\": 53794, \"iopub_port\": 53795, \"stdin_port\": 53796,"            \
    " \"control_port\": 53797, \"hb_port\": 53798, \"ip\": \"127.0.0.1\","            \
    " \"key\": \"a0436f6c-1916-498b-8eb9-e81ab9368e84\", \"transport\": \"tcp\","      \
    " \"signature_scheme\": \"hmac-sha256\", \"kernel_name\": \"neurodyn\"}"

static int is_zeroed(const nd_connection *c)
{
    nd_connection zero;
    memset(&zero, 0, sizeof zero);
    return memcmp(c, &zero, sizeof zero) == 0;
}

static char *endpoint(const nd_connection *c, int port)
{
    static char out[300];
    if (nd_connection_endpoint(c, port, out, sizeof out) != 0) strcpy(out, "(failed)");
    return out;
}

TEST(connfile_parses_a_tcp_file)
{
    nd_connection c;
    char err[256];
    CHECK_INT(nd_connection_parse(VALID, &c, err, sizeof err), 0);
    CHECK_STR(err, "");
    CHECK_STR(c.transport, "tcp");
    CHECK_STR(c.ip, "127.0.0.1");
    CHECK_INT(c.shell_port, 53794);
    CHECK_INT(c.iopub_port, 53795);
    CHECK_INT(c.stdin_port, 53796);
    CHECK_INT(c.control_port, 53797);
    CHECK_INT(c.hb_port, 53798);
    CHECK_STR(c.signature_scheme, "hmac-sha256");
    CHECK_STR(c.kernel_name, "neurodyn");
    CHECK_INT(c.key_len, 36);
    CHECK(c.key && memcmp(c.key, "a0436f6c-1916-498b-8eb9-e81ab9368e84", 36) == 0);
    CHECK_STR(endpoint(&c, c.shell_port), "tcp://127.0.0.1:53794");
    CHECK_STR(endpoint(&c, c.hb_port), "tcp://127.0.0.1:53798");
    nd_connection_clear(&c);
    CHECK(is_zeroed(&c));
}

TEST(connfile_parses_an_ipc_file)
{
    nd_connection c;
    char err[256];
    const char *text = "{\"transport\":\"ipc\",\"ip\":\"/tmp/kernel-ipc\",\"shell_port\":1,"
                       "\"iopub_port\":2,\"stdin_port\":3,\"control_port\":4,\"hb_port\":5,"
                       "\"key\":\"k\"}";
    CHECK_INT(nd_connection_parse(text, &c, err, sizeof err), 0);
    CHECK_STR(c.transport, "ipc");
    CHECK_STR(endpoint(&c, c.shell_port), "ipc:///tmp/kernel-ipc-1");
    CHECK_STR(endpoint(&c, c.hb_port), "ipc:///tmp/kernel-ipc-5");
    nd_connection_clear(&c);
}

TEST(connfile_fills_in_defaults)
{
    nd_connection c;
    char err[256];
    const char *text = "{\"ip\":\"0.0.0.0\",\"shell_port\":1,\"iopub_port\":2,"
                       "\"stdin_port\":3,\"control_port\":4,\"hb_port\":65535}";
    CHECK_INT(nd_connection_parse(text, &c, err, sizeof err), 0);
    CHECK_STR(c.transport, "tcp");
    CHECK_STR(c.signature_scheme, "hmac-sha256");
    CHECK_STR(c.kernel_name, "");
    CHECK(c.key == NULL);
    CHECK_INT(c.key_len, 0);
    CHECK_INT(c.hb_port, 65535);
    nd_connection_clear(&c);
}

TEST(connfile_keeps_key_bytes_and_allows_an_empty_key)
{
    nd_connection c;
    char err[256];
    json_t *j = json_loads(VALID, 0, NULL);
    json_object_set_new(j, "key", json_string(""));
    char *text = json_dumps(j, 0);
    CHECK_INT(nd_connection_parse(text, &c, err, sizeof err), 0);
    CHECK_INT(c.key_len, 0);
    nd_connection_clear(&c);
    free(text);

    json_object_set_new(j, "key", json_string("s\xc3\xa9" "c"));
    text = json_dumps(j, 0);
    CHECK_INT(nd_connection_parse(text, &c, err, sizeof err), 0);
    CHECK_INT(c.key_len, 4);
    CHECK(memcmp(c.key, "s\xc3\xa9" "c", 4) == 0);
    nd_connection_clear(&c);
    free(text);
    json_decref(j);
}

/* One way to break the valid file: set field to value (JSON text; NULL deletes it). */
typedef struct { const char *field, *value, *message; } breakage;

TEST(connfile_rejects_every_bad_field)
{
    char long_ip[300], long_name[70];
    snprintf(long_ip, sizeof long_ip, "\"%0*d\"", 256, 0);
    snprintf(long_name, sizeof long_name, "\"%0*d\"", 64, 0);
    const breakage cases[] = {
        {"transport", "1", "\"transport\" must be a string"},
        {"transport", "\"udp\"", "unknown transport \"udp\""},
        {"transport", "\"tcp-or-ipc\"", "\"transport\" is too long"},
        {"ip", NULL, "missing \"ip\""},
        {"ip", "[]", "\"ip\" must be a string"},
        {"ip", "\"\"", "\"ip\" is empty"},
        {"ip", long_ip, "\"ip\" is too long (at most 255 bytes)"},
        {"shell_port", NULL, "missing \"shell_port\""},
        {"iopub_port", NULL, "missing \"iopub_port\""},
        {"stdin_port", NULL, "missing \"stdin_port\""},
        {"control_port", NULL, "missing \"control_port\""},
        {"hb_port", NULL, "missing \"hb_port\""},
        {"shell_port", "\"53794\"", "\"shell_port\" must be an integer"},
        {"iopub_port", "5.0", "\"iopub_port\" must be an integer"},
        {"stdin_port", "true", "\"stdin_port\" must be an integer"},
        {"control_port", "0", "\"control_port\" is 0, outside 1..65535"},
        {"hb_port", "65536", "\"hb_port\" is 65536, outside 1..65535"},
        {"hb_port", "-1", "outside 1..65535"},
        {"hb_port", "99999999999999999", "outside 1..65535"},
        {"signature_scheme", "null", "\"signature_scheme\" must be a string"},
        {"signature_scheme", "\"hmac-sha256-with-a-much-too-long-name\"", "too long"},
        {"key", "42", "\"key\" must be a string"},
        {"kernel_name", "{}", "\"kernel_name\" must be a string"},
        {"kernel_name", long_name, "\"kernel_name\" is too long (at most 63 bytes)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *j = json_loads(VALID, 0, NULL);
        if (cases[i].value)
            json_object_set_new(j, cases[i].field,
                                json_loads(cases[i].value, JSON_DECODE_ANY, NULL));
        else
            json_object_del(j, cases[i].field);
        char *text = json_dumps(j, 0);
        nd_connection c;
        char err[256];
        memset(&c, 0x5A, sizeof c);
        CHECK_INT(nd_connection_parse(text, &c, err, sizeof err), -1);
        CHECK_CONTAINS(err, cases[i].message);
        CHECK(is_zeroed(&c));
        free(text);
        json_decref(j);
    }
}

TEST(connfile_rejects_text_that_is_not_a_json_object)
{
    const char *bad[] = {"", "{", "[1]", "\"x\"", "{\"ip\": \"\xff\"}", "{} {}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        nd_connection c;
        char err[256];
        CHECK_INT(nd_connection_parse(bad[i], &c, err, sizeof err), -1);
        CHECK(err[0] != '\0');
        CHECK(is_zeroed(&c));
    }
    nd_connection c;
    char err[256];
    CHECK_INT(nd_connection_parse("{", &c, err, sizeof err), -1);
    CHECK_CONTAINS(err, "invalid JSON at line 1");
    CHECK_INT(nd_connection_parse("[1]", &c, err, sizeof err), -1);
    CHECK_STR(err, "not a JSON object");
    CHECK_INT(nd_connection_parse(NULL, &c, err, sizeof err), -1);
}

TEST(connfile_loads_files_and_names_them_in_errors)
{
    char dir[64], path[128], err[256];
    nd_connection c;
    CHECK_INT(nd_tempdir_make(dir), 0);

    nd_tempdir_path(path, sizeof path, dir, "kernel-1.json");
    nd_tempdir_write(path, VALID);
    CHECK_INT(nd_connection_load(path, &c, err, sizeof err), 0);
    CHECK_INT(c.control_port, 53797);
    nd_connection_clear(&c);

    nd_tempdir_write(path, "{\"ip\": 1}");
    CHECK_INT(nd_connection_load(path, &c, err, sizeof err), -1);
    CHECK_CONTAINS(err, path);
    CHECK_CONTAINS(err, "\"ip\" must be a string");

    nd_tempdir_path(path, sizeof path, dir, "missing.json");
    CHECK_INT(nd_connection_load(path, &c, err, sizeof err), -1);
    CHECK_CONTAINS(err, "cannot open");
    CHECK_CONTAINS(err, "missing.json");
    CHECK(is_zeroed(&c));

    CHECK_INT(nd_connection_load(dir, &c, err, sizeof err), -1);   /* a directory */
    CHECK_CONTAINS(err, dir);

    nd_tempdir_path(path, sizeof path, dir, "huge.json");
    char *huge = malloc((1 << 20) + 2);
    memset(huge, ' ', (1 << 20) + 1);
    huge[(1 << 20) + 1] = '\0';
    nd_tempdir_write(path, huge);
    free(huge);
    CHECK_INT(nd_connection_load(path, &c, err, sizeof err), -1);
    CHECK_CONTAINS(err, "larger than 1 MiB");
    nd_tempdir_remove(dir);
}

TEST(connfile_endpoint_fails_cleanly)
{
    nd_connection c;
    char err[256], out[32];
    nd_connection_parse(VALID, &c, err, sizeof err);
    CHECK_INT(nd_connection_endpoint(&c, 5, out, 17), -1);   /* needs 18 with the NUL */
    CHECK_INT(nd_connection_endpoint(&c, 5, out, 18), 0);
    CHECK_STR(out, "tcp://127.0.0.1:5");
    nd_connection_clear(&c);
    CHECK_INT(nd_connection_endpoint(&c, 5, out, sizeof out), -1);   /* no transport */
}
