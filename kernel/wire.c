/* Turning frames into messages and back. Decoding trusts nothing: the signature is
   checked before any JSON parser sees the bytes, and every size is bounded. */
#include "wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"

#define DELIMITER "<IDS|MSG>"
enum { DELIMITER_LEN = sizeof DELIMITER - 1, N_DICTS = 4 };
static const size_t MAX_MESSAGE_BYTES = (size_t)64 << 20;
static const char *const DICT_NAMES[N_DICTS] = {"header", "parent_header", "metadata",
                                                 "content"};

static int is_delimiter(const nd_frame *f)
{
    return f->len == DELIMITER_LEN && memcmp(f->data, DELIMITER, DELIMITER_LEN) == 0;
}

/* Parses one dict frame; NULL with a message when it is not a JSON object (jansson also
   rejects invalid UTF-8 and nesting deep enough to exhaust the stack). "\u0000" is valid
   JSON, so it is accepted here: the request gets an answer and its handler says what is
   wrong with the text. */
static json_t *parse_dict(const nd_frame *f, const char *name, char *err, size_t errcap)
{
    json_error_t je;
    json_t *j = json_loadb(f->data ? (const char *)f->data : "", f->len, JSON_ALLOW_NUL, &je);
    if (!j) {
        snprintf(err, errcap, "%s is not valid JSON: %s", name, je.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        snprintf(err, errcap, "%s is not a JSON object", name);
        json_decref(j);
        return NULL;
    }
    return j;
}

static int has_string(const json_t *obj, const char *key)
{
    return json_is_string(json_object_get(obj, key));
}

/* Checks the total size, finds the delimiter (its index goes to *delimiter) and verifies
   the signature. */
static nd_wire_status check_frames(const nd_signer *s, const nd_frame *frames, size_t n,
                                   size_t *delimiter, char *err, size_t errcap)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (frames[i].len > MAX_MESSAGE_BYTES - total) {
            snprintf(err, errcap, "message is larger than 64 MiB");
            return ND_WIRE_MALFORMED;
        }
        total += frames[i].len;
    }
    size_t d = 0;
    while (d < n && !is_delimiter(&frames[d])) d++;
    if (d == n) {
        snprintf(err, errcap, "no " DELIMITER " delimiter among %zu frames", n);
        return ND_WIRE_MALFORMED;
    }
    if (n - d - 1 < 1 + N_DICTS) {
        snprintf(err, errcap, "%zu frames after the delimiter; expected a signature and "
                 "4 dicts", n - d - 1);
        return ND_WIRE_MALFORMED;
    }
    const nd_frame *signature = &frames[d + 1];
    if (!nd_signer_verify(s, &frames[d + 2], signature)) {
        if (signature->len != ND_SIGNER_HEX_LEN)
            snprintf(err, errcap, "signature is %zu bytes, expected %d hex digits",
                     signature->len, ND_SIGNER_HEX_LEN);
        else
            snprintf(err, errcap, "signature does not match");
        return ND_WIRE_BAD_SIGNATURE;
    }
    *delimiter = d;
    return ND_WIRE_OK;
}

nd_wire_status nd_wire_decode(const nd_signer *s, const nd_frame *frames, size_t n,
                              nd_msg *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    if (errcap) err[0] = '\0';
    size_t d = 0;
    nd_wire_status st = check_frames(s, frames, n, &d, err, errcap);
    if (st != ND_WIRE_OK) return st;

    const nd_frame *dicts = &frames[d + 2];
    json_t **slots[N_DICTS] = {&out->header, &out->parent, &out->metadata, &out->content};
    for (int i = 0; i < N_DICTS; i++) {
        *slots[i] = parse_dict(&dicts[i], DICT_NAMES[i], err, errcap);
        if (!*slots[i]) goto malformed;
    }
    if (!has_string(out->header, "msg_type") || !has_string(out->header, "msg_id")) {
        snprintf(err, errcap, "header lacks a string msg_type or msg_id");
        goto malformed;
    }
    size_t n_buffers = n - d - 2 - N_DICTS;
    if (nd_frames_copy(frames, d, &out->idents) != 0 ||
        nd_frames_copy(dicts + N_DICTS, n_buffers, &out->buffers) != 0) {
        snprintf(err, errcap, "out of memory");
        goto malformed;
    }
    out->n_idents = d;
    out->n_buffers = n_buffers;
    return ND_WIRE_OK;
malformed:
    nd_msg_clear(out);
    return ND_WIRE_MALFORMED;
}

/* Writes one dict as compact UTF-8 JSON into f; NULL stands for {}. 0 ok. */
static int dump_dict(const json_t *j, nd_frame *f)
{
    if (!j) return nd_frame_set(f, "{}", 2);
    if (!json_is_object(j)) return -1;
    char *text = json_dumps(j, JSON_COMPACT);   /* jansson allocates with malloc */
    if (!text) return -1;
    f->data = (unsigned char *)text;
    f->len = strlen(text);
    return 0;
}

/* Copies n frames into the slots at dst; 0 ok. */
static int put_frames(nd_frame *dst, const nd_frame *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (nd_frame_set(&dst[i], src[i].data, src[i].len) != 0) return -1;
    return 0;
}

int nd_wire_encode(const nd_signer *s, const nd_msg *m, nd_frame **frames, size_t *n)
{
    *frames = NULL;
    *n = 0;
    if (!json_is_object(m->header)) return -1;
    size_t delimiter = m->n_idents, signature = delimiter + 1, dicts = signature + 1;
    size_t buffers = dicts + N_DICTS, count = buffers + m->n_buffers;
    /* Zeroed slots, so that one nd_frames_free releases whatever got filled. */
    nd_frame *f = calloc(count, sizeof *f);
    if (!f) return -1;

    const json_t *values[N_DICTS] = {m->header, m->parent, m->metadata, m->content};
    int ok = put_frames(f, m->idents, m->n_idents) == 0 &&
             nd_frame_set(&f[delimiter], DELIMITER, DELIMITER_LEN) == 0;
    for (int i = 0; ok && i < N_DICTS; i++) ok = dump_dict(values[i], &f[dicts + i]) == 0;
    if (ok) {
        char hex[65];
        nd_signer_sign(s, &f[dicts], hex);   /* over exactly the bytes that go out */
        ok = nd_frame_set(&f[signature], hex, strlen(hex)) == 0;
    }
    ok = ok && put_frames(&f[buffers], m->buffers, m->n_buffers) == 0;
    if (!ok) {
        nd_frames_free(f, count);
        return -1;
    }
    *frames = f;
    *n = count;
    return 0;
}

void nd_msg_clear(nd_msg *m)
{
    nd_frames_free(m->idents, m->n_idents);
    nd_frames_free(m->buffers, m->n_buffers);
    json_decref(m->header);
    json_decref(m->parent);
    json_decref(m->metadata);
    json_decref(m->content);
    memset(m, 0, sizeof *m);
}

int nd_msg_init_reply(nd_msg *m, const char *msg_type, const nd_msg *parent,
                      const char *session, json_t *content)
{
    memset(m, 0, sizeof *m);
    char msg_id[37], date[40];
    nd_ids_uuid(msg_id);
    nd_ids_now(date);
    m->content = content ? content : json_object();
    m->header = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "msg_id", msg_id,
                          "session", session ? session : "", "username", "neurodyn",
                          "date", date, "msg_type", msg_type, "version", "5.3");
    /* A deep copy: the request may be freed (or used by another thread) before the
       reply is sent. */
    m->parent = parent && parent->header ? json_deep_copy(parent->header) : json_object();
    m->metadata = json_object();
    int ok = m->content && m->header && m->parent && m->metadata;
    if (ok && parent) {
        ok = nd_frames_copy(parent->idents, parent->n_idents, &m->idents) == 0;
        if (ok) m->n_idents = parent->n_idents;
    }
    if (!ok) {
        nd_msg_clear(m);
        return -1;
    }
    return 0;
}

const char *nd_msg_type(const nd_msg *m)
{
    const char *type = m ? json_string_value(json_object_get(m->header, "msg_type")) : NULL;
    return type ? type : "";
}
