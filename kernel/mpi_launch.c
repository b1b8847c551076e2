/* Finding the plugin, starting MPI through it, and the last words of a rank that dies of
   a signal: its rank and the points it was computing (lib/base/dist.h's crash notes),
   written with write(2) from the handler, after which the signal goes on to the handler
   it replaced (OpenMPI's backtrace) and mpirun ends the other ranks. */
#include "mpi_launch.h"

#include <dlfcn.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/base/dist.h"

typedef int (*open_fn)(int *argc, char ***argv, nd_dist **out, char *why, size_t cap);
typedef void (*close_fn)(void);

static close_fn plugin_close;

/* The value of a count variable, 0 when unset or not a number. */
static long env_count(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : 0;
}

long nd_mpi_launched(void)
{
    long n = env_count("OMPI_COMM_WORLD_SIZE");
    if (n < 1) n = env_count("PMI_SIZE");
    if (n < 1 && getenv("PMIX_RANK")) n = env_count("SLURM_NTASKS");
    return n > 1 ? n : 1;
}

/* This process's rank as the launcher says (before MPI is up), 0 when it does not. */
static long env_rank(void)
{
    const char *names[] = {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (getenv(names[k])) return env_count(names[k]);
    return 0;
}

/* The plugin's path: $NEURODYN_MPI_PLUGIN, else next to the executable. */
static void plugin_path(char *buf, size_t cap)
{
    const char *env = getenv("NEURODYN_MPI_PLUGIN");
    if (env && *env) {
        snprintf(buf, cap, "%s", env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) *slash = '\0';
    snprintf(buf, cap, "%s/libneurodyn_mpi.so", slash ? exe : ".");
}

/* ---- the report of a fatal signal ---- */

static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#define NFATAL (sizeof fatal / sizeof *fatal)
static struct sigaction replaced[NFATAL];
static char who[64];              /* "neurodyn: rank 1 of 2" */
/* the handler's message and its parts; static: a crashed thread may have no stack to spare */
static char line[4096], notes[4000], num[16];

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV, a bad memory access";
    case SIGBUS: return "SIGBUS, a bad memory access";
    case SIGFPE: return "SIGFPE, an arithmetic fault";
    case SIGILL: return "SIGILL, an illegal instruction";
    default: return "SIGABRT, an abort";
    }
}

/* Appends text to line at *len (async-signal-safe). */
static void put(size_t *len, const char *text)
{
    while (*text && *len + 2 < sizeof line) line[(*len)++] = *text++;
}

static void on_fatal(int sig)
{
    size_t len = 0, i = sizeof num - 1;
    num[i] = '\0';
    for (int s = sig; i == sizeof num - 1 || s > 0; s /= 10) num[--i] = (char)('0' + s % 10);
    put(&len, who);
    put(&len, " died of signal ");
    put(&len, num + i);
    put(&len, " (");
    put(&len, signal_name(sig));
    put(&len, ") ");
    if (nd_dist_notes(notes, sizeof notes) > 0) {
        put(&len, "while computing ");
        put(&len, notes);
    } else {
        put(&len, "outside the points of a sweep");
    }
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
    for (size_t k = 0; k < NFATAL; k++)
        if (fatal[k] == sig) sigaction(sig, &replaced[k], NULL);
    raise(sig);
}

static void install_report(const nd_dist *d)
{
    snprintf(who, sizeof who, "neurodyn: rank %d of %d", d->rank, d->size);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal;
    sigemptyset(&sa.sa_mask);
    /* after MPI_Init, which installs OpenMPI's own handlers: those run after ours */
    for (size_t k = 0; k < NFATAL; k++) sigaction(fatal[k], &sa, &replaced[k]);
}

/* ---- start and stop ---- */

int nd_mpi_start(int *argc, char ***argv, FILE *err)
{
    long ranks = nd_mpi_launched();
    if (ranks <= 1) return 0;
    int speak = env_rank() == 0;
    char path[PATH_MAX + 32], why[256] = "";
    plugin_path(path, sizeof path);
    void *h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);   /* global: OpenMPI's components need it */
    open_fn open = h ? (open_fn)dlsym(h, "nd_mpi_plugin_open") : NULL;
    plugin_close = h ? (close_fn)dlsym(h, "nd_mpi_plugin_close") : NULL;
    if (!open || !plugin_close) {
        if (speak)
            fprintf(err, "neurodyn: started as one of %ld MPI ranks, but the MPI plugin is "
                    "missing or broken: %s\n  build it where mpicc is installed (make "
                    "build/libneurodyn_mpi.so), or name it in NEURODYN_MPI_PLUGIN\n", ranks,
                    h ? "it lacks nd_mpi_plugin_open" : dlerror());
        plugin_close = NULL;
        return 1;
    }
    nd_dist *d = NULL;
    int opened = open(argc, argv, &d, why, sizeof why) == 0;
    if (!opened || !d || d->abi != ND_DIST_ABI) {
        if (speak)
            fprintf(err, "neurodyn: the MPI plugin %s: %s\n", path,
                    *why ? why : "was built for another version of neurodyn");
        if (opened) plugin_close();
        plugin_close = NULL;
        return 1;
    }
    nd_dist_use(d);
    install_report(d);
    return 0;
}

void nd_mpi_stop(void)
{
    nd_dist_use(NULL);
    if (plugin_close) plugin_close();
    plugin_close = NULL;
}
