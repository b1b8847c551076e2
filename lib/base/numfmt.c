/* 15 digits first: they hide binary noise whenever that loses nothing (0.1 shows as
   0.1), and up to 17 when needed to read back exactly (0.1 + 0.2 = 0.30000000000000004). */
#include "numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

char *nd_numfmt(double x, char *buf)
{
    if (isnan(x)) {
        snprintf(buf, ND_NUMFMT_CAP, "nan");
    } else if (isinf(x)) {
        snprintf(buf, ND_NUMFMT_CAP, x > 0 ? "inf" : "-inf");
    } else {
        for (int digits = 15; digits <= 17; digits++) {
            snprintf(buf, ND_NUMFMT_CAP, "%.*g", digits, x);
            if (strtod(buf, NULL) == x) break;
        }
    }
    return buf;
}

double nd_nice_ceil(double x)
{
    double unit = pow(10, floor(log10(x))), f = x / unit;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * unit;
}

int nd_numfmt_decimals(double lo, double step)
{
    for (int d = 0; d < 6; d++) {
        double scale = pow(10, d), a = step * scale, b = lo * scale;
        if (fabs(a - round(a)) < 1e-6 * fmax(1, fabs(a)) &&
            fabs(b - round(b)) < 1e-6 * fmax(1, fabs(b)))
            return d;
    }
    return 6;
}
