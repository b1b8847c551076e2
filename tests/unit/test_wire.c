/* Tests for kernel/signer and kernel/wire: HMAC vectors, framing, hostile input, replies. */
#include "test.h"

#include <stdlib.h>

#include "../../kernel/wire.h"

#define DELIM "<IDS|MSG>"
#define HEADER "{\"msg_id\":\"m-1\",\"msg_type\":\"kernel_info_request\"}"
#define KEY "a0436f6c-1916-498b-8eb9-e81ab9368e84"

/* A frame viewing a string or bytes; decode only reads its input. */
static nd_frame view(const void *bytes, size_t len)
{
    return (nd_frame){(unsigned char *)bytes, len};
}

static nd_frame text(const char *s)
{
    return view(s, strlen(s));
}

static nd_signer *make_signer(const char *key)
{
    char err[128];
    return nd_signer_create("hmac-sha256", (const unsigned char *)key, strlen(key), err,
                            sizeof err);
}

static int frame_is(const nd_frame *f, const char *s)
{
    return f->len == strlen(s) && memcmp(f->data, s, f->len) == 0;
}

static int msg_is_zeroed(const nd_msg *m)
{
    return !m->idents && !m->n_idents && !m->header && !m->parent && !m->metadata &&
           !m->content && !m->buffers && !m->n_buffers;
}

/* Decodes frames; a failure must leave the message zeroed and explain itself. */
static nd_wire_status decode(const nd_signer *s, const nd_frame *frames, size_t n,
                             char err[256])
{
    nd_msg m;
    memset(&m, 0xA5, sizeof m);   /* garbage in: decode must overwrite it */
    nd_wire_status st = nd_wire_decode(s, frames, n, &m, err, 256);
    if (st != ND_WIRE_OK) {
        CHECK(msg_is_zeroed(&m));
        CHECK(err[0] != '\0');
    } else {
        CHECK_STR(err, "");
        nd_msg_clear(&m);
    }
    return st;
}

/* Decodes one identity, the delimiter, a correct signature and the four given dict
   texts, so that only their content can be wrong. */
static nd_wire_status decode_dicts(const nd_signer *s, const char *header, const char *parent,
                                   const char *metadata, const char *content, char err[256])
{
    nd_frame f[6] = {text("ident"), text(DELIM), {0}, text(header), text(parent),
                     text(metadata)};
    nd_frame all[7];
    char hex[65];
    memcpy(all, f, sizeof f);
    all[6] = text(content);
    nd_signer_sign(s, &all[3], hex);
    all[2] = text(hex);
    return decode(s, all, 7, err);
}

/* ---- signer ---- */

typedef struct {
    unsigned char key[131];
    size_t key_len;
    const char *data;
    size_t data_len;
    const char *hmac;
} rfc4231_case;

/* Signs data split into the four parts at the given cut points. */
static void sign_split(const nd_signer *s, const char *data, size_t len, const size_t cut[3],
                       char hex[65])
{
    nd_frame parts[4] = {view(data, cut[0]), view(data + cut[0], cut[1] - cut[0]),
                         view(data + cut[1], cut[2] - cut[1]), view(data + cut[2], len - cut[2])};
    nd_signer_sign(s, parts, hex);
}

TEST(signer_matches_rfc4231_vectors_however_the_data_is_split)
{
    static const char cd50[] = "\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd"
        "\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd"
        "\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd";
    static const char dd50[] = "\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd"
        "\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd"
        "\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd";
    static const char big_key_data[] = "This is a test using a larger than block-size key "
        "and a larger than block-size data. The key needs to be hashed before being used "
        "by the HMAC algorithm.";
    rfc4231_case cases[6] = {
        {{0}, 20, "Hi There", 8,
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {"Jefe", 4, "what do ya want for nothing?", 28,
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {{0}, 20, dd50, 50,
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {{0}, 25, cd50, 50,
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {{0}, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 54,
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {{0}, 131, big_key_data, sizeof big_key_data - 1,
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
    memset(cases[0].key, 0x0b, 20);
    memset(cases[2].key, 0xaa, 20);
    for (int i = 0; i < 25; i++) cases[3].key[i] = (unsigned char)(i + 1);
    memset(cases[4].key, 0xaa, 131);
    memset(cases[5].key, 0xaa, 131);

    for (int c = 0; c < 6; c++) {
        char err[128];
        nd_signer *s = nd_signer_create("hmac-sha256", cases[c].key, cases[c].key_len, err,
                                        sizeof err);
        size_t len = cases[c].data_len;
        const size_t cuts[4][3] = {{len, len, len}, {0, 0, 0}, {1, 2, 3}, {0, len / 2, len / 2}};
        for (int k = 0; k < 4; k++) {
            char hex[65];
            sign_split(s, cases[c].data, len, cuts[k], hex);
            CHECK_STR(hex, cases[c].hmac);
        }
        nd_signer_free(s);
    }
}

TEST(signer_verify_accepts_only_the_exact_lowercase_digest)
{
    nd_signer *s = make_signer(KEY);
    nd_frame parts[4] = {text(HEADER), text("{}"), text("{}"), text("{}")};
    char hex[65], bad[65];
    nd_signer_sign(s, parts, hex);
    CHECK(nd_signer_enabled(s));
    CHECK_INT(strlen(hex), 64);
    CHECK(nd_signer_verify(s, parts, &(nd_frame){(unsigned char *)hex, 64}));

    strcpy(bad, hex);
    bad[10] = bad[10] == '0' ? '1' : '0';
    CHECK(!nd_signer_verify(s, parts, &(nd_frame){(unsigned char *)bad, 64}));
    strcpy(bad, hex);
    for (int i = 0; i < 64; i++)
        if (bad[i] >= 'a') bad[i] = (char)(bad[i] - 'a' + 'A');
    CHECK(!nd_signer_verify(s, parts, &(nd_frame){(unsigned char *)bad, 64}));
    CHECK(!nd_signer_verify(s, parts, &(nd_frame){(unsigned char *)hex, 63}));
    CHECK(!nd_signer_verify(s, parts, &(nd_frame){(unsigned char *)"", 0}));
    char longer[66];
    snprintf(longer, sizeof longer, "%s0", hex);
    CHECK(!nd_signer_verify(s, parts, &(nd_frame){(unsigned char *)longer, 65}));

    nd_frame other[4] = {text(HEADER), text("{}"), text("{}"), text("{\"a\":1}")};
    CHECK(!nd_signer_verify(s, other, &(nd_frame){(unsigned char *)hex, 64}));
    nd_signer *other_key = make_signer("another key");
    CHECK(!nd_signer_verify(other_key, parts, &(nd_frame){(unsigned char *)hex, 64}));
    nd_signer_free(other_key);
    nd_signer_free(s);
}

TEST(signer_with_empty_key_signs_nothing_and_checks_nothing)
{
    nd_signer *s = make_signer("");
    CHECK(s != NULL);
    CHECK(!nd_signer_enabled(s));
    nd_frame parts[4] = {text(HEADER), text("{}"), text("{}"), text("{}")};
    char hex[65] = "junk";
    nd_signer_sign(s, parts, hex);
    CHECK_STR(hex, "");
    CHECK(nd_signer_verify(s, parts, &(nd_frame){(unsigned char *)"", 0}));
    CHECK(nd_signer_verify(s, parts, &(nd_frame){(unsigned char *)"whatever", 8}));
    nd_signer_free(s);
    CHECK(!nd_signer_enabled(NULL));
    nd_signer_free(NULL);
}

TEST(signer_rejects_unknown_schemes)
{
    char err[128];
    const unsigned char key[] = "k";
    CHECK(nd_signer_create("hmac-md5", key, 1, err, sizeof err) == NULL);
    CHECK_CONTAINS(err, "hmac-md5");
    CHECK(nd_signer_create("HMAC-SHA256", key, 1, err, sizeof err) == NULL);
    CHECK_CONTAINS(err, "HMAC-SHA256");
    CHECK(nd_signer_create("", key, 0, err, sizeof err) == NULL);
    CHECK_CONTAINS(err, "unsupported signature scheme");
    CHECK(nd_signer_create(NULL, key, 1, err, sizeof err) == NULL);
    CHECK_CONTAINS(err, "unsupported");
}

/* ---- encode and decode ---- */

/* An execute_request with n_idents binary identities and n_buffers binary buffers. */
static nd_msg sample_msg(size_t n_idents, size_t n_buffers)
{
    nd_msg m = {0};
    m.header = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "msg_id", "m-1", "session", "s-1",
                         "username", "u", "date", "2026-01-01T00:00:00.000000Z",
                         "msg_type", "execute_request", "version", "5.3");
    m.parent = json_object();
    m.metadata = json_pack("{s:i}", "k", 1);
    m.content = json_pack("{s:s, s:b, s:[f, n]}", "code", "x = 1 # \xc3\xa9 \"q\"\n",
                          "silent", 0, "list", 0.5);
    m.idents = calloc(n_idents ? n_idents : 1, sizeof *m.idents);
    m.buffers = calloc(n_buffers ? n_buffers : 1, sizeof *m.buffers);
    for (size_t i = 0; i < n_idents; i++) {
        unsigned char id[5] = {0, 0x8b, 0x45, 0xff, (unsigned char)i};
        nd_frame_set(&m.idents[i], id, sizeof id);
    }
    for (size_t i = 0; i < n_buffers; i++) {
        unsigned char b[3] = {(unsigned char)i, 0, 0xfe};
        nd_frame_set(&m.buffers[i], b, i == 1 ? 0 : sizeof b);   /* buffer 1 is empty */
    }
    m.n_idents = n_idents;
    m.n_buffers = n_buffers;
    return m;
}

static int frames_equal(const nd_frame *a, const nd_frame *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].len != b[i].len || (a[i].len && memcmp(a[i].data, b[i].data, a[i].len)))
            return 0;
    return 1;
}

TEST(wire_round_trips_with_0_1_2_identities_and_buffers)
{
    nd_signer *s = make_signer(KEY);
    for (size_t ni = 0; ni <= 2; ni++) {
        for (size_t nb = 0; nb <= 2; nb++) {
            nd_msg m = sample_msg(ni, nb), back;
            nd_frame *f;
            size_t n;
            char err[256];
            CHECK_INT(nd_wire_encode(s, &m, &f, &n), 0);
            CHECK_INT(n, ni + 6 + nb);
            CHECK(frame_is(&f[ni], DELIM));
            CHECK_INT(f[ni + 1].len, 64);
            CHECK_INT(nd_wire_decode(s, f, n, &back, err, sizeof err), ND_WIRE_OK);
            CHECK_STR(err, "");
            CHECK_INT(back.n_idents, ni);
            CHECK_INT(back.n_buffers, nb);
            CHECK(frames_equal(back.idents, m.idents, ni));
            CHECK(frames_equal(back.buffers, m.buffers, nb));
            CHECK(json_equal(back.header, m.header));
            CHECK(json_equal(back.parent, m.parent));
            CHECK(json_equal(back.metadata, m.metadata));
            CHECK(json_equal(back.content, m.content));
            CHECK_STR(nd_msg_type(&back), "execute_request");
            nd_msg_clear(&back);
            nd_frames_free(f, n);
            nd_msg_clear(&m);
        }
    }
    nd_signer_free(s);
}

TEST(wire_encodes_compact_utf8_json_signed_over_the_sent_bytes)
{
    nd_signer *s = make_signer(KEY);
    nd_msg m = sample_msg(1, 0);
    nd_frame *f;
    size_t n;
    CHECK_INT(nd_wire_encode(s, &m, &f, &n), 0);
    char hex[65];
    nd_signer_sign(s, &f[3], hex);
    CHECK(frame_is(&f[2], hex));
    CHECK(frame_is(&f[4], "{}"));
    CHECK(frame_is(&f[5], "{\"k\":1}"));
    char *content = strndup((const char *)f[6].data, f[6].len);
    CHECK_CONTAINS(content, "\"code\":\"x = 1 # \xc3\xa9 \\\"q\\\"\\n\"");   /* raw UTF-8 */
    CHECK_CONTAINS(content, "\"list\":[0.5,null]");
    CHECK(!strstr(content, ": ") && !strstr(content, ", "));
    free(content);
    nd_frames_free(f, n);
    nd_msg_clear(&m);
    nd_signer_free(s);
}

TEST(wire_encode_sends_missing_dicts_as_empty_and_refuses_bad_ones)
{
    nd_msg m = {0};
    nd_frame *f = (nd_frame *)&m;
    size_t n = 7;
    CHECK_INT(nd_wire_encode(NULL, &m, &f, &n), -1);   /* no header */
    CHECK(f == NULL);
    CHECK_INT(n, 0);

    m.header = json_pack("{s:s, s:s}", "msg_id", "x", "msg_type", "status");
    CHECK_INT(nd_wire_encode(NULL, &m, &f, &n), 0);
    CHECK_INT(n, 6);
    CHECK_INT(f[1].len, 0);   /* unsigned */
    CHECK(frame_is(&f[3], "{}") && frame_is(&f[4], "{}") && frame_is(&f[5], "{}"));
    char err[256];
    CHECK_INT(decode(NULL, f, n, err), ND_WIRE_OK);
    nd_frames_free(f, n);

    m.content = json_array();
    CHECK_INT(nd_wire_encode(NULL, &m, &f, &n), -1);
    CHECK(f == NULL);
    json_decref(m.content);
    m.content = NULL;
    json_decref(m.header);
    m.header = json_string("not an object");
    CHECK_INT(nd_wire_encode(NULL, &m, &f, &n), -1);
    nd_msg_clear(&m);
}

TEST(wire_unsigned_messages_pass_only_when_signing_is_off)
{
    nd_signer *off = make_signer(""), *on = make_signer(KEY);
    nd_msg m = sample_msg(1, 1);
    nd_frame *f;
    size_t n;
    char err[256];
    CHECK_INT(nd_wire_encode(off, &m, &f, &n), 0);
    CHECK_INT(f[2].len, 0);
    CHECK_INT(decode(off, f, n, err), ND_WIRE_OK);
    CHECK_INT(decode(NULL, f, n, err), ND_WIRE_OK);
    CHECK_INT(decode(on, f, n, err), ND_WIRE_BAD_SIGNATURE);
    CHECK_CONTAINS(err, "0 bytes");
    nd_frames_free(f, n);
    nd_msg_clear(&m);
    nd_signer_free(off);
    nd_signer_free(on);
}

/* Flips one byte of frame k of a correctly signed message and decodes it. */
static nd_wire_status decode_tampered(size_t k, char err[256])
{
    nd_signer *s = make_signer(KEY);
    nd_msg m = sample_msg(2, 2);
    nd_frame *f;
    size_t n;
    nd_wire_encode(s, &m, &f, &n);
    f[k].data[f[k].len / 2] ^= 0x01;
    nd_wire_status st = decode(s, f, n, err);
    nd_frames_free(f, n);
    nd_msg_clear(&m);
    nd_signer_free(s);
    return st;
}

TEST(wire_rejects_a_tampered_header_parent_metadata_content_or_signature)
{
    char err[256];
    /* frames: 2 idents, delimiter, signature(3), header, parent, metadata, content, 2 buffers */
    for (size_t k = 3; k <= 7; k++) {
        CHECK_INT(decode_tampered(k, err), ND_WIRE_BAD_SIGNATURE);
        CHECK_CONTAINS(err, "signature does not match");
    }
    /* Identities and buffers are outside the signature, as in the spec. */
    CHECK_INT(decode_tampered(0, err), ND_WIRE_OK);
    CHECK_INT(decode_tampered(8, err), ND_WIRE_OK);
}

TEST(wire_checks_the_signature_before_parsing)
{
    nd_signer *s = make_signer(KEY);
    char err[256];
    char zeros[65];
    memset(zeros, '0', 64);
    zeros[64] = '\0';
    nd_frame f[] = {text(DELIM), text(zeros), text("{not json"), text("{}"), text("{}"),
                    text("{}")};
    CHECK_INT(decode(s, f, 6, err), ND_WIRE_BAD_SIGNATURE);
    f[1] = text("abc");
    CHECK_INT(decode(s, f, 6, err), ND_WIRE_BAD_SIGNATURE);
    CHECK_CONTAINS(err, "signature is 3 bytes, expected 64 hex digits");
    nd_signer_free(s);
}

TEST(wire_rejects_bad_framing)
{
    char err[256];
    nd_frame none[1] = {{0}};
    CHECK_INT(decode(NULL, none, 0, err), ND_WIRE_MALFORMED);
    CHECK_CONTAINS(err, "no <IDS|MSG> delimiter");

    nd_frame no_delim[] = {text("id"), text(""), text(HEADER), text("{}"), text("{}"),
                           text("{}")};
    CHECK_INT(decode(NULL, no_delim, 6, err), ND_WIRE_MALFORMED);
    CHECK_CONTAINS(err, "delimiter");

    nd_frame near_delims[] = {text("<IDS|MSG"), text("<IDS|MSG>x"), text("<ids|msg>"),
                              text(""), text(HEADER), text("{}"), text("{}"), text("{}")};
    CHECK_INT(decode(NULL, near_delims, 8, err), ND_WIRE_MALFORMED);
    CHECK_CONTAINS(err, "delimiter");

    nd_frame short_msg[] = {text("id"), text(DELIM), text(""), text(HEADER), text("{}"),
                            text("{}"), text("{}")};
    for (size_t n = 2; n < 7; n++) {   /* every truncation after the delimiter */
        CHECK_INT(decode(NULL, short_msg, n, err), ND_WIRE_MALFORMED);
        CHECK_CONTAINS(err, "expected a signature and 4 dicts");
    }
    CHECK_INT(decode(NULL, short_msg, 7, err), ND_WIRE_OK);
}

TEST(wire_uses_the_first_delimiter_and_keeps_later_ones_as_buffers)
{
    nd_frame f[] = {text("id"), text(DELIM), text(""), text(HEADER), text("{}"), text("{}"),
                    text("{\"s\":\"" DELIM "\"}"), text(DELIM)};
    nd_msg m;
    char err[256];
    CHECK_INT(nd_wire_decode(NULL, f, 8, &m, err, sizeof err), ND_WIRE_OK);
    CHECK_INT(m.n_idents, 1);
    CHECK_INT(m.n_buffers, 1);
    CHECK(frame_is(&m.buffers[0], DELIM));
    CHECK_STR(json_string_value(json_object_get(m.content, "s")), DELIM);
    nd_msg_clear(&m);
}

TEST(wire_rejects_dicts_that_are_not_json_objects)
{
    nd_signer *s = make_signer(KEY);
    char err[256];
    const char *bad[] = {"", "{", "{\"a\":}", "[]", "[1,2]", "\"text\"", "42", "null",
                         "{} x", "{}{}", "{\"a\":\"\xff\"}", "{\"a\":\"\xc3\"}",
                         "\xef\xbb\xbf{}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *slot[4] = {HEADER, "{}", "{}", "{}"};
        for (int k = 0; k < 4; k++) {
            slot[k] = bad[i];
            CHECK_INT(decode_dicts(s, slot[0], slot[1], slot[2], slot[3], err),
                      ND_WIRE_MALFORMED);
            static const char *const names[4] = {"header", "parent_header", "metadata",
                                                 "content"};
            CHECK_CONTAINS(err, names[k]);
            slot[k] = k == 0 ? HEADER : "{}";
        }
    }
    nd_signer_free(s);
}

TEST(wire_accepts_escaped_nul_so_the_request_is_answered)
{
    nd_signer *s = make_signer(KEY);
    char err[256];
    CHECK_INT(decode_dicts(s, HEADER, "{}", "{}", "{\"code\":\"a\\u0000b\"}", err), ND_WIRE_OK);
    nd_signer_free(s);
}

TEST(wire_rejects_raw_nul_bytes_and_deep_nesting)
{
    char err[256];
    nd_frame f[] = {text(DELIM), text(""), view("{\"msg_id\":\"a\",\"msg_type\":\"b\"}\0", 32),
                    text("{}"), text("{}"), text("{}")};
    CHECK_INT(decode(NULL, f, 6, err), ND_WIRE_MALFORMED);

    enum { DEPTH = 100000 };
    char *deep = malloc(2 * DEPTH + 9);
    size_t len = 0;
    len += (size_t)sprintf(deep, "{\"a\":");
    for (int i = 0; i < DEPTH; i++) deep[len++] = '[';
    for (int i = 0; i < DEPTH; i++) deep[len++] = ']';
    deep[len++] = '}';
    f[2] = text(HEADER);
    f[5] = view(deep, len);
    CHECK_INT(decode(NULL, f, 6, err), ND_WIRE_MALFORMED);
    CHECK_CONTAINS(err, "content");
    free(deep);
}

TEST(wire_requires_string_msg_type_and_msg_id)
{
    char err[256];
    const char *headers[] = {"{}", "{\"msg_id\":\"a\"}", "{\"msg_type\":\"a\"}",
                             "{\"msg_id\":1,\"msg_type\":\"a\"}",
                             "{\"msg_id\":\"a\",\"msg_type\":null}"};
    for (size_t i = 0; i < sizeof headers / sizeof *headers; i++) {
        CHECK_INT(decode_dicts(NULL, headers[i], "{}", "{}", "{}", err), ND_WIRE_MALFORMED);
        CHECK_CONTAINS(err, "msg_type or msg_id");
    }
    CHECK_INT(decode_dicts(NULL, "{\"msg_id\":\"\",\"msg_type\":\"\"}", "{}", "{}", "{}", err),
              ND_WIRE_OK);
}

TEST(wire_refuses_messages_over_64_mib)
{
    const size_t limit = (size_t)64 << 20;
    nd_frame f[7] = {text(DELIM), text(""), text(HEADER), text("{}"), text("{}"), text("{}")};
    size_t used = 0;
    for (int i = 0; i < 6; i++) used += f[i].len;
    unsigned char *big = calloc(limit, 1);
    char err[256];
    f[6] = view(big, limit - used);
    CHECK_INT(decode(NULL, f, 7, err), ND_WIRE_OK);
    f[6] = view(big, limit - used + 1);
    CHECK_INT(decode(NULL, f, 7, err), ND_WIRE_MALFORMED);
    CHECK_CONTAINS(err, "64 MiB");
    /* Sizes that would overflow a naive sum are refused too. */
    nd_frame huge[2] = {view(big, 1), view(big, (size_t)-1)};
    CHECK_INT(decode(NULL, huge, 2, err), ND_WIRE_MALFORMED);
    free(big);
}

/* Copies frames into exactly sized buffers, so that ASan catches any overread. */
static nd_frame *exact_copy(const nd_frame *src, size_t n)
{
    nd_frame *f = calloc(n ? n : 1, sizeof *f);
    for (size_t i = 0; i < n; i++) {
        f[i].data = malloc(src[i].len ? src[i].len : 1);
        if (src[i].len) memcpy(f[i].data, src[i].data, src[i].len);
        f[i].len = src[i].len;
    }
    return f;
}

TEST(wire_survives_random_mutations_and_truncations)
{
    nd_msg m = sample_msg(1, 1);
    nd_frame *good;
    size_t n;
    nd_wire_encode(NULL, &m, &good, &n);
    unsigned seed = 12345;
    char err[256];
    static const char alphabet[] = "{}[]\":,0123456789.-eEtrufalsn \\u\xff\xc3\x80\0<IDS|MSG>";
    for (int iter = 0; iter < 20000; iter++) {
        nd_frame *f = exact_copy(good, n);
        size_t count = n;
        switch (rand_r(&seed) % 4) {
        case 0:   /* change one byte of a dict */
        case 1: {
            nd_frame *d = &f[3 + (size_t)rand_r(&seed) % 4];
            if (d->len) d->data[(size_t)rand_r(&seed) % d->len] =
                (unsigned char)alphabet[(size_t)rand_r(&seed) % (sizeof alphabet - 1)];
            break;
        }
        case 2: {   /* cut a dict short */
            nd_frame *d = &f[3 + (size_t)rand_r(&seed) % 4];
            if (d->len) d->len = (size_t)rand_r(&seed) % d->len;
            break;
        }
        default:   /* drop trailing frames */
            count = (size_t)rand_r(&seed) % (n + 1);
        }
        nd_wire_status st = decode(NULL, f, count, err);
        CHECK(st == ND_WIRE_OK || st == ND_WIRE_MALFORMED);
        nd_frames_free(f, n);
    }
    nd_frames_free(good, n);
    nd_msg_clear(&m);
}

/* ---- replies ---- */

TEST(wire_reply_has_a_fresh_header_and_routes_back)
{
    nd_msg req = sample_msg(2, 1), reply;
    json_t *content = json_pack("{s:s}", "status", "ok");
    CHECK_INT(nd_msg_init_reply(&reply, "execute_reply", &req, "sess-9", content), 0);
    const json_t *h = reply.header;
    const char *id = json_string_value(json_object_get(h, "msg_id"));
    CHECK(id && strlen(id) == 36 && strcmp(id, "m-1") != 0);
    CHECK_STR(json_string_value(json_object_get(h, "session")), "sess-9");
    CHECK_STR(json_string_value(json_object_get(h, "username")), "neurodyn");
    CHECK_STR(json_string_value(json_object_get(h, "msg_type")), "execute_reply");
    CHECK_STR(json_string_value(json_object_get(h, "version")), "5.3");
    const char *date = json_string_value(json_object_get(h, "date"));
    CHECK(date && strlen(date) == 27 && date[26] == 'Z' && date[10] == 'T');
    CHECK_INT(json_object_size(h), 6);
    CHECK(json_equal(reply.parent, req.header));
    CHECK(reply.parent != req.header);
    CHECK(json_is_object(reply.metadata) && json_object_size(reply.metadata) == 0);
    CHECK(reply.content == content);
    CHECK_INT(reply.n_idents, 2);
    CHECK(frames_equal(reply.idents, req.idents, 2));
    CHECK_INT(reply.n_buffers, 0);
    CHECK_STR(nd_msg_type(&reply), "execute_reply");

    nd_msg second;
    nd_msg_init_reply(&second, "status", &req, "sess-9", NULL);
    CHECK(!json_equal(json_object_get(second.header, "msg_id"), json_object_get(h, "msg_id")));
    CHECK(json_is_object(second.content) && json_object_size(second.content) == 0);
    nd_msg_clear(&second);
    nd_msg_clear(&reply);
    nd_msg_clear(&req);
}

TEST(wire_reply_without_parent_has_empty_parent_header)
{
    nd_msg m;
    CHECK_INT(nd_msg_init_reply(&m, "status", NULL, NULL, json_object()), 0);
    CHECK(json_is_object(m.parent) && json_object_size(m.parent) == 0);
    CHECK_STR(json_string_value(json_object_get(m.header, "session")), "");
    CHECK_INT(m.n_idents, 0);
    nd_frame *f;
    size_t n;
    nd_signer *s = make_signer(KEY);
    CHECK_INT(nd_wire_encode(s, &m, &f, &n), 0);
    char err[256];
    CHECK_INT(decode(s, f, n, err), ND_WIRE_OK);   /* replies are valid requests too */
    nd_frames_free(f, n);
    nd_signer_free(s);
    nd_msg_clear(&m);
}

TEST(wire_reply_failure_still_takes_the_content)
{
    nd_msg m;
    /* A NULL msg_type cannot be packed; the content must not leak (ASan checks). */
    CHECK_INT(nd_msg_init_reply(&m, NULL, NULL, "s", json_pack("{s:i}", "a", 1)), -1);
    CHECK(msg_is_zeroed(&m));
}

TEST(wire_msg_type_and_clear_handle_empty_messages)
{
    nd_msg m = {0};
    CHECK_STR(nd_msg_type(&m), "");
    CHECK_STR(nd_msg_type(NULL), "");
    m.header = json_pack("{s:i}", "msg_type", 3);
    CHECK_STR(nd_msg_type(&m), "");
    nd_msg_clear(&m);
    CHECK(msg_is_zeroed(&m));
    nd_msg_clear(&m);
}
