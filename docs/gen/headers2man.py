#!/usr/bin/env python3
"""Generate the libiommufd reference from the public headers' comments.

usage: headers2man.py --include DIR [--man OUTDIR] [--html FILE]
                      [--version V] [--date YYYY-MM-DD]

--man writes one section-3 page per documented function (or run of
functions sharing a comment; the others are .so links to it), one per
header, and libiommufd.3.  --html writes the same as one HTML page.  The
date defaults to SOURCE_DATE_EPOCH, else the newest header's mtime, so
the output does not change between builds of the same sources.
"""
import argparse
import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hdrdoc  # noqa: E402
import pages  # noqa: E402
import render_html  # noqa: E402
import render_man  # noqa: E402


def default_date(include):
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        epoch = max(p.stat().st_mtime for p in Path(include).glob("*.h"))
    return datetime.datetime.fromtimestamp(int(float(epoch)), datetime.timezone.utc) \
        .strftime("%Y-%m-%d")


def write_if_changed(path, text):
    path = Path(path)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--include", required=True)
    ap.add_argument("--man")
    ap.add_argument("--html")
    ap.add_argument("--version", default="")
    ap.add_argument("--date")
    args = ap.parse_args()
    date = args.date or default_date(args.include)

    manual = pages.Manual(hdrdoc.parse_headers(args.include))
    all_pages = manual.topic_pages() + manual.function_pages()
    if args.man:
        out = Path(args.man)
        out.mkdir(parents=True, exist_ok=True)
        wanted = set()
        for page in all_pages:
            wanted.add(f"{page.name}.3")
            write_if_changed(out / f"{page.name}.3", render_man.render(page, date, args.version))
            for alias in page.aliases:
                wanted.add(f"{alias}.3")
                write_if_changed(out / f"{alias}.3", render_man.link(alias, page.name))
        for old in out.glob("*.3"):
            if old.name not in wanted:
                old.unlink()
    if args.html:
        write_if_changed(args.html, render_html.render(manual, all_pages, date, args.version))
    return 0


if __name__ == "__main__":
    sys.exit(main())
