"""`timeline deploy` against a local bare repository standing in for GitHub."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from sitefixture import write_event


def git(folder: Path, *args: str) -> str:
    completed = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True)
    return completed.stdout


@pytest.fixture
def git_identity(monkeypatch, tmp_path):
    """A known committer, and no user or system git configuration leaking into the test."""
    empty = tmp_path / "gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test Editor")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "editor@example.org")


@pytest.fixture
def repository(fixture_site, tmp_path, git_identity) -> tuple[Path, Path]:
    """The fixture site as a committed git repository whose 'origin' is a bare repository."""
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    (fixture_site / ".gitignore").write_text("/site/\n", encoding="utf-8")
    git(fixture_site, "init", "--quiet", "--initial-branch=main")
    git(fixture_site, "add", ".")
    git(fixture_site, "commit", "--quiet", "-m", "Content")
    git(fixture_site, "remote", "add", "origin", str(remote))
    return fixture_site, remote


def published_files(remote: Path, branch: str = "gh-pages") -> set[str]:
    return set(git(remote, "ls-tree", "-r", "--name-only", branch).split())


def test_deploy_commits_the_built_site_to_gh_pages_and_pushes(repository, run_timeline):
    site, remote = repository
    result = run_timeline(site, "deploy", "--base-url", "https://editor.github.io/fixture/")
    assert result.exit_code == 0, result.stderr
    assert "Published 5 events" in result.stdout and "to origin/gh-pages" in result.stdout
    files = published_files(remote)
    assert {".nojekyll", "index.html", "404.html", "feed.xml", "calendar.ics", "data/events.csv",
            "events/reykjavik-meeting/index.html"} <= files
    assert "CNAME" not in files
    head = git(site, "rev-parse", "HEAD").strip()
    assert git(remote, "log", "-1", "--format=%s", "gh-pages").strip().startswith(f"Deploy {head[:12]} with timeline ")
    assert "https://editor.github.io/fixture/feed.xml" in git(remote, "show", "gh-pages:feed.xml")
    assert git(remote, "branch", "--list", "main").strip() == ""  # only gh-pages was pushed


def test_a_second_deploy_adds_a_commit_on_top(repository, run_timeline):
    site, remote = repository
    assert run_timeline(site, "deploy").exit_code == 0
    write_event(site, "later", """\
        date: 2022-01-10
        title: Geneva talks
        summary: Strategic stability talks.
        topics: [arms-control]
        sources:
          - title: A source
            publisher: Reuters
    """)
    git(site, "add", ".")
    git(site, "commit", "--quiet", "-m", "Add an event")
    assert run_timeline(site, "deploy").exit_code == 0
    assert git(remote, "rev-list", "--count", "gh-pages").strip() == "2"
    assert "events/later/index.html" in published_files(remote)


def test_a_configured_domain_is_written_to_cname(repository, run_timeline):
    site, remote = repository
    site_yaml = site / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "domain: timeline.example.org\n", encoding="utf-8")
    git(site, "commit", "--quiet", "-am", "Custom domain")
    result = run_timeline(site, "deploy")
    assert result.exit_code == 0, result.stderr
    assert git(remote, "show", "gh-pages:CNAME").strip() == "timeline.example.org"
    # A custom domain is served from its root, so that is the site's address.
    assert "https://timeline.example.org/feed.xml" in git(remote, "show", "gh-pages:feed.xml")


def test_a_domain_that_is_not_a_host_name_is_an_error(fixture_site, run_timeline):
    site_yaml = fixture_site / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "domain: https://example.org/x\n", encoding="utf-8")
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 1
    assert "site.yaml:4:9: 'domain' must be a host name such as timeline.example.org" in result.stderr


def test_outside_a_git_repository_deploy_stops_with_a_clear_error(fixture_site, run_timeline, git_identity):
    result = run_timeline(fixture_site, "deploy")
    assert result.exit_code == 1
    assert "is not in a git repository" in result.stderr and "git init" in result.stderr
    assert not (fixture_site / "site").exists()  # it stopped before building


def test_uncommitted_content_changes_stop_deploy(repository, run_timeline):
    site, remote = repository
    event = site / "content" / "events" / "expulsions.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("A month-precision event.", "Edited."), encoding="utf-8")
    write_event(site, "new-one", "date: 2022\ntitle: T\nsummary: S.\ntopics: [diplomacy]\n")
    result = run_timeline(site, "deploy")
    assert result.exit_code == 1
    assert "uncommitted changes in content/ or templates/ (nothing was published)" in result.stderr
    assert "content/events/expulsions.yaml" in result.stderr and "content/events/new-one.yaml" in result.stderr
    assert "Commit them (or stash them) first" in result.stderr
    assert git(remote, "branch", "--list").strip() == ""


def test_a_missing_remote_is_named(repository, run_timeline):
    site, _ = repository
    result = run_timeline(site, "deploy", "--remote", "upstream")
    assert result.exit_code == 1
    assert "this repository has no remote 'upstream'" in result.stderr


def test_a_push_that_fails_is_reported(repository, run_timeline):
    site, remote = repository
    git(site, "remote", "set-url", "origin", str(remote.parent / "missing.git"))
    result = run_timeline(site, "deploy")
    assert result.exit_code == 1
    assert "the site was built but could not be pushed to origin/gh-pages" in result.stderr
