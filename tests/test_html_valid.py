"""Every built page is valid HTML according to the W3C Nu HTML checker (vnu)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import REPO_ROOT, in_ci

VNU_JAR = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_errors(site) -> list[str]:
    if not VNU_JAR.is_file() or shutil.which("java") is None:
        message = "the Nu HTML checker needs java and node_modules/vnu-jar (make test installs it)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    completed = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html", str(site)],
                               capture_output=True, text=True, timeout=300)
    report = json.loads(completed.stderr or "{}")
    return [f"{m['url'].split('/site/')[-1]}:{m.get('lastLine', '?')}: {m['message']}" for m in report.get("messages", [])]


def test_fixture_site_pages_are_valid_html(fixture_site, run_timeline):
    assert run_timeline(fixture_site, "build", "--drafts", "--base-url", "https://example.org/repo/").exit_code == 0
    assert vnu_errors(fixture_site / "site") == []


def test_repository_site_pages_are_valid_html(run_timeline, tmp_path):
    out = tmp_path / "site"
    result = run_timeline(REPO_ROOT, "build", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert vnu_errors(out) == []
