"""What the pages must reach (issue 16), one place for `make audit` and its report."""

from __future__ import annotations

from pathlib import Path

FULL_MARKS = ("accessibility", "best-practices", "seo")  # 100 on every audited page, mobile and desktop
PERFORMANCE_MIN = 95  # mobile (and desktop) with a compressing server
CLS_MAX = 0.01
NU_PROJECT_ERRORS_MAX = 0  # Material's own markup is reported beside it, not held to this


def audited_pages(site: Path) -> dict[str, str]:
    """The six pages Lighthouse scores, by name -> path under the site root.

    Of the topic, tag and paper pages, the largest of each kind: the heaviest page is the
    one a target is likeliest to miss on.
    """
    def largest(folder: str) -> str:
        pages = [p for p in (site / folder).glob("*/index.html")]
        if not pages:
            raise FileNotFoundError(f"{site / folder}: no pages (build the site first: make site)")
        biggest = max(pages, key=lambda p: (p.stat().st_size, p.as_posix()))
        return biggest.parent.relative_to(site).as_posix() + "/"

    return {"home": "", "topic": largest("topics"), "tag": largest("tags"), "paper": largest("papers"),
            "browse": "browse/", "contributing": "contributing/"}


def misses(scores: dict[str, int], cls: float) -> list[str]:
    """The targets one page and form factor misses."""
    missed = [f"{name} {scores[name]} < 100" for name in FULL_MARKS if scores[name] < 100]
    if scores["performance"] < PERFORMANCE_MIN:
        missed.append(f"performance {scores['performance']} < {PERFORMANCE_MIN}")
    if cls > CLS_MAX:
        missed.append(f"CLS {cls:.3f} > {CLS_MAX}")
    return missed
