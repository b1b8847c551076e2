/* neurodyn: the Jupyter kernel (`neurodyn kernel -f FILE`) and the batch runner
   (`neurodyn run FILE.nd`). */
#include <stdio.h>
#include <string.h>

#include "../lib/base/blas.h"
#include "../lib/neurodyn.h"
#include "batch.h"
#include "blas_pin.h"
#include "mpi_launch.h"
#include "server.h"

static int usage(FILE *to)
{
    fprintf(to,
            "neurodyn " ND_VERSION " — neuron dynamics and scientific machine learning\n"
            "usage:\n"
            "  neurodyn run FILE.nd        run a script (FILE '-' reads standard input)\n"
            "    [--figures DIR]           also write every figure as DIR/fig-001.svg, .png …\n"
            "    [-D NAME=VALUE …]         bind NAME first; the file's own NAME = … keeps it\n"
            "  neurodyn kernel -f CONN     serve Jupyter on a connection file\n"
            "  neurodyn reference          print the command reference (docs/commands.md)\n"
            "  neurodyn lexicon            print the language's words as JSON (highlighters)\n"
            "  neurodyn --version          print the version\n");
    return to == stderr ? 2 : 0;
}

/* `run FILE [--figures DIR] [-D NAME=VALUE …]`, the options before or after the file. */
static int run(int argc, char **argv)
{
    enum { MAX_DEFINES = 64 };
    const char *file = NULL, *defines[MAX_DEFINES];
    nd_batch_options opts = {NULL, defines, 0};
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "-D", 2) == 0 && opts.ndefines == MAX_DEFINES) {
            fprintf(stderr, "neurodyn: at most %d -D parameters\n", MAX_DEFINES);
            return 2;
        }
        if (strcmp(argv[i], "--figures") == 0 && i + 1 < argc && !opts.figures)
            opts.figures = argv[++i];
        else if (strcmp(argv[i], "-D") == 0 && i + 1 < argc)
            defines[opts.ndefines++] = argv[++i];
        else if (strncmp(argv[i], "-D", 2) == 0 && argv[i][2])
            defines[opts.ndefines++] = argv[i] + 2;
        else if (!file && (argv[i][0] != '-' || strcmp(argv[i], "-") == 0)) file = argv[i];
        else return usage(stderr);
    }
    return file ? nd_batch_run(file, &opts, stdout, stderr) : usage(stderr);
}

int main(int argc, char **argv)
{
    nd_blas_pin(argv);
    /* One OpenBLAS thread for the whole process: the library's solves are small, and a
       result must not depend on whether an earlier cell (a network, a sweep) had already
       lowered the count. */
    nd_blas_threads(1);
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("neurodyn %s\n", ND_VERSION);
        return 0;
    }
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return usage(stdout);
    if (argc == 2 && strcmp(argv[1], "reference") == 0) return nd_batch_reference(stdout, stderr);
    if (argc == 2 && strcmp(argv[1], "lexicon") == 0) return nd_batch_lexicon(stdout, stderr);
    if (argc >= 3 && strcmp(argv[1], "run") == 0) {
        /* under mpirun or srun: one rank of a distributed run (docs/mpi.md) */
        if (nd_mpi_start(&argc, &argv, stderr) != 0) return 2;
        int rc = run(argc - 2, argv + 2);
        nd_mpi_stop();
        return rc;
    }
    if (argc == 4 && strcmp(argv[1], "kernel") == 0 && strcmp(argv[2], "-f") == 0)
        return nd_server_run(argv[3]);
    return usage(stderr);
}
