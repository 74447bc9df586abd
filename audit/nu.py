"""The Nu HTML Checker (the pinned vnu-jar, run with Debian's JRE) over every page of a site.

Each error is counted as the project's or the theme's by where it is: the article (Markdown
and the generator's templates), the head tags after the Content-Security-Policy (the
``extrahead`` override) and start tags with a class or id of the project's ``rl-`` prefix are the project's
markup; the rest of the page is Material's.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
JAR = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TIMEOUT = 600

_ARTICLE_OPEN = re.compile(r'<article class="?md-content__inner\b')
_ARTICLE_TAG = re.compile(r"<(/?)article\b", re.IGNORECASE)
_EXTRAHEAD = re.compile(r'<meta http-equiv="?Content-Security-Policy"?.*?</head>', re.DOTALL | re.IGNORECASE)
_OWN_TAG = re.compile(r'<[a-z][^>]*\b(?:class="?(?:[^">]*\s)?|id="?)rl-[^>]*>', re.IGNORECASE)  # a class or id rl-*


@dataclass(frozen=True)
class Finding:
    page: Path
    line: int
    message: str
    extract: str
    project: bool


@dataclass
class Report:
    site: Path
    files: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def count(self, project: bool) -> Counter[str]:
        """Errors per page kind, the project's or the theme's."""
        return Counter(kind_of(f.page) for f in self.findings if f.project == project)


def kind_of(page: Path) -> str:
    """The page kind of a site file: its first folder ('papers', 'tags'...), 'home' or the page itself."""
    parts = page.parts
    if parts == ("index.html",):
        return "home"
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return parts[0]  # browse/index.html, topics/index.html...: one page each
    return f"{parts[0]}/*"


def project_regions(html: str) -> list[tuple[int, int]]:
    """Offsets of the markup the project writes (see the module's docstring)."""
    regions = [(m.start(), m.end()) for m in _EXTRAHEAD.finditer(html)]
    regions += [(m.start(), m.end()) for m in _OWN_TAG.finditer(html)]
    start = _ARTICLE_OPEN.search(html)
    if start:
        depth = 0
        for tag in _ARTICLE_TAG.finditer(html, start.start()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                regions.append((start.start(), tag.end()))
                break
    return regions


def _offset(html: str, line: int, column: int) -> int:
    lines = html.split("\n")
    return sum(len(text) + 1 for text in lines[: line - 1]) + max(column - 1, 0)


def check(site: Path) -> Report:
    """Run the checker once over every HTML page of ``site``."""
    site = site.resolve()
    pages = sorted(site.rglob("*.html"))
    command = ["java", "-jar", str(JAR), "--format", "json", "--errors-only", "--exit-zero-always",
               *map(str, pages)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"vnu exited {done.returncode}: {done.stderr.strip()[-400:]}")
    messages = json.loads(done.stderr or done.stdout)["messages"]
    report = Report(site=site, files=pages)
    texts: dict[Path, tuple[str, list[tuple[int, int]]]] = {}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        path = Path(unquote(urlsplit(message["url"]).path))
        if path not in texts:
            html = path.read_text(encoding="utf-8")
            texts[path] = (html, project_regions(html))
        html, regions = texts[path]
        line = int(message.get("lastLine", message.get("firstLine", 1)))
        at = _offset(html, line, int(message.get("lastColumn", 1)))
        report.findings.append(Finding(
            page=path.relative_to(site.resolve()), line=line, message=message.get("message", ""),
            extract=message.get("extract", ""), project=any(a <= at < b for a, b in regions)))
    return report
