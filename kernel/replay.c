/* The signature memory: a FIFO ring of signatures plus an open-addressing hash table
   (linear probing, backward-shift deletion) of indices into the ring, at most half full. */
#include "replay.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char key[ND_REPLAY_KEY_MAX];
    size_t len;
} entry;

struct nd_replay {
    pthread_mutex_t lock;
    entry *ring;            /* ring[(oldest + i) % capacity], i < count */
    size_t capacity, oldest, count;
    uint32_t *table;        /* 0 empty, else 1 + ring index */
    size_t mask;            /* table size - 1, a power of two >= 2 * capacity */
};

static size_t hash(const unsigned char *k, size_t len)
{
    uint64_t h = 1469598103934665603ULL;      /* FNV-1a */
    for (size_t i = 0; i < len; i++) h = (h ^ k[i]) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 32));
}

nd_replay *nd_replay_create(size_t capacity)
{
    if (capacity == 0 || capacity > UINT32_MAX / 4) return NULL;
    nd_replay *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    size_t size = 1;
    while (size < 2 * capacity) size *= 2;
    r->ring = calloc(capacity, sizeof *r->ring);
    r->table = calloc(size, sizeof *r->table);
    if (!r->ring || !r->table) {
        free(r->ring);
        free(r->table);
        free(r);
        return NULL;
    }
    r->capacity = capacity;
    r->mask = size - 1;
    pthread_mutex_init(&r->lock, NULL);
    return r;
}

void nd_replay_free(nd_replay *r)
{
    if (!r) return;
    pthread_mutex_destroy(&r->lock);
    free(r->ring);
    free(r->table);
    free(r);
}

static size_t home(const nd_replay *r, uint32_t slot)
{
    const entry *e = &r->ring[slot - 1];
    return hash(e->key, e->len) & r->mask;
}

/* The table position holding ring index idx (which must be present). */
static size_t find_index(const nd_replay *r, size_t idx)
{
    const entry *e = &r->ring[idx];
    size_t i = hash(e->key, e->len) & r->mask;
    while (r->table[i] != idx + 1) i = (i + 1) & r->mask;
    return i;
}

/* Empties table position i and moves later members of its probe run back into the hole. */
static void remove_at(nd_replay *r, size_t i)
{
    r->table[i] = 0;
    for (size_t j = (i + 1) & r->mask; r->table[j]; j = (j + 1) & r->mask) {
        size_t k = home(r, r->table[j]);
        /* the entry at j may move to i unless its home lies cyclically in (i, j] */
        int stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (stays) continue;
        r->table[i] = r->table[j];
        r->table[j] = 0;
        i = j;
    }
}

int nd_replay_seen(nd_replay *r, const unsigned char *sig, size_t len)
{
    if (!r || len == 0 || len > ND_REPLAY_KEY_MAX) return 0;
    pthread_mutex_lock(&r->lock);
    size_t i = hash(sig, len) & r->mask;
    for (; r->table[i]; i = (i + 1) & r->mask) {
        const entry *e = &r->ring[r->table[i] - 1];
        if (e->len == len && memcmp(e->key, sig, len) == 0) {
            pthread_mutex_unlock(&r->lock);
            return 1;
        }
    }
    size_t idx;
    if (r->count == r->capacity) {            /* full: forget the oldest */
        idx = r->oldest;
        remove_at(r, find_index(r, idx));
        r->oldest = (r->oldest + 1) % r->capacity;
        /* the hole may have moved entries: find the free slot for sig again */
        i = hash(sig, len) & r->mask;
        while (r->table[i]) i = (i + 1) & r->mask;
    } else {
        idx = (r->oldest + r->count) % r->capacity;
        r->count++;
    }
    memcpy(r->ring[idx].key, sig, len);
    r->ring[idx].len = len;
    r->table[i] = (uint32_t)(idx + 1);
    pthread_mutex_unlock(&r->lock);
    return 0;
}

size_t nd_replay_count(nd_replay *r)
{
    if (!r) return 0;
    pthread_mutex_lock(&r->lock);
    size_t n = r->count;
    pthread_mutex_unlock(&r->lock);
    return n;
}
