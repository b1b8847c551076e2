/* The list of command modules an interpreter starts with. */
#ifndef ND_COMMANDS_MODULES_H
#define ND_COMMANDS_MODULES_H

#include "../base/error.h"
#include "../language/commands.h"

/* Registers the skeleton commands (help, vars, print, warn, let, del, sleep, repeat,
   for, clear). */
nd_status nd_cmd_register_core(nd_cmd_registry *reg, nd_error *err);

/* Registers the table commands (row, table: results collected into a dataset). */
nd_status nd_cmd_register_table(nd_cmd_registry *reg, nd_error *err);

/* Registers the dataset file commands (save, load). */
nd_status nd_cmd_register_data(nd_cmd_registry *reg, nd_error *err);

/* Registers the model commands (model, use, show, explain, set, init, stim). */
nd_status nd_cmd_register_model(nd_cmd_registry *reg, nd_error *err);

/* Registers the simulation and spike commands (simulate, spikes). */
nd_status nd_cmd_register_sim(nd_cmd_registry *reg, nd_error *err);

/* Registers the plot command. */
nd_status nd_cmd_register_plot(nd_cmd_registry *reg, nd_error *err);

/* Registers the analysis commands (rates). */
nd_status nd_cmd_register_analysis(nd_cmd_registry *reg, nd_error *err);

/* Registers the spike-train commands (spikes, compare; cmd_spikes.c). */
nd_status nd_cmd_register_spikes(nd_cmd_registry *reg, nd_error *err);

/* Registers the F-I curve command (fi). */
nd_status nd_cmd_register_fi(nd_cmd_registry *reg, nd_error *err);

/* Registers the phase-plane commands (fixed, stability, phase). */
nd_status nd_cmd_register_phase(nd_cmd_registry *reg, nd_error *err);

/* Registers the continuation command (continue). */
nd_status nd_cmd_register_continue(nd_cmd_registry *reg, nd_error *err);

/* Registers the network commands (ude, node, train). */
nd_status nd_cmd_register_learn(nd_cmd_registry *reg, nd_error *err);

/* sindy: sparse identification of equations (cmd_sindy.c). */
nd_status nd_cmd_register_sindy(nd_cmd_registry *reg, nd_error *err);

/* symreg: symbolic regression by genetic programming (cmd_symreg.c). */
nd_status nd_cmd_register_symreg(nd_cmd_registry *reg, nd_error *err);

/* Registers the derivative command (deriv, cmd_deriv.c). */
nd_status nd_cmd_register_deriv(nd_cmd_registry *reg, nd_error *err);

/* Registers the interact command (cmd_interact.c). */
nd_status nd_cmd_register_interact(nd_cmd_registry *reg, nd_error *err);

/* Registers the recording commands (sweep, features; cmd_rec.c). */
nd_status nd_cmd_register_rec(nd_cmd_registry *reg, nd_error *err);

/* `fit` (cmd_fit.c). */
nd_status nd_cmd_register_fit(nd_cmd_registry *reg, nd_error *err);

/* stuck, hint, guess, reveal: the mentor (cmd_mentor.c). */
nd_status nd_cmd_register_mentor(nd_cmd_registry *reg, nd_error *err);

/* Registers the commands of every module; stops at the first failure. */
nd_status nd_cmd_register_all(nd_cmd_registry *reg, nd_error *err);

#endif
