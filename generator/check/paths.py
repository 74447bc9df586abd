"""Reading paths (papers/paths/<id>.yml): a title, a description and ordered steps, each a paper
on the list and a note on why it comes there. Checked like records: file, line, field, a fix."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from generator.check.common import control_characters, did_you_mean
from generator.check.text_rules import bidi_problem, invisible_problem
from generator.model import ReadingPath, Step
from generator.problems import Problem
from generator.record.ids import ID_RULE, is_valid_id, reserved
from generator.record.located import Located
from generator.record.read import as_text, read_yaml_file, shown_path
from generator.text import escaped

MIN_STEPS = 3
MAX_TITLE = 120
MAX_DESCRIPTION = 1_000
MAX_NOTE = 400
_FIELDS = ("title", "description", "steps")


def load_paths(folder: Path, known: Collection[str]) -> tuple[dict[str, ReadingPath], list[Problem]]:
    """Every ``*.yml`` in ``folder`` (none when it does not exist), checked against the record ids ``known``."""
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix == ".yml" and not p.name.startswith("."))
    except OSError:
        return {}, []
    paths: dict[str, ReadingPath] = {}
    problems: list[Problem] = []
    for file in files:
        path = _path(file, known, problems)
        if path is not None:
            paths[path.id] = path
    return paths, problems


def _path(file: Path, known: Collection[str], problems: list[Problem]) -> ReadingPath | None:
    shown = shown_path(file)
    before = len(problems)
    if not is_valid_id(file.stem):
        problems.append(Problem(shown, 1, "id", f"'{escaped(file.name)}' is not a valid path id",
                                f"rename it: the id (file name without .yml) uses {ID_RULE.replace('retool-2025', 'is-emergence-real')}"))
    elif why := reserved(file.stem):
        problems.append(Problem(shown, 1, "id", why, "rename the file: choose another id"))
    fields, found = read_yaml_file(file, "the reading path", "a reading path is a YAML file in papers/paths/",
                                   root=file.parent.parent)
    problems.extend(found)
    if found and not fields:
        return None
    for key, located in fields.items():
        if key not in _FIELDS:
            problems.append(Problem(shown, located.line, key, f"unknown field '{key}'",
                                    did_you_mean(key, _FIELDS) or "the fields are: title, description, steps"))
    title = _text(fields, "title", shown, MAX_TITLE, problems, one_line=True)
    description = _text(fields, "description", shown, MAX_DESCRIPTION, problems)
    steps = _steps(fields.get("steps"), shown, known, problems)
    if len(problems) > before or title is None or description is None or steps is None:
        return None
    return ReadingPath(file.stem, title, description, steps)


def _text(fields: dict[str, Located], name: str, shown: str, limit: int, problems: list[Problem],
          one_line: bool = False, line: int = 1, within: str = "") -> str | None:
    """The text field ``name``; ``within`` names the step it belongs to (``steps[2]``), if any."""
    located = fields.get(name)
    field = f"{within}.{name}" if within else name
    if located is None:
        problems.append(Problem(shown, line, field, f"the {'step' if within else 'path'} has no {name}",
                                f"add '{name}:'"))
        return None
    text = as_text(located)
    if text is None or not text.strip():
        problems.append(Problem(shown, located.line, field, f"expected a non-empty {name}", f"write the {name}"))
        return None
    if control_characters(text, allow_newlines=not one_line):
        problems.append(Problem(shown, located.line, field, "contains control characters", "remove them"))
        return None
    found = bidi_problem(text) or (invisible_problem(text, "the path's title") if name == "title" else None)
    if found:
        problems.append(Problem(shown, located.line, field, *found))
        return None
    text = " ".join(text.split())
    if len(text) > limit:
        problems.append(Problem(shown, located.line, field, f"is {len(text):,} characters long (at most {limit:,})",
                                "keep it short: the paper pages say the rest"))
        return None
    return text


def _steps(located: Located | None, shown: str, known: Collection[str],
           problems: list[Problem]) -> tuple[Step, ...] | None:
    if located is None or not isinstance(located.value, list):
        problems.append(Problem(shown, located.line if located else 1, "steps",
                                "expected a list of steps" if located else "the path has no steps",
                                "write steps: with '- paper: <record id>' and 'note: ...' under it, in reading order"))
        return None
    steps: list[Step] = []
    first_line: dict[str, tuple[int, int]] = {}  # paper -> (step number, line)
    for number, item in enumerate(located.value, 1):
        step = _step(item, number, shown, known, first_line, problems)
        if step is not None:
            steps.append(step)
    if len(located.value) < MIN_STEPS:
        problems.append(Problem(shown, located.line, "steps", f"has {len(located.value)} step(s), expected at least "
                                f"{MIN_STEPS}", "a path leads a reader through several papers"))
        return None
    return tuple(steps) if len(steps) == len(located.value) else None


def _step(item: Located, number: int, shown: str, known: Collection[str],
          first_line: dict[str, tuple[int, int]], problems: list[Problem]) -> Step | None:
    field = f"steps[{number}]"
    if not isinstance(item.value, dict):
        problems.append(Problem(shown, item.line, field, "expected 'paper:' and 'note:'",
                                "write '- paper: <record id>' and 'note: ...' indented under it"))
        return None
    for key, value in item.value.items():
        if key not in ("paper", "note"):
            problems.append(Problem(shown, value.line, f"{field}.{key}", f"unknown field '{key}'",
                                    did_you_mean(key, ("paper", "note")) or "a step has 'paper' and 'note'"))
            return None
    paper_located = item.value.get("paper")
    paper = as_text(paper_located) if paper_located is not None else None
    line = paper_located.line if paper_located is not None else item.line
    if not paper:
        problems.append(Problem(shown, line, f"{field}.paper", "the step names no paper", "add 'paper: <record id>'"))
        return None
    if paper not in known:
        problems.append(Problem(shown, line, f"{field}.paper", f"'{paper}' is not a record on the list",
                                did_you_mean(paper, known) or "name a record's file, without .md"))
        return None
    if paper in first_line:
        earlier, earlier_line = first_line[paper]
        problems.append(Problem(shown, line, f"{field}.paper",
                                f"'{paper}' is already step {earlier} (line {earlier_line})", "name each paper once"))
        return None
    first_line[paper] = (number, line)
    note = _text(item.value, "note", shown, MAX_NOTE, problems, line=item.line, within=field)
    return Step(paper, note) if note is not None else None
