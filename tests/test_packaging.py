"""The generator as a new user gets it: a wheel installed into a fresh virtual environment, no checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def distributions(tmp_path_factory) -> tuple[Path, str]:
    """The sdist and the wheel `python -m build` makes from this checkout, and what it printed."""
    out = tmp_path_factory.mktemp("dist")
    completed = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO_ROOT)],
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return out, completed.stdout + completed.stderr


@pytest.fixture(scope="module")
def installed(distributions, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel (and its dependencies) installed: its bin folder."""
    dist, _ = distributions
    environment = tmp_path_factory.mktemp("venv")
    venv.create(environment, with_pip=True)
    wheel = next(dist.glob("*.whl"))
    # Away from the checkout and its PYTHONPATH, where the egg-info `build` leaves would look installed.
    completed = subprocess.run([str(environment / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                               capture_output=True, text=True, cwd=environment, env=_clean_environment(environment / "bin"))
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert (environment / "bin" / "timeline").is_file(), completed.stdout[-3000:] + completed.stderr[-3000:]
    return environment / "bin"


def _clean_environment(bin_dir: Path) -> dict[str, str]:
    """This process's environment without what points into the checkout, with the new venv first on PATH."""
    environment = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    environment["PATH"] = f"{bin_dir}{os.pathsep}{environment.get('PATH', '')}"
    return environment


def _run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=_clean_environment(bin_dir))


def test_build_makes_a_wheel_and_an_sdist_without_packaging_warnings(distributions):
    dist, printed = distributions
    assert sorted(path.suffix for path in dist.iterdir()) == [".gz", ".whl"]
    warnings = [line for line in printed.splitlines()
                if ("warning" in line.lower() or "deprecat" in line.lower()) and "byte-compiling" not in line]
    assert warnings == []


def test_the_installed_generator_runs_from_the_wheel_not_the_checkout(installed, tmp_path):
    completed = _run(installed, tmp_path, str(installed / "python"), "-c",
                     "import generator, generator.site.theme as t; print(generator.__file__); print(t.BUILTIN_THEME)")
    assert completed.returncode == 0, completed.stderr
    module_file, theme = completed.stdout.split()
    assert "site-packages" in module_file and not module_file.startswith(str(REPO_ROOT))
    assert theme.endswith("generator/theme") and (Path(theme) / "base.html").is_file()


def test_a_new_user_starts_builds_checks_and_adds_to_a_timeline(installed, tmp_path):
    init = _run(installed, tmp_path, "timeline", "init", "arctic", "--title", "Arctic Council: a timeline")
    assert init.returncode == 0, init.stderr
    site = tmp_path / "arctic"
    assert (site / ".github" / "workflows" / "pages.yml").is_file() and (site / ".gitignore").is_file()

    build = _run(installed, site, "timeline", "build")
    assert build.returncode == 0, build.stderr
    assert "Built 1 events" in build.stdout

    home = BeautifulSoup((site / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.title.get_text(strip=True).startswith("Arctic Council: a timeline")
    event_link = home.select_one('a[href*="events/example-event"]')
    assert event_link is not None and "Example event" in event_link.get_text()
    event = BeautifulSoup((site / "site" / "events" / "example-event" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert event.h1.get_text(strip=True) == "Example event (replace it with your first)"
    assert (site / "site" / "about" / "index.html").is_file()
    assert (site / "site" / "assets" / "style.css").stat().st_size > 1000

    check = _run(installed, site, "timeline", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "check passed" in check.stdout

    new = _run(installed, site, "timeline", "new", "Observers admitted", "--date", "May 2021", "--topics", "example-topic")
    assert new.returncode == 0, new.stderr
    written = site / "content" / "events" / "2021-05-observers-admitted.yaml"
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["title"] == "Observers admitted"
    # The editor schema the new file points to was written by init, beside it in the site.
    assert "schema/event.schema.json" in written.read_text(encoding="utf-8")
    assert (site / "schema" / "event.schema.json").is_file()
