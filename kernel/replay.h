/* Replay protection: a bounded memory of the signatures of accepted messages. The Jupyter
   messaging spec asks a kernel to refuse a message whose signature it has seen already
   (its "digest history"); a signature covers header (with its unique msg_id and date),
   parent_header, metadata and content, so an honest client never repeats one. The memory
   keeps the last `capacity` signatures (oldest evicted first), with O(1) lookup, and is
   safe to share between the shell and control threads. */
#ifndef ND_KERNEL_REPLAY_H
#define ND_KERNEL_REPLAY_H

#include <stddef.h>

enum { ND_REPLAY_CAPACITY = 65536,   /* signatures remembered by the kernel */
       ND_REPLAY_KEY_MAX = 64 };     /* longest signature kept (hex HMAC-SHA256) */

typedef struct nd_replay nd_replay;

/* Creates an empty memory of capacity (> 0) signatures; NULL when out of memory. */
nd_replay *nd_replay_create(size_t capacity);

/* Frees the memory; accepts NULL. */
void nd_replay_free(nd_replay *r);

/* Returns 1 when sig was seen already (a replay), else remembers it and returns 0; an
   empty signature (signing disabled) or one longer than ND_REPLAY_KEY_MAX returns 0 and
   is not remembered. */
int nd_replay_seen(nd_replay *r, const unsigned char *sig, size_t len);

/* The number of signatures remembered now (at most the capacity). */
size_t nd_replay_count(nd_replay *r);

#endif
