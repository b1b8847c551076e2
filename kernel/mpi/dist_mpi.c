/* The MPI implementation of nd_dist (lib/base/dist.h): the only code of neurodyn that
   links MPI. Built with mpicc as build/libneurodyn_mpi.so when mpicc is installed, and
   loaded by `neurodyn run` only when an MPI launcher started it (kernel/mpi_launch.c),
   so that neither the library nor the kernel needs MPI to build or run.

   Only the main thread calls MPI (the pool's calling thread exchanges after its workers
   have joined), hence MPI_THREAD_FUNNELED. */
#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../lib/base/dist.h"

/* The entry points kernel/mpi_launch.c looks up; declared here for -Wmissing-prototypes. */
int nd_mpi_plugin_open(int *argc, char ***argv, nd_dist **out, char *why, size_t cap);
void nd_mpi_plugin_close(void);

static nd_dist dist;

static int ok(int rc)
{
    return rc == MPI_SUCCESS ? 0 : -1;
}

static int mpi_allgather(void *impl, const void *mine, size_t bytes, void *all)
{
    (void)impl;
    if (bytes > INT_MAX) return -1;
    return ok(MPI_Allgather(mine, (int)bytes, MPI_BYTE, all, (int)bytes, MPI_BYTE,
                            MPI_COMM_WORLD));
}

static int mpi_allgatherv(void *impl, const double *mine, const size_t *counts, double *all)
{
    (void)impl;
    int *count = malloc((size_t)dist.size * sizeof *count);
    int *displ = malloc((size_t)dist.size * sizeof *displ);
    size_t off = 0;
    int rc = count && displ ? 0 : -1;
    for (int r = 0; rc == 0 && r < dist.size; r++) {
        if (counts[r] > INT_MAX || off > INT_MAX) rc = -1;
        count[r] = (int)counts[r];
        displ[r] = (int)off;
        off += counts[r];
    }
    /* MPI counts are ints: a record set past 2^31 doubles is refused on every rank alike. */
    if (rc == 0)
        rc = ok(MPI_Allgatherv(mine, count[dist.rank], MPI_DOUBLE, all, count, displ,
                               MPI_DOUBLE, MPI_COMM_WORLD));
    free(count);
    free(displ);
    return rc;
}

static int mpi_broadcast(void *impl, double *x, size_t n, int root)
{
    (void)impl;
    if (n > INT_MAX) return -1;
    return ok(MPI_Bcast(x, (int)n, MPI_DOUBLE, root, MPI_COMM_WORLD));
}

static void mpi_abort(void *impl, const char *msg)
{
    (void)impl;
    fprintf(stderr, "%s\n", msg);
    fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
    _exit(1);
}

int nd_mpi_plugin_open(int *argc, char ***argv, nd_dist **out, char *why, size_t cap)
{
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        snprintf(why, cap, "MPI_Init_thread failed");
        return -1;
    }
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    dist = (nd_dist){.abi = ND_DIST_ABI, .rank = rank, .size = size,
                     .allgather = mpi_allgather, .allgatherv = mpi_allgatherv,
                     .broadcast = mpi_broadcast, .abort = mpi_abort};
    *out = &dist;
    return 0;
}

void nd_mpi_plugin_close(void)
{
    int done = 0;
    MPI_Finalized(&done);
    if (!done) MPI_Finalize();
}
