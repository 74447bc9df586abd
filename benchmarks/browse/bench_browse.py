"""Benchmark the browse page's engines at N papers: index build cost, bytes and latency in Chromium.

    .venv/bin/python benchmarks/browse/bench_browse.py                 # N = 1000, every engine
    .venv/bin/python benchmarks/browse/bench_browse.py --n 1000 20000 100000 --json results.json
    .venv/bin/python benchmarks/browse/bench_browse.py --n 20000 --engines own
    .venv/bin/python benchmarks/browse/bench_browse.py --n 100000 --engines own --emerges 150

For each N it (1) writes a synthetic list with ``python -m generator synth N`` (kept between runs
in --work), (2) builds each engine's index in a child process, timing it and reading its peak
RSS, (3) serves one site holding all of them on 127.0.0.1 with a Range-capable server, and
(4) drives headless Chromium through the same views, counting the response bytes of every
request (raw, and gzip as GitHub Pages would send text) and the time from the input to the
results on screen.

Engines:

- ``own``: generator/browse (this repository), through the real /browse/ page and its controls;
- ``pagefind``: Pagefind's CLI (pagefind_bin) over one minimal HTML page per paper, with
  filters tag/topic/year and a date sort, queried through its JS API;
- ``sqlite``: one static SQLite file (FTS5 for words, tables for tags/topics/years) read by
  sql.js-httpvfs (npm, pinned in package.json; run ``npm ci`` here first) with Range requests.

The site is the real list's site (theme, /browse/ page) with the N-paper index written into it:
paper pages are not needed to measure browsing, and the full MkDocs build is measured elsewhere.
Material's own files (assets/, search/search_index.json) are left out of the byte counts.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from serve import serving  # noqa: E402

from generator.model import Catalog  # noqa: E402

THEME = re.compile(r"/assets/(javascripts|stylesheets|images)/|/search/search_index\.json")
COMPRESSIBLE = re.compile(r"\.(html|js|css|json|wasm|svg|txt)(\?|$)|/$|/\?")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

Step = tuple[str, dict[str, Any]]
ENGINES = ["own", "own-exact", "pagefind", "sqlite"]


# --- corpus and indexes -------------------------------------------------------------------

def corpus(n: int, work: Path, kind: str = "synth") -> Path:
    """The list of ``n`` papers: the project's synthetic list, or corpus.py's Zipf-worded one."""
    from generator.synth import read_stamp

    if kind == "zipf":
        from corpus import write_corpus

        out = work / f"zipf-{n}"
        if not (out / "tags.yml").exists() or sum(1 for _ in out.glob("*.md")) != n:
            shutil.rmtree(out, ignore_errors=True)
            write_corpus(n, out)
        return out
    out = work / f"papers-{n}"
    stamp = read_stamp(out) if out.exists() else None
    if not stamp or stamp.get("n") != n:
        subprocess.run([sys.executable, "-m", "generator", "synth", str(n), "--out", str(out), "--force"],
                       cwd=ROOT, check=True)
    return out


def with_emerges(papers: Path, chars: int) -> Path:
    """A copy of ``papers`` where every record has an ``emerges`` line of about ``chars`` characters
    (the synthetic lists have none): one sentence of the record's own abstract words, kept between runs."""
    import random

    out = papers.with_name(f"{papers.name}-emerges{chars}")
    records = sorted(papers.glob("*.md"))
    if out.exists() and sum(1 for _ in out.glob("*.md")) == len(records):
        return out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name in ("topics.yml", "tags.yml"):
        shutil.copy(papers / name, out / name)
    for record in records:
        data = record.read_text(encoding="utf-8")
        end = data.index("\n---", 3)
        words = re.findall(r"[a-z]{3,}", data[end:].lower()) or ["behavior"]
        rng = random.Random(record.stem)
        line = rng.choice(words).capitalize() + " " + rng.choice(words) + " emerges in"
        while len(line) < chars - 1:
            word = rng.choice(words)
            if len(line) + 1 + len(word) > chars - 1:
                word = word[:max(3, chars - 2 - len(line))]  # the last word fills the line (a made-up word at worst)
            line += " " + word
        line += "."
        (out / record.name).write_text(data[:end] + f"\nemerges: {json.dumps(line)}" + data[end:], encoding="utf-8")
    return out


def _child(args: list[str]) -> dict[str, Any]:
    """Run this file as a child (a fresh process, so its peak RSS is its own); its JSON answer."""
    run = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if run.returncode:
        raise RuntimeError(run.stdout + run.stderr)
    answer: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return answer


def _rss_mb() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_own(papers: Path, site: Path) -> dict[str, Any]:
    """Load, then time browse_files and write its files into ``site``."""
    from generator.browse import browse_files
    from generator.load import load
    from generator.write import write_files

    catalog = load(papers).catalog
    assert catalog is not None
    loaded = _rss_mb()
    started = time.perf_counter()
    files = browse_files(catalog)
    seconds = time.perf_counter() - started
    peak = _rss_mb()
    shutil.rmtree(site / "browse" / "data", ignore_errors=True)
    started = time.perf_counter()
    write_files(site, files)
    return {"seconds": seconds, "write_seconds": time.perf_counter() - started, "rss_loaded_mb": loaded,
            "rss_peak_mb": peak, "files": len(files), "bytes": sum(map(len, files.values()))}


def child_sqlite(papers: Path, site: Path) -> dict[str, Any]:
    """Build bench/papers.sqlite3: papers, tags both ways, topics, years, an FTS5 table."""
    from generator.load import load

    catalog = load(papers).catalog
    assert catalog is not None
    loaded = _rss_mb()
    target = site / "bench" / "papers.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    db = sqlite3.connect(target)
    db.executescript("""
        PRAGMA page_size = 1024; PRAGMA journal_mode = DELETE;
        CREATE TABLE meta(n INTEGER);
        CREATE TABLE papers(row INTEGER PRIMARY KEY, id TEXT, title TEXT, authors TEXT, year INTEGER, venue TEXT);
        CREATE INDEX papers_year ON papers(year, row);
        CREATE TABLE tags(tag TEXT, row INTEGER, PRIMARY KEY (tag, row)) WITHOUT ROWID;
        CREATE TABLE rowtags(row INTEGER, tag TEXT, PRIMARY KEY (row, tag)) WITHOUT ROWID;
        CREATE TABLE topics(topic TEXT, row INTEGER, PRIMARY KEY (topic, row)) WITHOUT ROWID;
        CREATE TABLE tag_totals(tag TEXT PRIMARY KEY, n INTEGER);
        CREATE VIRTUAL TABLE fts USING fts5(title, authors, abstract, content='', tokenize='unicode61 remove_diacritics 2');
    """)
    from generator.render.text import short_authors

    db.execute("INSERT INTO meta VALUES (?)", (len(catalog),))
    db.executemany("INSERT INTO papers VALUES (?, ?, ?, ?, ?, ?)",
                   ((r, p.id, p.title, short_authors(p.authors), p.year, p.venue) for r, p in enumerate(catalog.papers)))
    pairs = [(t, r) for r, p in enumerate(catalog.papers) for t in p.tags]
    db.executemany("INSERT INTO tags VALUES (?, ?)", pairs)
    db.executemany("INSERT INTO rowtags VALUES (?, ?)", ((r, t) for t, r in pairs))
    db.executemany("INSERT INTO topics VALUES (?, ?)", ((t, r) for r, p in enumerate(catalog.papers) for t in p.topics))
    db.executemany("INSERT INTO tag_totals VALUES (?, ?)", ((t, len(catalog.papers_with_tag(t))) for t in catalog.tags))
    db.executemany("INSERT INTO fts(rowid, title, authors, abstract) VALUES (?, ?, ?, ?)",
                   ((r, p.title, " ".join(p.authors), p.abstract) for r, p in enumerate(catalog.papers)))
    db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    db.commit()
    db.execute("VACUUM")
    db.close()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rss_loaded_mb": loaded, "rss_peak_mb": _rss_mb(), "files": 1,
            "bytes": target.stat().st_size}


def pagefind_html(catalog: Catalog, out: Path) -> None:
    """One small page per paper: title, authors, abstract; tag/topic/year filters, a date sort."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for paper in catalog.papers:
        e = html.escape
        filters = "".join(f'<span data-pagefind-filter="tag">{e(t)}</span>' for t in paper.tags)
        filters += "".join(f'<span data-pagefind-filter="topic">{e(t)}</span>' for t in paper.topics)
        day = (paper.date or paper.added).isoformat()
        (out / f"{paper.id}.html").write_text(
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{e(paper.title)}</title></head><body>'
            f'<main data-pagefind-body><h1 data-pagefind-meta="title">{e(paper.title)}</h1>'
            f'<p data-pagefind-meta="authors">{e(", ".join(paper.authors[:3]))}</p>{filters}'
            f'<span data-pagefind-filter="year" data-pagefind-meta="year">{paper.year}</span>'
            f'<span data-pagefind-sort="date" hidden>{day}</span><p>{e(paper.abstract)}</p></main></body></html>',
            encoding="utf-8")


def build_pagefind(catalog: Catalog, site: Path, work: Path, memory_gb: float) -> dict[str, Any]:
    """Pagefind's CLI over one page per paper, its address space capped at ``memory_gb`` (a shared machine)."""
    import resource

    import pagefind_bin  # type: ignore[import-untyped]

    pages = work / f"pagefind-html-{len(catalog)}"
    pagefind_html(catalog, pages)
    binary = Path(pagefind_bin.__file__).parent / "pagefind"
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    cap = int(memory_gb * 2**30)
    started = time.perf_counter()
    process = subprocess.Popen([str(binary), "--site", str(pages), "--output-path", str(site / "pagefind")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (cap, cap)))
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status:
        error = process.stderr.read().decode(errors="replace")[-300:] if process.stderr else ""
        return {"failed": f"exit status {status} under a {memory_gb:g} GB cap: {error.strip()}", "seconds": seconds,
                "rss_peak_mb": usage.ru_maxrss / 1024, "files": 0, "bytes": 0}
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    return {"seconds": seconds, "rss_peak_mb": usage.ru_maxrss / 1024, "files": len(files),
            "bytes": sum(p.stat().st_size for p in files)}


def prepare_site(n: int, work: Path) -> Path:
    """The real list's built site, copied, with the harness pages and sql.js-httpvfs beside it."""
    base = work / "site-base"
    # rebuilt every run (95 papers, about a second): picks up any change to the page, its script or the theme
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--out", str(base)], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    if run.returncode:
        raise RuntimeError(run.stdout + run.stderr)
    site = work / f"site-{n}"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(base, site)
    bench = site / "bench"
    bench.mkdir()
    for page in (HERE / "harness").iterdir():
        shutil.copy(page, bench / page.name)
    dist = HERE / "node_modules" / "sql.js-httpvfs" / "dist"
    if dist.exists():
        shutil.copytree(dist, bench / "sqljs", ignore=shutil.ignore_patterns("*.map", "*.d.ts"))
    return site


# --- the views ----------------------------------------------------------------------------

def steps_for(catalog: Catalog) -> list[Step]:
    """The same walk through the page for every engine: tags, mode, topic, years, words."""
    from collections import Counter

    tags = sorted(catalog.tags, key=lambda t: (-len(catalog.papers_with_tag(t)), t))
    topic = sorted(catalog.topics, key=lambda t: (-len(catalog.papers_in_topic(t)), t))[0]
    newest = max(p.year for p in catalog.papers)
    family = Counter(a.split()[-1] for p in catalog.papers for a in p.authors if a.split())
    author = sorted(family, key=lambda f: (-family[f], f))[0]
    a, b = tags[0], tags[min(4, len(tags) - 1)]
    return [
        ("first load", {}),
        ("tag A", {"tags": [a]}),
        ("tags A+B, all", {"tags": [a, b]}),
        ("tags A+B, any", {"tags": [a, b], "mode": "any"}),
        ("+ topic", {"tags": [a, b], "mode": "any", "topic": topic}),
        ("+ years", {"tags": [a, b], "mode": "any", "topic": topic, "from": newest - 2, "to": newest}),
        ("clear", {}),
        ("words: agents", {"q": "agents"}),
        ("words: emergent communication", {"q": "emergent communication"}),
        ("words + tag A", {"q": "emergent communication", "tags": [a]}),
        ("author", {"q": author}),
        ("tag B + year", {"tags": [b], "from": newest - 1}),
    ]


OWN_APPLY = """async (s) => {
  const root = document.getElementById("rl-browse");
  root.setAttribute("data-status", "stale");
  root.removeAttribute("data-results-at");
  const done = new Promise((resolve) => {
    const watch = new MutationObserver(() => {
      if (root.getAttribute("data-status") === "ready") { watch.disconnect(); resolve(); }
    });
    watch.observe(root, { attributes: true });
  });
  const t0 = performance.now();
  const form = document.getElementById("rl-form"), q = document.getElementById("rl-q");
  if (s.clear) {
    document.getElementById("rl-clear").click();
  } else {
    document.querySelectorAll("#rl-tag-list input").forEach((i) => { i.checked = (s.tags || []).includes(i.value); });
    form.querySelector("input[name=mode][value=" + (s.mode || "all") + "]").checked = true;
    document.getElementById("rl-topic").value = s.topic || "";
    document.getElementById("rl-from").value = s.from ? String(s.from) : "";
    document.getElementById("rl-to").value = s.to ? String(s.to) : "";
    if (q.value !== (s.q || "")) { q.value = s.q || ""; q.dispatchEvent(new Event("input", { bubbles: true })); }
    else form.dispatchEvent(new Event("change", { bubbles: true }));
  }
  await done;
  const total = parseInt(document.getElementById("rl-status").textContent.replace(/,/g, ""), 10);
  const tagCounts = {};
  document.querySelectorAll("#rl-tag-list input").forEach((i) => {
    tagCounts[i.value] = parseInt(i.parentElement.querySelector(".rl-tag__count").textContent.replace(/[^0-9]/g, ""), 10);
  });
  return { total, resultsMs: parseFloat(root.getAttribute("data-results-at")) - t0, readyMs: performance.now() - t0,
           counts: root.getAttribute("data-counts"), tagCounts };
}"""


def _years(state: dict[str, Any], newest: int) -> list[int]:
    if "from" not in state and "to" not in state:
        return []
    return list(range(state.get("from", 1900), state.get("to", newest) + 1))


class Meter:
    """Every request of a page (workers' included), with its response body size."""

    def __init__(self, page: Any) -> None:
        self.requests: list[Any] = []
        page.on("requestfinished", self._seen)
        page.context.on("requestfinished", self._seen)

    def _seen(self, request: Any) -> None:
        if request not in self.requests:
            self.requests.append(request)

    def take(self) -> dict[str, Any]:
        raw = packed = count = 0
        urls = []
        for request in self.requests:
            if THEME.search(request.url):
                continue
            size = request.sizes()["responseBodySize"]
            response = request.response()
            status = response.status if response else 0
            zipped = size
            if response and status == 200 and COMPRESSIBLE.search(request.url):
                try:
                    zipped = len(gzip.compress(response.body(), 6, mtime=0))
                except Exception:  # body no longer available: count it raw
                    zipped = size
            raw += size
            packed += zipped
            count += 1
            urls.append((request.url.split("/", 3)[-1], size))
        self.requests.clear()
        return {"bytes": raw, "gzip_bytes": packed, "requests": count, "urls": urls}


def drive(base: str, engine: str, steps: list[Step], newest: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    rows: list[dict[str, Any]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        if engine == "own-exact":  # the same page without its byte budget: every tag count exact
            context.add_init_script("window.rlBrowseExact = true;")
        page = context.new_page()
        meter = Meter(page)
        if engine.startswith("own"):
            started = time.perf_counter()
            page.goto(base + "browse/")
            page.wait_for_selector("#rl-browse[data-status=ready]", state="attached", timeout=120_000)
            shown = (time.perf_counter() - started) * 1000
            page.wait_for_load_state("networkidle")

            def run_own(s: dict[str, Any]) -> dict[str, Any]:
                result: dict[str, Any] = page.evaluate(OWN_APPLY, s or {"clear": True})
                return result

            run: Callable[[dict[str, Any]], dict[str, Any]] = run_own
            total = int(re.sub(r"\D", "", page.inner_text("#rl-status").split(" ")[0]))
            first = {"total": total, "resultsMs": shown, "readyMs": shown}
        else:
            started = time.perf_counter()
            page.goto(base + f"bench/{engine}.html")
            page.wait_for_function("window.benchReady || window.benchError", timeout=300_000)
            if page.evaluate("window.benchError || ''"):
                raise RuntimeError(page.evaluate("window.benchError"))

            def run_harness(s: dict[str, Any]) -> dict[str, Any]:
                state = {"tags": s.get("tags", []), "mode": s.get("mode", "all"), "topic": s.get("topic", ""),
                         "years": _years(s, newest), "q": s.get("q", "")}
                result: dict[str, Any] = page.evaluate("s => window.runState(s)", state)
                return result

            run = run_harness
            first = run({})
            first["resultsMs"] = (time.perf_counter() - started) * 1000
            page.wait_for_load_state("networkidle")
        rows.append({"step": steps[0][0], **first, **meter.take()})
        for name, state in steps[1:]:
            result = run(state)
            page.wait_for_load_state("networkidle")
            rows.append({"step": name, **result, **meter.take()})
        browser.close()
    return rows


# --- the report ---------------------------------------------------------------------------

def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    changes = rows[1:]
    return {
        "first_load_kb": rows[0]["bytes"] / 1024, "first_load_gzip_kb": rows[0]["gzip_bytes"] / 1024,
        "change_kb_median": statistics.median(r["bytes"] for r in changes) / 1024,
        "change_kb_max": max(r["bytes"] for r in changes) / 1024,
        "change_gzip_kb_max": max(r["gzip_bytes"] for r in changes) / 1024,
        "latency_ms_median": statistics.median(r["resultsMs"] for r in changes),
        "latency_ms_max": max(r["resultsMs"] for r in changes),
    }


def estimate_errors(steps: list[dict[str, Any]], exact: list[dict[str, Any]]) -> dict[str, Any]:
    """How far the estimated tag counts were from the exact ones (tags with >= 20 papers)."""
    relative: list[float] = []
    estimated = 0
    for got, truth in zip(steps, exact, strict=True):
        if got.get("counts") != "estimated":
            continue
        estimated += 1
        for tag, count in truth.get("tagCounts", {}).items():
            if count >= 20:
                relative.append(abs(got["tagCounts"][tag] - count) / count)
    if not relative:
        return {"estimated_steps": estimated}
    relative.sort()
    return {"estimated_steps": estimated, "median_error": round(statistics.median(relative), 3),
            "p90_error": round(relative[int(0.9 * (len(relative) - 1))], 3), "max_error": round(relative[-1], 3)}


def markdown(report: dict[str, Any]) -> str:
    """The README's table, from a report (``--json`` output; several can be merged with ``--table``)."""
    lines = ["| N | engine | index build | build peak RSS | index size | first load | per change: median / max "
             "| input → results: median / max |", "|---|---|---|---|---|---|---|---|"]
    for n, engines in sorted(report.items(), key=lambda kv: int(kv[0])):
        for engine in sorted(set(engines) - {"estimates"}, key=ENGINES.index):
            data = engines[engine]
            b = data["build"]
            rss = f"{b['rss_peak_mb']:,.0f} MB"
            if "rss_loaded_mb" in b:
                rss += f" (+{b['rss_peak_mb'] - b['rss_loaded_mb']:,.0f} over the loaded list)"
            if "failed" in b:
                lines.append(f"| {int(n):,} | {engine} | failed after {b['seconds']:.0f} s | {rss} | – | – | – | – |")
                continue
            s = data["summary"]
            lines.append(
                f"| {int(n):,} | {engine} | {b['seconds']:.1f} s | {rss} | {b['bytes'] / 1e6:,.1f} MB, "
                f"{b['files']:,} files | {s['first_load_kb']:,.0f} KB ({s['first_load_gzip_kb']:,.0f} gzip) | "
                f"{s['change_kb_median']:,.0f} / {s['change_kb_max']:,.0f} KB ({s['change_gzip_kb_max']:,.0f} gzip) | "
                f"{s['latency_ms_median']:,.0f} / {s['latency_ms_max']:,.0f} ms |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000], help="list sizes (default 1000)")
    parser.add_argument("--engines", default="own,own-exact,pagefind,sqlite",
                        help="comma-separated: own, own-exact (no byte budget), pagefind, sqlite")
    parser.add_argument("--work", type=Path, default=Path("/tmp/browse-bench"), help="scratch folder")
    parser.add_argument("--corpus", choices=["synth", "zipf"], default="synth",
                        help="synth: python -m generator synth (default); zipf: corpus.py, a long-tailed vocabulary")
    parser.add_argument("--emerges", type=int, metavar="CHARS",
                        help="give every paper an emerges line of about CHARS characters (on a copy of the list)")
    parser.add_argument("--json", type=Path, help="write every measurement here")
    parser.add_argument("--steps", action="store_true", help="print every step, not only the summary")
    parser.add_argument("--pagefind-memory-gb", type=float, default=12,
                        help="address-space cap for Pagefind's indexer (default 12; it needs ~140 KB a page)")
    parser.add_argument("--table", type=Path, nargs="+", help="print the Markdown table of --json files and stop")
    args = parser.parse_args(argv)
    if args.table:
        merged: dict[str, Any] = {}
        for path in args.table:
            for n, engines_of_n in json.loads(path.read_text()).items():
                merged.setdefault(n, {}).update(engines_of_n)
        print(markdown(merged))
        return 0
    engines = args.engines.split(",")
    args.work.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {}
    for n in args.n:
        papers = corpus(n, args.work, args.corpus)
        if args.emerges:
            papers = with_emerges(papers, args.emerges)
        site = prepare_site(n, args.work)
        from generator.load import load

        catalog = load(papers).catalog
        assert catalog is not None
        steps = steps_for(catalog)
        newest = max(p.year for p in catalog.papers)
        builds: dict[str, dict[str, Any]] = {}
        if "own" in engines or "own-exact" in engines:
            builds["own"] = builds["own-exact"] = _child(["--child", "own", str(papers), str(site)])
        if "sqlite" in engines:
            builds["sqlite"] = _child(["--child", "sqlite", str(papers), str(site)])
        if "pagefind" in engines:
            builds["pagefind"] = build_pagefind(catalog, site, args.work, args.pagefind_memory_gb)
        del catalog
        report[str(n)] = {}
        with serving(site) as base:
            for engine in engines:
                if "failed" in builds[engine]:
                    report[str(n)][engine] = {"build": builds[engine]}
                    print(f"N={n:>6} {engine:>8}: build failed after {builds[engine]['seconds']:.0f} s, peak RSS "
                          f"{builds[engine]['rss_peak_mb']:.0f} MB: {builds[engine]['failed']}", flush=True)
                    continue
                rows = drive(base, engine, steps, newest)
                report[str(n)][engine] = {"build": builds[engine], "steps": rows, "summary": summary(rows)}
                s, b = report[str(n)][engine]["summary"], builds[engine]
                print(f"N={n:>6} {engine:>8}: build {b['seconds']:.1f} s, peak RSS {b['rss_peak_mb']:.0f} MB, "
                      f"index {b['bytes'] / 1e6:.1f} MB in {b['files']} files | first load {s['first_load_kb']:.0f} KB "
                      f"(gzip {s['first_load_gzip_kb']:.0f}) | per change median {s['change_kb_median']:.0f} KB, "
                      f"max {s['change_kb_max']:.0f} KB (gzip {s['change_gzip_kb_max']:.0f}) | results median "
                      f"{s['latency_ms_median']:.0f} ms, max {s['latency_ms_max']:.0f} ms", flush=True)
                if args.steps:
                    for r in rows:
                        print(f"    {r['step']:<32} {r['bytes'] / 1024:8.1f} KB ({r['gzip_bytes'] / 1024:6.1f} gzip) "
                              f"{r['requests']:4d} req {r['resultsMs']:8.1f} ms  total {r.get('total')}", flush=True)
        if "own" in engines and "own-exact" in engines:
            report[str(n)]["estimates"] = estimate_errors(report[str(n)]["own"]["steps"],
                                                          report[str(n)]["own-exact"]["steps"])
            print(f"N={n:>6} estimated tag counts vs exact: {report[str(n)]['estimates']}", flush=True)
        if args.json:
            args.json.write_text(json.dumps(report, indent=1, default=str))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        engine, papers_dir, site_dir = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
        answer = (child_own if engine == "own" else child_sqlite)(papers_dir, site_dir)
        print(json.dumps(answer))
        sys.exit(0)
    sys.exit(main())
