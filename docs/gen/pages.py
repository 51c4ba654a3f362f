"""Turn the header model (hdrdoc) into pages that any output format renders.

A page is a name, a one-line summary and sections of blocks:
    ("para", tokens)              a paragraph
    ("verbatim", [str])           lines kept as they are
    ("deflist", [(tokens, tokens)])  term and definition
    ("synopsis", [[tokens]])      lines of declarations, no filling
    ("subhead", str)              a heading inside a section
Tokens are (style, text) with style "r" (roman), "b" (bold: constants, the
declared name), "i" (italic: parameters), "ref" (a function with a page),
"page" (another page of this manual, by name).

One page per documented run of functions (named after the first; the
others link to it), one per header (topic), and libiommufd(3) over all.
"""
import re
from dataclasses import dataclass, field

import hdrdoc

LIBRARY = "libiommufd"
# Macros that are plumbing, not API.
HIDDEN_DEFINES = re.compile(r"^LIBIOMMUFD_(?:\w+_H|H|BEGIN_DECLS|END_DECLS|API)$")


@dataclass
class Page:
    name: str
    summary: str
    include: str                 # "ioas.h", or "" for none
    sections: list = field(default_factory=list)   # [(heading, [block])]
    aliases: list = field(default_factory=list)    # other names that link here
    kind: str = "function"       # or "topic"


def topic_name(header):
    stem = header.name[:-2]
    return LIBRARY if stem == LIBRARY else f"{LIBRARY}-{stem}"


class Manual:
    """Every page of the manual, and what they refer to."""

    def __init__(self, headers):
        self.headers = headers
        self.functions = {f.name: f for h in headers for f in h.functions}
        self.handles = handle_types(headers)
        self.page_of = {}        # function name -> page name
        for h in headers:
            for f in h.functions:
                self.page_of[f.name] = (f.group or [f.name])[0]
        self.topics = {topic_name(h): h for h in headers}

    # -- inline text ------------------------------------------------------

    def inline(self, text):
        """Tokens of comment text: @param, function(), CONSTANTS."""
        out = []
        pos = 0
        pattern = re.compile(r"@(\w+)|\b(iommufd_\w+)\(\)|\b((?:IOMMUFD|LIBIOMMUFD)_[A-Z0-9_]+)\b")
        for m in pattern.finditer(text):
            if m.start() > pos:
                out.append(("r", text[pos:m.start()]))
            if m.group(1):
                out.append(("i", m.group(1)))
            elif m.group(2):
                name = m.group(2)
                out.append(("ref", name) if name in self.functions else ("b", name))
                out.append(("r", "()"))
            else:
                out.append(("b", m.group(3)))
            pos = m.end()
        if pos < len(text):
            out.append(("r", text[pos:]))
        return out

    def body_blocks(self, body):
        blocks = []
        for kind, content in body:
            if kind == "text":
                blocks.append(("para", self.inline(content)))
            else:
                blocks.append(("verbatim", dedent(content)))
        return blocks

    # -- function pages ---------------------------------------------------

    def function_pages(self):
        pages = []
        seen = set()
        for h in self.headers:
            for f in h.functions:
                if f.doc is None or f.name in seen:
                    continue
                group = [self.functions[n] for n in (f.group or [f.name])]
                seen.update(g.name for g in group)
                pages.append(self.function_page(h, group))
        return pages

    def function_page(self, header, group):
        doc = group[0].doc
        first = group[0].name
        summary, rest = hdrdoc.split_summary(doc.title_of(first) or "")
        if len(doc.titles) > 1:
            summary = "; ".join(hdrdoc.split_summary(t)[0] for _, t in doc.titles)
        page = Page(first, plain(summary), header.name, aliases=[g.name for g in group[1:]])
        page.sections.append(("SYNOPSIS", [("synopsis", self.synopsis(header, group))]))
        desc = []
        if len(doc.titles) > 1 or len(group) > 1:
            items = []
            for g in group:
                s = doc.title_of(g.name) or ""
                items.append(([("ref", g.name), ("r", "()")], self.inline(s)))
            if len(doc.titles) > 1:
                desc.append(("deflist", items))
        if rest:
            desc.append(("para", self.inline(rest)))
        desc += self.body_blocks(doc.body)
        params = self.param_items(group)
        if params:
            page.sections.append(("PARAMETERS", [("deflist", params)]))
        if desc:
            page.sections.append(("DESCRIPTION", desc))
        if doc.returns:
            page.sections.append(("RETURN VALUE", [("para", self.inline(doc.returns))]))
        page.sections.append(("SEE ALSO", [("para", self.see_also(header, doc, group))]))
        return page

    def synopsis(self, header, group):
        lines = [[("b", f"#include <libiommufd/{header.name}>")], []]
        for g in group:
            lines += proto_lines(g)
        return lines

    def param_items(self, group):
        items, seen = [], set()
        for g in group:
            for i, p in enumerate(g.params):
                if p.name in seen:
                    continue
                text = g.doc.params.get(p.name)
                if text is None and i == 0:
                    text = self.handle_text(p)
                if text is None:
                    continue
                seen.add(p.name)
                items.append(([("i", p.name)], self.inline(text)))
        return items

    def handle_text(self, param):
        """The description of a first parameter that is a handle, by the
        convention that such a parameter needs no @line; None otherwise."""
        name = handle_of(param, self.handles)
        if name is None:
            return None
        makers = self.handles[name]
        made = " or ".join(f"{m}()" for m in makers)
        return f"the struct {name} the call works on" + (f", from {made}." if made else ".")

    def see_also(self, header, doc, group):
        names = [g.name for g in group]
        refs = sorted({m for m in re.findall(r"\b(iommufd_\w+)\(\)", doc.raw)
                       if m in self.functions and m not in names})
        pages = []
        for r in refs:
            p = self.page_of[r]
            if p not in pages and p != names[0]:
                pages.append(p)
        tokens = []
        for p in [topic_name(header)] + ([LIBRARY] if topic_name(header) != LIBRARY else []) + pages:
            if tokens:
                tokens.append(("r", ", "))
            tokens.append(("page", p))
        return tokens

    # -- topic pages ------------------------------------------------------

    def topic_pages(self):
        pages = [self.topic_page(h) for h in self.headers if topic_name(h) != LIBRARY]
        pages.insert(0, self.main_page(pages))
        return pages

    def topic_page(self, header):
        summary, rest = header_summary(header)
        page = Page(topic_name(header), summary, header.name, kind="topic")
        page.sections.append(("SYNOPSIS", [("synopsis", [[("b", f"#include <libiommufd/{header.name}>")]])]))
        desc = []
        if rest:
            desc.append(("para", self.inline(rest)))
        if header.doc:
            desc += self.body_blocks(header.doc.body[1:] if header.doc.body and
                                     header.doc.body[0][0] == "text" else header.doc.body)
        if desc:
            page.sections.append(("DESCRIPTION", desc))
        funcs = []
        listed = set()
        for f in header.functions:
            if f.doc is None or f.name in listed:
                continue
            # A run sharing one title is one entry; several titles, several.
            names = (f.group or [f.name]) if len(f.doc.titles) == 1 else [f.name]
            listed.update(names)
            term = []
            for n in names:
                term += ([("r", ", ")] if term else []) + [("ref", n), ("r", "()")]
            s, _ = hdrdoc.split_summary(f.doc.title_of(f.name) or "")
            funcs.append((term, self.inline(s)))
        if funcs:
            page.sections.append(("FUNCTIONS", [("deflist", funcs)]))
        types = self.type_blocks(header)
        if types:
            page.sections.append(("TYPES AND CONSTANTS", types))
        page.sections.append(("SEE ALSO", [("para", [("page", LIBRARY)])]))
        return page

    def type_blocks(self, header):
        blocks = []
        for t in header.types:
            if t.kind == "define" and HIDDEN_DEFINES.match(t.name):
                continue
            title = t.name if t.kind in ("define", "typedef") else f"{t.kind} {t.name}"
            blocks.append(("subhead", title))
            if t.doc is not None:
                s = t.doc.titles[0][1] if t.doc.titles else ""
                if s:
                    blocks.append(("para", self.inline(s)))
                blocks += self.body_blocks(t.doc.body)
                fields = [([("i", n)], self.inline(d)) for n, d in t.doc.params.items()]
                if fields:
                    blocks.append(("deflist", fields))
            blocks.append(("verbatim", t.text.expandtabs(8).split("\n")))
        return blocks

    def main_page(self, topics):
        header = next((h for h in self.headers if topic_name(h) == LIBRARY), None)
        summary, rest = header_summary(header) if header else (LIBRARY, "")
        summary = re.sub(rf"^{LIBRARY}\s+-\s+", "", summary)
        include = f"{LIBRARY}.h"
        page = Page(LIBRARY, summary, include, kind="topic")
        page.sections.append(("SYNOPSIS", [("synopsis", [
            [("b", f"#include <libiommufd/{include}>")], [],
            [("r", "Link with "), ("i", "-liommufd"), ("r", " ("), ("i", "pkg-config --libs libiommufd"),
             ("r", ").")]])]))
        desc = []
        if rest:
            desc.append(("para", self.inline(rest)))
        desc += self.body_blocks(header.doc.body[1:] if header and header.doc else [])
        if desc:
            page.sections.append(("DESCRIPTION", desc))
        page.sections.append(("TOPICS", [("deflist", [([("page", t.name)], self.inline(t.summary))
                                                      for t in topics])]))
        see = []
        for t in topics:
            if see:
                see.append(("r", ", "))
            see.append(("page", t.name))
        page.sections.append(("SEE ALSO", [("para", see)]))
        return page


def plain(text):
    """Comment text without its markup, for one-line summaries."""
    return re.sub(r"@(\*?\w)", r"\1", text)


def header_summary(header):
    """The first sentence of a header's comment, and the rest of its first
    paragraph."""
    if not header.doc or not header.doc.body or header.doc.body[0][0] != "text":
        return header.name, ""
    return hdrdoc.split_summary(header.doc.body[0][1])


def handle_types(headers):
    """Opaque structs ("struct iommufd_ctx;") -> the functions that make one
    (those with a "struct X **" parameter)."""
    opaque = [t.name for h in headers for t in h.types
              if t.kind == "struct" and "{" not in t.text]
    makers = {name: [] for name in opaque}
    for h in headers:
        for f in h.functions:
            for p in f.params:
                m = re.fullmatch(r"struct\s+(\w+)\s*\*\*", p.type)
                if m and m.group(1) in makers and f.name not in makers[m.group(1)]:
                    makers[m.group(1)].append(f.name)
    return makers


def handle_of(param, handles):
    """The handle type a parameter points to, or None."""
    m = re.fullmatch(r"(?:const\s+)?struct\s+(\w+)\s*\*", param.type)
    return m.group(1) if m and m.group(1) in handles else None


def dedent(lines):
    indent = min((len(ln) - len(ln.lstrip()) for ln in lines if ln.strip()), default=0)
    return [ln[indent:] for ln in lines]


def proto_lines(fn, width=70):
    """A prototype as token lines, wrapped after commas and aligned after
    the opening parenthesis."""
    ret = fn.ret + ("" if fn.ret.endswith("*") else " ")
    head = [("r", ret), ("b", fn.name), ("r", "(")]
    indent = len(ret) + len(fn.name) + 1
    params = fn.params or [hdrdoc.Param("", "void", "void")]
    lines, line, col = [], list(head), indent
    for i, p in enumerate(params):
        typ = p.type if p.name else "void"
        sep = "" if typ.endswith("*") or not p.name else " "
        piece = [("r", typ + sep)] + ([("i", p.name)] if p.name else [])
        text_len = len(typ + sep + p.name)
        tail = ");" if i == len(params) - 1 else ", "
        if col + text_len + len(tail.rstrip()) > width and col > indent:
            lines.append(strip_trailing(line))
            line, col = [("r", " " * indent)], indent
        line += piece + [("r", tail)]
        col += text_len + len(tail)
    lines.append(strip_trailing(line))
    return lines


def strip_trailing(tokens):
    if tokens and tokens[-1][0] == "r":
        tokens[-1] = ("r", tokens[-1][1].rstrip())
    return tokens
