"""Speed-ups change nothing a reader sees: the same bytes with and without each of them."""

from __future__ import annotations

import pytest

import generator.render
from conftest import tree_digest
from generator.build import BuildOptions, render_site


def _files(fixture_site, monkeypatch, workers: int) -> dict[str, bytes]:
    monkeypatch.setattr(generator.render, "worker_count", lambda pages: workers)
    return render_site(BuildOptions(fixture_site, fixture_site / "site")).files


def test_pages_rendered_on_two_cores_are_the_pages_rendered_on_one(fixture_site, monkeypatch):
    one, two = _files(fixture_site, monkeypatch, 1), _files(fixture_site, monkeypatch, 2)
    assert list(one) == list(two)  # same files, in the same order
    assert one == two


def test_a_template_error_in_a_worker_is_reported_like_any_other(fixture_site, monkeypatch):
    templates = fixture_site / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "event.html").write_text('{% extends "base.html" %}{% block main %}{{ no_such_value }}{% endblock %}')
    with pytest.raises(generator.render.ContentErrors) as raised:
        _files(fixture_site, monkeypatch, 2)
    assert "no_such_value" in raised.value.problems[0].message


def test_list_entries_reused_across_pages_match_entries_rendered_per_page(fixture_site, monkeypatch, run_timeline, tmp_path):
    """A site whose own _macros.html leaves out the reuse renders each entry on each page: same output."""
    assert run_timeline(fixture_site, "build").exit_code == 0
    reused = tree_digest(fixture_site / "site")
    macros = (generator.render.BUILTIN_THEME / "_macros.html").read_text()
    per_page = macros.replace("cached_entry(event) if cached_entry is defined else event_entry(event)", "event_entry(event)")
    assert per_page != macros
    (fixture_site / "templates").mkdir(exist_ok=True)
    (fixture_site / "templates" / "_macros.html").write_text(per_page)
    assert run_timeline(fixture_site, "build").exit_code == 0
    assert tree_digest(fixture_site / "site") == reused
