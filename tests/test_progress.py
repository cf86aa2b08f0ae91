"""Progress on a terminal for slow builds; only the summary line when piped or under CI."""

from __future__ import annotations

import io

from generator.build.progress import Progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_slow_build_on_a_terminal_shows_its_stage_and_pages():
    terminal, clock = FakeTerminal(), Clock()
    progress = Progress(terminal, delay=2.0, clock=clock)
    progress.stage("Rendering pages")
    progress.step(1, 200)
    assert terminal.getvalue() == ""  # nothing in the first two seconds
    clock.now = 2.5
    progress.step(120, 200)
    assert terminal.getvalue().endswith("Rendering pages 120/200…")
    progress.done()
    assert terminal.getvalue().endswith("\r\033[K")


def _shown(stream: io.StringIO) -> str:
    Progress.for_terminal(stream, delay=0).stage("Rendering pages")
    return stream.getvalue()


def test_progress_is_silent_when_piped_or_under_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert _shown(FakeTerminal()) == "\r\033[KRendering pages…"
    assert _shown(io.StringIO()) == ""  # piped
    monkeypatch.setenv("CI", "true")
    assert _shown(FakeTerminal()) == ""


def test_a_piped_build_prints_only_its_summary(fixture_site, run_timeline):
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.count("\n") == 1 and result.stdout.startswith("Built 5 events")
