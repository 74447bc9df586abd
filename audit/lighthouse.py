"""Lighthouse (the pinned npm package) on one page and form factor, with Debian's Chromium."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLI = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
                "--disable-component-update --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FORM_FACTORS = ("mobile", "desktop")
TIMEOUT = 180  # seconds for one run; a run takes ~15 s on two busy cores


@dataclass(frozen=True)
class Run:
    """One Lighthouse run: the four category scores (0-100), CLS and the audits that lost points."""

    url: str
    form_factor: str
    scores: dict[str, int]
    cls: float
    failed: tuple[str, ...]  # "category: audit id (score)" of each scored audit below 1


class LighthouseError(Exception):
    """Lighthouse did not produce a report."""


def run(url: str, form_factor: str) -> Run:
    """Run Lighthouse once; mobile is its default (simulated slow 4G, a mid-range phone)."""
    with tempfile.TemporaryDirectory(prefix="rl-lighthouse-") as tmp:
        report = Path(tmp) / "report.json"
        command = ["node", str(CLI), url, "--quiet", "--output=json", f"--output-path={report}",
                   f"--chrome-flags={CHROME_FLAGS}", f"--only-categories={','.join(CATEGORIES)}"]
        if form_factor == "desktop":
            command.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": CHROME}
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        if done.returncode != 0 or not report.exists():
            raise LighthouseError(f"lighthouse {form_factor} {url}: exit {done.returncode}: {done.stderr.strip()[-400:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
    if data.get("runtimeError"):
        raise LighthouseError(f"lighthouse {form_factor} {url}: {data['runtimeError'].get('message')}")
    return parse(url, form_factor, data)


def parse(url: str, form_factor: str, data: dict[str, object]) -> Run:
    """The scores of a Lighthouse JSON report."""
    categories = data["categories"]
    audits = data["audits"]
    assert isinstance(categories, dict) and isinstance(audits, dict)
    scores = {name: round(100 * (categories[name]["score"] or 0)) for name in CATEGORIES}
    failed = []
    for name in CATEGORIES:
        for ref in categories[name]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                failed.append(f"{name}: {ref['id']} ({audit['score']:.2f})")
    cls = float(audits["cumulative-layout-shift"].get("numericValue") or 0.0)
    return Run(url, form_factor, scores, cls, tuple(failed))
