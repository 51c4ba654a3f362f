// SPDX-License-Identifier: LGPL-2.1-or-later
// The tools' JSON writer: layout, escaping (every output valid UTF-8 JSON
// whatever bytes come in) and refusing misuse.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

extern "C" {
#include "json_writer.h"
}

namespace {

// What @emit writes, and json_writer_finish()'s result.
struct Output {
	std::string text;
	int finish;
};

Output Write(const std::function<void(json_writer *)> &emit)
{
	char *buf = nullptr;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_writer w;

	json_writer_init(&w, f);
	emit(&w);
	const int rc = json_writer_finish(&w);
	fclose(f);
	Output out{std::string(buf, len), rc};
	free(buf);
	return out;
}

std::string Escaped(const char *s)
{
	return Write([s](json_writer *w) { json_string(w, nullptr, s); }).text;
}

TEST(JsonWriter, NestedLayout)
{
	const Output out = Write([](json_writer *w) {
		json_begin_object(w, nullptr);
		json_uint(w, "u", UINT64_MAX);
		json_int(w, "i", -5);
		json_bool(w, "t", true);
		json_null(w, "n");
		json_begin_array(w, "a");
		json_string(w, nullptr, "x");
		json_begin_object(w, nullptr);
		json_end_object(w);
		json_begin_array(w, nullptr);
		json_end_array(w);
		json_end_array(w);
		json_string(w, "s", nullptr);
		json_end_object(w);
	});
	EXPECT_EQ(0, out.finish);
	EXPECT_EQ("{\n  \"u\": 18446744073709551615,\n  \"i\": -5,\n  \"t\": true,\n"
		  "  \"n\": null,\n  \"a\": [\n    \"x\",\n    {},\n    []\n  ],\n"
		  "  \"s\": null\n}\n",
		  out.text);
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControls)
{
	EXPECT_EQ("\"a\\\"b\\\\c\"\n", Escaped("a\"b\\c"));
	EXPECT_EQ("\"\\n\\t\\r\\u0001\\u001f\\u007f\"\n", Escaped("\n\t\r\x01\x1f\x7f"));
	EXPECT_EQ("\"/ ok\"\n", Escaped("/ ok"));
}

TEST(JsonWriter, PassesValidUtf8)
{
	EXPECT_EQ("\"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"\n",
		  Escaped("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
}

TEST(JsonWriter, ReplacesBytesThatAreNotUtf8)
{
	EXPECT_EQ("\"\\ufffd\"\n", Escaped("\x80"));                 // lone continuation
	EXPECT_EQ("\"\\ufffd\\ufffd\"\n", Escaped("\xc0\x80"));      // overlong NUL
	EXPECT_EQ("\"\\ufffd\\ufffd\\ufffd\"\n", Escaped("\xed\xa0\x80")); // surrogate
	EXPECT_EQ("\"\\ufffd\\ufffd\\ufffd\\ufffd\"\n", Escaped("\xf4\x90\x80\x80")); // > U+10FFFF
	EXPECT_EQ("\"a\\ufffd\\ufffd\"\n", Escaped("a\xe2\x82"));    // cut short by the end
	EXPECT_EQ("\"\\ufffdb\"\n", Escaped("\xff" "b"));                // never a UTF-8 byte
}

TEST(JsonWriter, RefusesMisuse)
{
	EXPECT_EQ(-1, Write([](json_writer *) {}).finish) << "nothing written";
	EXPECT_EQ(-1, Write([](json_writer *w) {
			      json_begin_object(w, nullptr);
			      json_uint(w, nullptr, 1);
			      json_end_object(w);
		      }).finish) << "a value without a key in an object";
	EXPECT_EQ(-1, Write([](json_writer *w) {
			      json_begin_array(w, nullptr);
			      json_uint(w, "k", 1);
			      json_end_array(w);
		      }).finish) << "a key in an array";
	EXPECT_EQ(-1, Write([](json_writer *w) { json_begin_object(w, nullptr); }).finish)
		<< "left open";
	EXPECT_EQ(-1, Write([](json_writer *w) {
			      json_begin_array(w, nullptr);
			      json_end_object(w);
		      }).finish) << "closed with the wrong bracket";
	EXPECT_EQ(-1, Write([](json_writer *w) {
			      json_null(w, nullptr);
			      json_null(w, nullptr);
		      }).finish) << "two top-level values";
	EXPECT_EQ(-1, Write([](json_writer *w) {
			      for (int i = 0; i <= JSON_MAX_DEPTH; i++)
				      json_begin_array(w, nullptr);
			      for (int i = 0; i <= JSON_MAX_DEPTH; i++)
				      json_end_array(w);
		      }).finish) << "deeper than JSON_MAX_DEPTH";
}

TEST(JsonWriter, ReportsAWriteError)
{
	FILE *full = fopen("/dev/full", "w");

	ASSERT_NE(nullptr, full);
	json_writer w;
	json_writer_init(&w, full);
	json_string(&w, nullptr, "lost");
	EXPECT_EQ(-1, json_writer_finish(&w));
	fclose(full);
}

} // namespace
