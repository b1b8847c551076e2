#include "blas.h"

#include <cblas.h>

int nd_blas_threads(int n)
{
    int old = openblas_get_num_threads();
    if (n != old) openblas_set_num_threads(n);
    return old;
}
