/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A small streaming JSON writer for the tools: objects, arrays, strings
 * (escaped, always valid UTF-8 out), unsigned and signed integers,
 * booleans and null, pretty-printed with two-space indentation.  Inside an
 * object every value takes a key; inside an array and at the top the key
 * is NULL.  Nesting deeper than JSON_MAX_DEPTH, a missing or extra key, or
 * a write error make json_writer_finish() fail; nothing aborts.
 */
#ifndef IOMMUFD_TOOLS_JSON_WRITER_H
#define IOMMUFD_TOOLS_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json_writer {
	FILE *out;
	int depth;
	bool misuse;                         /* a call that breaks the rules above */
	bool in_object[JSON_MAX_DEPTH + 1];  /* per level: object (true) or array */
	bool has_items[JSON_MAX_DEPTH + 1];  /* per level: a comma goes first */
};

void json_writer_init(struct json_writer *w, FILE *out);
/* 0 when the document is complete and was written, -1 otherwise. */
int json_writer_finish(struct json_writer *w);

void json_begin_object(struct json_writer *w, const char *key);
void json_end_object(struct json_writer *w);
void json_begin_array(struct json_writer *w, const char *key);
void json_end_array(struct json_writer *w);

/* A NULL @value is written as null. */
void json_string(struct json_writer *w, const char *key, const char *value);
void json_uint(struct json_writer *w, const char *key, uint64_t value);
void json_int(struct json_writer *w, const char *key, int64_t value);
void json_bool(struct json_writer *w, const char *key, bool value);
void json_null(struct json_writer *w, const char *key);

/* The escaped form of @s, quotes included, as json_string() writes it. */
void json_write_escaped(FILE *out, const char *s);

#endif
