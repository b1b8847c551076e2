#!/bin/sh
# The neurodyn kernel under valgrind (memcheck): used by `make valgrind` through
# NEURODYN_TEST_BINARY. Exits 99 when valgrind found an error; definitely lost blocks
# count as errors. The report goes to $NEURODYN_VALGRIND_LOG (%p: the process id).
here=$(dirname "$0")
exec valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite --track-origins=yes --num-callers=30 \
    --log-file="${NEURODYN_VALGRIND_LOG:-/dev/stderr}" \
    "${NEURODYN_VALGRIND_BINARY:-$here/../../build/neurodyn}" "$@"
