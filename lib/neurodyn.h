/* libneurodyn: the public entry point for programs that embed the library. */
#ifndef NEURODYN_H
#define NEURODYN_H

#define ND_VERSION "0.1.0"

#include "base/error.h"
#include "base/bundle.h"
#include "language/sink.h"
#include "language/interp.h"
#include "commands/modules.h"   /* nd_cmd_register_all: every command, for nd_interp_create */

#endif
