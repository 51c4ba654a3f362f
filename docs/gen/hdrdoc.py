"""Read the public headers' documentation comments into a model.

The comments follow a kernel-doc-like form:

    /*
     * iommufd_ioas_map - map user memory into an IOAS (IOMMU_IOAS_MAP).
     * @ioas_id: the IOAS.
     * @flags:   IOMMUFD_MAP_READABLE and/or ...
     *           (continued, indented)
     *
     * Free text, paragraphs split by blank lines; indented lines are kept
     * as they are (examples, tables).
     *
     * Return: 0, or a negative errno ...
     */
    LIBIOMMUFD_API int iommufd_ioas_map(...);

A comment documents the run of declarations right below it.  Its title
line names them: "a - summary", or several at once, "a / b - summary", where
"_suffix" stands for the first name with its last words replaced
("iommufd_vfio_ioas_get / _set / _clear").  Struct comments title
themselves "struct name - summary" and list fields as "@field:".
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

IDENT = r"[A-Za-z_]\w*"
# "iommufd_x - summary", "iommufd_x / _y - summary", "struct iommufd_x - summary"
TITLE = re.compile(rf"^(?:(struct|enum)\s+)?({IDENT}(?:\s*/\s*{IDENT})*)\s+-\s+(.*)$")
PARAM = re.compile(rf"^@({IDENT}(?:\s*,\s*@{IDENT})*):\s*(.*)$")
RETURN = re.compile(r"^Return:\s*(.*)$")
PROTO = re.compile(rf"LIBIOMMUFD_API\s+(?P<ret>[^;(]*?)\b(?P<name>{IDENT})\s*\((?P<args>[^)]*)\)\s*;",
                   re.S)


@dataclass
class Param:
    name: str
    type: str        # the declaration with the name left out, e.g. "const void *"
    decl: str        # as written, e.g. "const void *buf"


@dataclass
class Doc:
    """One comment, split into its parts."""
    titles: list      # [(names, summary)]: names as written, suffixes expanded
    kind: str         # "", "struct" or "enum" (from the title)
    params: dict      # name -> description ("@name:" lines)
    body: list        # paragraphs: ("text", str) or ("verbatim", [lines])
    returns: str      # the "Return:" text, or ""
    raw: str          # the comment text without its frame
    line: int         # where the comment starts in its header

    def mentions(self, name):
        """Whether the comment speaks of @name (a definition or in the text)."""
        return name in self.params or re.search(rf"@\*?{re.escape(name)}\b", self.raw) is not None

    def title_of(self, name):
        """The summary of the title that names @name, or None."""
        for specs, summary in self.titles:
            if any(spec_matches(specs[0], s, name) for s in specs):
                return summary
        return None

    def specs(self):
        """[(first name, spec)] of every name the titles give."""
        return [(specs[0], s) for specs, _ in self.titles for s in specs]


@dataclass
class Function:
    name: str
    ret: str
    params: list      # [Param]; empty for (void)
    proto: str        # the prototype, normalised to one line
    doc: Doc          # None when no comment stands right above its run
    header: str       # "ioas.h"
    line: int
    group: list = field(default_factory=list)   # names sharing the comment


@dataclass
class TypeDef:
    kind: str         # "struct", "enum", "define", "typedef"
    name: str
    text: str         # the definition as written
    doc: Doc          # None if undocumented
    header: str
    line: int


@dataclass
class Header:
    name: str         # "ioas.h"
    path: Path
    doc: Doc          # the comment at the top (after the SPDX line)
    functions: list
    types: list


def strip_frame(comment):
    """The lines of a /* */ comment without the frame and the leading " * "."""
    lines = comment[2:-2].split("\n")
    out = [lines[0].strip()]
    for ln in lines[1:]:
        m = re.match(r"^\s*\* ?(.*)$", ln)
        out.append((m.group(1) if m else ln.strip()).rstrip())
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    return out


def join_lines(lines):
    """Join wrapped lines; a line ending a sentence keeps the two spaces the
    headers put between sentences."""
    out = ""
    for ln in lines:
        if out:
            out += "  " if out.endswith((".", "!", "?")) else " "
        out += ln.strip()
    return out


def split_summary(text):
    """ "summary.  More text." -> ("summary", "More text.")."""
    parts = re.split(r"(?<=[.!?])  +", text, maxsplit=1)
    return parts[0].rstrip("."), (parts[1] if len(parts) > 1 else "").strip()


def split_names(spec):
    """ "a_get / _set / b" -> ["a_get", "_set", "b"]."""
    return [p.strip() for p in spec.split("/")]


def spec_matches(first, spec, name):
    """Whether @spec, a name or a "_suffix" of the title whose first name is
    @first, names function @name: a suffix replaces the end of @first from
    a word boundary on ("iommufd_vevent_ring_eventfd / _pump_fd" names
    iommufd_vevent_ring_pump_fd)."""
    if not spec.startswith("_"):
        return name == spec
    if not name.endswith(spec):
        return False
    prefix = name[:-len(spec)]
    return bool(prefix) and first.startswith(prefix + "_")


def parse_doc(comment, line):
    lines = []
    for ln in strip_frame(comment):
        # "...sentence.  Return: ..." starts the Return part mid-line.
        head, sep, tail = ln.partition(".  Return:")
        lines += [head + ".", " " * 0 + "Return:" + tail] if sep else [ln]
    titles, params, body, returns = [], {}, [], ""
    kind = ""
    para, verbatim = [], []
    mode = None          # what an unindented line continues: "title", "param", "return"
    current = []

    def flush():
        nonlocal para, verbatim
        if para:
            body.append(("text", join_lines(para)))
            para = []
        if verbatim:
            body.append(("verbatim", verbatim))
            verbatim = []

    for ln in lines:
        stripped = ln.strip()
        indented = ln[:1] in ("\t", " ")
        if not stripped:
            flush()
            mode = None
            continue
        m = TITLE.match(stripped)
        if m and not indented and re.match(r"^(?:struct |enum )?(?:iommufd_|IOMMUFD_)", stripped):
            flush()
            kind = m.group(1) or kind
            titles.append((split_names(m.group(2)), m.group(3)))
            mode = "title"
            continue
        m = PARAM.match(stripped)
        if m and not indented:
            flush()
            current = [n.strip().lstrip("@") for n in m.group(1).split(",")]
            for n in current:
                params[n] = m.group(2)
            mode = "param"
            continue
        m = RETURN.match(stripped)
        if m and not indented:
            flush()
            returns = m.group(1)
            mode = "return"
            continue
        if mode == "param" and indented:
            for n in current:
                params[n] = join_lines([params[n], stripped])
            continue
        if mode == "return":
            returns = join_lines([returns, stripped])
            continue
        if mode == "title" and not indented:
            names, summary = titles[-1]
            titles[-1] = (names, join_lines([summary, stripped]))
            continue
        mode = None
        if indented:
            if para:
                flush()
            verbatim.append(ln.expandtabs(8).rstrip())
        else:
            if verbatim:
                flush()
            para.append(stripped)
    flush()
    return Doc(titles, kind, params, body, returns.strip(), "\n".join(lines), line)


def split_params(args):
    args = " ".join(args.split())
    if args in ("", "void"):
        return []
    out = []
    for a in args.split(","):
        a = a.strip()
        m = re.match(rf"^(.*?)({IDENT})(\s*\[[^\]]*\])?$", a)
        typ = (m.group(1) + (m.group(3) or "")).strip()
        out.append(Param(m.group(2), typ, a))
    return out


def _line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def parse_header(path):
    """Walk a header: comments, prototypes, structs, enums, macros, typedefs."""
    path = Path(path)
    text = path.read_text()
    items = []   # (pos, end, kind, payload)
    for m in re.finditer(r"/\*.*?\*/", text, re.S):
        items.append((m.start(), m.end(), "comment", m.group(0)))
    comment_spans = [(s, e) for s, e, _, _ in items]

    def in_comment(pos):
        return any(s <= pos < e for s, e in comment_spans)

    for m in PROTO.finditer(text):
        if not in_comment(m.start()):
            items.append((m.start(), m.end(), "proto", m))
    for m in re.finditer(rf"^(struct|enum)\s+({IDENT})\s*\{{.*?^\}};", text, re.S | re.M):
        items.append((m.start(), m.end(), m.group(1), m))
    for m in re.finditer(rf"^(struct|enum)\s+({IDENT})\s*;", text, re.M):
        items.append((m.start(), m.end(), "opaque", m))
    for m in re.finditer(rf"^#define\s+({IDENT})(?:\(.*?\))?(?:.*\\\n)*.*$", text, re.M):
        items.append((m.start(), m.end(), "define", m))
    for m in re.finditer(rf"^typedef\b[^;]*?\(\*\s*({IDENT})\)\s*\([^;]*\)\s*;|^typedef\b[^;(]*\b({IDENT})\s*;",
                         text, re.M):
        items.append((m.start(), m.end(), "typedef", m))
    # Definitions nested inside others (an enum comment inside a struct) are
    # not items of their own: keep the outermost.
    items.sort(key=lambda it: (it[0], -it[1]))
    flat = []
    for it in items:
        if flat and it[0] < flat[-1][1]:
            continue
        flat.append(it)

    header = Header(path.name, path, None, [], [])
    pending = None     # (Doc, end position) of the comment that may document what follows
    run = []           # functions sharing `pending`
    prev_end = 0
    first_comment_seen = False
    for start, end, kind, payload in flat:
        gap = text[prev_end:start]
        adjacent = pending is not None and gap.strip() == "" and gap.count("\n") <= 1
        if kind == "comment":
            doc = parse_doc(payload, _line_of(text, start))
            if "SPDX-License-Identifier" in payload:
                pending = None
            elif not first_comment_seen:
                first_comment_seen = True
                header.doc = doc
                pending = (doc, end)
            else:
                pending = (doc, end)
            run = []
            prev_end = end
            continue
        doc = pending[0] if adjacent else None
        if kind == "proto":
            m = payload
            fn = Function(m.group("name"), " ".join(m.group("ret").split()),
                          split_params(m.group("args")), "", doc, header.name,
                          _line_of(text, start))
            fn.proto = f"{fn.ret} {fn.name}({', '.join(p.decl for p in fn.params) or 'void'});" \
                .replace("* ", "*")
            fn.proto = re.sub(r"(\w)\*", r"\1 *", fn.proto)
            header.functions.append(fn)
            if doc is not None:
                run.append(fn)
                for f in run:
                    f.group = [g.name for g in run]
                pending = (doc, end)
            else:
                run = []
                pending = None
        else:
            name = payload.group(2) if kind in ("struct", "enum", "opaque") else \
                payload.group(1) if kind == "define" else (payload.group(1) or payload.group(2))
            tkind = {"opaque": "struct"}.get(kind, kind)
            header.types.append(TypeDef(tkind, name, payload.group(0), doc, header.name,
                                        _line_of(text, start)))
            # A comment documents one type; several defines may share it.
            pending = (doc, end) if (doc is not None and kind == "define") else None
            run = []
        prev_end = end
    if header.doc is not None and header.functions and header.functions[0].doc is header.doc:
        # The first comment documented a function, not the header.
        header.doc = None
    return header


def parse_headers(directory):
    return [parse_header(p) for p in sorted(Path(directory).glob("*.h"))]


def exported_names(map_path):
    """The functions a version script exports."""
    return set(re.findall(r"^\s*(iommufd_\w+);", Path(map_path).read_text(), re.M))
