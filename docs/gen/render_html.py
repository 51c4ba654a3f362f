"""Render pages (pages.py) as one self-contained HTML reference."""
import html

STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
pre { background: #f4f4f4; padding: 0.5em; overflow-x: auto; }
h2 { border-bottom: 1px solid #ccc; margin-top: 2.5em; }
h3 { margin-bottom: 0.2em; }
dt { font-family: monospace; margin-top: 0.4em; }
dd { margin-left: 2em; }
.summary { font-style: italic; }
nav ul { columns: 2; }
"""


def anchor(name):
    return "p-" + name


def inline(tokens):
    out = []
    for style, text in tokens:
        t = html.escape(text)
        if style == "r":
            out.append(t)
        elif style == "i":
            out.append(f"<i>{t}</i>")
        elif style == "b":
            out.append(f"<b>{t}</b>")
        elif style in ("ref", "page"):
            out.append(f'<a href="#{anchor(text)}"><code>{t}</code></a>')
    return "".join(out)


def block(kind, content, refs):
    if kind == "para":
        return f"<p>{inline(content)}</p>"
    if kind == "subhead":
        return f"<h4>{html.escape(content)}</h4>"
    if kind == "verbatim":
        return "<pre>" + html.escape("\n".join(content)) + "</pre>"
    if kind == "synopsis":
        return "<pre>" + "\n".join(inline(line) for line in content) + "</pre>"
    if kind == "deflist":
        items = "".join(f"<dt>{inline(t)}</dt><dd>{inline(d)}</dd>" for t, d in content)
        return f"<dl>{items}</dl>"
    raise ValueError(kind)


def render_page(page, refs, level):
    ids = "".join(f'<span id="{anchor(a)}"></span>' for a in page.aliases)
    names = ", ".join(html.escape(n) for n in [page.name] + page.aliases)
    out = [f'<h{level} id="{anchor(page.name)}">{ids}{names}</h{level}>',
           f'<p class="summary">{html.escape(page.summary)}</p>']
    for heading, blocks in page.sections:
        if heading == "SEE ALSO" and page.kind == "function":
            continue
        out.append(f"<h{level + 1}>{html.escape(heading.capitalize())}</h{level + 1}>")
        out += [block(kind, content, refs) for kind, content in blocks]
    return "\n".join(out)


def render(manual, all_pages, date, version):
    topics = [p for p in all_pages if p.kind == "topic"]
    by_header = {}
    for p in all_pages:
        if p.kind == "function":
            by_header.setdefault(p.include, []).append(p)
    nav = "".join(f'<li><a href="#{anchor(t.name)}">{html.escape(t.name)}</a> '
                  f'&mdash; {html.escape(t.summary)}</li>' for t in topics)
    body = [f"<nav><h2>Topics</h2><ul>{nav}</ul></nav>"]
    for t in topics:
        body.append("<section>")
        body.append(render_page(t, manual, 2))
        for f in by_header.get(t.include, []):
            body.append(render_page(f, manual, 3))
        body.append("</section>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>libiommufd {html.escape(version)} reference</title>
<style>{STYLE}</style></head>
<body>
<h1>libiommufd {html.escape(version)} reference</h1>
<p>Generated from the comments of the public headers ({html.escape(date)}).
The same text is installed as man pages: <code>man 3 libiommufd</code>.</p>
{chr(10).join(body)}
</body></html>
"""
