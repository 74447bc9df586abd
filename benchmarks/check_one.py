"""Load and check-one timings on a synthetic list: what `check FILE` and the build's load cost.

    python benchmarks/check_one.py /tmp/corpus-20000 [--runs 3] [--tree DIR]

Make the list once with `python -m generator synth 20000 --out /tmp/corpus-20000`.
Every measurement runs in a fresh process, so each cold start, peak RSS and
in-process cache is its own:

- load: `loader.load(folder)`, every record read and checked (wall and CPU
  seconds, microseconds a record, peak RSS of that process; CPU time is the
  steadier figure on a shared machine);
- check-one: `python -m generator check --papers DIR FILE` after one record's
  abstract was edited (wall seconds), the edit undone afterwards.

``--tree`` points at another copy of the repository (its ``generator`` package is
imported instead of this one's), to compare before and after a change, e.g. a
tree from ``git archive COMMIT generator | tar -x -C DIR``. Medians of ``--runs``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD = """
import json, resource, sys, time
from pathlib import Path
try:
    from generator.load import load
except ImportError:  # a tree from before the pipeline layout (generator/loader.py)
    from generator.loader import load
started, cpu = time.perf_counter(), time.process_time()
result = load(Path(sys.argv[1]))
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
records = result.checked
print(json.dumps({"seconds": seconds, "cpu": cpu, "records": records, "errors": len(result.errors),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(command: list[str], tree: Path) -> tuple[float, str]:
    """(wall seconds, stdout) of one run of ``command`` with ``tree``'s generator package."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    started = time.perf_counter()  # in the tree: `python -m` and `-c` look in the working directory first
    run = subprocess.run(command, capture_output=True, env=env, cwd=tree, text=True, check=False)
    seconds = time.perf_counter() - started
    if run.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{run.stderr}")
    return seconds, run.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a records folder (python -m generator synth N --out DIR)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (the median is shown)")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the repository copy whose generator to run")
    args = parser.parse_args()
    folder = args.folder.resolve()
    tree = args.tree.resolve()
    loads = []
    for _ in range(args.runs):
        _, out = measure([sys.executable, "-c", LOAD, str(folder)], tree)
        loads.append(json.loads(out))
    records = loads[0]["records"]
    seconds = statistics.median(run["seconds"] for run in loads)
    cpu = statistics.median(run["cpu"] for run in loads)
    rss = statistics.median(run["rss_mb"] for run in loads)
    print(f"load: {seconds:.2f} s wall ({cpu:.2f} s CPU) for {records} records = {seconds / records * 1e6:.0f} us "
          f"a record ({cpu / records * 1e6:.0f} us CPU), peak RSS {rss:.0f} MB ({tree})")
    paths = sorted(folder.glob("*.md"))
    record = paths[len(paths) // 2]
    original = record.read_bytes()
    try:
        record.write_bytes(original.rstrip(b"\n") + b" Edited.\n")
        walls = [measure([sys.executable, "-m", "generator", "check", "--papers", str(folder), str(record)], tree)[0]
                 for _ in range(args.runs)]
    finally:
        record.write_bytes(original)
    print(f"check-one: {statistics.median(walls):.2f} s wall (runs: {', '.join(f'{w:.2f}' for w in walls)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
