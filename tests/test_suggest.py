"""`suggest`: candidates from a fake arXiv API (recorded Atom answers, never the network).

The fixture answer (tests/fixtures/suggest/search-50.xml, written by make_feeds.py there) holds
50 papers: 10 on the list (7 in another arXiv version, 2 by title in another case or with a
Cyrillic letter and a soft hyphen, 1 by DOI only), 4 with hostile text, 36 others.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.load import load
from generator.suggest.fetch import Fetcher

from .support import FIXTURES, ROOT

SUGGEST = FIXTURES / "suggest"
SEARCH = (SUGGEST / "search-50.xml").read_bytes()
ON_LIST = {"2510.08558", "2506.06366", "2505.02820", "2502.18145", "2504.04756", "2205.05055", "2502.06773",
           "2611.90101", "2611.90102", "2611.90103"}
FIXTURE_DOI = "10.5555/fixture.2026.17"  # search-50.xml gives it in upper case
DOI_RECORD = "servant-stalker-predator-2025.md"
TODAY = "2026-12-02"


@dataclass
class FakeApi:
    """Answers by path: /api/query (search or id_list) and /api/daily_papers."""

    search: tuple[int, bytes] = (200, SEARCH)
    delay: float = 0.0
    requests: list[str] = field(default_factory=list)
    url: str = ""

    @property
    def arxiv(self) -> str:
        return f"{self.url}/api/query"


@pytest.fixture
def api() -> Iterator[FakeApi]:
    fake = FakeApi()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.requests.append(self.path)
            query = parse_qs(urlsplit(self.path).query)
            if fake.delay:
                time.sleep(fake.delay)
            if self.path.startswith("/api/daily_papers"):
                status, body = 200, (SUGGEST / "daily.json").read_bytes()
            elif "id_list" in query:
                status, body = 200, (SUGGEST / "ids-daily.xml").read_bytes()
            else:
                status, body = fake.search
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/atom+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def the_list(tmp_path: Path) -> Path:
    """A copy of the real list, one record given the DOI the fixture's DOI-only entry carries."""
    papers = tmp_path / "papers"
    shutil.copytree(ROOT / "papers", papers)
    record = papers / DOI_RECORD
    text = record.read_text(encoding="utf-8")
    record.write_text(re.sub(r"^(year: \d+\n)", rf'\1doi: "{FIXTURE_DOI}"\n', text, count=1, flags=re.M),
                      encoding="utf-8")
    return papers


def suggest(api: FakeApi, papers: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "suggest", "--papers", str(papers), "--arxiv-api", api.arxiv,
         "--huggingface-api", f"{api.url}/api/daily_papers", "--interval", "0", "--no-cache", *args],
        capture_output=True, text=True, cwd=cwd or ROOT, timeout=120,
        env={"GENERATOR_TODAY": TODAY, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})


def entries(report: str) -> list[str]:
    """The arXiv ids of the report's candidates, in order."""
    return re.findall(r"^### \d+\. \[.*\]\(https://arxiv\.org/abs/([0-9.]+)\)$", report, flags=re.M)


def test_papers_on_the_list_are_dropped_by_version_case_and_doi(api: FakeApi, the_list: Path) -> None:
    result = suggest(api, the_list)
    assert result.returncode == 0, result.stderr
    shown = entries(result.stdout)
    assert len(shown) == 40 and not ON_LIST & set(shown)
    assert "50 papers matched `papers/watch.yml`; 10 of them are on the list already (not shown); 40 candidates" \
        in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "40 candidates (10 on the list already) from 1 request(s)"


def test_the_search_asks_for_the_watched_categories_phrases_and_days(api: FakeApi, the_list: Path) -> None:
    suggest(api, the_list, "--since", "2026-11-20")
    query = parse_qs(urlsplit(api.requests[0]).query)
    search = query["search_query"][0]
    assert search.startswith("(cat:cs.AI OR cat:cs.CL")
    assert 'ti:"emergent misalignment" OR abs:"emergent misalignment"' in search
    assert search.endswith("submittedDate:[202611200000 TO 202612022359]")
    assert (query["sortBy"], query["sortOrder"], query["start"]) == (["submittedDate"], ["descending"], ["0"])


def test_since_defaults_to_the_newest_added_on_the_list(api: FakeApi, the_list: Path) -> None:
    newest = max(paper.added for paper in load(the_list).catalog.papers)  # type: ignore[union-attr]
    result = suggest(api, the_list)
    assert result.stdout.startswith(f"# Candidate papers, {newest} to {TODAY}\n")
    assert f"submittedDate:[{newest:%Y%m%d}0000" in parse_qs(urlsplit(api.requests[0]).query)["search_query"][0]


def test_ranking_is_stable_best_first_and_each_entry_is_complete(api: FakeApi, the_list: Path) -> None:
    first, second = suggest(api, the_list).stdout, suggest(api, the_list).stdout
    assert first == second
    scores = [float(s) for s in re.findall(r" · score (\d\.\d{3})$", first, flags=re.M)]
    assert len(scores) == 40 and scores == sorted(scores, reverse=True)
    top = first.split("\n### 2. ")[0].split("### 1. ")[1]
    assert re.search(r"^- fits: topic `[a-z-]+`; tags `[a-z-]+`, `[a-z-]+`, `[a-z-]+`$", top, flags=re.M)
    closest = re.findall(r"\]\((https://emergent-behaviors\.github\.io/reading-list/papers/([a-z0-9-]+)/)\) \(0\.\d\d\)",
                         top)
    assert len(closest) == 3 and all((the_list / f"{paper_id}.md").exists() for _, paper_id in closest)


def test_a_candidate_matching_in_its_title_ranks_above_one_matching_nowhere(api: FakeApi, the_list: Path) -> None:
    report = suggest(api, the_list).stdout
    order = entries(report)
    # 2611.90300 (watched phrase in title and abstract) vs the hostile 2611.90202 (phrase, but little else)
    assert order.index("2611.90300") < len(order) // 2


def test_hostile_titles_and_abstracts_come_out_escaped(api: FakeApi, the_list: Path) -> None:
    report = suggest(api, the_list).stdout
    assert "<img" not in report and "<script" not in report and "<b>" not in report
    assert "&lt;img src\\=x onerror\\=alert\\(1\\)&gt; Emergent Cooperation" in report
    assert re.search(r"(?<!<wbr>\\)@(octocat|everyone)", report) is None  # no mention pings anyone
    assert "Emergent Misalignment <wbr>\\@octocat \\| table \\| breaker \\`code\\` \\*\\*bold\\*\\*" in report
    assert "\u202e" not in report and "\u200b" not in report
    assert "{{ config }}" not in report and "Grokking \\{\\{ config \\}\\}" in report
    assert "javascript:" not in report and "evil.example" not in report  # abstracts are not shown at all


def test_two_drafts_pass_check_with_the_curators_fields_left_out(api: FakeApi, the_list: Path) -> None:
    result = suggest(api, the_list, "--draft", "2")
    assert result.returncode == 0, result.stderr
    top_two = entries(result.stdout)[:2]
    drafted = re.findall(r"^drafted (\S+): check its topics and tags, and add what emerges$", result.stderr, flags=re.M)
    assert len(drafted) == 2
    texts = [Path(path).read_text(encoding="utf-8") for path in drafted]
    assert [re.search(r'^arxiv: "([0-9.]+)"$', t, flags=re.M).group(1) for t in texts] == top_two  # type: ignore[union-attr]
    for text in texts:
        assert f"added: {TODAY}" in text and "emerges:" not in text and "start_here" not in text
    checked = load(the_list, today=dt.date.fromisoformat(TODAY))
    assert checked.errors == [] and checked.catalog is not None and len(checked.catalog) == 97


def test_a_hostile_candidate_drafts_into_a_record_that_checks_clean(api: FakeApi, the_list: Path) -> None:
    head, *parts = SEARCH.replace(b"</feed>", b"").split(b"<entry>")
    kept = [b"<entry>" + part for part in parts if b"2611.90202" in part or b"2611.90201" in part]
    api.search = (200, head + b"".join(kept) + b"</feed>\n")
    result = suggest(api, the_list, "--draft", "2")
    assert result.returncode == 0, result.stderr
    for path in re.findall(r"^drafted (\S+):", result.stderr, flags=re.M):
        text = Path(path).read_text(encoding="utf-8")
        assert "\u202e" not in text and "\u200b" not in text
    assert load(the_list, today=dt.date.fromisoformat(TODAY)).errors == []


@pytest.mark.parametrize(("answer", "line"), [
    ((500, b"oops"), r"error: the arXiv API at 127\.0\.0\.1:\d+ answered HTTP 500 Internal Server Error "
                     r"\(4 attempts\); try again later"),
    ((200, b"<feed><entry>"), r"error: the arXiv API's answer is not Atom XML \(no element found: line 1, "
                              r"column 13\); try again later"),
    ((200, b"<html>maintenance</html>"), r"error: the arXiv API's answer is not an Atom feed; check --arxiv-api"),
    ((400, b"bad query"), r"error: the API at 127\.0\.0\.1:\d+ answered HTTP 400 Bad Request; "
                          r"check --arxiv-api and papers/watch\.yml"),
])
def test_a_failing_api_gives_one_line(api: FakeApi, the_list: Path, answer: tuple[int, bytes], line: str) -> None:
    api.search = answer
    result = suggest(api, the_list)
    assert result.returncode == 1 and result.stdout == ""
    assert re.fullmatch(line, result.stderr.strip()), result.stderr
    assert len(api.requests) == (4 if answer[0] == 500 else 1)  # only a server error is tried again


def test_a_timeout_gives_one_line_after_the_retries(api: FakeApi, the_list: Path) -> None:
    api.delay = 1.0
    result = suggest(api, the_list, "--timeout", "0.2")
    assert result.returncode == 1
    assert re.fullmatch(r"error: the arXiv API at 127\.0\.0\.1:\d+ cannot be reached \(no answer in time\) "
                        r"\(4 attempts\); check your connection and run it again", result.stderr.strip()), result.stderr


def test_offline_gives_one_line(the_list: Path) -> None:
    api = FakeApi(url="http://127.0.0.1:9")  # the discard port: nothing listens
    result = suggest(api, the_list)
    assert result.returncode == 1
    assert re.fullmatch(r"error: the arXiv API at 127\.0\.0\.1:9 cannot be reached \(Connection refused\) "
                        r"\(4 attempts\); check your connection and run it again", result.stderr.strip()), result.stderr


def test_arxiv_itself_is_never_asked_faster_than_its_rate(the_list: Path) -> None:
    api = FakeApi(url="https://export.arxiv.org")
    result = subprocess.run([sys.executable, "-m", "generator", "suggest", "--papers", str(the_list),
                             "--interval", "1"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1 and api.requests == []
    assert result.stderr.strip() == ("error: --interval 1 is faster than arXiv allows "
                                     "(one request every 3 seconds)")


def test_requests_are_spaced_and_retries_back_off() -> None:
    now = [0.0]
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        now[0] += seconds

    fetcher = Fetcher(3.0, None, sleep=sleep, clock=lambda: now[0])
    calls: list[str] = []

    def once(url: str) -> bytes:
        calls.append(url)
        if url.endswith("flaky") and len(calls) < 4:
            from generator.suggest import fetch
            raise fetch._Retry("answered HTTP 503 Service Unavailable", "try again later")
        return b"ok"

    fetcher._once = once  # type: ignore[method-assign]
    assert fetcher.get("http://x/a", "the API") == b"ok"
    assert fetcher.get("http://x/flaky", "the API") == b"ok"
    assert fetcher.get("http://x/b", "the API") == b"ok"
    # each request waits out the interval after the one before; a retry first backs off 3 s, then 6 s
    assert pauses == [3.0, 3.0, 6.0, 3.0]
    assert calls == ["http://x/a", "http://x/flaky", "http://x/flaky", "http://x/flaky", "http://x/b"]


def test_answers_are_cached_between_runs(api: FakeApi, the_list: Path, tmp_path: Path) -> None:
    args = [sys.executable, "-m", "generator", "suggest", "--papers", str(the_list), "--arxiv-api", api.arxiv,
            "--interval", "0"]
    env = {"GENERATOR_TODAY": TODAY, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    first = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    second = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert first.stdout == second.stdout and len(api.requests) == 1
    assert second.stderr.strip().endswith("from 0 request(s)")
    assert len(list((tmp_path / ".cache" / "suggest").iterdir())) == 1


def test_hugging_face_daily_papers_add_candidates_not_on_the_list(api: FakeApi, the_list: Path) -> None:
    watch = the_list / "watch.yml"
    watch.write_text(watch.read_text(encoding="utf-8").replace("huggingface_daily: false", "huggingface_daily: true"),
                     encoding="utf-8")
    result = suggest(api, the_list, "--since", "2026-12-01")
    assert result.returncode == 0, result.stderr
    assert "2611.90400" in entries(result.stdout)
    asked = [parse_qs(urlsplit(p).query) for p in api.requests if "id_list" in p]
    assert [q["id_list"] for q in asked] == [["2611.90400"]]  # not the one found already, not the one listed
    days = [parse_qs(urlsplit(p).query)["date"] for p in api.requests if p.startswith("/api/daily_papers")]
    assert days == [["2026-12-01"], ["2026-12-02"]]
    assert "52 papers matched `papers/watch.yml`; 11 of them are on the list already" in result.stdout


def test_a_broken_watch_file_is_reported_by_check_and_refused_by_suggest(api: FakeApi, the_list: Path) -> None:
    (the_list / "watch.yml").write_text("categories: [cs.AI]\nterms:\n  tool-usage: [tools]\n", encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "generator", "check", "--papers", str(the_list), "--no-cache"],
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
    line = (f"{the_list}/watch.yml:3: terms.tool-usage: 'tool-usage' is neither a topic nor a tag "
            "(use an id from papers/topics.yml or papers/tags.yml)")
    assert check.returncode == 1 and line in check.stdout.splitlines()
    result = suggest(api, the_list)
    assert result.returncode == 1 and result.stderr.strip() == f"error: {line}" and api.requests == []


def test_the_daily_listing_fixture_is_what_make_feeds_writes() -> None:
    sys.path.insert(0, str(SUGGEST))
    try:
        import make_feeds  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(SUGGEST))
    assert make_feeds.feed(make_feeds.candidates(), 50).encode() == SEARCH
    assert json.loads(make_feeds.daily_listing()) == json.loads((SUGGEST / "daily.json").read_text(encoding="utf-8"))
