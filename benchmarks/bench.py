"""Benchmark our build against plain MkDocs + Material, Hugo and a lower bound.

    python benchmarks/bench.py [--sizes "1000 20000"] [--seed 1] [--out benchmarks/out]
    make bench SIZES="1000 20000 100000"        # TIMEOUT=1800 REF_MKDOCS_MAX=20000

For each N: one synthetic corpus (``python -m generator synth``; reused while
N, seed and vocabulary match), then every measurement in a subprocess of its
own: wall seconds, CPU seconds (user + sys of the child and its children, from
``os.wait4``), peak RSS of the child, output size, file count, median paper-page
size and, for rebuilds, how many files were written (mtime changed or new).
A failure or a timeout is reported as such and the run goes on. Raw figures go
to ``<out>/bench-<timestamp>.json`` and ``<out>/latest.json``.

``--compare DIR`` also measures another checkout of the project (say a git
worktree of an older commit) on the same corpus: this venv's python with
cwd=DIR, so DIR's ``generator`` package and mkdocs.yml are used, with its own
site folder and its own caches (``DIR/.cache/``). Its rows ("base cold", ...)
are printed beside ours with the ratios ours/base, and the two cold sites are
compared file by file.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from corpus import DEFAULT_OUT, ROOT, begin_edit, ensure_corpus, pick_record, restore_edit
from references import prepare_hugo, prepare_mkdocs

VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
STEPS = ("cold", "no-change", "one-edit", "check-one")  # the runs of a checkout of the project
REFERENCES = ("ref MkDocs", "Hugo", "lower bound")
ROWS = (*(f"ours {step}" for step in STEPS), *REFERENCES)
COMPARED_ROWS = (*(f"{who} {step}" for step in STEPS for who in ("ours", "base")), *REFERENCES)  # with --compare
EDIT_WORD = " revisited"


@dataclass
class Measurement:
    """One row of the table; numbers are None when they do not apply or the run failed."""

    status: str = "ok"  # ok | failed (exit N) | timeout (>T s) | skipped (...)
    wall_s: float | None = None
    cpu_s: float | None = None
    peak_rss_mb: float | None = None
    output_mb: float | None = None
    files: int | None = None
    median_paper_kb: float | None = None
    files_written: int | None = None
    command: list[str] = field(default_factory=list)
    log: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def run_measured(command: list[str], log: Path, timeout: float, env: dict[str, str] | None = None,
                 cwd: Path = ROOT) -> Measurement:
    """Run ``command`` in its own process group; wall, CPU and peak RSS of it and its children."""
    log.parent.mkdir(parents=True, exist_ok=True)
    result = Measurement(command=command, log=str(log))
    with open(log, "wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=output,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        waited: list[tuple[int, int, Any]] = []
        waiter = threading.Thread(target=lambda: waited.append(os.wait4(process.pid, 0)), daemon=True)
        waiter.start()
        waiter.join(timeout)
        timed_out = waiter.is_alive()
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the group of the process started above
            waiter.join()
        wall = time.perf_counter() - started
    _, status, usage = waited[0]
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    result.wall_s = round(wall, 3)
    result.cpu_s = round(usage.ru_utime + usage.ru_stime, 3)
    result.peak_rss_mb = round(usage.ru_maxrss / 1024, 1)  # KiB on Linux
    if timed_out:
        result.status = f"timeout (>{timeout:g} s)"
    elif process.returncode != 0:
        result.status = f"failed (exit {process.returncode})"
    return result


def scan(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root``: relative path -> (size, mtime in ns)."""
    found: dict[str, tuple[int, int]] = {}
    if not root.is_dir():
        return found
    prefix = len(str(root)) + 1
    stack = [str(root)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    stat = entry.stat(follow_symlinks=False)
                    found[entry.path[prefix:]] = (stat.st_size, stat.st_mtime_ns)
    return found


def describe_output(result: Measurement, site: Path, before: dict[str, tuple[int, int]] | None = None) -> None:
    files = scan(site)
    result.files = len(files)
    result.output_mb = round(sum(size for size, _ in files.values()) / 1e6, 2)
    pages = [size for path, (size, _) in files.items()
             if path.startswith("papers/") and path.endswith("/index.html") and path.count("/") == 2]
    result.median_paper_kb = round(statistics.median(pages) / 1024, 1) if pages else None
    if before is not None:
        result.files_written = sum(1 for path, (_, mtime) in files.items()
                                   if path not in before or before[path][1] != mtime)


def clear(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)


def bench_checkout(n: int, corpus: Path, out: Path, timeout: float, who: str = "ours", root: Path = ROOT,
                   digests: dict[str, bytes] | None = None) -> dict[str, Measurement]:
    """The four runs of the checkout at ``root`` (rows "<who> cold", ...), each a subprocess with cwd=root.

    With ``digests``, it is filled with the checksum of every file of the site right after the cold build."""
    rows: dict[str, Measurement] = {}
    work = out / f"{who}-{n}"
    site = work / "site"
    logs = out / "logs"
    clear(work)
    work.mkdir(parents=True)
    build = [PYTHON, "-m", "generator", "build", "--papers", str(corpus), "--out", str(site)]
    env = {"NO_MKDOCS_2_WARNING": "1"}

    forget_caches(corpus, site, root)  # cold: no site, no parse cache, no build state
    progress(n, f"{who} cold")
    rows[f"{who} cold"] = run_measured(build, logs / f"{who}-cold-{n}.log", timeout, env, cwd=root)
    describe_output(rows[f"{who} cold"], site)
    if digests is not None and rows[f"{who} cold"].ok:
        digests.update(digest_tree(site))

    progress(n, f"{who} no-change")
    before = scan(site)
    time.sleep(0.01)  # so a rewritten file cannot keep its mtime
    rows[f"{who} no-change"] = run_measured(build, logs / f"{who}-nochange-{n}.log", timeout, env, cwd=root)
    describe_output(rows[f"{who} no-change"], site, before)

    record = pick_record(corpus)
    original = begin_edit(record)
    try:
        abstract, _, rest = original.rpartition("\n")  # the text ends with the abstract's line and "\n"
        assert rest == "", "a record ends with a newline"
        record.write_text(abstract + EDIT_WORD + "\n", encoding="utf-8")
        progress(n, f"{who} one-edit")
        before = scan(site)
        time.sleep(0.01)
        rows[f"{who} one-edit"] = run_measured(build, logs / f"{who}-edit-{n}.log", timeout, env, cwd=root)
        describe_output(rows[f"{who} one-edit"], site, before)

        progress(n, f"{who} check-one")
        check = [PYTHON, "-m", "generator", "check", "--papers", str(corpus), str(record)]
        rows[f"{who} check-one"] = run_measured(check, logs / f"{who}-check-{n}.log", timeout, cwd=root)
    finally:
        restore_edit(corpus)  # the next checkout starts from the same corpus and makes the same edit
    return rows


def forget_caches(corpus: Path, site: Path, root: Path = ROOT) -> None:
    """Remove what the generator keeps between builds of this corpus into this site (.cache/ beside mkdocs.yml).

    For another checkout (``root``) the places are found with this checkout's naming of them."""
    from generator.speed import build_state, record_cache

    build_state.forget_state(build_state.state_path(root / "mkdocs.yml", site))
    with contextlib.suppress(FileNotFoundError):
        record_cache.cache_file(root / record_cache.DEFAULT_DIR, str(corpus.resolve())).unlink()


def digest_tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root``: relative path -> checksum of its bytes."""
    digests = {}
    for path in scan(root):
        with open(root / path, "rb") as handle:
            digests[path] = hashlib.file_digest(handle, "blake2b").digest()
    return digests


def compare_sites(ours: dict[str, bytes], base: dict[str, bytes], shown: int = 10) -> dict[str, Any]:
    """Which files the two cold sites do not share byte for byte (the first ``shown`` of them by path)."""
    only_ours = sorted(ours.keys() - base.keys())
    only_base = sorted(base.keys() - ours.keys())
    different = sorted(path for path in ours.keys() & base.keys() if ours[path] != base[path])
    first = sorted([(path, "only in ours") for path in only_ours] + [(path, "only in base") for path in only_base]
                   + [(path, "bytes differ") for path in different])[:shown]
    return {"identical": not (only_ours or only_base or different), "files_ours": len(ours),
            "files_base": len(base), "only_ours": len(only_ours), "only_base": len(only_base),
            "different": len(different), "first_differences": [f"{path} ({why})" for path, why in first]}


def check_checkout(root: Path) -> str:
    """Fail unless ``root`` is a checkout whose own ``generator`` package this python imports with cwd=root.

    Returns a description of it: the folder and, in a git checkout, its commit."""
    if not (root / "mkdocs.yml").is_file() or not (root / "generator").is_dir():
        raise SystemExit(f"--compare {root}: not a checkout of the project (no mkdocs.yml or generator/)")
    found = subprocess.run([PYTHON, "-c", "import generator; print(generator.__file__)"], cwd=root,
                           capture_output=True, text=True, check=False)
    imported = Path(found.stdout.strip()).resolve() if found.returncode == 0 else None
    if imported is None or not imported.is_relative_to(root):
        raise SystemExit(f"--compare {root}: python imports the generator from {imported} there, not from {root}")
    commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip()
    return f"{root} ({commit})" if commit else str(root)


def bench_ref_mkdocs(n: int, corpus: Path, out: Path, timeout: float, limit: int, skip: bool) -> Measurement:
    if skip:
        return Measurement(status="skipped (--skip-ref-mkdocs)")
    if n > limit:
        return Measurement(status=f"skipped (>{limit})")
    work = out / f"ref-mkdocs-{n}"
    config = prepare_mkdocs(corpus, work)
    site = work / "site"
    clear(site)
    progress(n, "ref MkDocs")
    command = [str(VENV_BIN / "mkdocs"), "build", "--quiet", "--config-file", str(config), "--site-dir", str(site)]
    result = run_measured(command, out / "logs" / f"ref-mkdocs-{n}.log", timeout, {"NO_MKDOCS_2_WARNING": "1"},
                          cwd=work)
    describe_output(result, site)
    return result


def hugo_command() -> str | None:
    candidate = VENV_BIN / "hugo"
    return str(candidate) if candidate.exists() else shutil.which("hugo")


def bench_hugo(n: int, corpus: Path, out: Path, timeout: float) -> Measurement:
    hugo = hugo_command()
    if hugo is None:
        return Measurement(status="skipped (hugo not installed)")
    source = prepare_hugo(corpus, out / f"hugo-{n}")
    public = source / "public"
    clear(public)
    progress(n, "Hugo")
    command = [hugo, "--quiet", "--source", str(source), "--destination", str(public)]
    result = run_measured(command, out / "logs" / f"hugo-{n}.log", timeout, cwd=source)
    describe_output(result, public)
    return result


def bench_lower_bound(n: int, corpus: Path, out: Path, timeout: float) -> Measurement:
    target = out / f"lower-bound-{n}"
    clear(target)
    progress(n, "lower bound")
    command = [PYTHON, str(Path(__file__).resolve().parent / "lower_bound.py"), str(corpus), str(target)]
    result = run_measured(command, out / "logs" / f"lower-bound-{n}.log", timeout)
    describe_output(result, target)
    return result


def progress(n: int, what: str) -> None:
    print(f"  [N={n}] {what} ...", file=sys.stderr, flush=True)


# --- report -----------------------------------------------------------------------------------


def _cell(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def ratio(a: Measurement | None, b: Measurement | None, figure: str = "wall_s") -> float | None:
    """a / b of one figure (wall_s, cpu_s, peak_rss_mb) when both runs succeeded."""
    if a is None or b is None or not (a.ok and b.ok):
        return None
    top, bottom = getattr(a, figure), getattr(b, figure)
    if not top or not bottom:
        return None
    return round(top / bottom, 2)


def base_ratios(rows: dict[str, Measurement]) -> dict[str, dict[str, float | None]]:
    """Ours over base for every run of both checkouts: wall, CPU and peak RSS."""
    return {step: {figure: ratio(rows.get(f"ours {step}"), rows.get(f"base {step}"), attribute)
                   for figure, attribute in (("wall", "wall_s"), ("cpu", "cpu_s"), ("peak_rss", "peak_rss_mb"))}
            for step in STEPS}


def table(n: int, rows: dict[str, Measurement], base: str | None = None, sites: dict[str, Any] | None = None) -> str:
    """The Markdown table of one N; with ``base`` (the --compare checkout) its rows, ratios and site comparison."""
    lines = [f"### N = {n:,}", ""]
    if base is not None:
        lines += [f"base = {base}, ours = {ROOT}", ""]
    lines += ["| run | wall s | CPU s | peak RSS MB | output MB | files | median paper page KB | files written |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name in ROWS if base is None else COMPARED_ROWS:
        row = rows.get(name)
        if row is None:
            continue
        if row.ok:
            cells = [_cell(row.wall_s), _cell(row.cpu_s), _cell(row.peak_rss_mb, 0), _cell(row.output_mb, 1),
                     _cell(row.files), _cell(row.median_paper_kb, 1), _cell(row.files_written)]
        elif row.wall_s is not None:  # failed or timed out: what it cost until then
            cells = [f"{row.status} after {row.wall_s:,.1f}", _cell(row.cpu_s), _cell(row.peak_rss_mb, 0),
                     "-", "-", "-", "-"]
        else:
            cells = [row.status, "-", "-", "-", "-", "-", "-"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    hugo, lower = ratio(rows.get("ours cold"), rows.get("Hugo")), ratio(rows.get("ours cold"), rows.get("lower bound"))
    lines += ["", f"Cold wall-time ratios: ours/Hugo = {_ratio_text(hugo)}, ours/lower bound = {_ratio_text(lower)}"]
    if base is not None:
        lines += ["", "Ours/base (below 1: ours is faster or smaller):", "",
                  "| run | wall | CPU | peak RSS |", "|---|---:|---:|---:|"]
        for step, figures in base_ratios(rows).items():
            cells = ["-" if value is None else f"{value:.2f}x" for value in figures.values()]
            lines.append(f"| {step} | " + " | ".join(cells) + " |")
        lines += ["", _sites_text(sites)]
    return "\n".join(lines)


def _sites_text(sites: dict[str, Any] | None) -> str:
    if sites is None:
        return "Cold sites: not compared (a cold build failed)"
    if sites["identical"]:
        return f"Cold sites: byte-identical ({sites['files_ours']:,} files)"
    return (f"Cold sites differ: {sites['only_ours']:,} files only in ours, {sites['only_base']:,} only in base, "
            f"{sites['different']:,} with other bytes (of {sites['files_ours']:,} / {sites['files_base']:,}); "
            "first: " + ", ".join(sites["first_differences"]))


def _ratio_text(value: float | None) -> str:
    return "n/a (a run failed or was skipped)" if value is None else f"{value:.2f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=os.environ.get("SIZES", "1000"),
                        help='corpus sizes, e.g. "1000 20000 100000" (default: $SIZES or 1000)')
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="work folder (default benchmarks/out)")
    parser.add_argument("--timeout", type=float, default=float(os.environ.get("TIMEOUT", "1800")),
                        help="seconds per command before it is killed (default: $TIMEOUT or 1800)")
    parser.add_argument("--ref-mkdocs-max", type=int, default=int(os.environ.get("REF_MKDOCS_MAX", "20000")),
                        help="skip the plain-MkDocs reference above this N (default: $REF_MKDOCS_MAX or 20000)")
    parser.add_argument("--skip-ref-mkdocs", action="store_true", help="skip the plain-MkDocs reference")
    parser.add_argument("--compare", type=Path, metavar="DIR",
                        help="also measure the checkout of the project in DIR (e.g. a git worktree of an older "
                             "commit) on the same corpus, and compare its cold site with ours")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a run failed or timed out, or if a rebuild with nothing changed wrote a file "
                             "(make test runs a small N this way, so the benchmark cannot rot)")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.replace(",", " ").split()]
    except ValueError:
        parser.error(f"--sizes: expected numbers, got {args.sizes!r}")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes: give one or more positive sizes")
    out: Path = args.out.resolve()
    compare: Path | None = args.compare.resolve() if args.compare else None
    base = check_checkout(compare) if compare is not None else None
    out.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    report: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"), "seed": args.seed, "timeout_s": args.timeout,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "sizes": {},
    }
    if base is not None:
        report["compare"] = base
    tables = []
    for n in sizes:
        corpus, reused = ensure_corpus(out, n, args.seed)
        print(f"N={n}: corpus {corpus} ({'reused' if reused else 'new'})", file=sys.stderr, flush=True)
        restore_edit(corpus)
        ours_digests: dict[str, bytes] | None = {} if compare is not None else None
        rows = bench_checkout(n, corpus, out, args.timeout, digests=ours_digests)
        sites = None
        if compare is not None:
            restore_edit(corpus)  # (bench_checkout restored it already) the same corpus and edit for the base
            base_digests: dict[str, bytes] = {}
            rows |= bench_checkout(n, corpus, out, args.timeout, "base", compare, base_digests)
            if rows["ours cold"].ok and rows["base cold"].ok:
                sites = compare_sites(ours_digests or {}, base_digests)
        rows["ref MkDocs"] = bench_ref_mkdocs(n, corpus, out, args.timeout, args.ref_mkdocs_max,
                                              args.skip_ref_mkdocs)
        rows["Hugo"] = bench_hugo(n, corpus, out, args.timeout)
        rows["lower bound"] = bench_lower_bound(n, corpus, out, args.timeout)
        text = table(n, rows, base, sites)
        tables.append(text)
        print(text + "\n", flush=True)
        report["sizes"][str(n)] = {
            "corpus": str(corpus), "rows": {name: asdict(row) for name, row in rows.items()},
            "ratios": {"ours_over_hugo": ratio(rows["ours cold"], rows["Hugo"]),
                       "ours_over_lower_bound": ratio(rows["ours cold"], rows["lower bound"])},
        }
        if compare is not None:
            report["sizes"][str(n)]["ratios"]["ours_over_base"] = base_ratios(rows)
            report["sizes"][str(n)]["cold_sites"] = sites
    report["tables"] = tables
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    data = json.dumps(report, indent=2) + "\n"
    (out / f"bench-{stamp}.json").write_text(data, encoding="utf-8")
    (out / "latest.json").write_text(data, encoding="utf-8")
    print(f"raw figures: {out / f'bench-{stamp}.json'} (and latest.json)", flush=True)
    problems = [f"N={n} {name}: {row['status']}" for n, size in report["sizes"].items()
                for name, row in size["rows"].items() if row["status"] != "ok" and not row["status"].startswith("skipped")]
    problems += [f"N={n} ours no-change: wrote {size['rows']['ours no-change']['files_written']} files"
                 for n, size in report["sizes"].items() if size["rows"]["ours no-change"]["files_written"]]
    if args.check and problems:
        print("benchmark check failed:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
