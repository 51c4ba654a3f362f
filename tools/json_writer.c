/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The tools' JSON writer (see json_writer.h). */
#include "json_writer.h"

#include <inttypes.h>

void json_writer_init(struct json_writer *w, FILE *out)
{
	*w = (struct json_writer){ .out = out };
}

int json_writer_finish(struct json_writer *w)
{
	if (w->depth != 0 || !w->has_items[0] || w->misuse)
		return -1;
	fputc('\n', w->out);
	return fflush(w->out) || ferror(w->out) ? -1 : 0;
}

static void indent(struct json_writer *w)
{
	fputc('\n', w->out);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->out);
}

/*
 * Start a value at the current level: the comma, the line break and the
 * key.  A key must be given inside objects and only there; the top level
 * takes one value.
 */
static void begin_value(struct json_writer *w, const char *key)
{
	bool in_object = w->in_object[w->depth];

	if ((key != NULL) != in_object || (w->depth == 0 && w->has_items[0])) {
		w->misuse = true;
		return;
	}
	if (w->has_items[w->depth])
		fputc(',', w->out);
	if (w->depth > 0)
		indent(w);
	w->has_items[w->depth] = true;
	if (key) {
		json_write_escaped(w->out, key);
		fputs(": ", w->out);
	}
}

static void open_level(struct json_writer *w, const char *key, bool object)
{
	begin_value(w, key);
	if (w->depth == JSON_MAX_DEPTH) {
		w->misuse = true;
		return;
	}
	fputc(object ? '{' : '[', w->out);
	w->depth++;
	w->in_object[w->depth] = object;
	w->has_items[w->depth] = false;
}

static void close_level(struct json_writer *w, bool object)
{
	if (w->depth == 0 || w->in_object[w->depth] != object) {
		w->misuse = true;
		return;
	}
	bool had_items = w->has_items[w->depth];

	w->depth--;
	if (had_items)
		indent(w);
	fputc(object ? '}' : ']', w->out);
}

void json_begin_object(struct json_writer *w, const char *key)
{
	open_level(w, key, true);
}

void json_end_object(struct json_writer *w)
{
	close_level(w, true);
}

void json_begin_array(struct json_writer *w, const char *key)
{
	open_level(w, key, false);
}

void json_end_array(struct json_writer *w)
{
	close_level(w, false);
}

/* Length of the valid UTF-8 sequence at @s (1..4), or 0 when it is not
 * one: overlong forms, surrogates and code points past U+10FFFF included. */
static int utf8_sequence(const unsigned char *s)
{
	int len;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0; /* also stops at the terminating NUL */
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	static const uint32_t min_cp[] = { 0, 0, 0x80, 0x800, 0x10000 };

	if (cp < min_cp[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void json_write_escaped(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', out);
	while (*p) {
		int len = utf8_sequence(p);

		if (len == 0) {
			fputs("\\ufffd", out); /* a byte that is not UTF-8: say so, stay valid */
			p++;
			continue;
		}
		if (len > 1) {
			fwrite(p, 1, (size_t)len, out);
			p += len;
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
		p++;
	}
	fputc('"', out);
}

void json_string(struct json_writer *w, const char *key, const char *value)
{
	if (!value) {
		json_null(w, key);
		return;
	}
	begin_value(w, key);
	json_write_escaped(w->out, value);
}

void json_uint(struct json_writer *w, const char *key, uint64_t value)
{
	begin_value(w, key);
	fprintf(w->out, "%" PRIu64, value);
}

void json_int(struct json_writer *w, const char *key, int64_t value)
{
	begin_value(w, key);
	fprintf(w->out, "%" PRId64, value);
}

void json_bool(struct json_writer *w, const char *key, bool value)
{
	begin_value(w, key);
	fputs(value ? "true" : "false", w->out);
}

void json_null(struct json_writer *w, const char *key)
{
	begin_value(w, key);
	fputs("null", w->out);
}
