"""The repository's own timeline: complete, sourced, linked, and true to the fact sheet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT
from generator.content.load import load_content
from generator.site.model import build_timeline
from generator.content.validate import validate

FACT_SHEET = REPO_ROOT.parent / "shared" / "reference" / "events-factsheet.yaml"


@pytest.fixture(scope="module")
def content():
    return validate(load_content(REPO_ROOT / "content"))


@pytest.fixture(scope="module")
def timeline(content):
    return build_timeline(content, include_drafts=False)


@pytest.fixture(scope="module")
def fact_sheet() -> dict:
    if not FACT_SHEET.is_file():
        pytest.skip(f"the fact sheet is not beside this checkout ({FACT_SHEET})")
    return {entry["id"]: entry for entry in yaml.safe_load(FACT_SHEET.read_text(encoding="utf-8"))}


def test_all_sixty_events_are_published(content):
    assert len(content.events) == 60
    assert not [event.id for event in content.events if event.draft]


def test_every_event_has_sources_and_topics(content):
    for event in content.events:
        assert event.sources, event.id
        assert event.topics, event.id
        assert event.summary and event.body_html, event.id


def test_ids_are_unique_and_relations_resolve(content):
    ids = [event.id for event in content.events]
    assert len(ids) == len(set(ids))
    for event in content.events:
        for relation in event.related:
            assert relation.target in ids and relation.target != event.id, (event.id, relation)


def test_at_least_fifty_events_are_linked(timeline):
    linked = [event.id for event in timeline.events if timeline.links[event.id]]
    assert len(linked) >= 50, f"only {len(linked)} events have a relation"


def test_every_event_comes_from_the_fact_sheet(content, fact_sheet):
    assert {event.id for event in content.events} == set(fact_sheet)


def test_dates_match_the_fact_sheet(content, fact_sheet):
    for event in content.events:
        entry = fact_sheet[event.id]
        expected = entry["date"] + (f"/{entry['date_end']}" if entry.get("date_end") else "")
        assert event.date.edtf == expected, event.id


@pytest.mark.parametrize("event_id, shown", [
    ("blinken-lavrov-reykjavik-meeting-2021-05-19", "19 May 2021"),
    ("nord-stream-2-sanctions-report-waiver-2021-05-19", "19 May 2021"),
    ("biden-putin-first-call-new-start-2021-01-26", "26 January 2021"),
    ("new-start-extension-in-force-2021-02-03", "3 February 2021"),
    ("eo-14024-sanctions-expulsions-2021-04-15", "15 April 2021"),
    ("russia-retaliates-expels-10-us-diplomats-2021-04-16", "16 April 2021"),
])
def test_the_core_events_carry_their_dates(content, event_id, shown):
    event = next(event for event in content.events if event.id == event_id)
    assert event.date.display() == shown


def test_no_url_that_is_not_in_the_fact_sheet(content):
    if not FACT_SHEET.is_file():
        pytest.skip(f"the fact sheet is not beside this checkout ({FACT_SHEET})")
    known = set(re.findall(r'url: "([^"]+)"', FACT_SHEET.read_text(encoding="utf-8")))
    for event in content.events:
        for source in event.sources:
            for url in (source.url, source.archive_url):
                assert url is None or url in known, (event.id, url)


def test_the_required_relation_chains_exist(timeline):
    def relation(source_id: str, target_id: str) -> str:
        labels = [link.label for link in timeline.links[source_id] if link.event.id == target_id]
        assert labels, f"{source_id} is not related to {target_id}"
        return labels[0]

    assert relation("russia-retaliates-expels-10-us-diplomats-2021-04-16", "eo-14024-sanctions-expulsions-2021-04-15") == "In response to"
    assert relation("blinken-lavrov-reykjavik-meeting-2021-05-19", "arctic-council-reykjavik-ministerial-2021-05-20") == "Part of"
    # New START, from Prague to the suspension, is one unbroken chain of "follows".
    chain = ["new-start-signed-prague-2010", "new-start-enters-into-force-2011", "new-start-extension-in-force-2021-02-03",
             "new-start-inspections-suspended-2022-08-08", "russia-suspends-new-start-2023-02-21"]
    for earlier, later in zip(chain, chain[1:]):
        assert _reachable(timeline, earlier, later, "Followed by"), f"no 'follows' path from {earlier} to {later}"
    assert _reachable(timeline, "whelan-detained-moscow-2018", "whelan-sentenced-2020-06-15", "Followed by")
    assert _reachable(timeline, "reed-detained-moscow-2019", "reed-yaroshenko-exchange-2022-04-27", "Followed by")
    assert _reachable(timeline, "colonial-pipeline-ransomware-2021-05-07", "fsb-revil-arrests-2022-01-14", None)
    assert _reachable(timeline, "nord-stream-2-sanctions-report-waiver-2021-05-19", "nord-stream-2-ag-sanctioned-2022-02-23", None)


def _reachable(timeline, start: str, goal: str, label: str | None) -> bool:
    """Whether `goal` can be reached from `start` through links (of one label, if given), forwards in time."""
    frontier, seen = [start], {start}
    while frontier:
        current = frontier.pop()
        if current == goal:
            return True
        for link in timeline.links[current]:
            if (label is None or link.label == label) and link.event.id not in seen:
                seen.add(link.event.id)
                frontier.append(link.event.id)
    return False


def test_quotes_from_the_seed_article_are_attributed(content):
    quotes = {quote.text.rstrip("."): (event.id, quote.speaker) for event in content.events for quote in event.quotes}
    assert quotes["We seek a predictable, stable relationship with Russia"] == ("blinken-lavrov-reykjavik-meeting-2021-05-19", "antony-blinken")
    lavrov = [text for text, (_, speaker) in quotes.items() if "constant and predictable sanctions" in text]
    assert lavrov and quotes[lavrov[0]] == ("lavrov-moscow-news-conference-2021-05-17", "sergey-lavrov")
    for event in content.events:
        for quote in event.quotes:
            assert len(quote.text.split()) <= 40, (event.id, quote.text)


def test_russian_people_have_their_names_in_cyrillic(content):
    russians = [actor for actor in content.actors.values() if actor.kind == "person" and actor.country == "Russia"]
    named = [actor for actor in russians if actor.native_name]
    # A native name is given only where its spelling is certain, so allow the odd gap.
    assert len(named) >= 0.9 * len(russians), [actor.id for actor in russians if not actor.native_name]
    for actor in named:
        assert re.fullmatch(r"[А-Яа-яЁё .\-]+", actor.native_name), (actor.id, actor.native_name)


def test_eras_cover_each_us_administration(content):
    names = {era.id for era in content.eras}
    assert {"obama-administration", "trump-administration", "biden-administration", "reset"} <= names


def test_about_page_explains_coverage_sourcing_and_corrections(content):
    about = next(page for page in content.pages if page.slug == "about")
    text = about.body_html
    for needle in ("pull request", "Zug", "13 vessels", "evening of Wednesday 19 May"):
        assert needle in text, needle


def test_repository_site_has_no_broken_link_under_a_sub_path(run_timeline, tmp_path):
    from htmlsite import broken_internal_links

    out = tmp_path / "site"
    result = run_timeline(REPO_ROOT, "build", "--out", str(out), "--base-url", "https://example.github.io/us-russia/")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Built 60 events, ")
    assert broken_internal_links(out, served_at="/us-russia/") == []
