/* Fuzz target: the Jupyter wire format (kernel/wire.c, frame.c, signer.c) — frames,
   signature and the four JSON dicts.

   Input: one mode byte, then the frames of one multipart message separated by "\n|\n"
   (a sequence valid JSON never contains, so seeds stay readable). The mode's low two bits
   choose the signer:
     0  signing disabled (empty key): every message reaches the JSON parser;
     1  key KEY, the signature frame as given: hostile signatures of any length;
     2  key KEY, the target writes the right signature over the signature frame first,
        so that the JSON parser is reached with signing on.
   A decoded message must have its header's string msg_type and msg_id; it is encoded
   again, and decoding that must give back the same dicts and frames (round trip); a
   reply to it is built, encoded and decoded too. Everything is freed. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../kernel/wire.h"
#include "common.h"

#define SEP "\n|\n"
#define KEY "a0436f6c-1916-498b-8eb9-e81ab9368e84"
enum { SEP_LEN = sizeof SEP - 1, MAX_FRAMES = 64 };

static nd_signer *unsigned_signer, *keyed_signer;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[128];
    unsigned_signer = nd_signer_create("hmac-sha256", NULL, 0, err, sizeof err);
    keyed_signer = nd_signer_create("hmac-sha256", (const unsigned char *)KEY,
                                    sizeof KEY - 1, err, sizeof err);
    if (!unsigned_signer || !keyed_signer) abort();
    return 0;
}

/* Splits data into frames that view it (decode only reads them); returns the count. */
static size_t split(const uint8_t *data, size_t size, nd_frame frames[MAX_FRAMES])
{
    size_t n = 0, start = 0;
    for (size_t i = 0; n < MAX_FRAMES - 1 && i + SEP_LEN <= size; i++)
        if (memcmp(data + i, SEP, SEP_LEN) == 0) {
            frames[n++] = (nd_frame){(unsigned char *)data + start, i - start};
            start = i + SEP_LEN;
            i += SEP_LEN - 1;
        }
    frames[n++] = (nd_frame){(unsigned char *)data + start, size - start};
    return n;
}

static int same_frames(const nd_frame *a, size_t na, const nd_frame *b, size_t nb)
{
    if (na != nb) return 0;
    for (size_t i = 0; i < na; i++)
        if (a[i].len != b[i].len || (a[i].len && memcmp(a[i].data, b[i].data, a[i].len)))
            return 0;
    return 1;
}

/* Encodes m, decodes the frames again and checks that the same message comes back. */
static void round_trip(const nd_signer *s, const nd_msg *m)
{
    nd_frame *frames;
    size_t n;
    if (nd_wire_encode(s, m, &frames, &n) != 0) abort();
    nd_msg back;
    char err[256];
    if (nd_wire_decode(s, frames, n, &back, err, sizeof err) != ND_WIRE_OK) {
        fprintf(stderr, "re-decoding an encoded message failed: %s\n", err);
        abort();
    }
    const json_t *want[4] = {m->header, m->parent, m->metadata, m->content};
    const json_t *got[4] = {back.header, back.parent, back.metadata, back.content};
    for (int i = 0; i < 4; i++)
        if (want[i] && !json_equal((json_t *)want[i], (json_t *)got[i])) abort();
    if (!same_frames(m->idents, m->n_idents, back.idents, back.n_idents) ||
        !same_frames(m->buffers, m->n_buffers, back.buffers, back.n_buffers))
        abort();
    nd_msg_clear(&back);
    nd_frames_free(frames, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int mode = data[0] & 3;
    if (mode == 3) return 0;
    const nd_signer *s = mode == 0 ? unsigned_signer : keyed_signer;

    /* A private copy: mode 2 writes the signature into it. */
    uint8_t *bytes = (uint8_t *)fuzz_cstring(data + 1, size - 1);
    nd_frame frames[MAX_FRAMES];
    size_t n = split(bytes, size - 1, frames);
    char hex[65];
    if (mode == 2) {
        size_t d = 0;
        while (d < n && !(frames[d].len == 9 && memcmp(frames[d].data, "<IDS|MSG>", 9) == 0))
            d++;
        if (d + 5 < n) {
            nd_signer_sign(s, &frames[d + 2], hex);
            frames[d + 1] = (nd_frame){(unsigned char *)hex, strlen(hex)};
        }
    }

    nd_msg m;
    char err[256];
    nd_wire_status st = nd_wire_decode(s, frames, n, &m, err, sizeof err);
    if (st == ND_WIRE_OK) {
        if (!json_is_string(json_object_get(m.header, "msg_type")) ||
            !json_is_string(json_object_get(m.header, "msg_id")))
            abort();
        round_trip(s, &m);
        nd_msg reply;
        json_t *content = json_pack("{s:s}", "status", "ok");
        if (nd_msg_init_reply(&reply, "fuzz_reply", &m, "session", content) != 0) abort();
        if (!json_equal(reply.parent, m.header)) abort();
        round_trip(s, &reply);
        nd_msg_clear(&reply);
        nd_msg_clear(&m);
    } else if (!err[0] || m.header || m.idents || m.buffers) {
        abort();   /* a refusal explains itself and leaves nothing allocated */
    }
    free(bytes);
    return 0;
}
