"""`python -m audit SITE`: Nu over every page, Lighthouse over six, tables printed, exit 1 on a miss."""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from audit import lighthouse, nu, targets
from audit.serve import serving


def site_prefix(mkdocs_yml: Path) -> str:
    """The path of ``site_url`` (the site is served there, as online)."""
    found = re.search(r"^site_url:\s*\S+?://[^/\s]+(/\S*)?\s*$", mkdocs_yml.read_text(encoding="utf-8"), re.MULTILINE)
    return (found.group(1) if found and found.group(1) else "/")


def median(runs: list[lighthouse.Run]) -> tuple[dict[str, int], float]:
    """The median scores and CLS of some runs of one page and form factor."""
    scores = {c: round(statistics.median(r.scores[c] for r in runs)) for c in lighthouse.CATEGORIES}
    return scores, statistics.median(r.cls for r in runs)


def nu_table(report: nu.Report) -> tuple[str, int]:
    project, theme = report.count(project=True), report.count(project=False)
    pages: dict[str, int] = {}
    for kind in (nu.kind_of(p.relative_to(report.site)) for p in report.files):
        pages[kind] = pages.get(kind, 0) + 1
    lines = [f"{'page kind':<16} {'pages':>5} {'project errors':>15} {'theme errors':>13}"]
    for kind in sorted(pages):
        lines.append(f"{kind:<16} {pages[kind]:>5} {project[kind]:>15} {theme[kind]:>13}")
    lines.append(f"{'all':<16} {sum(pages.values()):>5} {sum(project.values()):>15} {sum(theme.values()):>13}")
    return "\n".join(lines), sum(project.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m audit", description=__doc__)
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="for site_url's path")
    parser.add_argument("--runs", type=int, default=3,
                        help="Lighthouse runs at most per page and form factor: one, and more only while a target "
                             "is missed (the median counts; a busy machine slows the odd run)")
    parser.add_argument("--always", action="store_true", help="make every page and form factor take --runs runs")
    parser.add_argument("--skip-nu", action="store_true")
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument("--show", type=int, default=10, help="failing Nu errors / audits listed")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"audit: {args.site} has no index.html (build the site first: make site)", file=sys.stderr)
        return 2
    missed: list[str] = []

    if not args.skip_nu:
        started = time.monotonic()
        try:
            report = nu.check(args.site)
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
            print(f"audit: the Nu checker did not run: {error}", file=sys.stderr)
            return 2
        table, project_errors = nu_table(report)
        print(f"Nu HTML Checker ({nu.JAR.parent.parent.parent.name}), {len(report.files)} pages, "
              f"{time.monotonic() - started:.0f} s:\n{table}\n", flush=True)
        for finding in [f for f in report.findings if f.project][: args.show]:
            print(f"  project: {finding.page}:{finding.line}: {finding.message} [{finding.extract.strip()[:80]}]")
        if project_errors > targets.NU_PROJECT_ERRORS_MAX:
            missed.append(f"Nu: {project_errors} errors in the project's markup")

    if not args.skip_lighthouse:
        try:
            lighthouse_table(args, missed)
        except (lighthouse.LighthouseError, OSError, subprocess.TimeoutExpired) as error:
            print(f"audit: {error}", file=sys.stderr)
            return 2

    if missed:
        print("audit: targets missed:\n  " + "\n  ".join(missed), file=sys.stderr)
        return 1
    print("audit: every target met")
    return 0


def lighthouse_table(args: argparse.Namespace, missed: list[str]) -> None:
    """Lighthouse on the six pages, mobile and desktop: a row each, printed as it comes; misses added to ``missed``."""
    pages = targets.audited_pages(args.site)
    started = time.monotonic()
    header = (f"{'page':<13} {'form':<8} {'perf':>4} {'a11y':>4} {'b.p.':>4} {'seo':>4} {'CLS':>6}  "
              f"{'runs':<9} misses")
    print(f"Lighthouse 12, served gzipped; the median of {'' if args.always else 'up to '}{args.runs} run(s), "
          "each run's performance under 'runs':", flush=True)
    print(header, flush=True)
    with serving(args.site, site_prefix(args.config)) as base:
        for name, path in pages.items():
            for form in lighthouse.FORM_FACTORS:
                runs: list[lighthouse.Run] = []
                while len(runs) < max(args.runs, 1):
                    runs.append(lighthouse.run(base + path, form))
                    scores, cls = median(runs)
                    page_misses = targets.misses(scores, cls)
                    if not page_misses and not args.always:
                        break
                each = "/".join(str(r.scores["performance"]) for r in runs)
                row = (f"{name:<13} {form:<8} {scores['performance']:>4} {scores['accessibility']:>4} "
                       f"{scores['best-practices']:>4} {scores['seo']:>4} {cls:>6.3f}  {each:<9} "
                       f"{'; '.join(page_misses)}")
                print(row, flush=True)
                if page_misses:
                    missed.append(f"{name} ({path or '/'}) {form}: {'; '.join(page_misses)}")
                    lost = sorted({f for r in runs for f in r.failed})
                    for audit in lost[: args.show]:
                        print(f"    lost points: {audit}", flush=True)
    print(f"({len(pages)} pages x {len(lighthouse.FORM_FACTORS)} form factors in "
          f"{time.monotonic() - started:.0f} s; pages: {', '.join(f'{k}=/{v}' for k, v in pages.items())})\n")


if __name__ == "__main__":
    sys.exit(main())
