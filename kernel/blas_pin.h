/* Fixing OpenBLAS's kernel family so that results are the same on every machine. */
#ifndef ND_KERNEL_BLAS_PIN_H
#define ND_KERNEL_BLAS_PIN_H

/* Unless OPENBLAS_CORETYPE is set, sets it (Haswell with AVX2 and FMA, else Nehalem) and
   re-executes the program with argv; returns only when nothing needed doing or the
   re-execution failed. */
void nd_blas_pin(char **argv);

#endif
