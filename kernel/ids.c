/* UUIDs from the kernel's random source and ISO 8601 timestamps. */
#include "ids.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* Fills buf from getrandom(), then /dev/urandom; as a last resort (neither available, as in
   some sandboxes) from the clock and pid, which is unique enough for message ids. */
static void random_bytes(unsigned char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = getrandom(buf + got, len - got, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    if (got == len) return;

    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        while (got < len) {
            ssize_t r = read(fd, buf + got, len - got);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) break;
            got += (size_t)r;
        }
        close(fd);
    }
    if (got == len) return;

    static atomic_ullong counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long x = (unsigned long long)ts.tv_sec * 1000000007ULL ^
                           (unsigned long long)ts.tv_nsec ^
                           ((unsigned long long)getpid() << 32) ^ atomic_fetch_add(&counter, 1);
    for (; got < len; got++) {   /* splitmix64 steps: every byte depends on all of x */
        x += 0x9E3779B97F4A7C15ULL;
        unsigned long long z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        buf[got] = (unsigned char)(z ^ (z >> 31));
    }
}

void nd_ids_uuid(char out[37])
{
    unsigned char b[16];
    random_bytes(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);   /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);   /* RFC 4122 variant */
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
             b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

void nd_ids_now(char out[40])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    char day_time[32];
    strftime(day_time, sizeof day_time, "%Y-%m-%dT%H:%M:%S", &tm);
    unsigned micros = (unsigned)(ts.tv_nsec / 1000) % 1000000u;
    snprintf(out, 40, "%s.%06uZ", day_time, micros);
}
