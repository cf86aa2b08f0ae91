"""The output folder can be trusted: atomic, exclusive, and the same bytes for the same input."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import tree_digest
from generator.build.output_folder import output_lock
from sitefixture import write_event

TRIALS = 20


def add_many_events(root: Path, count: int, title: str) -> None:
    """Enough events that a build takes a noticeable moment, so a kill can land mid-write."""
    for number in range(count):
        write_event(root, f"generated-{number:04d}", f"""\
            date: 2019-{number % 12 + 1:02d}-{number % 28 + 1:02d}
            title: {title} {number}
            summary: Generated event number {number}.
            body: |
              Paragraph with **Markdown** and a [link](https://example.org/{number}).
            topics: [diplomacy, sanctions]
            actors: [antony-blinken]
            sources:
              - title: Source {number}
                publisher: Reuters
                url: https://example.org/source/{number}
        """)


def build_in_subprocess(root: Path, *args: str, env: dict | None = None, new_group: bool = False) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "build", *args], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=new_group)


def test_a_killed_build_leaves_the_old_site_or_the_new_one_never_a_mix(fixture_site, run_timeline, tmp_path):
    site = fixture_site / "site"
    add_many_events(fixture_site, 100, "Old")
    assert run_timeline(fixture_site, "build").exit_code == 0
    old = tree_digest(site)
    shutil.copytree(site, tmp_path / "old-site")
    add_many_events(fixture_site, 100, "New")
    assert run_timeline(fixture_site, "build", "--out", str(tmp_path / "new-site")).exit_code == 0
    new = tree_digest(tmp_path / "new-site")
    assert old != new

    started = time.perf_counter()
    assert build_in_subprocess(fixture_site, "--out", str(tmp_path / "timing")).wait(timeout=120) == 0
    duration = time.perf_counter() - started

    outcomes = []
    randomness = random.Random(20210519)
    for _ in range(TRIALS):
        process = build_in_subprocess(fixture_site)
        time.sleep(randomness.uniform(0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        now = tree_digest(site)
        assert now in (old, new), "site/ is a mix of two builds"
        outcomes.append("new" if now == new else "old")
        if now == new:  # start the next trial from the old site again
            shutil.rmtree(site)
            shutil.copytree(tmp_path / "old-site", site)
    assert "old" in outcomes, outcomes

    # The next build cleans up whatever the killed ones left behind.
    assert run_timeline(fixture_site, "build").exit_code == 0
    assert tree_digest(site) == new
    assert [p.name for p in fixture_site.iterdir() if p.is_dir() and p.name.startswith(".site.")] == []


def _processes_working_in(folder: Path) -> list[str]:
    """The command lines of the processes whose current folder is `folder` (a build's workers, its Pagefind)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and proc.name != str(os.getpid()) and Path(os.readlink(proc / "cwd")) == folder:
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    return found


@pytest.mark.parametrize("stop", ["SIGTERM to the build", "Ctrl-C to its process group"])
def test_a_build_stopped_midway_stops_cleanly(stop, fixture_site, run_timeline, tmp_path):
    """SIGTERM (a cancelled CI job, `timeout`, `kill`) or Ctrl-C mid-build: one line, no traceback from the workers,
    no staging folder or process left behind, and the output folder either not made or whole."""
    add_many_events(fixture_site, 300, "Event")  # enough pages for forked workers
    assert run_timeline(fixture_site, "build", "--out", str(tmp_path / "reference")).exit_code == 0
    whole = tree_digest(tmp_path / "reference")
    started = time.perf_counter()
    assert build_in_subprocess(fixture_site, "--out", "timing").wait(timeout=120) == 0
    duration = time.perf_counter() - started
    randomness = random.Random(19911226)
    outcomes = []
    for trial in range(6):
        out = fixture_site / f"out-{trial}"
        process = build_in_subprocess(fixture_site, "--out", out.name, new_group=True)
        if trial % 2:  # at any moment but while Python itself starts (its own traceback)
            time.sleep(randomness.uniform(0.2, 0.9) * duration)
        else:  # while it writes (its workers render, Pagefind indexes): the moment a cut is most likely to leave a mess
            while process.poll() is None and not list(fixture_site.glob(f".{out.name}.new-*")):
                time.sleep(0.005)
            time.sleep(randomness.uniform(0, 0.3))
        if stop == "SIGTERM to the build":
            process.send_signal(signal.SIGTERM)
        else:  # what the terminal does: the build, its workers and its Pagefind all get SIGINT
            os.killpg(process.pid, signal.SIGINT)
        _, errors = process.communicate(timeout=60)
        errors = errors.decode()
        # 130 (128 + SIGINT) after the interruption is handled. CPython instead ends the process by SIGINT (-2, which
        # a shell reports as 130 too) once a KeyboardInterrupt has passed through code run by `exec`, as a dataclass
        # being made is, even when it was handled (seen here). Killed silently by the signal itself: it came while
        # Python started or, the build done, while it shut down (the site whole, checked below).
        interrupted = process.returncode in (130, -signal.SIGINT) and errors != ""
        outcomes.append("interrupted" if interrupted else process.returncode)
        assert interrupted or process.returncode in (0, -signal.SIGTERM, -signal.SIGINT), errors
        assert "Traceback" not in errors and "ForkPoolWorker" not in errors, errors
        if interrupted:
            assert errors.strip().endswith("interrupted; the site was not changed."), errors
        assert not out.exists() or tree_digest(out) == whole
        assert [path.name for path in fixture_site.iterdir() if path.name.startswith(f".{out.name}.")
                and not path.name.endswith(".lock")] == []
        assert _processes_working_in(fixture_site) == []
    assert "interrupted" in outcomes, outcomes


def test_a_second_build_at_the_same_time_is_refused(built_site, fixture_site, run_timeline):
    before = tree_digest(built_site)
    with output_lock(built_site):
        result = run_timeline(fixture_site, "build")
    assert result.exit_code == 1
    assert f"another build is writing {built_site} right now: wait for it to finish" in result.stderr
    assert tree_digest(built_site) == before
    assert run_timeline(fixture_site, "build").exit_code == 0


def test_output_does_not_depend_on_hash_seed_or_listing_order(fixture_site, tmp_path, monkeypatch):
    digests = []
    for seed, listing in (("1", "sorted"), ("2", "reversed")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "TIMELINE_TEST_LISTING": listing}
        out = tmp_path / f"out-{seed}"
        code = subprocess.run([sys.executable, "-c", _LISTING_SHIM, "build", "--out", str(out)], cwd=fixture_site,
                              env=env, capture_output=True, text=True)
        assert code.returncode == 0, code.stderr
        digests.append(tree_digest(out))
    assert digests[0] == digests[1]


# Runs the CLI with Path.glob returning files in reversed order, as another file system might.
_LISTING_SHIM = """
import os, sys
from pathlib import Path
if os.environ["TIMELINE_TEST_LISTING"] == "reversed":
    original = Path.glob
    Path.glob = lambda self, pattern: iter(sorted(original(self, pattern), reverse=True))
from generator.commands.cli import main
sys.exit(main(sys.argv[1:]))
"""
