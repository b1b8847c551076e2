/* libneurodyn: the public entry point for programs that embed the library. */
#ifndef NEURODYN_H
#define NEURODYN_H

#define ND_VERSION "0.1.0"

#include "base/error.h"
#include "base/bundle.h"
#include "lang/sink.h"
#include "lang/interp.h"

#endif
