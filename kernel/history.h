/* Execution history, persisted across kernel restarts, answering Jupyter's
   history_request (tail, range, search).

   The file is $NEURODYN_HISTORY, else
   ${JUPYTER_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/jupyter}/neurodyn/history.jsonl
   (empty variables count as unset). It holds one JSON object per line,
   {"session","line","input","output"}, each appended with a single O_APPEND write so that
   concurrent kernels do not interleave. Opening creates the parent directories, skips
   corrupt lines, keeps the last ~100,000 entries, and numbers this run's session one past
   the largest in the file. History never stops the kernel: when the file cannot be used,
   it works in memory and open() leaves a note in err (err is "" otherwise). Invalid UTF-8
   is stored as U+FFFD. All functions are thread-safe and accept a NULL history, which
   holds nothing.

   Queries return a new JSON array, in chronological order, of [session, line, input] or,
   with_output, [session, line, [input, output-or-null]], as history_reply wants. As in
   IPython, a range's session <= 0 counts back from this one (0 = this session, -1 = the
   previous one), and a search matches the glob against the whole input, keeps only the
   last occurrence of each input when unique, then only the last n matches when n > 0. */
#ifndef ND_KERNEL_HISTORY_H
#define ND_KERNEL_HISTORY_H

#include <jansson.h>

typedef struct nd_history nd_history;

/* Returns the default history file path (caller frees); NULL without a home directory. */
char *nd_history_default_path(void);

/* Opens the history at path (NULL: memory only); NULL only when out of memory. */
nd_history *nd_history_open(const char *path, char *err, size_t errcap);

/* Closes the file and frees everything; accepts NULL. */
void nd_history_close(nd_history *h);

/* Returns this run's session number (0 for a NULL history). */
int nd_history_session(const nd_history *h);

/* Records input and output (NULL: none) as line of this session; 0 ok, -1 if not kept. */
int nd_history_add(nd_history *h, int line, const char *input, const char *output);

/* Returns the last n entries (none when n <= 0). */
json_t *nd_history_tail(const nd_history *h, int n, int with_output);

/* Returns session's entries with start <= line < stop (stop <= 0: to the session's end). */
json_t *nd_history_range(const nd_history *h, int session, int start, int stop,
                         int with_output);

/* Returns the entries whose input matches the glob pattern (fnmatch: * ? [...]). */
json_t *nd_history_search(const nd_history *h, const char *pattern, int n, int unique,
                          int with_output);

#endif
