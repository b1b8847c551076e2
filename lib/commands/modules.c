/* Adding a module of commands = one line in this table (and its register function). */
#include "modules.h"

#include <stddef.h>

typedef nd_status (*register_fn)(nd_cmd_registry *reg, nd_error *err);

static const register_fn modules[] = {
    nd_cmd_register_core,
    nd_cmd_register_table,
    nd_cmd_register_data,
    nd_cmd_register_rec,
    nd_cmd_register_model,
    nd_cmd_register_sim,
    nd_cmd_register_plot,
    nd_cmd_register_analysis,
    nd_cmd_register_spikes,
    nd_cmd_register_continue,
    nd_cmd_register_fi,
    nd_cmd_register_phase,
    nd_cmd_register_learn,
    nd_cmd_register_deriv,
    nd_cmd_register_sindy,
    nd_cmd_register_interact,
    nd_cmd_register_fit,
    nd_cmd_register_mentor,
    nd_cmd_register_symreg,
};

nd_status nd_cmd_register_all(nd_cmd_registry *reg, nd_error *err)
{
    for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++) {
        nd_status st = modules[i](reg, err);
        if (st != ND_OK) return st;
    }
    return ND_OK;
}
