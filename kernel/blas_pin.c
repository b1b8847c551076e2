/* The same numbers on every machine: OpenBLAS picks its kernels for the CPU it finds, and
   kernels for different CPUs round differently (an AVX-512 dot product sums in another
   order than an AVX2 one). Training a network amplifies such last-bit differences into
   different results, so a notebook would not reproduce on another machine. The program
   therefore fixes the kernel family before OpenBLAS starts: it sets OPENBLAS_CORETYPE and
   executes itself again (OpenBLAS reads the variable when it is loaded, before main). */
#define _GNU_SOURCE
#include "blas_pin.h"

#include <stdlib.h>
#include <unistd.h>

void nd_blas_pin(char **argv)
{
#if defined(__x86_64__) || defined(__i386__)
    if (getenv("OPENBLAS_CORETYPE")) return;   /* pinned already, or chosen by the user */
    __builtin_cpu_init();
    /* Haswell kernels (AVX2 + FMA) run on every x86-64 server of the last decade; older
       CPUs get the SSE kernels of Nehalem (reproducible among themselves). */
    int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (setenv("OPENBLAS_CORETYPE", avx2 ? "Haswell" : "Nehalem", 1) != 0) return;
    execv("/proc/self/exe", argv);
    /* Not re-executed (no /proc): run on, merely with the CPU's own kernels. */
#else
    (void)argv;   /* other architectures: one kernel family per architecture already */
#endif
}
