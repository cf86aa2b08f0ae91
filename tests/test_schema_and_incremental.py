"""The editor schema agrees with the validator; incremental rebuilds equal clean builds."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import REPO_ROOT
from generator.build.pipeline import BuildOptions, render_site
from generator.content.errors import ContentErrors
from generator.build.incremental import BuildCache
from generator.content.load import load_content
from generator.content.schema import event_schema, event_schema_bytes
from generator.content.validate import validate
from sitefixture import EVENTS, write_event


class EditorYamlLoader(yaml.SafeLoader):
    """YAML as editors read it (1.2 core schema): `2021-05-19` stays text, only true/false are booleans."""


EditorYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
EditorYamlLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))

MINIMAL = """\
date: 2021-06-16
title: Biden and Putin meet in Geneva
summary: The first summit of the two presidents.
topics: [diplomacy]
sources:
  - title: A report
    publisher: Reuters
"""

# Each change to MINIMAL, and whether the file is then valid. Both checkers must give the same answer.
CASES = {
    "minimal": (MINIMAL, True),
    "year as a number": (MINIMAL.replace("2021-06-16", "2021"), True),
    "month, uncertain": (MINIMAL.replace("2021-06-16", "2021-06?"), True),
    "range": (MINIMAL.replace("2021-06-16", "2021-06-16/2021-06-17"), True),
    "single topic as text": (MINIMAL.replace("[diplomacy]", "diplomacy"), True),
    "every field": (MINIMAL + textwrap.dedent("""\
        id: geneva-summit
        body: Some *Markdown*.
        actors: [antony-blinken, sergey-lavrov]
        place: Geneva
        quotes:
          - text: We met.
            speaker: sergey-lavrov
            source: 1
        related:
          - event: expulsions
            relation: response-to
        draft: false
        """), True),
    "source with url and date": (MINIMAL + "    date: 2021-06\n    url: https://example.org/a\n    archive_url: http://web.archive.org/a\n", True),
    "no title": (MINIMAL.replace("title: Biden and Putin meet in Geneva\n", ""), False),
    "empty title": (MINIMAL.replace("title: Biden and Putin meet in Geneva", "title: ' '"), False),
    "no sources": (MINIMAL.split("sources:")[0], False),
    "empty sources": (MINIMAL.split("sources:")[0] + "sources: []\n", False),
    "no topics": (MINIMAL.replace("topics: [diplomacy]\n", ""), False),
    "empty topics": (MINIMAL.replace("[diplomacy]", "[]"), False),
    "topic twice": (MINIMAL.replace("[diplomacy]", "[diplomacy, diplomacy]"), False),
    "misspelt field": (MINIMAL.replace("summary:", "sumary:"), False),
    "misspelt source field": (MINIMAL.replace("publisher:", "pubisher:"), False),
    "source without publisher": (MINIMAL.replace("    publisher: Reuters\n", ""), False),
    "date in words": (MINIMAL.replace("2021-06-16", "16 June 2021"), False),
    "month 13": (MINIMAL.replace("2021-06-16", "2021-13"), False),
    "upper-case id": (MINIMAL + "id: Geneva\n", False),
    "draft is maybe": (MINIMAL + "draft: maybe\n", False),
    "ftp url": (MINIMAL + "    url: ftp://example.org/a\n", False),
    "unknown relation kind": (MINIMAL + "related:\n  - event: expulsions\n    relation: caused\n", False),
    "quote without speaker": (MINIMAL + "quotes:\n  - text: We met.\n    source: 1\n", False),
    "quote source as words": (MINIMAL + "quotes:\n  - text: We met.\n    speaker: sergey-lavrov\n    source: first\n", False),
    "topics as a mapping": (MINIMAL.replace("[diplomacy]", "{diplomacy: yes}"), False),
    "a list, not a mapping": ("- date: 2021\n", False),
}

# What only the validator can know: the content of the registries and the calendar.
MEANING_ONLY = {
    "unknown topic": MINIMAL.replace("[diplomacy]", "[diplomacie]"),
    "30 February": MINIMAL.replace("2021-06-16", "2021-02-30"),
    "unknown related event": MINIMAL + "related:\n  - event: no-such-event\n    relation: follows\n",
    "quote cites a missing source": MINIMAL + "quotes:\n  - text: We met.\n    speaker: sergey-lavrov\n    source: 2\n",
}


def validator_accepts(fixture_site: Path, text: str) -> bool:
    path = write_event(fixture_site, "under-test", text)
    try:
        validate(load_content(fixture_site / "content"))
    except ContentErrors as errors:
        assert all(problem.path == path for problem in errors.problems), errors.problems
        return False
    return True


def schema_accepts(text: str) -> bool:
    return jsonschema.Draft202012Validator(event_schema()).is_valid(yaml.load(text, Loader=EditorYamlLoader))


@pytest.mark.parametrize("name", CASES)
def test_schema_and_validator_agree(fixture_site, name):
    text, valid = CASES[name]
    assert validator_accepts(fixture_site, text) is valid
    assert schema_accepts(text) is valid


@pytest.mark.parametrize("name", EVENTS)
def test_schema_accepts_every_fixture_event(name):
    assert schema_accepts(textwrap.dedent(EVENTS[name]))


@pytest.mark.parametrize("name", MEANING_ONLY)
def test_only_the_validator_knows_registries_and_the_calendar(fixture_site, name):
    assert schema_accepts(MEANING_ONLY[name])
    assert not validator_accepts(fixture_site, MEANING_ONLY[name])


def test_the_committed_schema_is_the_generated_one():
    # Regenerate with: python -m generator.content.schema > schema/event.schema.json
    assert (REPO_ROOT / "schema" / "event.schema.json").read_bytes() == event_schema_bytes()
    jsonschema.Draft202012Validator.check_schema(event_schema())


def test_the_site_publishes_the_schema(built_site):
    published = built_site / "schema" / "event.schema.json"
    assert json.loads(published.read_text(encoding="utf-8")) == event_schema()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_incremental_rebuilds_equal_clean_builds_byte_for_byte(fixture_site):
    options = BuildOptions(fixture_site, fixture_site / "site")
    cache = BuildCache()
    events = fixture_site / "content" / "events"

    def rebuild_matches_clean() -> None:
        assert render_site(options, cache).files == render_site(options).files

    rebuild_matches_clean()
    assert cache.stats.pages_reused == 0
    rebuild_matches_clean()
    assert cache.stats.pages_rendered == 0

    _edit(events / "arctic-ministerial.yaml", "Arctic Council ministerial meets", "Arctic Council ministers meet")
    rebuild_matches_clean()
    # The event's own page, and the pages that show its title, but not the unrelated ones.
    assert 0 < cache.stats.pages_rendered < cache.stats.pages_rendered + cache.stats.pages_reused

    _edit(events / "expulsions.yaml", "A month-precision event.", "Ten diplomats expelled.")
    rebuild_matches_clean()

    # Only the event's own page shows its body: an edit there redoes that page alone.
    _edit(events / "reykjavik-meeting.yaml", "nearly two hours", "almost two hours")
    rebuild_matches_clean()
    assert cache.stats.pages_rendered == 1

    write_event(fixture_site, "geneva-summit", MINIMAL.replace("[diplomacy]", "[diplomacy, arms-control]")
                + "related:\n  - event: new-start-extension\n    relation: follows\n")
    rebuild_matches_clean()

    (events / "reykjavik-meeting.yaml").unlink()
    _edit(events / "expulsions.yaml", "  - event: reykjavik-meeting\n    relation: see-also\n", "")
    rebuild_matches_clean()

    _edit(fixture_site / "content" / "topics.yaml", "name: Sanctions", "name: Sanctions and export controls")
    rebuild_matches_clean()

    _edit(fixture_site / "content" / "pages" / "about.md", "nav_title: About", "nav_title: About us")
    rebuild_matches_clean()

    templates = fixture_site / "templates"
    templates.mkdir()
    (templates / "page.html").write_text('{% extends "base.html" %}{% block main %}<h1>{{ text_page.title }}!</h1>{% endblock %}')
    rebuild_matches_clean()


def test_a_failed_rebuild_leaves_the_cache_usable(fixture_site):
    options = BuildOptions(fixture_site, fixture_site / "site")
    cache = BuildCache()
    render_site(options, cache)
    path = fixture_site / "content" / "events" / "expulsions.yaml"
    good = path.read_text()
    path.write_text(good.replace("date: 2021-04", "date: 2021-04-31"))
    with pytest.raises(ContentErrors):
        render_site(options, cache)
    path.write_text(good.replace("Expulsions known", "Expulsions, known"))
    assert render_site(options, cache).files == render_site(options).files
