"""Time and peak RSS of ``generator.related.related_papers``, and how many lists one edit changes.

    python benchmarks/related_bench.py /work/corpus-20k /work/corpus-100k
    python benchmarks/related_bench.py 20000 100000          # synthetic corpora in benchmarks/out/corpus-N
    python benchmarks/related_bench.py DIR --set MAX_POSTINGS=500 --set TOP_TERMS=20 --repeat 2

Each corpus is measured in a fresh process of its own (``--child``): load the folder
(``generator.load.load``), then ``related_papers`` on its catalog (wall seconds and the
process's peak RSS before and after: the ``Maximum resident set size`` that
``/usr/bin/time -v`` reports; loading 100,000 records alone peaks at ~0.5 GB; scikit-learn,
which ``related_papers`` imports on its first call, is imported and timed just before), then the
edit: one paper's abstract gets a sentence appended (in memory; the same paper each run)
and ``related_papers`` runs again; "changed" is how many papers' lists differ. The digest
(sha256 of the lists as JSON) is the same in every process when the output is deterministic;
``--repeat 2`` runs each corpus twice and says whether the digests agree. ``--set NAME=VALUE``
overrides a setting of ``generator.related`` (MAX_POSTINGS, TOP_TERMS, SCORE_QUANTUM, ...).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import importlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDIT_SENTENCE = " We also release an interactive visualization of the learned behaviors and a short video."


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _digest(lists: dict[str, tuple[str, ...]]) -> str:
    return hashlib.sha256(json.dumps(lists, sort_keys=True).encode()).hexdigest()[:16]


def child(folder: Path, settings: list[str], count: int) -> None:
    """Measure one corpus in this process and print one JSON line."""
    sys.path.insert(0, str(ROOT))
    import generator.related as related
    from generator.load import load
    from generator.model import Catalog

    for setting in settings:
        name, _, value = setting.partition("=")
        if not hasattr(related, name):
            raise SystemExit(f"generator.related has no setting {name}")
        setattr(related, name, type(getattr(related, name))(value))
    started = time.perf_counter()
    result = load(folder)
    load_s = time.perf_counter() - started
    if result.catalog is None:
        errors = result.errors[:3]
        raise SystemExit(f"{folder} does not load: " + "; ".join(p.text() for p in errors))
    catalog = result.catalog
    peak_loaded = _peak_mb()
    started = time.perf_counter()
    for module in ("sklearn.feature_extraction.text", "sklearn.preprocessing"):  # related_papers' first call does
        importlib.import_module(module)

    import_s = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    lists = related.related_papers(catalog, count)
    related_s, related_cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = _peak_mb()
    ids = sorted(p.id for p in catalog.papers)
    edited_id = ids[len(ids) // 2]
    edited = catalog.paper(edited_id)
    papers = tuple(dataclasses.replace(p, abstract=p.abstract + EDIT_SENTENCE) if p.id == edited_id else p
                   for p in catalog.papers)
    catalog2 = Catalog(papers, catalog.topics, catalog.tags, catalog.paths, catalog.redirects)
    started = time.perf_counter()
    lists2 = related.related_papers(catalog2, count)
    edit_s = time.perf_counter() - started
    changed = sorted(pid for pid in lists if lists[pid] != lists2[pid])
    short = sum(1 for found in lists.values() if len(found) < count)
    print(json.dumps({
        "corpus": str(folder), "papers": len(catalog), "load_s": round(load_s, 2), "import_s": round(import_s, 2), "related_s": round(related_s, 2),
        "related_cpu_s": round(related_cpu, 2),
        "edit_related_s": round(edit_s, 2), "peak_after_load_mb": round(peak_loaded), "peak_mb": round(peak),
        "changed": len(changed), "changed_ids": changed[:12], "edited": edited.id, "short_lists": short,
        "digest": _digest(lists), "settings": settings,
    }))


def _folder(spec: str) -> Path:
    if spec.isdigit():  # a synthetic corpus of N records, made once under benchmarks/out
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from corpus import DEFAULT_OUT, ensure_corpus

        return ensure_corpus(DEFAULT_OUT, int(spec), seed=1)[0]
    return Path(spec)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*", help="record folders, or N for a synthetic corpus of N records")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=1, help="runs per corpus (each in a fresh process)")
    parser.add_argument("--child", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child), args.settings, args.count)
        return 0
    if not args.corpora:
        parser.error("name at least one corpus")
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    failed = False
    print("| corpus | papers | sklearn import s | related s | related CPU s | again s (edited) "
          "| peak RSS after load MB | peak RSS MB | changed by one edit | lists < count | digest |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for spec in args.corpora:
        folder = _folder(spec)
        digests = set()
        for _ in range(args.repeat):
            command = [sys.executable, __file__, "--child", str(folder), "--count", str(args.count)]
            command += [f"--set={s}" for s in args.settings]
            done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
            if done.returncode != 0:
                print(f"| {folder} | failed: {(done.stderr.strip().splitlines() or ['?'])[-1]} |")
                failed = True
                break
            row = json.loads(done.stdout.strip().splitlines()[-1])
            digests.add(row["digest"])
            print(f"| {folder.name} | {row['papers']} | {row['import_s']} | {row['related_s']} | {row['related_cpu_s']} "
                  f"| {row['edit_related_s']} "
                  f"| {row['peak_after_load_mb']} | {row['peak_mb']} | {row['changed']} | {row['short_lists']} "
                  f"| {row['digest']} |", flush=True)
        if args.repeat > 1 and len(digests) > 1:
            print(f"NOT DETERMINISTIC: {folder} gave {len(digests)} different outputs")
            failed = True
    if args.settings:
        print("settings:", " ".join(args.settings))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
