/* xoshiro256** (Blackman & Vigna 2018) with splitmix64 seeding, and polar-method normals. */
#include "rng.h"

#include <math.h>

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* splitmix64 spreads any seed (even 0) over the 256-bit state, which must not be all zero. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void nd_rng_seed(nd_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&seed);
    r->has_spare = 0;
    r->spare = 0;
}

uint64_t nd_rng_next(nd_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double nd_rng_uniform(nd_rng *r)
{
    return (double)(nd_rng_next(r) >> 11) * 0x1.0p-53;
}

double nd_rng_normal(nd_rng *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u, v, s;
    do {
        u = 2.0 * nd_rng_uniform(r) - 1.0;
        v = 2.0 * nd_rng_uniform(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double m = sqrt(-2.0 * log(s) / s);
    r->spare = v * m;
    r->has_spare = 1;
    return u * m;
}

uint64_t nd_rng_derive(uint64_t seed, uint64_t k)
{
    /* Two rounds: the stream number is hashed on its own first, so that (seed, k) and
       (seed + 1, k - 1) do not meet at the same input. */
    uint64_t x = k, h = splitmix64(&x);
    uint64_t y = seed ^ h;
    return splitmix64(&y) | 0x8000000000000000ULL;
}
