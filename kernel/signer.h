/* Message signatures: the HMAC-SHA256 (lowercase hex) that Jupyter puts in front of the
   four JSON dicts, computed over header, parent_header, metadata and content. As the spec
   says, an empty key disables signing: messages go out with an empty signature and none
   is checked. A signer is immutable, so threads may share it. */
#ifndef ND_KERNEL_SIGNER_H
#define ND_KERNEL_SIGNER_H

#include <stddef.h>

#include "frame.h"

typedef struct nd_signer nd_signer;

enum { ND_SIGNER_HEX_LEN = 64 };   /* hex digits in an HMAC-SHA256 signature */

/* Creates a signer for scheme "hmac-sha256" and key; NULL with err for any other scheme. */
nd_signer *nd_signer_create(const char *scheme, const unsigned char *key, size_t key_len,
                            char *err, size_t errcap);

/* Frees the signer (and wipes its key); accepts NULL. */
void nd_signer_free(nd_signer *s);

/* Returns 1 when messages are signed and checked, 0 when signing is disabled (or s NULL). */
int nd_signer_enabled(const nd_signer *s);

/* Writes the hex signature of the four dict frames, or "" when signing is disabled. */
void nd_signer_sign(const nd_signer *s, const nd_frame parts[4], char hex[65]);

/* Returns 1 when signature matches parts (constant-time) or signing is disabled, else 0. */
int nd_signer_verify(const nd_signer *s, const nd_frame parts[4], const nd_frame *signature);

#endif
