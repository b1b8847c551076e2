/* The statement parser of the command language. */
#ifndef ND_LANGUAGE_PARSER_H
#define ND_LANGUAGE_PARSER_H

#include <stddef.h>
#include "../base/error.h"
#include "ast.h"
#include "commands.h"

/* Parses src[0..len), whose first byte sits at (line, col) of the cell, into statements.
   reg tells which first words are commands. Returns ND_OK and *out (free it with
   nd_program_free), or a located error and *out = NULL. */
nd_status nd_parse_program(const char *src, size_t len, int line, int col,
                           const nd_cmd_registry *reg, nd_program **out, nd_error *err);

/* Parses text that must hold exactly one expression; NULL with err on failure. */
nd_expr *nd_parse_expression(const char *text, nd_error *err);

#endif
