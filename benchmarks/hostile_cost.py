"""What each hostile case costs `check` and `build`: seconds and peak memory, one fresh process each.

Every case file under tests/hostile/ (every folder but ``papers/``, found anew each run, so cases
added later are measured too) and every generated case (``tests/hostile/cases.py``: the big ones,
made by the same function the tests use) is planted in a copy of tests/hostile/papers/ (a small
valid records folder), then ``python -m generator check`` and ``python -m generator build --out``
run on it, each in its own child process. Peak RSS is the child's (and its reaped children's)
``ru_maxrss`` from ``wait4``. Prints a Markdown table; exits 1 when any run is over the budget
(10 s, 500 MB) or did not finish.

    .venv/bin/python benchmarks/hostile_cost.py                  # every case
    .venv/bin/python benchmarks/hostile_cost.py --only laughs    # cases whose name holds 'laughs'

``--memory-limit`` caps each child's address space (default 4,000 MB) and ``--timeout`` its
seconds (default 120), so a case that still explodes (run this on an older checkout with
``--root``) is stopped rather than taking the machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile.cases import BASE, every_case, plant  # noqa: E402  (the repository root first)

BUDGET_SECONDS = 10.0
BUDGET_MB = 500.0


@dataclass
class Run:
    seconds: float
    peak_mb: float
    exit: str  # the exit status, or 'timeout' / 'signal N'
    last_line: str


def run(command: list[str], cwd: Path, root: Path, timeout: float, memory_mb: int, log: Path) -> Run:
    """One command in a fresh child: wall seconds, its peak RSS (wait4), its exit."""
    def limit() -> None:
        if memory_mb:
            cap = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(root)}
    with open(log, "wb") as output:
        started = time.perf_counter()
        pid = _spawn(command, cwd, env, output.fileno(), limit)
        status, usage = 0, None
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.perf_counter() - started > timeout:
                os.killpg(pid, signal.SIGKILL)
                _, status, usage = os.wait4(pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - started
    timed_out = seconds > timeout
    if timed_out:
        exit_text = "timeout"
    elif os.WIFSIGNALED(status):
        exit_text = f"signal {os.WTERMSIG(status)}"
    else:
        exit_text = str(os.WEXITSTATUS(status))
    lines = log.read_bytes().decode("utf-8", "replace").strip().splitlines()
    return Run(seconds, usage.ru_maxrss / 1024 if usage else 0.0, exit_text, lines[-1][:160] if lines else "")


def _spawn(command: list[str], cwd: Path, env: dict[str, str], output: int, limit: Callable[[], None]) -> int:
    pid = os.fork()
    if pid == 0:  # the child: its own process group (a timeout kills the build's helpers too), capped
        try:
            os.setsid()
            os.chdir(cwd)
            limit()
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.dup2(output, 1)
            os.dup2(output, 2)
            os.execve(command[0], command, env)
        finally:
            os._exit(127)
    return pid


def measure(name: str, case: str | Path | None, python: str, root: Path, timeout: float, memory_mb: int,
            work: Path) -> tuple[Run, Run]:
    folder = work / "case"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    papers = folder / "papers"
    shutil.copytree(BASE, papers)
    if case is not None:
        plant(case, papers)
    check = run([python, "-m", "generator", "check", "--papers", "papers", "--no-cache"], folder, root, timeout,
                memory_mb, work / "check.log")
    site = folder / "site"
    build = run([python, "-m", "generator", "build", "--papers", str(papers), "--out", str(site)], root, root, timeout,
                memory_mb, work / "build.log")
    return check, build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="measure only the cases whose name holds this text")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per command (default 120)")
    parser.add_argument("--memory-limit", type=int, default=4000, help="MB of address space per command (0: none)")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the checkout whose generator runs (default: this one); the cases are this one's")
    parser.add_argument("--python", default=sys.executable, help="the interpreter (default: this one)")
    args = parser.parse_args(argv)
    print("| case | check s | check MB | check exit | build s | build MB | build exit |")
    print("| --- | ---: | ---: | :-: | ---: | ---: | :-: |")
    over = []
    with tempfile.TemporaryDirectory(prefix="hostile-cost-") as tmp:
        cases: list[tuple[str, str | Path | None]] = [("(none: the base folder as it is)", None), *every_case()]
        for name, case in cases:
            if args.only not in name:
                continue
            check, build = measure(name, case, args.python, args.root.resolve(), args.timeout, args.memory_limit,
                                   Path(tmp))
            print(f"| {name} | {check.seconds:.2f} | {check.peak_mb:.0f} | {check.exit} | {build.seconds:.2f} | "
                  f"{build.peak_mb:.0f} | {build.exit} |", flush=True)
            for what, measured in (("check", check), ("build", build)):
                if (measured.seconds > BUDGET_SECONDS or measured.peak_mb > BUDGET_MB
                        or not measured.exit.isdigit()):
                    over.append(f"{name}: {what} {measured.seconds:.1f} s, {measured.peak_mb:.0f} MB, "
                                f"exit {measured.exit}: {measured.last_line}")
    for line in over:
        print(f"over the budget ({BUDGET_SECONDS:.0f} s, {BUDGET_MB:.0f} MB): {line}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
