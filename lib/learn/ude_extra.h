/* Files of hybrids: nd_ude_to_json's form written to and read from disk. */
#ifndef ND_LEARN_UDE_EXTRA_H
#define ND_LEARN_UDE_EXTRA_H

#include "ude.h"

/* Writes u as JSON to path, whole or not at all (a temporary file renamed over it);
   ND_EIO naming the file, ND_EVALUE for non-finite weights, ND_ENOMEM. */
nd_status nd_ude_save(const nd_ude *u, const char *path, nd_error *err);

/* Reads a hybrid saved by nd_ude_save; NULL with ND_EIO (file), ND_ESYNTAX (not JSON,
   with its line and column) or nd_ude_from_json's ValueError. */
nd_ude *nd_ude_load(const char *path, nd_error *err);

#endif
