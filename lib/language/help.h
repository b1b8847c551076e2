/* Help texts as bundles: the command table, one command's page, and help for any name
   (command, workspace object, function, constant). */
#ifndef ND_LANGUAGE_HELP_H
#define ND_LANGUAGE_HELP_H

#include "../base/bundle.h"
#include "../base/error.h"
#include "commands.h"
#include "workspace.h"

/* Returns a table of all commands and their synopses (text/plain aligned, text/html,
   JSON), or NULL on ENOMEM. */
nd_bundle *nd_help_overview(const nd_cmd_registry *reg);

/* Returns the full help of cmd: usage, synopsis, description, options with defaults,
   examples (text/plain, text/html, JSON); NULL on ENOMEM. */
nd_bundle *nd_help_command(const nd_command *cmd);

/* Returns the reference of every command as Markdown — each command's help text exactly as
   nd_help_command's text/plain shows it — for docs/commands.md; caller frees (NULL on
   ENOMEM). */
char *nd_help_reference(const nd_cmd_registry *reg);

/* Returns help for name, looked up as a command, a workspace name, a function or a
   constant; NULL when nothing is known by that name (or on ENOMEM). */
nd_bundle *nd_help_topic(const nd_cmd_registry *reg, const nd_ws *ws, const char *name);

/* Like nd_help_topic, also trying name as an option of command cmd (may be NULL). */
nd_bundle *nd_help_topic_in(const nd_cmd_registry *reg, const nd_ws *ws, const char *name,
                            const nd_command *cmd);

/* Fills err with a NameError for a help topic that does not exist, suggesting a close
   name; returns ND_ENAME. */
nd_status nd_help_unknown(const nd_cmd_registry *reg, const nd_ws *ws, const char *name,
                          int line, int col, int span, nd_error *err);

#endif
