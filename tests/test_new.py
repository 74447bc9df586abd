"""`python -m generator new`: how a contributor starts the record of a paper.

`new` writes papers/<id>.md with every known field in canonical order, `added`
set to today and empty topics and tags, then prints the vocabulary to pick
them from. The fields come from options, from a BibTeX entry as Google
Scholar, arXiv or Semantic Scholar export it, or from the arXiv API. It refuses
a paper that is on the list already and never overwrites a file. Every
failure is one line and exit status 1.

No test reaches the network: the arXiv API is a local server, or a closed port.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.cli import main
from generator.importers import ImportFailed
from generator.importers.arxiv import fetch_arxiv, parse_atom
from generator.importers.bibtex import parse_bibtex, read_bibtex
from generator.load import load

from .support import FIXTURES, ROOT, TODAY

IMPORTERS = FIXTURES / "importers"
RETOOL_ATOM = (IMPORTERS / "arxiv-2504.11536.xml").read_bytes()
NOT_FOUND_ATOM = (IMPORTERS / "arxiv-not-found.xml").read_bytes()

BAKER = [
    "--title", "Emergent Tool Use From Multi-Agent Autocurricula",
    "--authors", "Bowen Baker; Ingmar Kanitscheider; Todor Markov",
    "--authors", "Yi Wu; Glenn Powell; Bob McGrew; Igor Mordatch",
    "--year", "2019", "--date", "2019-09-17", "--arxiv", "1909.07528v2", "--venue", "ICLR 2020",
    "--project", "https://openai.com/index/emergent-tool-use/",
    "--code", "https://github.com/openai/multi-agent-emergence-environments",
    "--abstract", "Through multi-agent competition, the simple objective of hide-and-seek,\n"
                  "and standard reinforcement learning algorithms at scale, we find that agents\n"
                  "create a self-supervised autocurriculum.",
]
BAKER_RECORD = """\
---
title: "Emergent Tool Use From Multi-Agent Autocurricula"
authors:
  - Bowen Baker
  - Ingmar Kanitscheider
  - Todor Markov
  - Yi Wu
  - Glenn Powell
  - Bob McGrew
  - Igor Mordatch
year: 2019
date: 2019-09-17
arxiv: "1909.07528"
venue:
  kind: conference
  name: ICLR
  year: 2020
links:
  code: https://github.com/openai/multi-agent-emergence-environments
  project: https://openai.com/index/emergent-tool-use/
topics: []
tags: []
added: 2026-11-24
---

Through multi-agent competition, the simple objective of hide-and-seek, and standard reinforcement learning \
algorithms at scale, we find that agents create a self-supervised autocurriculum.
"""


@dataclass
class Result:
    code: int
    out: str
    err: str


New = Callable[..., Result]


def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture(autouse=True)
def offline_and_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """`added` is TODAY; --fetch goes to a closed local port unless a test serves the API."""
    monkeypatch.setenv("GENERATOR_TODAY", TODAY.isoformat())
    monkeypatch.setenv("ARXIV_API_URL", f"http://127.0.0.1:{closed_port()}/api/query")
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def new(mini: Path, capsys: pytest.CaptureFixture[str]) -> New:
    """Run `python -m generator new --papers <mini> ARGS` in-process."""

    def run(*args: str, papers: Path = mini) -> Result:
        code = main(["new", "--papers", str(papers), *args])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def without_retool(mini: Path) -> Path:
    """The mini list without ReTool, so that ReTool can be added again."""
    (mini / "retool-2025.md").unlink()
    return mini


@dataclass
class FakeArxiv:
    """A local arXiv API: id -> (HTTP status, body); every request's path is recorded."""

    answers: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def arxiv_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeArxiv]:
    fake = FakeArxiv({"2504.11536": (200, RETOOL_ATOM)})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.requests.append(self.path)
            arxiv_id = parse_qs(urlsplit(self.path).query).get("id_list", [""])[0]
            status, body = fake.answers.get(arxiv_id, (200, NOT_FOUND_ATOM))
            self.send_response(status)
            self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("ARXIV_API_URL", f"http://127.0.0.1:{server.server_port}/api/query")
    yield fake
    server.shutdown()
    server.server_close()
    thread.join()


def fill_in(path: Path, topics: str, tags: str) -> None:
    """What the contributor does next: choose topics and tags."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("topics: []", f"topics: [{topics}]").replace("tags: []", f"tags: [{tags}]"),
                    encoding="utf-8")


def assert_error(result: Result, message: str) -> None:
    """A failure is exit status 1 and one line on stderr, never a traceback."""
    assert result.code == 1
    assert result.err == f"error: {message}\n"
    assert result.out == ""


# --- from plain options ------------------------------------------------------------------------

def test_plain_options_give_a_record_in_canonical_field_order(new: New, mini: Path) -> None:
    result = new(*BAKER)

    assert result.code == 0, result.err
    path = mini / "emergent-tool-use-2019.md"
    assert result.out.splitlines()[0] == f"created {path}"
    # title and arXiv id always quoted, the version suffix dropped, `added` is today,
    # the abstract's line breaks joined, topics and tags left for the contributor
    assert path.read_text(encoding="utf-8") == BAKER_RECORD


def test_check_asks_for_topics_and_tags_and_passes_once_they_are_filled_in(new: New, mini: Path) -> None:
    new(*BAKER)
    path = mini / "emergent-tool-use-2019.md"

    problems = [p.text() for p in load(mini, today=TODAY).errors]
    assert problems == [f"{path}:21: topics: the list is empty (add at least one topic from {mini}/topics.yml)",
                        f"{path}:22: tags: the list is empty (add at least two tags from {mini}/tags.yml)"]

    fill_in(path, "multi-agent", "self-play, tool-use")
    result = load(mini, today=TODAY)
    assert result.problems == []
    assert result.catalog is not None
    paper = result.catalog.paper("emergent-tool-use-2019")
    assert paper.authors[-1] == "Igor Mordatch"
    assert paper.links == (("code", "https://github.com/openai/multi-agent-emergence-environments"),
                           ("project", "https://openai.com/index/emergent-tool-use/"))


def test_it_prints_the_next_step_and_the_vocabulary_to_choose_from(new: New, mini: Path) -> None:
    result = new(*BAKER)

    assert result.out == f"""\
created {mini}/emergent-tool-use-2019.md
note: --venue was read as venue: {{kind: conference, name: ICLR, year: 2020}}; check its kind (conference, workshop, journal, preprint) and add volume, issue, pages if known

Next: fill in topics and tags, and say in one sentence what emerges (emerges:, see docs/contributing.md), then run make check PAPERS={mini}.

Topics (pick 1 or more, from {mini}/topics.yml):
  multi-agent  Multi-agent systems
  reasoning    Reasoning in language models

Tags (pick 2 or more, from {mini}/tags.yml):
  emergent-communication  Emergent communication
  reinforcement-learning  Reinforcement learning
  self-play               Self-play
  tool-use                Tool use
"""


def test_the_curator_line_goes_in_with_emerges_and_is_checked(new: New, mini: Path) -> None:
    line = "Tool use, shelter building and ramp defence emerge in hide-and-seek agents from multi-agent self-play."
    result = new(*BAKER, "--emerges", line)
    assert result.code == 0, result.err
    record = mini / "emergent-tool-use-2019.md"
    assert f'emerges: "{line}"\n' in record.read_text(encoding="utf-8")
    problems = load(mini, [record], today=TODAY).problems
    assert [p for p in problems if p.field == "emerges"] == []  # the scaffold still needs topics and tags
    refused = new("--title", "Another paper", "--year", "2025", "--emerges", "x" * 201)
    assert refused.code == 1 and "--emerges is 201 characters long (at most 200)" in refused.err


def test_without_an_abstract_the_record_ends_at_the_front_matter_and_the_next_step_asks_for_it(
        new: New, mini: Path) -> None:
    result = new("--title", "Emergent Tool Use From Multi-Agent Autocurricula", "--year", "2019",
                 "--authors", "Bowen Baker")

    assert "Next: paste the abstract below the closing '---', fill in topics and tags" in result.out
    assert (mini / "emergent-tool-use-2019.md").read_text(encoding="utf-8").endswith("added: 2026-11-24\n---\n")


def test_without_authors_it_says_so_and_leaves_the_field_out(new: New, mini: Path) -> None:
    result = new("--title", "Emergent Tool Use From Multi-Agent Autocurricula", "--date", "2019-09-17")

    assert "note: no authors given: add 'authors:' with every author, in the paper's order" in result.out
    text = (mini / "emergent-tool-use-2019.md").read_text(encoding="utf-8")
    assert "authors" not in text
    assert "year: 2019\ndate: 2019-09-17\n" in text  # the year follows from the date


# --- ids and duplicates ------------------------------------------------------------------------

def test_an_id_taken_by_another_paper_gets_a_letter_suffix(new: New, mini: Path) -> None:
    first = new("--title", "ReTool: Tool Use Without Reinforcement Learning", "--year", "2025")
    second = new("--title", "ReTool: A Third Paper With the Same Short Title", "--year", "2025")

    assert first.out.splitlines()[:2] == [
        f"created {mini}/retool-2025-b.md",
        f"note: the id retool-2025 is taken by {mini}/retool-2025.md, so this one is retool-2025-b",
    ]
    assert second.out.splitlines()[0] == f"created {mini}/retool-2025-c.md"


def test_a_broken_record_keeps_its_id_and_is_never_overwritten(new: New, mini: Path) -> None:
    broken = mini / "retool-2025-b.md"
    broken.write_text("half a record, not yet valid\n", encoding="utf-8")

    result = new("--title", "ReTool: Tool Use Without Reinforcement Learning", "--year", "2025")

    assert result.out.splitlines()[0] == f"created {mini}/retool-2025-c.md"
    assert broken.read_text(encoding="utf-8") == "half a record, not yet valid\n"


@pytest.mark.parametrize(("option", "value", "existing", "same"), [
    # an arXiv id names the paper, whatever its version
    ("--arxiv", "2504.11536v3", "retool-2025.md", "arXiv id 2504.11536"),
    # a DOI given as a link is the DOI
    ("--doi", "https://doi.org/10.1145/3586183.3606763", "generative-agents-2023.md", "DOI 10.1145/3586183.3606763"),
    # titles compare without case, punctuation or accents
    ("--title", "GENERATIVE AGENTS — Interactive Simulacra of Human Behavior.", "generative-agents-2023.md", "title"),
])
def test_a_paper_on_the_list_already_is_refused_naming_its_record(
        new: New, mini: Path, option: str, value: str, existing: str, same: str) -> None:
    before = sorted(mini.iterdir())
    args = {"--title": "A Different Title", "--year": "2025", "--authors": "Ada Lovelace", option: value}

    result = new(*[item for pair in args.items() for item in pair])

    assert_error(result, f"this paper is on the list already: {mini}/{existing} has the same {same} "
                         "(edit that record instead)")
    assert sorted(mini.iterdir()) == before


def test_dois_compare_without_case(new: New, mini: Path) -> None:
    (mini / "cicero-2022.md").write_text('---\ntitle: "Human-level play in the game of Diplomacy"\n'
                                         "doi: 10.1126/science.ade9097\n---\n", encoding="utf-8")

    result = new("--title", "Cicero", "--year", "2022", "--doi", "10.1126/SCIENCE.ADE9097")

    assert_error(result, f"this paper is on the list already: {mini}/cicero-2022.md has the same "
                         "DOI 10.1126/SCIENCE.ADE9097 (edit that record instead)")


def test_a_broken_record_still_counts_as_a_duplicate(new: New, mini: Path) -> None:
    # its arXiv id is unquoted, so YAML reads a number; it is still the same paper
    shutil.copy(FIXTURES / "broken" / "arxiv-as-number-2025.md", mini)

    result = new("--title", "Anything", "--year", "2025", "--arxiv", "2504.10110")

    assert_error(result, f"this paper is on the list already: {mini}/arxiv-as-number-2025.md has the same "
                         "arXiv id 2504.10110 (edit that record instead)")


# --- from a BibTeX entry -----------------------------------------------------------------------

def test_a_google_scholar_entry_becomes_a_record(new: New, mini: Path) -> None:
    result = new("--from-bibtex", str(IMPORTERS / "google-scholar.bib"))

    # "Last, First" names first-name-first, {\'e} as é, the arXiv id read from the pseudo-journal
    # "arXiv preprint arXiv:2303.12712", which is no venue; "and others" dropped with a note
    assert result.out.splitlines()[:2] == [
        f"created {mini}/sparks-artificial-general-2023.md",
        "note: the BibTeX entry ends its authors with 'and others': add the missing authors, in the paper's order",
    ]
    assert (mini / "sparks-artificial-general-2023.md").read_text(encoding="utf-8") == """\
---
title: "Sparks of artificial general intelligence: Early experiments with gpt-4"
authors:
  - Sébastien Bubeck
  - Varun Chandrasekaran
  - Ronen Eldan
  - Johannes Gehrke
  - Eric Horvitz
  - Ece Kamar
  - Peter Lee
  - Yin Tat Lee
  - Yuanzhi Li
  - Scott Lundberg
year: 2023
arxiv: "2303.12712"
topics: []
tags: []
added: 2026-11-24
---
"""


def test_an_arxiv_export_gives_the_id_from_eprint_without_its_version() -> None:
    draft = read_bibtex(IMPORTERS / "arxiv.bib")

    assert draft.title == "Open-Endedness is Essential for Artificial Superhuman Intelligence"
    assert draft.authors is not None and draft.authors[-1] == "Tim Rocktäschel"
    assert (draft.year, draft.arxiv, draft.venue, draft.doi) == (2024, "2406.04268", None, None)


def test_a_semantic_scholar_export_gives_venue_doi_and_abstract() -> None:
    draft = read_bibtex(IMPORTERS / "semantic-scholar.bib")

    assert draft.venue == {"kind": "conference", "year": 2023,
                           "name": "Proceedings of the 36th Annual ACM Symposium on User Interface Software and Technology"}
    assert draft.doi == "10.1145/3586183.3606763"
    assert draft.abstract is not None
    assert draft.abstract.startswith("Believable proxies of human behavior can empower interactive applications")
    assert "architecture—observation, planning, and reflection—each" in draft.abstract
    assert (draft.arxiv, draft.links) == (None, {})  # its url is Semantic Scholar's own page: no link


def test_semantic_scholars_arxiv_journal_is_no_venue_and_its_volume_is_the_arxiv_id() -> None:
    draft = read_bibtex(IMPORTERS / "semantic-scholar-arxiv.bib")

    assert (draft.title, draft.venue, draft.arxiv) == (
        "Emergent Tool Use From Multi-Agent Autocurricula", None, "1909.07528")


def test_latex_in_an_entry_becomes_plain_unicode_text() -> None:
    draft = read_bibtex(IMPORTERS / "latex-escapes.bib")

    assert draft.title == "LLMs Learn to Negotiate: Emergent Bargaining in Multi-Agent Markets & Auctions"
    assert draft.authors == ("Jürgen Müller", "José García", "Anna Straßer", "Pieter van der Berg", "Google DeepMind")
    assert draft.venue == {"kind": "conference", "year": 2024, "pages": "1-12",
                           "name": "Proceedings of the 41st International Conference on Machine Learning (ICML)"}
    # a bare % is a percent sign, not a LaTeX comment; a blank line starts a paragraph
    assert draft.abstract == ("Agents trade goods in Markets. They agree 31% more often than baselines, and 12% faster."
                              "\n\nA second paragraph: $\\alpha$-rank stays as written.")
    # arXiv's own DOI is the arXiv id; a month without a day gives no date, but a note
    assert (draft.arxiv, draft.doi, draft.year, draft.date) == ("2402.01234", None, 2024, None)
    assert draft.notes["date"] == ("the BibTeX entry gives the month (2024-07) but not the day: "
                                   "add 'date: 2024-07-DD' if you know the day of the first public version")


def test_biblatex_date_and_a_doi_link_are_read() -> None:
    draft = parse_bibtex("@article{k, title={T}, date={2025-04-15}, url={https://doi.org/10.1145/3586183.3606763}}",
                         "k.bib")

    assert (draft.year, str(draft.date), draft.doi) == (2025, "2025-04-15", "10.1145/3586183.3606763")


def test_options_override_what_the_entry_says(new: New, mini: Path) -> None:
    authors = ("Sébastien Bubeck; Varun Chandrasekaran; Ronen Eldan; Johannes Gehrke; Eric Horvitz; Ece Kamar; "
               "Peter Lee; Yin Tat Lee; Yuanzhi Li; Scott Lundberg; Harsha Nori; Hamid Palangi; "
               "Marco Tulio Ribeiro; Yi Zhang")
    result = new("--from-bibtex", str(IMPORTERS / "google-scholar.bib"), "--authors", authors,
                 "--title", "Sparks of Artificial General Intelligence: Early experiments with GPT-4",
                 "--date", "2023-03-22")

    assert "note:" not in result.out  # the full author list replaced the one ending in 'and others'
    text = (mini / "sparks-artificial-general-2023.md").read_text(encoding="utf-8")
    assert 'title: "Sparks of Artificial General Intelligence: Early experiments with GPT-4"' in text
    assert "  - Yi Zhang\nyear: 2023\ndate: 2023-03-22\n" in text


def test_an_entry_already_on_the_list_is_refused(new: New, mini: Path) -> None:
    result = new("--from-bibtex", str(IMPORTERS / "semantic-scholar.bib"))

    assert_error(result, f"this paper is on the list already: {mini}/generative-agents-2023.md has the same "
                         "DOI 10.1145/3586183.3606763 (edit that record instead)")


@pytest.mark.parametrize(("content", "message"), [
    ("", "holds no BibTeX entry; paste the entry that Google Scholar, arXiv or Semantic Scholar exports "
         "(it starts with '@')"),
    ("@article{a, title={A}, year={2024}}\n@article{b, title={B}, year={2024}}",
     "holds 2 BibTeX entries (a, b); save the one paper's entry in a file of its own"),
    ("@article{a, title={A}, title={again}}",
     "cannot read the BibTeX entry: it gives 'title' more than once; keep one"),
])
def test_a_bibtex_file_without_exactly_one_readable_entry_is_refused(
        new: New, tmp_path: Path, content: str, message: str) -> None:
    bib = tmp_path / "entry.bib"
    bib.write_text(content, encoding="utf-8")

    result = new("--from-bibtex", str(bib))

    assert result.code == 1
    assert result.err.startswith(f"error: {bib}")
    assert result.err.endswith(f"{message}\n") and result.err.count("\n") == 1


def test_what_an_entry_lacks_is_asked_for(new: New, tmp_path: Path) -> None:
    bib = tmp_path / "entry.bib"
    bib.write_text("@misc{k, title={A Title}, author={Ada Lovelace}}", encoding="utf-8")

    assert_error(new("--from-bibtex", str(bib)), "missing the year: the BibTeX entry does not give it; add --year")
    assert new("--from-bibtex", str(bib), "--year", "2024").code == 0


def test_a_missing_bibtex_file_is_named(new: New, tmp_path: Path) -> None:
    assert_error(new("--from-bibtex", str(tmp_path / "nope.bib")),
                 f"cannot read {tmp_path}/nope.bib: No such file or directory")


# --- from the arXiv API ------------------------------------------------------------------------

def test_fetch_reads_title_authors_abstract_and_first_version_date(
        new: New, without_retool: Path, arxiv_api: FakeArxiv) -> None:
    result = new("--arxiv", "2504.11536v2", "--fetch", "--venue", "ICLR 2026",
                 "--project", "https://retool-rl.github.io", papers=without_retool)

    assert result.code == 0, result.err
    assert arxiv_api.requests == ["/api/query?id_list=2504.11536"]  # asked without the version
    text = (without_retool / "retool-2025.md").read_text(encoding="utf-8")
    front, abstract = text.split("---\n\n")
    assert front == """\
---
title: "ReTool: Reinforcement Learning for Strategic Tool Use in LLMs"
authors:
  - Jiazhan Feng
  - Shijue Huang
  - Xingwei Qu
  - Ge Zhang
  - Yujia Qin
  - Baoquan Zhong
  - Chengquan Jiang
  - Jinxin Chi
  - Wanjun Zhong
year: 2025
date: 2025-04-15
arxiv: "2504.11536"
venue:
  kind: conference
  name: ICLR
  year: 2026
links:
  project: https://retool-rl.github.io
topics: []
tags: []
added: 2026-11-24
"""
    # arXiv's hard-wrapped abstract as one paragraph, as published
    assert abstract.startswith("While reasoning models (e.g., DeepSeek R1) trained with reinforcement learning (RL), ")
    assert abstract.endswith(" provide new insights into hybrid neuro-symbolic systems.\n")
    assert "\n" not in abstract.rstrip("\n")

    fill_in(without_retool / "retool-2025.md", "reasoning", "reinforcement-learning, tool-use")
    assert load(without_retool, today=TODAY).problems == []


def test_a_paper_on_the_list_is_refused_before_asking_arxiv(new: New, mini: Path, arxiv_api: FakeArxiv) -> None:
    result = new("--arxiv", "2504.11536", "--fetch")

    assert_error(result, f"this paper is on the list already: {mini}/retool-2025.md has the same arXiv id "
                         "2504.11536 (edit that record instead)")
    assert arxiv_api.requests == []


@pytest.mark.parametrize(("answer", "message"), [
    ((200, NOT_FOUND_ATOM), "no arXiv paper with id 2504.99999; check the id on https://arxiv.org/abs/2504.99999"),
    ((404, b"Not Found"), "no arXiv paper with id 2504.99999 (the arXiv API at {host} answered 404)"),
    ((503, b"Service Unavailable"), "the arXiv API at {host} answered HTTP 503 Service Unavailable; try again later, "
                                    "or give --title, --authors and --year instead of --fetch"),
    ((200, b"Rate exceeded."), "the arXiv API's answer is not Atom XML (syntax error: line 1, column 0); "
                               "try again later"),
])
def test_an_unknown_id_or_a_failing_api_is_one_clear_line(
        new: New, mini: Path, arxiv_api: FakeArxiv, answer: tuple[int, bytes], message: str) -> None:
    arxiv_api.answers["2504.99999"] = answer
    host = urlsplit(os.environ["ARXIV_API_URL"]).netloc

    assert_error(new("--arxiv", "2504.99999", "--fetch"), message.format(host=host))
    assert sorted(p.name for p in mini.iterdir() if p.suffix == ".md") == [
        "drone-volleyball-2025.md", "generative-agents-2023.md", "retool-2025.md", "social-deduction-2025.md"]


def test_offline_it_says_the_api_cannot_be_reached(new: New) -> None:
    host = urlsplit(os.environ["ARXIV_API_URL"]).netloc  # a closed port
    started = time.monotonic()

    result = new("--arxiv", "2406.04268", "--fetch")

    assert_error(result, f"cannot reach the arXiv API at {host} (Connection refused); check your connection, "
                         "or give --title, --authors and --year instead of --fetch")
    assert time.monotonic() - started < 5


def test_a_server_that_never_answers_gives_up_after_the_timeout() -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        base = f"http://127.0.0.1:{silent.getsockname()[1]}/api/query"
        started = time.monotonic()
        with pytest.raises(ImportFailed, match=r"^cannot reach the arXiv API at .* \(no answer in time\)"):
            fetch_arxiv("2504.11536", base, timeout=0.3)
    assert time.monotonic() - started < 3


def test_the_api_reports_a_refused_id_as_an_entry() -> None:
    feed = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry>
      <id>http://arxiv.org/api/errors#incorrect_id_format_for_2504.1</id><title>Error</title>
      <summary>incorrect id format for 2504.1</summary></entry></feed>"""

    with pytest.raises(ImportFailed, match=r"^the arXiv API refused the id 2504.1: incorrect id format for 2504.1$"):
        parse_atom(feed, "2504.1")


def test_the_doi_is_read_and_a_journal_reference_is_suggested_as_venue() -> None:
    feed = RETOOL_ATOM.replace(b"<author>", b"""<arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">
      10.1000/retool.2025</arxiv:doi><arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">ICLR
      2026</arxiv:journal_ref><author>""", 1)

    draft = parse_atom(feed, "2504.11536")

    assert draft.doi == "10.1000/retool.2025"
    assert draft.notes == {"venue": "arXiv gives the journal reference 'ICLR 2026': if it was published there, add "
                                    "venue: {kind: conference, name: ICLR, year: 2026} (check each value)"}


# --- the command line --------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["--year", "2025"], "missing the title: give --title, or import it with --from-bibtex FILE or "
                         "--arxiv ID --fetch"),
    (["--authors", "Ada Lovelace"], "missing the title and the year: give --title and --year, or import them with "
                                    "--from-bibtex FILE or --arxiv ID --fetch"),
    (["--title", "T", "--year", "soon"], "--year 'soon' is not a year such as 2025"),
    (["--title", "T", "--year", "1850"], "1850 is not a plausible year (expected 1900-2027)"),
    (["--title", "T", "--date", "2025-02-30"], "--date '2025-02-30' is not a date such as 2025-04-15"),
    (["--title", "T", "--year", "2024", "--date", "2025-01-02"],
     "the year 2024 does not match the date 2025-01-02: both are the first public version's (fix --year or --date)"),
    (["--title", "T", "--year", "2025", "--arxiv", "25041.1"],
     "--arxiv '25041.1' is not an arXiv id (expected an id such as 2504.11536 or hep-th/9901001)"),
    (["--title", "T", "--year", "2025", "--doi", "11.1/x"],
     "--doi '11.1/x' is not a DOI (expected a DOI such as 10.1145/3586183.3606763)"),
    (["--title", "T", "--year", "2025", "--code", "github.com/x/y"],
     "--code 'github.com/x/y' is not an absolute http(s) URL (links must start with https:// (or http://); "
     "other schemes are refused for readers' safety)"),
    (["--title", "T", "--year", "2025", "--project", "https://good.org@evil.com"],
     "--project 'https://good.org@evil.com' names a user before '@', and browsers go to the host after it (evil.com) "
     "(remove everything between '//' and '@'; addresses with a user name or password are refused)"),
    (["--title", "T", "--year", "2025", "--authors", "Lovelace, Ada, Turing, Alan"],
     "--authors: 'Lovelace, Ada, Turing, Alan' holds a comma: separate authors with ';' and write each name as "
     "'First Last', e.g. --authors \"Ada Lovelace; Alan Turing\""),
    (["--fetch"], "--fetch needs the paper's id: --arxiv ID --fetch"),
    (["--fetch", "--arxiv", "2406.04268", "--from-bibtex", "x.bib"], "use --from-bibtex or --fetch, not both"),
])
def test_a_wrong_option_is_named_in_one_line(new: New, mini: Path, args: list[str], message: str) -> None:
    before = sorted(mini.iterdir())

    assert_error(new(*args), message)
    assert sorted(mini.iterdir()) == before


def test_a_missing_records_folder_is_named(new: New, tmp_path: Path) -> None:
    assert_error(new("--title", "T", "--year", "2025", papers=tmp_path / "nope"),
                 f"{tmp_path}/nope is not a folder; pass --papers DIR, the folder of the records")


def test_from_a_shell_exit_status_is_0_or_1_and_never_a_traceback(mini: Path) -> None:
    def shell(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "generator", "new", "--papers", str(mini), *args],
                              input=stdin, capture_output=True, text=True, cwd=ROOT, env=os.environ.copy(),
                              timeout=60, check=False)

    created = shell("--title", "Emergent Tool Use From Multi-Agent Autocurricula", "--year", "2019",
                    "--authors", "Bowen Baker", "--abstract", "-", stdin="Read from\nstandard input.\n")
    duplicate = shell("--title", "Emergent tool use from multi-agent autocurricula", "--year", "2019")
    offline = shell("--arxiv", "1909.07528", "--fetch")

    assert (created.returncode, created.stderr) == (0, "")
    assert (mini / "emergent-tool-use-2019.md").read_text(encoding="utf-8").endswith(
        "---\n\nRead from standard input.\n")
    for failed in (duplicate, offline):
        assert failed.returncode == 1
        assert failed.stderr.startswith("error: ") and failed.stderr.count("\n") == 1
        assert "Traceback" not in failed.stderr
