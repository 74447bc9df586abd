"""The CI workflows, issue forms and Dependabot config: the properties a maintainer relies on."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = GITHUB / "workflows"
BIN = ROOT / ".venv" / "bin"
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)\s*(#.*)?$")
SITE_URL = "https://emergent-behaviors.github.io/reading-list/"


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` mapping (YAML 1.1 reads the bare key `on` as True)."""
    keys: dict[Any, Any] = workflow
    on = keys.get("on", keys.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict)
    return on


def steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def step_named(workflow: dict[str, Any], uses_prefix: str) -> dict[str, Any]:
    found = [s for _, s in steps(workflow) if str(s.get("uses", "")).startswith(uses_prefix + "@")]
    assert len(found) == 1, uses_prefix
    return found[0]


@pytest.fixture(scope="module")
def pr() -> dict[str, Any]:
    return load(WORKFLOWS / "pr.yml")


@pytest.fixture(scope="module")
def deploy() -> dict[str, Any]:
    return load(WORKFLOWS / "deploy.yml")


ALL_WORKFLOWS = sorted(WORKFLOWS.glob("*.yml"))


def test_the_three_workflows_exist() -> None:
    assert [p.name for p in ALL_WORKFLOWS] == ["deploy.yml", "pr.yml", "suggest.yml"]


# --- pull requests ----------------------------------------------------------------------

def test_pr_runs_on_pull_request_never_pull_request_target(pr: dict[str, Any]) -> None:
    assert set(triggers(pr)) == {"pull_request"}
    for path in ALL_WORKFLOWS:
        assert "pull_request_target" not in triggers(load(path)), path.name
        code = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
        assert not any("pull_request_target" in line for line in code), path.name


def test_pr_token_is_read_only(pr: dict[str, Any]) -> None:
    assert pr["permissions"] == {"contents": "read"}
    for job in pr["jobs"].values():
        assert set(job.get("permissions", {}).values()) <= {"read", "none"}


def test_pr_runs_one_at_a_time_per_pull_request(pr: dict[str, Any]) -> None:
    assert "github.event.pull_request.number" in pr["concurrency"]["group"]
    assert pr["concurrency"]["cancel-in-progress"] is True


def test_pr_checks_out_without_credentials_and_with_the_base_history(pr: dict[str, Any]) -> None:
    checkout = step_named(pr, "actions/checkout")
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert step_named(pr, "actions/setup-python")["with"]["python-version"] == "3.11"


def test_pr_checks_tests_builds_and_uploads_the_preview_in_order(pr: dict[str, Any]) -> None:
    runs = [s["run"] for _, s in steps(pr) if "run" in s]
    assert runs[:3] == ["make check FORMAT=github", "bash .ci/run", "make site"]
    upload = step_named(pr, "actions/upload-artifact")
    assert upload["with"]["path"].rstrip("/") == "site"
    assert upload["with"]["if-no-files-found"] == "error"
    order = [s.get("uses", s.get("run", "")).split("@")[0] for _, s in steps(pr)]
    assert order.index("make site") < order.index("actions/upload-artifact")


def test_pr_summary_gets_the_base_branch_through_the_environment(pr: dict[str, Any]) -> None:
    summary = next(s for _, s in steps(pr) if "pr-summary" in s.get("run", ""))
    assert summary["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert '--base "origin/${BASE_REF}"' in summary["run"]
    assert summary["run"].rstrip().endswith('>> "$GITHUB_STEP_SUMMARY"')
    assert summary["if"] == "${{ !cancelled() }}"  # a summary even when the check fails


# --- every workflow ---------------------------------------------------------------------

@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment(path: Path) -> None:
    uses = [s["uses"] for _, s in steps(load(path)) if "uses" in s]
    assert uses
    for ref in uses:
        assert PINNED.match(ref), f"{path.name}: {ref} is not pinned to a full commit SHA"
    for line in path.read_text(encoding="utf-8").splitlines():
        match = USES_LINE.match(line)
        if match:
            assert match.group(2) and re.match(r"# v\d+\.\d+\.\d+$", match.group(2)), line


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_is_expanded_inside_a_run_script(path: Path) -> None:
    """Untrusted text (titles, branch names) reaches scripts only through env:, never ${{ }} in run:."""
    for job_id, step in steps(load(path)):
        script = step.get("run", "")
        assert "${{" not in script, f"{path.name}: {job_id}: {script}"
    text = path.read_text(encoding="utf-8")
    for untrusted in ("github.event.pull_request.title", "github.event.pull_request.body", "github.head_ref",
                      "github.event.pull_request.head.ref", "github.event.pull_request.head.label"):
        assert untrusted not in text, untrusted


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_every_run_step_calls_make_or_the_generator(path: Path) -> None:
    for job_id, step in steps(load(path)):
        if "run" in step:
            command = " ".join(step["run"].split())
            assert re.match(r"^(make |bash \.ci/run$|\.venv/bin/python -m generator )", command), \
                f"{path.name}: {job_id}: {command}"


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_every_checkout_drops_its_credentials_and_every_job_has_a_timeout(path: Path) -> None:
    workflow = load(path)
    for job in workflow["jobs"].values():
        assert isinstance(job.get("timeout-minutes"), int)
    for _, step in steps(workflow):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


# --- deployment -------------------------------------------------------------------------

def test_deploy_runs_on_merges_to_main_and_by_hand(deploy: dict[str, Any]) -> None:
    on = triggers(deploy)
    assert set(on) == {"push", "workflow_dispatch"}
    assert on["push"] == {"branches": ["main"]}


def test_deploy_permissions_are_per_job_and_least_privilege(deploy: dict[str, Any]) -> None:
    assert deploy["permissions"] == {}
    jobs = deploy["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    for job_id, job in jobs.items():
        if job_id != "deploy":
            assert "pages" not in job.get("permissions", {}) and "id-token" not in job.get("permissions", {})


def test_deploy_publishes_one_deployment_at_a_time(deploy: dict[str, Any]) -> None:
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_deploy_builds_then_publishes_to_the_pages_environment(deploy: dict[str, Any]) -> None:
    build, publish = deploy["jobs"]["build"], deploy["jobs"]["deploy"]
    assert [s["run"] for s in build["steps"] if "run" in s] == ["make site"]
    assert step_named(deploy, "actions/upload-pages-artifact")["with"] == {"path": "site"}
    assert publish["needs"] == "build"
    assert publish["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    deploy_step = step_named(deploy, "actions/deploy-pages")
    assert deploy_step["id"] == "deployment" and deploy_step in publish["steps"]
    assert step_named(deploy, "actions/configure-pages") in publish["steps"]


# --- weekly candidates -------------------------------------------------------------------

@pytest.fixture(scope="module")
def suggest() -> dict[str, Any]:
    return load(WORKFLOWS / "suggest.yml")


def test_suggest_runs_weekly_and_by_hand(suggest: dict[str, Any]) -> None:
    on = triggers(suggest)
    assert set(on) == {"schedule", "workflow_dispatch"}
    (cron,) = [entry["cron"] for entry in on["schedule"]]
    assert re.fullmatch(r"\d+ \d+ \* \* [0-6]", cron)  # one day a week


def test_only_the_issue_job_may_write_issues_and_it_runs_no_python(suggest: dict[str, Any]) -> None:
    assert suggest["permissions"] == {}
    search, issue = suggest["jobs"]["search"], suggest["jobs"]["issue"]
    assert search["permissions"] == {"contents": "read"}
    assert issue["permissions"] == {"contents": "read", "issues": "write"}
    assert issue["needs"] == "search"
    assert [s["run"] for s in search["steps"] if "run" in s] == ['make suggest ARGS="--report candidates.md"']
    assert [s["run"] for s in issue["steps"] if "run" in s] == ["make suggest-issue REPORT=candidates.md"]
    assert not any("setup-python" in str(s.get("uses", "")) for s in issue["steps"])


def test_the_issue_is_written_from_the_report_file_never_from_a_shell_expansion() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nsuggest-issue:", 1)[1].split("\n\n", 1)[0]
    assert recipe.count('--body-file "$(REPORT)"') == 2 and "--body " not in recipe
    assert "--label candidates" in recipe and "gh issue edit" in recipe and "gh issue create" in recipe


# --- issue forms, pull request template, Dependabot ---------------------------------------

def form_fields(name: str) -> dict[str, dict[str, Any]]:
    form = load(GITHUB / "ISSUE_TEMPLATE" / name)
    return {item["id"]: item for item in form["body"] if "id" in item}


def test_the_suggest_form_offers_exactly_the_topics_of_the_vocabulary() -> None:
    fields = form_fields("suggest-paper.yml")
    assert fields["arxiv"]["validations"]["required"] is True
    topics = list(load(ROOT / "papers" / "topics.yml"))
    assert fields["topic"]["type"] == "dropdown"
    assert fields["topic"]["attributes"]["options"] == topics, "update the dropdown when papers/topics.yml changes"
    assert {"why", "tags"} <= set(fields)


def test_the_fix_form_can_be_prefilled_with_a_paper_id() -> None:
    # /issues/new?template=fix-record.yml&paper-id=retool-2025 fills the field whose id is paper-id.
    fields = form_fields("fix-record.yml")
    assert fields["paper-id"]["type"] == "input"
    assert fields["problem"]["validations"]["required"] is True


def test_blank_issues_are_off_and_contributors_are_pointed_to_the_guide() -> None:
    config = load(GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert config["blank_issues_enabled"] is False
    assert [link["url"] for link in config["contact_links"]] == [SITE_URL + "contributing/"]
    assert f"site_url: {SITE_URL}" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_the_pull_request_template_is_the_checklist_ci_checks() -> None:
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    for item in ("make check", "One record per paper", "vocabulary", "invented", "verbatim"):
        assert item in text
    assert text.count("- [ ]") == 5


def test_dependabot_updates_actions_and_python_weekly() -> None:
    updates = load(GITHUB / "dependabot.yml")["updates"]
    assert {u["package-ecosystem"] for u in updates} == {"github-actions", "pip"}
    assert all(u["schedule"]["interval"] == "weekly" for u in updates)


# --- the linters --------------------------------------------------------------------------

LINTERS = {
    "actionlint": [str(BIN / "actionlint"), *map(str, ALL_WORKFLOWS)],
    "zizmor": [str(BIN / "zizmor"), "--offline", "--persona", "pedantic", "--no-progress", ".github"],
    "check-jsonschema workflows": [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                                   *map(str, ALL_WORKFLOWS)],
    "check-jsonschema issue forms": [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-issue-forms",
                                     ".github/ISSUE_TEMPLATE/suggest-paper.yml", ".github/ISSUE_TEMPLATE/fix-record.yml"],
    "check-jsonschema issue config": [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-issue-config",
                                      ".github/ISSUE_TEMPLATE/config.yml"],
    "check-jsonschema dependabot": [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.dependabot",
                                    ".github/dependabot.yml"],
}


@pytest.mark.parametrize("name", LINTERS)
def test_the_linter_passes(name: str) -> None:
    command = LINTERS[name]
    if not Path(command[0]).exists():
        pytest.skip(f"{command[0]} is not installed (make install)")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}  # actionlint finds shellcheck
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    if name == "zizmor":
        assert "No findings to report" in done.stdout


def test_make_lint_runs_the_workflow_linters() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    for tool in ("$(BIN)/actionlint", "$(BIN)/zizmor --offline --persona pedantic",
                 "--builtin-schema vendor.github-workflows", "--builtin-schema vendor.github-issue-forms",
                 "--builtin-schema vendor.dependabot"):
        assert tool in recipe
