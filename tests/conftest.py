"""Shared fixtures: a fixture site in a temporary folder, and the CLI run in-process."""

from __future__ import annotations

import copy
import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from generator.commands.cli import main  # noqa: E402
from sitefixture import write_fixture_site  # noqa: E402
from browsing import chromium, open_context, page, site_url  # noqa: E402,F401 - the browser tests' fixtures

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_timeline(capsys, monkeypatch):
    """Run `timeline ARGS…` in a folder, as a user would, and return what it printed."""

    def run(cwd: Path, *args: str) -> Run:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        try:
            exit_code = main(list(args))
        except SystemExit as exit_:
            exit_code = exit_.code
        captured = capsys.readouterr()
        return Run(exit_code, captured.out, captured.err)

    return run


@pytest.fixture
def fixture_site(tmp_path) -> Path:
    return write_fixture_site(tmp_path / "fixture")


@pytest.fixture
def built_site(fixture_site, run_timeline) -> Path:
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 0, result.stderr
    return fixture_site / "site"


def without_search_index(monkeypatch) -> None:
    """Builds write no search index (Pagefind is tested on its own): neither ahead of staging nor after it."""
    import generator.formats.search_ahead as search_ahead

    monkeypatch.setattr(search_ahead, "index_for_search", lambda *args, **kwargs: None)
    monkeypatch.setattr(search_ahead.IndexingAhead, "start", lambda *args, **kwargs: None)


def failing_pagefind(folder: Path) -> Path:
    """A Pagefind binary (for PAGEFIND_BINARY_PATH) that fails as a real one can: a message, exit status 3."""
    script = folder / "broken-pagefind"
    script.write_text("#!/bin/sh\necho 'cannot read the pages' >&2\nexit 3\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` and a hash of its bytes: two equal digests mean identical trees."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


class CoarseClock:
    """A file system whose clock ticks too coarsely to tell an edit from the scan before it: once `stop()` is
    called, every input scan sees exactly what the last one before it saw (sizes and times alike)."""

    def __init__(self, monkeypatch) -> None:
        from generator.build import build_record

        self._monkeypatch, self._record, self._seen = monkeypatch, build_record, {}
        self._stamps_under = build_record._stamps_under
        monkeypatch.setattr(build_record, "_stamps_under", self._remembered)

    def _remembered(self, folder, suffix):
        self._seen[folder, suffix] = self._stamps_under(folder, suffix)
        return copy.deepcopy(self._seen[folder, suffix])

    def stop(self) -> None:
        self._monkeypatch.setattr(self._record, "_stamps_under", lambda folder, suffix: copy.deepcopy(self._seen[folder, suffix]))

    def restart(self) -> None:
        self._monkeypatch.setattr(self._record, "_stamps_under", self._stamps_under)


@pytest.fixture
def coarse_clock(monkeypatch) -> CoarseClock:
    return CoarseClock(monkeypatch)
