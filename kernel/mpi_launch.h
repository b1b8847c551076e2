/* `neurodyn run` as one rank of an MPI job (mpirun, mpiexec, srun): the MPI plugin
   (kernel/mpi/dist_mpi.c, build/libneurodyn_mpi.so) is loaded only then, so that the
   binary neither links nor needs MPI otherwise, and a rank killed by a signal says what
   it was computing. docs/mpi.md. */
#ifndef ND_KERNEL_MPI_LAUNCH_H
#define ND_KERNEL_MPI_LAUNCH_H

#include <stdio.h>

/* Returns the number of ranks an MPI launcher started this process among (from
   OMPI_COMM_WORLD_SIZE, PMI_SIZE, or SLURM_NTASKS under PMIx), 1 when none did. */
long nd_mpi_launched(void);

/* When launched among several ranks: loads the plugin ($NEURODYN_MPI_PLUGIN, else
   libneurodyn_mpi.so next to the executable), starts MPI, makes it the process's
   distribution (nd_dist_use) and installs the report of fatal signals. 0 (also when there
   is nothing to do), or 1 after a message on err (from rank 0 only). */
int nd_mpi_start(int *argc, char ***argv, FILE *err);

/* Ends MPI when nd_mpi_start started it; the distribution is serial again. */
void nd_mpi_stop(void);

#endif
