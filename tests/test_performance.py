"""Speed-ups change nothing a reader sees: the same bytes with and without each of them."""

from __future__ import annotations

import pytest

import generator.site.render
import generator.site.theme
from conftest import tree_digest
from generator.build.pipeline import BuildOptions, render_site
from test_payloads import payload_site  # noqa: F401 - the fixture, with every hostile text


def _files(fixture_site, monkeypatch, workers: int) -> dict[str, bytes]:
    monkeypatch.setattr(generator.site.render, "worker_count", lambda pages: workers)
    return render_site(BuildOptions(fixture_site, fixture_site / "site")).files


def test_pages_rendered_on_two_cores_are_the_pages_rendered_on_one(fixture_site, monkeypatch):
    one, two = _files(fixture_site, monkeypatch, 1), _files(fixture_site, monkeypatch, 2)
    assert list(one) == list(two)  # same files, in the same order
    assert one == two


def test_a_template_error_in_a_worker_is_reported_like_any_other(fixture_site, monkeypatch):
    templates = fixture_site / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "event.html").write_text('{% extends "base.html" %}{% block main %}{{ no_such_value }}{% endblock %}')
    with pytest.raises(generator.site.render.ContentErrors) as raised:
        _files(fixture_site, monkeypatch, 2)
    assert "no_such_value" in raised.value.problems[0].message


def test_list_entries_reused_across_pages_match_entries_rendered_per_page(fixture_site, monkeypatch, run_timeline, tmp_path):
    """A site whose own _macros.html leaves out the reuse renders each entry on each page: same output."""
    assert run_timeline(fixture_site, "build").exit_code == 0
    reused = tree_digest(fixture_site / "site")
    macros = (generator.site.theme.BUILTIN_THEME / "_macros.html").read_text()
    per_page = macros.replace("cached_entry(event) if cached_entry is defined else event_entry(event)", "event_entry(event)")
    assert per_page != macros
    (fixture_site / "templates").mkdir(exist_ok=True)
    (fixture_site / "templates" / "_macros.html").write_text(per_page)
    assert run_timeline(fixture_site, "build").exit_code == 0
    assert tree_digest(fixture_site / "site") == reused


def _timeline(site_folder):
    from generator.content.load import load_content
    from generator.site.model import build_timeline
    from generator.content.validate import validate
    from generator.content.yamlfile import parse_yaml
    return build_timeline(validate(load_content(site_folder / "content", parse_yaml)), include_drafts=True)


def test_the_calendar_writer_writes_exactly_what_icalendar_writes(fixture_site, payload_site, tmp_path):
    """Hostile text, long lines folded across multi-byte characters and escapes, partial dates, ranges."""
    from sitefixture import write_event
    from test_bench import corpus
    from generator.formats import calendar_ics
    long_text = ("Сергей Лавров; \\\\ " * 9 + "😀,;" * 30).replace("\\\\", "\\\\\\\\")
    write_event(fixture_site, "long-lines", f'date: 2021-06-17/2021-07\ntitle: "{long_text}"\nsummary: "{long_text}"\n'
                f'place: "{long_text}"\ntopics: [diplomacy, sanctions]\nsources:\n  - title: A\n    publisher: B\n')
    corpus.write_synthetic(150, tmp_path / "synthetic")
    for site_folder in (fixture_site, tmp_path / "synthetic"):
        timeline = _timeline(site_folder)
        assert calendar_ics.render_calendar(timeline) == calendar_ics.render_calendar_with_icalendar(timeline)


def test_a_build_with_the_collector_held_back_is_the_same_site_and_the_collector_is_put_back(fixture_site, run_timeline, tmp_path):
    """The CLI runs each command with the cycle collector's thresholds raised (build/collector.py): the site is
    the one built at the default thresholds, byte for byte, and a program that runs the CLI in its own process
    finds the thresholds it had, also after a build that fails."""
    import gc

    before = gc.get_threshold()
    assert run_timeline(fixture_site, "build", "--out", str(tmp_path / "raised")).exit_code == 0
    assert gc.get_threshold() == before
    from generator.build.pipeline import build

    build(BuildOptions(fixture_site, tmp_path / "default"))  # the pipeline alone: default thresholds
    assert tree_digest(tmp_path / "raised") == tree_digest(tmp_path / "default")
    (fixture_site / "content" / "events" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    assert run_timeline(fixture_site, "build", "--out", str(tmp_path / "raised")).exit_code == 1
    assert gc.get_threshold() == before
