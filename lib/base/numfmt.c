/* %.15g hides binary noise (0.1 + 0.2 shows as 0.3 only when that is exact enough). */
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
        snprintf(buf, ND_NUMFMT_CAP, "%.15g", x);
        if (strtod(buf, NULL) != x) snprintf(buf, ND_NUMFMT_CAP, "%.17g", x);
    }
    return buf;
}
