/* HMAC-SHA256 signing with OpenSSL's EVP_MAC, fed frame by frame so that big messages are
   not copied into one buffer first. */
#include "signer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

enum { DIGEST_LEN = ND_SIGNER_HEX_LEN / 2 };

struct nd_signer {
    EVP_MAC *mac;               /* NULL when signing is disabled */
    unsigned char *key;
    size_t key_len;
};

nd_signer *nd_signer_create(const char *scheme, const unsigned char *key, size_t key_len,
                            char *err, size_t errcap)
{
    if (errcap) err[0] = '\0';
    if (!scheme || strcmp(scheme, "hmac-sha256") != 0) {
        snprintf(err, errcap, "unsupported signature scheme \"%s\" (only hmac-sha256)",
                 scheme ? scheme : "(none)");
        return NULL;
    }
    nd_signer *s = calloc(1, sizeof *s);
    if (!s) goto fail;
    if (key_len == 0) return s;
    s->key = malloc(key_len);
    s->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (!s->key || !s->mac) goto fail;
    memcpy(s->key, key, key_len);
    s->key_len = key_len;
    return s;
fail:
    nd_signer_free(s);
    snprintf(err, errcap, "cannot set up %s signing", scheme);
    return NULL;
}

void nd_signer_free(nd_signer *s)
{
    if (!s) return;
    if (s->key) OPENSSL_cleanse(s->key, s->key_len);
    free(s->key);
    EVP_MAC_free(s->mac);
    free(s);
}

int nd_signer_enabled(const nd_signer *s)
{
    return s && s->mac;
}

/* Computes the raw digest over the four parts; 0 ok. A fresh context per call keeps the
   signer usable from several threads at once. */
static int digest(const nd_signer *s, const nd_frame parts[4], unsigned char out[DIGEST_LEN])
{
    char sha256[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, sha256, 0),
        OSSL_PARAM_construct_end(),
    };
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(s->mac);
    int ok = ctx && EVP_MAC_init(ctx, s->key, s->key_len, params);
    for (int i = 0; ok && i < 4; i++)
        if (parts[i].len) ok = EVP_MAC_update(ctx, parts[i].data, parts[i].len);
    size_t len = 0;
    ok = ok && EVP_MAC_final(ctx, out, &len, DIGEST_LEN) && len == DIGEST_LEN;
    EVP_MAC_CTX_free(ctx);
    return ok ? 0 : -1;
}

void nd_signer_sign(const nd_signer *s, const nd_frame parts[4], char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char d[DIGEST_LEN];
    hex[0] = '\0';
    if (!nd_signer_enabled(s) || digest(s, parts, d) != 0) return;
    for (int i = 0; i < DIGEST_LEN; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 0x0F];
    }
    hex[ND_SIGNER_HEX_LEN] = '\0';
}

int nd_signer_verify(const nd_signer *s, const nd_frame parts[4], const nd_frame *signature)
{
    if (!nd_signer_enabled(s)) return 1;
    char expected[ND_SIGNER_HEX_LEN + 1];
    nd_signer_sign(s, parts, expected);
    /* The length is not secret (always 64), so checking it first leaks nothing. */
    if (strlen(expected) != ND_SIGNER_HEX_LEN || signature->len != ND_SIGNER_HEX_LEN) return 0;
    return CRYPTO_memcmp(expected, signature->data, ND_SIGNER_HEX_LEN) == 0;
}
