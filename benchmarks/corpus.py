"""The synthetic corpora the benchmarks run on: one per (N, seed), reused while valid."""

from __future__ import annotations

import json
import os
from pathlib import Path

from generator.synth import DEFAULT_TODAY, STAMP, VOCABULARY_FILES, read_stamp, stamp_for, write_corpus

ROOT = Path(__file__).resolve().parent.parent  # the repository
DEFAULT_OUT = ROOT / "benchmarks" / "out"
EDIT_BACKUP = ".bench-edit.json"  # a record being edited by a benchmark: restored if a run died mid-edit


def corpus_dir(out: Path, n: int) -> Path:
    return out / f"corpus-{n}"


def ensure_corpus(out: Path, n: int, seed: int, log: bool = True) -> tuple[Path, bool]:
    """The corpus of N records for ``seed`` under ``out``: (its folder, whether it was reused)."""
    folder = corpus_dir(out, n)
    restore_edit(folder)
    vocabulary = b"".join((ROOT / "papers" / name).read_bytes() for name in VOCABULARY_FILES)
    wanted = stamp_for(n, seed, DEFAULT_TODAY, vocabulary)
    if read_stamp(folder) == wanted:
        return folder, True
    if log:
        print(f"synthesising {n} records (seed {seed}) into {folder} ...", flush=True)
    write_corpus(folder, n, seed, DEFAULT_TODAY, ROOT / "papers", force=True)
    return folder, False


def pick_record(folder: Path) -> Path:
    """A record without notes, the same one every run: the one the edit benchmarks touch."""
    names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".md"))
    if not names:
        raise SystemExit(f"{folder} holds no records")
    for name in names[len(names) // 2:] + names[: len(names) // 2]:
        if "\n## Notes\n" not in (folder / name).read_text(encoding="utf-8"):
            return folder / name
    return folder / names[len(names) // 2]


def begin_edit(record: Path) -> str:
    """Remember a record's text before a benchmark edits it; the original text."""
    original = record.read_text(encoding="utf-8")
    backup = {"name": record.name, "text": original}
    (record.parent / EDIT_BACKUP).write_text(json.dumps(backup), encoding="utf-8")
    return original


def restore_edit(folder: Path) -> None:
    """Put back a record a benchmark edited (also after a run that was killed mid-edit)."""
    backup_path = folder / EDIT_BACKUP
    try:
        backup = json.loads(backup_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    target = folder / str(backup["name"])
    text = str(backup["text"])
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    backup_path.unlink()


__all__ = ["DEFAULT_OUT", "ROOT", "STAMP", "begin_edit", "corpus_dir", "ensure_corpus", "pick_record",
           "restore_edit"]
