"""`timeline init`: a new site that builds, checks and publishes at once, and never overwrites."""

from __future__ import annotations

from pathlib import Path

import yaml
from generator import __version__
from bs4 import BeautifulSoup

from test_pages_workflow import WORKFLOW, actionlint, assert_the_build_keeps_its_cache_between_runs, workflow


def test_init_writes_a_site_that_builds_and_checks(run_timeline, tmp_path):
    started = run_timeline(tmp_path, "init", "newsroom", "--title", 'Sanctions: a "working" timeline')
    assert started.exit_code == 0, started.stderr
    site = tmp_path / "newsroom"
    assert sorted(str(path.relative_to(site)) for path in site.rglob("*") if path.is_file()) == [
        ".github/workflows/pages.yml", ".gitignore", "README.md", "content/actors.yaml", "content/eras.yaml",
        "content/events/example-event.yaml", "content/pages/about.md", "content/site.yaml", "content/topics.yaml",
        "schema/event.schema.json"]
    assert yaml.safe_load((site / "content" / "site.yaml").read_text(encoding="utf-8"))["title"] == 'Sanctions: a "working" timeline'
    assert "/site/" in (site / ".gitignore").read_text() and "/.timeline-cache/" in (site / ".gitignore").read_text()

    built = run_timeline(site, "build")
    assert built.exit_code == 0, built.stderr
    home = BeautifulSoup((site / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert 'Sanctions: a "working" timeline' in home.title.get_text()
    assert run_timeline(site, "check").exit_code == 0


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing(run_timeline, tmp_path):
    existing = tmp_path / "mine"
    existing.mkdir()
    (existing / "notes.txt").write_text("keep me")
    refused = run_timeline(tmp_path, "init", "mine")
    assert refused.exit_code == 1
    assert "not an empty folder" in refused.stderr and "mine" in refused.stderr
    assert [path.name for path in existing.iterdir()] == ["notes.txt"]
    assert (existing / "notes.txt").read_text() == "keep me"


def test_init_into_an_existing_empty_folder(run_timeline, tmp_path):
    (tmp_path / "empty").mkdir()
    assert run_timeline(tmp_path, "init", "empty").exit_code == 0
    assert (tmp_path / "empty" / "content" / "events" / "example-event.yaml").is_file()


def test_the_new_sites_workflow_is_this_repositorys_installing_the_package(run_timeline, tmp_path):
    run_timeline(tmp_path, "init", "site")
    written = (tmp_path / "site" / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert actionlint(tmp_path / "site" / ".github" / "workflows" / "pages.yml") == []
    assert_the_build_keeps_its_cache_between_runs(workflow(tmp_path / "site" / ".github" / "workflows" / "pages.yml"))
    ours = WORKFLOW.read_text(encoding="utf-8").splitlines()
    theirs = written.splitlines()
    differences = [(a, b) for a, b in zip(ours, theirs) if a != b]
    assert len(ours) == len(theirs)
    assert [b.strip() for _, b in differences] == [
        "cache-dependency-path: .github/workflows/pages.yml",
        f'run: python -m pip install "timeline-generator=={__version__}"']
