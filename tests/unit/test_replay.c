/* Tests for kernel/replay: the bounded memory of accepted signatures. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "../../kernel/replay.h"

/* A 64-hex-digit signature made from n (distinct n give distinct signatures). */
static void sig_of(unsigned long n, char out[65])
{
    snprintf(out, 65, "%016lx%048lx", n * 2654435761UL, n);
}

static int seen(nd_replay *r, unsigned long n)
{
    char s[65];
    sig_of(n, s);
    return nd_replay_seen(r, (const unsigned char *)s, 64);
}

TEST(replay_second_sight_is_a_replay)
{
    nd_replay *r = nd_replay_create(16);
    CHECK(r != NULL);
    CHECK_INT(seen(r, 1), 0);
    CHECK_INT(seen(r, 2), 0);
    CHECK_INT(seen(r, 1), 1);
    CHECK_INT(seen(r, 2), 1);
    CHECK_INT(seen(r, 1), 1);
    CHECK_INT((int)nd_replay_count(r), 2);
    nd_replay_free(r);
}

TEST(replay_empty_or_overlong_signature_is_not_remembered)
{
    nd_replay *r = nd_replay_create(4);
    unsigned char long_sig[ND_REPLAY_KEY_MAX + 1];
    memset(long_sig, 'a', sizeof long_sig);
    CHECK_INT(nd_replay_seen(r, (const unsigned char *)"", 0), 0);
    CHECK_INT(nd_replay_seen(r, (const unsigned char *)"", 0), 0);
    CHECK_INT(nd_replay_seen(r, long_sig, sizeof long_sig), 0);
    CHECK_INT(nd_replay_seen(r, long_sig, sizeof long_sig), 0);
    CHECK_INT((int)nd_replay_count(r), 0);
    /* a prefix is a different signature */
    CHECK_INT(nd_replay_seen(r, (const unsigned char *)"abc", 3), 0);
    CHECK_INT(nd_replay_seen(r, (const unsigned char *)"ab", 2), 0);
    CHECK_INT(nd_replay_seen(r, (const unsigned char *)"abc", 3), 1);
    nd_replay_free(r);
    nd_replay_free(NULL);
}

TEST(replay_forgets_the_oldest_first)
{
    enum { CAP = 100 };
    nd_replay *r = nd_replay_create(CAP);
    for (unsigned long n = 0; n < CAP; n++) CHECK_INT(seen(r, n), 0);
    CHECK_INT((int)nd_replay_count(r), CAP);
    CHECK_INT(seen(r, CAP), 0);              /* evicts 0 */
    CHECK_INT((int)nd_replay_count(r), CAP);
    CHECK_INT(seen(r, 1), 1);                /* still remembered; nothing evicted */
    CHECK_INT(seen(r, 0), 0);                /* forgotten, so new again: evicts 1 */
    CHECK_INT(seen(r, 1), 0);                /* evicts 2 */
    for (unsigned long n = 3; n <= CAP; n++) CHECK_INT(seen(r, n), 1);
    nd_replay_free(r);
}

/* Many rounds of eviction through a small table: every probe run stays intact, so the
   last CAP signatures are always found (a hit changes nothing) and older ones never are. */
TEST(replay_window_is_exact_under_churn)
{
    enum { CAP = 257, TOTAL = 20000 };
    nd_replay *r = nd_replay_create(CAP);
    int bad = 0;
    for (unsigned long n = 0; n < TOTAL; n++) {
        if (seen(r, n) != 0) bad++;
        if (n % 97 == 0)
            for (unsigned long m = n >= CAP ? n - CAP + 1 : 0; m <= n; m++)
                if (seen(r, m) != 1) bad++;
    }
    CHECK_INT(bad, 0);
    CHECK_INT((int)nd_replay_count(r), CAP);
    CHECK_INT(seen(r, TOTAL - CAP - 1), 0);     /* just outside the window: forgotten */
    nd_replay_free(r);
}

TEST(replay_full_capacity_lookup_is_fast)
{
    nd_replay *r = nd_replay_create(ND_REPLAY_CAPACITY);
    CHECK(r != NULL);
    int bad = 0;
    for (unsigned long n = 0; n < 3UL * ND_REPLAY_CAPACITY; n++)
        if (seen(r, n) != 0) bad++;
    for (unsigned long n = 2UL * ND_REPLAY_CAPACITY; n < 3UL * ND_REPLAY_CAPACITY; n++)
        if (seen(r, n) != 1) bad++;
    CHECK_INT(bad, 0);
    CHECK_INT((int)nd_replay_count(r), ND_REPLAY_CAPACITY);
    nd_replay_free(r);
}
