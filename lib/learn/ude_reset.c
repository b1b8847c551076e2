/* A hybrid back to the state `ude` made it in (nd_ude_reset, ude.h). */
#include <stdlib.h>
#include <string.h>

#include "ude_impl.h"

void nd_ude_reset(nd_ude *u, uint64_t seed)
{
    nd_mlp_reinit(u->net, seed);
    nd_mlp_set_scaling(u->net, NULL, NULL, NULL, NULL, NULL);   /* the identity */
    u->scaled = 0;
    u->nhist = 0;
    for (size_t i = 0; i < u->nstages; i++) free(u->stage[i]);
    u->nstages = 0;
    free(u->starts.y);
    memset(&u->starts, 0, sizeof u->starts);
}
