"""`make audit`'s own parts, fast: the compressing server, the Nu error split, Lighthouse's report read back, the targets."""

from __future__ import annotations

import gzip
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from audit import lighthouse, nu, targets
from audit.__main__ import site_prefix
from audit.serve import serving

from .support import ROOT

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>t</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'">
</head><body>
<input class="md-toggle" type="checkbox" id="__drawer" autocomplete="off">
<a href="#rl-content" class="md-skip rl-skip">Skip</a>
<article class="md-content__inner md-typeset">
<h1>Title</h1>
{content}
</article>
</body></html>
"""


def _get(url: str, gzip_ok: bool = True) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_server_gzips_text_at_the_sites_path_and_nothing_outside(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "browse").mkdir(parents=True)
    page = ("<!doctype html><title>b</title>" + "<p>words</p>" * 200).encode()
    (site / "browse" / "index.html").write_bytes(page)
    (site / "404.html").write_text("<!doctype html><title>404</title>")
    (tmp_path / "secret.txt").write_text("not served")
    with serving(site, "/reading-list/") as base:
        assert base.endswith("/reading-list/")
        status, headers, body = _get(base + "browse/")
        assert status == 200 and headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == page
        assert len(body) < len(page) / 5
        status, headers, body = _get(base + "browse/", gzip_ok=False)
        assert status == 200 and "Content-Encoding" not in headers and body == page
        assert _get(base + "browse")[0] == 200  # redirected to browse/, then served
        assert _get(base + "../secret.txt")[0] == 404
        assert _get(base.replace("/reading-list/", "/robots.txt"))[0] == 404  # Lighthouse asks: an answer, not a hang


def test_site_prefix_is_the_path_of_site_url() -> None:
    assert site_prefix(ROOT / "mkdocs.yml") == "/reading-list/"


def test_errors_are_the_projects_inside_the_article_and_head_tags_the_themes_elsewhere() -> None:
    html = PAGE.format(content="<p>fine</p>")
    regions = nu.project_regions(html)

    def owner(snippet: str) -> bool:
        at = html.index(snippet)
        return any(a <= at < b for a, b in regions)

    assert owner("<h1>Title")  # the article
    assert owner('<meta http-equiv="Content-Security-Policy"')  # the extrahead override
    assert owner('<a href="#rl-content"')  # an element with the project's prefix
    assert not owner('<input class="md-toggle"')  # Material's
    assert not owner("<title>")


@pytest.mark.skipif(not nu.JAR.exists() or shutil.which("java") is None,
                    reason="the Nu checker is installed by `make audit` (npm ci in audit/) and needs a JRE")
def test_the_nu_checker_counts_a_project_error_and_a_theme_error_apart(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "tags" / "x").mkdir(parents=True)
    (site / "tags" / "x" / "index.html").write_text(PAGE.format(content='<ul aria-checked="maybe"><li>a</li></ul>'))
    (site / "index.html").write_text(PAGE.format(content="<p>fine</p>"))
    report = nu.check(site)
    assert report.count(project=True) == {"tags/*": 1}
    assert report.count(project=False) == {"tags/*": 1, "home": 1}  # autocomplete on a checkbox: Material's


def _report(scores: dict[str, float], cls: float, failing: str = "") -> dict[str, object]:
    audits = {"cumulative-layout-shift": {"score": 1, "numericValue": cls},
              "target-size": {"score": 0 if failing == "target-size" else 1}}
    categories = {name: {"score": scores[name], "auditRefs": [{"id": "target-size", "weight": 7}] if name == "accessibility"
                         else [{"id": "cumulative-layout-shift", "weight": 25}] if name == "performance" else []}
                  for name in lighthouse.CATEGORIES}
    return {"categories": categories, "audits": audits}


def test_a_lighthouse_report_reads_back_with_what_lost_points() -> None:
    run = lighthouse.parse("u", "mobile", _report(
        {"performance": 0.97, "accessibility": 0.92, "best-practices": 1, "seo": 1}, 0.2981, "target-size"))
    assert run.scores == {"performance": 97, "accessibility": 92, "best-practices": 100, "seo": 100}
    assert run.cls == pytest.approx(0.2981)
    assert run.failed == ("accessibility: target-size (0.00)",)


def test_targets_name_every_miss() -> None:
    full = {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100}
    assert targets.misses(full, 0.0) == []
    assert targets.misses({**full, "performance": 94, "seo": 92}, 0.05) == [
        "seo 92 < 100", "performance 94 < 95", "CLS 0.050 > 0.01"]


def test_the_audited_pages_are_the_largest_of_each_kind(real_site: Path) -> None:
    pages = targets.audited_pages(real_site)
    assert list(pages) == ["home", "topic", "tag", "paper", "browse", "contributing"]
    for name, folder in (("topic", "topics"), ("tag", "tags"), ("paper", "papers")):
        sizes = {p.parent.name: p.stat().st_size for p in (real_site / folder).glob("*/index.html")}
        assert pages[name] == f"{folder}/{max(sizes, key=lambda k: (sizes[k], k))}/"
