#!/usr/bin/env python3
"""The documentation check catches what it should: each case writes a small
header and asserts the problem it holds is reported (and a clean header is
not).  Run: python3 -m unittest docs/gen/test_doccheck.py"""
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import doccheck  # noqa: E402
import hdrdoc  # noqa: E402

HERE = Path(__file__).resolve().parent

CLEAN = """/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A topic. */
struct iommufd_thing;

/*
 * struct iommufd_thing_opts - options.
 * @sz:    sizeof.
 * @flags: none yet.
 */
struct iommufd_thing_opts {
	size_t sz;
	uint32_t flags;
};

/*
 * iommufd_thing_open - open a thing.
 * @opts:   NULL or options.
 * @thingp: receives it.
 * Return: 0 or a negative errno.
 */
LIBIOMMUFD_API int iommufd_thing_open(const struct iommufd_thing_opts *opts,
				      struct iommufd_thing **thingp);

/* iommufd_thing_get / _set - read *@value or write @value. */
LIBIOMMUFD_API int iommufd_thing_get(struct iommufd_thing *thing, uint32_t *value);
LIBIOMMUFD_API int iommufd_thing_set(struct iommufd_thing *thing, uint32_t value);
"""


class Case(unittest.TestCase):
    def check(self, header, exported=None, extra=""):
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "thing.h").write_text(header + extra)
            headers = hdrdoc.parse_headers(d)
            names = {f.name for h in headers for f in h.functions}
            exported = names if exported is None else exported
            return doccheck.check_functions(headers, exported) + doccheck.check_structs(headers)

    def assertReports(self, errors, *fragments):
        text = "\n".join(errors)
        for frag in fragments:
            self.assertIn(frag, text)

    def test_clean_header_passes(self):
        self.assertEqual(self.check(CLEAN), [])

    def test_function_without_comment(self):
        errors = self.check(CLEAN, extra="\nLIBIOMMUFD_API int iommufd_thing_bare(void);\n")
        self.assertReports(errors, "iommufd_thing_bare: no documentation comment")

    def test_comment_that_does_not_name_the_function(self):
        errors = self.check(CLEAN, extra="\n/* Closes @thing. */\n"
                            "LIBIOMMUFD_API void iommufd_thing_close(struct iommufd_thing *thing);\n")
        self.assertReports(errors, "iommufd_thing_close: its comment", "does not name it")

    def test_undocumented_parameter(self):
        errors = self.check(CLEAN, extra="\n/* iommufd_thing_put - put @count. */\n"
                            "LIBIOMMUFD_API int iommufd_thing_put(struct iommufd_thing *thing, "
                            "uint32_t count, uint32_t flags);\n")
        self.assertReports(errors, "parameter flags is not documented")
        self.assertNotIn("parameter thing", "\n".join(errors))   # the handle, by convention
        self.assertNotIn("parameter count", "\n".join(errors))   # named in the text

    def test_handle_convention_only_for_the_first_parameter(self):
        errors = self.check(CLEAN, extra="\n/* iommufd_thing_swap - swap with @a. */\n"
                            "LIBIOMMUFD_API int iommufd_thing_swap(struct iommufd_thing *a, "
                            "struct iommufd_thing *b);\n")
        self.assertReports(errors, "parameter b is not documented")

    def test_documented_parameter_that_does_not_exist(self):
        errors = self.check(CLEAN.replace(" * @thingp: receives it.",
                                          " * @thingp: receives it.\n * @mode:   gone."))
        self.assertReports(errors, "@mode documents no parameter of iommufd_thing_open")

    def test_title_names_an_undeclared_function(self):
        errors = self.check(CLEAN.replace("iommufd_thing_get / _set", "iommufd_thing_get / _set / _reset"))
        self.assertReports(errors, "the title names _reset")

    def test_exported_but_not_declared(self):
        errors = self.check(CLEAN, exported={"iommufd_thing_open", "iommufd_thing_get",
                                             "iommufd_thing_set", "iommufd_thing_lost"})
        self.assertReports(errors, "iommufd_thing_lost is exported")

    def test_struct_field_that_does_not_exist(self):
        errors = self.check(CLEAN.replace(" * @flags: none yet.", " * @flags: none yet.\n * @mask: no."))
        self.assertReports(errors, "@mask is no member of struct iommufd_thing_opts")

    def test_suffix_titles_name_the_group(self):
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "thing.h").write_text(CLEAN)
            fn = {f.name: f for f in hdrdoc.parse_headers(d)[0].functions}
            self.assertEqual(fn["iommufd_thing_set"].group, ["iommufd_thing_get", "iommufd_thing_set"])
            self.assertIsNotNone(fn["iommufd_thing_set"].doc.title_of("iommufd_thing_set"))


class Pages(unittest.TestCase):
    def generate(self, d):
        inc = Path(d) / "include"
        inc.mkdir()
        (inc / "thing.h").write_text(CLEAN)
        man = Path(d) / "man" / "man3"
        subprocess.run([sys.executable, str(HERE / "headers2man.py"), "--include", str(inc),
                        "--man", str(man), "--date", "2025-01-01"], check=True)
        return inc, man

    def test_generated_pages_lint_clean(self):
        with tempfile.TemporaryDirectory() as d:
            inc, man = self.generate(d)
            self.assertEqual((man / "iommufd_thing_set.3").read_text(),
                             ".so man3/iommufd_thing_get.3\n")
            self.assertEqual(doccheck.lint_pages(man, hdrdoc.parse_headers(inc)), [])

    def test_lint_reports_a_bad_page(self):
        with tempfile.TemporaryDirectory() as d:
            inc, man = self.generate(d)
            page = man / "iommufd_thing_open.3"
            page.write_text(page.read_text() + ".XX undefined macro\n\\fQ bad font\n")
            errors = doccheck.lint_pages(man, hdrdoc.parse_headers(inc))
            self.assertTrue(any("iommufd_thing_open.3: groff" in e for e in errors), errors)

    def test_lint_reports_a_missing_page_and_a_dangling_link(self):
        with tempfile.TemporaryDirectory() as d:
            inc, man = self.generate(d)
            (man / "iommufd_thing_get.3").unlink()
            errors = "\n".join(doccheck.lint_pages(man, hdrdoc.parse_headers(inc)))
            self.assertIn("no man page iommufd_thing_get.3", errors)
            self.assertIn("iommufd_thing_set.3: .so target", errors)


if __name__ == "__main__":
    unittest.main()
