"""The lower bound of a build: parse every record's front matter, write one small HTML file each.

    python benchmarks/lower_bound.py CORPUS OUT

No vocabulary, no checks, no listings: only what every static build of a
page per paper must do (read, parse YAML with libyaml, write a file).
"""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path

import yaml

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><article><h1>{title}</h1><p>{authors}</p><p>{year}</p><p>{abstract}</p></article></body></html>
"""


def render(record_id: str, text: str) -> str:
    _, front, body = text.split("---\n", 2)
    fields = yaml.load(front, Loader=yaml.CSafeLoader)
    return PAGE.format(title=html.escape(str(fields.get("title", record_id))),
                       authors=html.escape(", ".join(str(a) for a in fields.get("authors") or ())),
                       year=fields.get("year", ""), abstract=html.escape(body.strip()))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    corpus, out = Path(argv[0]), Path(argv[1])
    papers = out / "papers"
    count = 0
    for entry in sorted(os.scandir(corpus), key=lambda e: e.name):
        if not entry.name.endswith(".md") or entry.name.startswith("."):
            continue
        record_id = entry.name[:-3]
        with open(entry.path, encoding="utf-8") as handle:
            page = render(record_id, handle.read())
        target = papers / record_id
        target.mkdir(parents=True, exist_ok=True)
        with open(target / "index.html", "w", encoding="utf-8") as handle:
            handle.write(page)
        count += 1
    print(f"wrote {count} pages into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
