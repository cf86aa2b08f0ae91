"""`timeline new` and `timeline check`, as an author runs them."""

from __future__ import annotations

import pytest

from conftest import tree_digest
from generator.content.load import load_content
from generator.site.theme import BUILTIN_THEME
from generator.content.validate import validate

ABOUT_WITH_BAD_LINKS = """\
---
title: About this timeline
nav_title: About
---
See [an event that was never written](../events/no-such-event/index.html) and
[a section that does not exist](../events/expulsions/index.html#no-such-section), but
[this one is fine](../events/expulsions/index.html#sources-heading).
"""


@pytest.mark.parametrize("typed, written, file_date", [
    ("2021-05-19", "2021-05-19", "2021-05-19"),
    ("19 May 2021", "2021-05-19", "2021-05-19"),
    ("May 19, 2021", "2021-05-19", "2021-05-19"),
    ("May 2021", "2021-05", "2021-05"),
    ("2021-05", "2021-05", "2021-05"),
    ("2021", "2021", "2021"),
    ("2009~", "2009~", "2009"),
    ("2021-01-26/2021-02-03", "2021-01-26/2021-02-03", "2021-01-26"),
])
def test_new_writes_a_file_at_exactly_the_precision_given(fixture_site, run_timeline, typed, written, file_date):
    result = run_timeline(fixture_site, "new", "Lavrov visits Genève", "--date", typed, "--topics", "diplomacy,sanctions",
                          "--actors", "sergey-lavrov")
    assert result.exit_code == 0, result.stderr
    path = fixture_site / "content" / "events" / f"{file_date}-lavrov-visits-geneve.yaml"
    assert result.stdout.strip() == str(path.relative_to(fixture_site))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# yaml-language-server: $schema=") and lines[0].endswith("schema/event.schema.json")
    assert f"date: {written} " in "\n".join(lines) + " "
    assert 'title: "Lavrov visits Genève"' in lines
    assert "topics: [diplomacy, sanctions]" in " ".join(lines)
    # Every field is in the file: the optional ones commented out, ready to fill in.
    text = "\n".join(lines)
    for field in ("id", "body", "place", "quotes", "related", "draft", "archive_url", "url"):
        assert f"# {field}:" in text, field


def test_a_new_file_reads_back_as_its_date_once_filled_in(fixture_site, run_timeline):
    run_timeline(fixture_site, "new", "A month-only event", "--date", "May 2021", "--topics", "diplomacy")
    path = fixture_site / "content" / "events" / "2021-05-a-month-only-event.yaml"
    filled = (path.read_text(encoding="utf-8").replace("summary: >-\n", "summary: >-\n  Something happened.\n")
              .replace("  - title:\n    publisher:\n", "  - title: A report\n    publisher: Reuters\n"))
    path.write_text(filled, encoding="utf-8")
    events = {event.id: event for event in validate(load_content(fixture_site / "content")).events}
    assert events["2021-05-a-month-only-event"].date.display() == "May 2021"


@pytest.mark.parametrize("typed, message", [
    ("May", "has no year"),
    ("05/06/2021", "could be read two ways"),
    ("2021-02-30", "not a real day"),
    ("next tuesday-ish", "cannot read date"),
])
def test_new_refuses_a_date_it_cannot_read_exactly(fixture_site, run_timeline, typed, message):
    result = run_timeline(fixture_site, "new", "Anything", "--date", typed, "--topics", "diplomacy")
    assert result.exit_code == 2
    assert message in result.stderr
    assert sorted(p.name for p in (fixture_site / "content" / "events").iterdir()) == sorted(
        f"{name}.yaml" for name in ("reykjavik-meeting", "arctic-ministerial", "new-start-extension", "reset-era", "expulsions"))


def test_new_never_overwrites_an_existing_file(fixture_site, run_timeline):
    assert run_timeline(fixture_site, "new", "Talks", "--date", "2021-06-16", "--topics", "diplomacy").exit_code == 0
    path = fixture_site / "content" / "events" / "2021-06-16-talks.yaml"
    path.write_text(path.read_text() + "# my notes\n")
    before = path.read_bytes()
    result = run_timeline(fixture_site, "new", "Talks", "--date", "16 June 2021", "--topics", "diplomacy")
    assert result.exit_code == 1
    assert "2021-06-16-talks.yaml already exists" in result.stderr
    assert path.read_bytes() == before


def test_new_refuses_an_id_another_file_already_declares(fixture_site, run_timeline):
    (fixture_site / "content" / "events" / "old-name.yaml").write_text("id: 2021-06-16-talks\n")
    result = run_timeline(fixture_site, "new", "Talks", "--date", "2021-06-16", "--topics", "diplomacy")
    assert result.exit_code == 1
    assert "the id '2021-06-16-talks' is already used by" in result.stderr and "old-name.yaml" in result.stderr
    assert not (fixture_site / "content" / "events" / "2021-06-16-talks.yaml").exists()


def test_new_suggests_the_topic_and_actor_meant(fixture_site, run_timeline):
    result = run_timeline(fixture_site, "new", "Talks", "--date", "2021", "--topics", "diplomcy", "--actors", "lavrov")
    assert result.exit_code == 1
    assert "unknown topic 'diplomcy' — did you mean 'diplomacy'?" in result.stderr
    assert "unknown actor 'lavrov' — did you mean 'sergey-lavrov'?" in result.stderr
    assert not list((fixture_site / "content" / "events").glob("2021-talks*"))


def test_check_passes_a_good_site_with_warnings_and_leaves_site_alone(fixture_site, built_site, run_timeline):
    before = tree_digest(built_site)
    (fixture_site / "content" / "events" / "reset-era.yaml").write_text(
        (fixture_site / "content" / "events" / "reset-era.yaml").read_text().replace("related:\n  - event: new-start-extension\n    relation: see-also\n", ""))
    # A theme whose menu forgets the site's own pages leaves the About page linked from nowhere.
    base = (BUILTIN_THEME / "base.html").read_text()
    start = base.index("{% for text_page in timeline.pages %}")
    end = base.index("{% endfor %}", start) + len("{% endfor %}")
    (fixture_site / "templates").mkdir()
    (fixture_site / "templates" / "base.html").write_text(base[:start] + base[end:])
    result = run_timeline(fixture_site, "check")
    assert result.exit_code == 0, result.stderr
    assert "0 broken link(s)" in result.stdout and "check passed" in result.stdout
    warnings = result.stderr.splitlines()
    assert "warning: about/index.html: no other page links here" in warnings
    assert "warning: content/events/reset-era.yaml:2:1: event 'reset-era' is related to no other event: add 'related' (or relate another event to it)" in warnings
    assert any(line.startswith("warning: content/events/arctic-ministerial.yaml:6:5: source 1 has neither 'url' nor 'archive_url'") for line in warnings)
    assert tree_digest(built_site) == before

    strict = run_timeline(fixture_site, "check", "--strict")
    assert strict.exit_code == 1
    assert "error: about/index.html: no other page links here" in strict.stderr
    assert "check failed" in strict.stderr


def test_check_finds_a_broken_link_and_a_broken_fragment(fixture_site, run_timeline):
    (fixture_site / "content" / "pages" / "about.md").write_text(ABOUT_WITH_BAD_LINKS, encoding="utf-8")
    result = run_timeline(fixture_site, "check")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("broken link:")]
    assert errors == [
        "broken link: about/index.html → ../events/no-such-event/index.html",
        "broken link: about/index.html → ../events/expulsions/index.html#no-such-section (no such id)",
    ]
    assert not (fixture_site / "site").exists()


def test_check_follows_the_links_a_custom_template_makes(fixture_site, run_timeline):
    templates = fixture_site / "templates"
    templates.mkdir()
    (templates / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Lost</h1><a href="{{ url(\'gone/\') }}">gone</a>'
        '<a href="{{ url(\'#main\') }}">top</a>{% endblock %}')
    result = run_timeline(fixture_site, "check")
    assert result.exit_code == 1
    assert "broken link: 404.html → /gone/" in result.stderr
    assert "/#main" not in result.stderr


def test_check_reports_content_errors_like_build(fixture_site, run_timeline):
    (fixture_site / "content" / "events" / "expulsions.yaml").write_text("date: 2021-13\n")
    result = run_timeline(fixture_site, "check")
    assert result.exit_code == 1
    assert "content/events/expulsions.yaml:1:7: '2021-13' has no month 13" in result.stderr


def test_a_source_without_an_address_is_fine_when_its_note_says_why(fixture_site, run_timeline):
    path = fixture_site / "content" / "events" / "arctic-ministerial.yaml"
    text = path.read_text()
    before = run_timeline(fixture_site, "check").stderr
    assert "arctic-ministerial.yaml:6:5: source 1 has neither 'url' nor 'archive_url'" in before
    path.write_text(text.replace("    publisher: Government of Iceland\n",
                                 "    publisher: Government of Iceland\n    note: Print edition only.\n"))
    result = run_timeline(fixture_site, "check")
    assert "arctic-ministerial.yaml" not in "\n".join(line for line in (result.stdout + result.stderr).splitlines()
                                                       if "neither 'url'" in line)
    assert run_timeline(fixture_site, "build").exit_code == 0
    page = (fixture_site / "site" / "events" / "arctic-ministerial" / "index.html").read_text()
    assert '<span class="source-note">Print edition only.</span>' in page
