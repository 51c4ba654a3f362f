"""Render pages (pages.py) as man(7) source, section 3."""
import re

SENTENCE = re.compile(r"(?<=[.!?])  +")


def escape(text):
    text = text.replace("\\", "\\e")
    # Minus signs: -EINVAL, -1, ->; hyphens in words stay.
    return re.sub(r"(?<![\w-])-(?=E[A-Z0-9]+\b|\d|>)", r"\\-", text)


def inline(tokens):
    out = []
    for style, text in tokens:
        if style == "r":
            out.append(escape(text))
        elif style == "i":
            out.append(f"\\fI{escape(text)}\\fR")
        elif style in ("b", "ref"):
            out.append(f"\\fB{escape(text)}\\fR")
        elif style == "page":
            out.append(f"\\fB\\%{escape(text)}\\fR(3)")  # \\% at its start: no line break at its "-"
    return "".join(out)


def safe_line(line):
    """A text line roff will not take for a request."""
    line = line.strip()
    return "\\&" + line if line.startswith((".", "'")) else line


def verbatim_line(line):
    """A no-fill line: leading spaces kept, requests defused."""
    return "\\&" + line if line.startswith((".", "'")) or not line.strip() else line


def wrap(text, width=79):
    """Filled text as input lines of at most @width bytes where spaces
    allow (roff fills them again)."""
    lines = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return [safe_line(ln) for ln in lines]


def filled(tokens):
    """Filled text: each sentence starts an input line."""
    return [ln for s in SENTENCE.split(inline(tokens)) if s.strip() for ln in wrap(s)]


def block(kind, content):
    if kind == "para":
        return [".PP"] + filled(content)
    if kind == "subhead":
        return [f'.SS "{content}"']
    if kind == "verbatim":
        return [".PP", ".RS 4", ".EX"] + [verbatim_line(escape(ln)) for ln in content] \
            + [".EE", ".RE"]
    if kind == "synopsis":
        out = [".nf"]
        for line in content:
            text = inline(line)
            out.append(("\\&" + text) if text.startswith((" ", ".", "'")) else text or ".PP")
        return out + [".fi"]
    if kind == "deflist":
        out = []
        for term, definition in content:
            out += [".TP", safe_line(inline(term))] + filled(definition)
        return out
    raise ValueError(kind)


def render(page, date, version):
    title = page.name.upper()
    # Identifiers are long: no hyphenation, no justification.
    lines = [f'.TH "{title}" 3 {date} "libiommufd {version}" "libiommufd Manual"', ".nh", ".ad l",
             ".SH NAME",
             *wrap(f"{', '.join(escape(n) for n in [page.name] + page.aliases)} \\- "
                   f"{escape(page.summary)}")]
    if page.kind == "function":
        lines += [".SH LIBRARY", "libiommufd (\\fI\\-liommufd\\fR, \\fIpkg-config libiommufd\\fR)"]
    for heading, blocks in page.sections:
        lines.append(f'.SH "{heading}"')
        first = True
        for kind, content in blocks:
            out = block(kind, content)
            # A paragraph right after a heading needs no .PP.
            if first and out and out[0] == ".PP":
                out = out[1:]
            lines += out
            first = kind == "subhead"
    return "\n".join(lines) + "\n"


def link(alias, target):
    return f".so man3/{target}.3\n"
