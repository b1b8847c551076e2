/* Tests for kernel/ids: UUID v4 text and ISO 8601 UTC timestamps. */
#include "test.h"

#include <ctype.h>
#include <stdlib.h>
#include <time.h>

#include "../../kernel/ids.h"

static int is_lower_hex(char c)
{
    return isdigit((unsigned char)c) || (c >= 'a' && c <= 'f');
}

/* 8-4-4-4-12 lowercase hex digits, version 4, RFC 4122 variant. */
static int is_uuid4(const char *u)
{
    if (strlen(u) != 36) return 0;
    for (int i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? u[i] != '-' : !is_lower_hex(u[i])) return 0;
    }
    return u[14] == '4' && strchr("89ab", u[19]) != NULL;
}

TEST(ids_uuid_is_lowercase_v4)
{
    for (int i = 0; i < 200; i++) {
        char u[37];
        nd_ids_uuid(u);
        if (!is_uuid4(u)) {
            CHECK_STR(u, "a lowercase version-4 UUID");
            return;
        }
    }
}

static int by_string(const void *a, const void *b)
{
    return strcmp(a, b);
}

TEST(ids_uuid_is_unique)
{
    enum { N = 5000 };
    char (*ids)[37] = malloc(N * sizeof *ids);
    for (int i = 0; i < N; i++) nd_ids_uuid(ids[i]);
    qsort(ids, N, sizeof *ids, by_string);
    int repeats = 0;
    for (int i = 1; i < N; i++) repeats += strcmp(ids[i - 1], ids[i]) == 0;
    CHECK_INT(repeats, 0);
    free(ids);
}

TEST(ids_now_is_iso8601_utc_with_microseconds)
{
    char d[40];
    nd_ids_now(d);
    CHECK_INT(strlen(d), 27);
    const char *shape = "dddd-dd-ddTdd:dd:dd.ddddddZ";
    for (int i = 0; i < 27 && d[i]; i++) {
        int ok = shape[i] == 'd' ? isdigit((unsigned char)d[i]) != 0 : d[i] == shape[i];
        if (!ok) CHECK_STR(d, shape);
    }
}

TEST(ids_now_is_the_current_time)
{
    char d[40];
    time_t before = time(NULL);
    nd_ids_now(d);
    time_t after = time(NULL);
    struct tm tm = {0};
    int micros = -1;
    CHECK_INT(sscanf(d, "%4d-%2d-%2dT%2d:%2d:%2d.%6dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                     &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &micros), 7);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    CHECK(t >= before && t <= after);
    CHECK(micros >= 0 && micros <= 999999);
}
