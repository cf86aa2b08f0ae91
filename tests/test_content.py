"""The repository's own timeline: complete, sourced, cited, linked, and true to the five fact sheets.

Some of these tests hold only once every sheet's events are written (see the lead's merge notes):
they describe the finished timeline, not a step on the way to it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT
from generator.content.citations import find_markers, uncited_paragraphs
from generator.content.load import load_content
from generator.site.model import build_timeline
from generator.content.validate import validate
from generator.content.yamlfile import load_yaml

REFERENCE = REPO_ROOT.parent / "shared" / "reference"
FACT_SHEET = REFERENCE / "events-factsheet.yaml"
SEED_ARTICLE = REFERENCE / "seed-article-2021-05-20.txt"
SHEET_NAMES = ("events-factsheet.yaml", "events-factsheet-1991-2000.yaml", "events-factsheet-2001-2008.yaml",
               "events-factsheet-2009-2020-additions.yaml", "events-factsheet-2022-2025-additions.yaml")
MERGES = re.compile(r"# merges fact-sheet entry: ([a-z0-9-]+)\s*$")
THEME_CSS = REPO_ROOT / "templates" / "assets" / "style.css"


@pytest.fixture(scope="module")
def content():
    return validate(load_content(REPO_ROOT / "content"))


@pytest.fixture(scope="module")
def timeline(content):
    return build_timeline(content, include_drafts=False)


@pytest.fixture(scope="module")
def sheets() -> dict[str, list[dict]]:
    """Each fact sheet's entries, by file name."""
    missing = [name for name in SHEET_NAMES if not (REFERENCE / name).is_file()]
    if missing:
        pytest.skip(f"the fact sheets are not beside this checkout ({', '.join(missing)} in {REFERENCE})")
    return {name: yaml.safe_load((REFERENCE / name).read_text(encoding="utf-8")) for name in SHEET_NAMES}


@pytest.fixture(scope="module")
def fact_sheet(sheets) -> dict:
    """Every entry of the five sheets, by id."""
    entries = [entry for name in SHEET_NAMES for entry in sheets[name]]
    ids = [entry["id"] for entry in entries]
    assert len(ids) == len(set(ids)), sorted({entry_id for entry_id in ids if ids.count(entry_id) > 1})
    return {entry["id"]: entry for entry in entries}


@pytest.fixture(scope="module")
def merged_ids(content) -> dict[str, str]:
    """Sheet ids merged into another event's file (`# merges fact-sheet entry: <id>` at its top): id → that event."""
    merged = {}
    for event in content.events:
        for line in event.source_path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            if match := MERGES.match(line):
                merged[match.group(1)] = event.id
    return merged


def test_every_sheet_entry_is_published_once(content, fact_sheet, merged_ids):
    assert not [event.id for event in content.events if event.draft]
    assert len(content.events) + len(merged_ids) == len(fact_sheet)


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


def test_most_events_have_a_typed_relation(timeline):
    linked = [event.id for event in timeline.events if timeline.links[event.id]]
    assert len(linked) >= 0.85 * len(timeline.events), (
        f"only {len(linked)} of {len(timeline.events)} events have a relation: "
        f"{sorted(event.id for event in timeline.events if not timeline.links[event.id])}")


def test_every_event_comes_from_a_fact_sheet(content, fact_sheet, merged_ids):
    ids = {event.id for event in content.events}
    assert ids - set(fact_sheet) == set(), "events that are in no fact sheet"
    assert set(merged_ids) <= set(fact_sheet), "merged ids that are in no fact sheet"
    assert not set(merged_ids) & ids, "an id merged into another file is also a file of its own"
    assert set(fact_sheet) - ids - set(merged_ids) == set(), "fact-sheet entries with no event"


def test_dates_match_the_fact_sheet(content, fact_sheet):
    for event in content.events:
        entry = fact_sheet[event.id]
        expected = entry["date"] + (f"/{entry['date_end']}" if entry.get("date_end") else "")
        assert event.date.edtf == expected, event.id


def test_every_body_cites_its_sources_paragraph_by_paragraph(content):
    uncited, unresolved = [], []
    for event in content.events:
        document, problem = load_yaml(event.source_path)
        assert problem is None, problem
        body = document.data.get("body")
        if not body:
            continue
        uncited += [warning.format(REPO_ROOT) for warning in uncited_paragraphs(event.source_path, document.value_marks[("body",)], body)]
        numbers = {number for marker in find_markers(body) for number in marker.numbers}
        if not numbers or not numbers <= set(range(1, len(event.sources) + 1)) or '<sup class="cite"' not in event.body_html:
            unresolved.append((event.id, sorted(numbers)))
    assert uncited == []
    assert unresolved == []


def test_no_url_that_is_not_in_a_fact_sheet(content, sheets):
    known = {source[key] for entries in sheets.values() for entry in entries for source in entry.get("sources") or []
             for key in ("url", "archive_url") if source.get(key)}
    for event in content.events:
        for source in event.sources:
            for url in (source.url, source.archive_url):
                assert url is None or url in known, (event.id, url)


def test_every_quote_is_attributed_and_found_in_the_material(content, sheets):
    material = _normalised(" ".join((REFERENCE / name).read_text(encoding="utf-8") for name in SHEET_NAMES)
                           + SEED_ARTICLE.read_text(encoding="utf-8"))
    for event in content.events:
        for quote in event.quotes:
            assert quote.speaker in content.actors and 1 <= quote.source <= len(event.sources), (event.id, quote)
            parts = [part.strip(" .") for part in re.split(r"\.\.\.|…", _normalised(quote.text)) if part.strip(" .")]
            assert all(part in material for part in parts), (event.id, quote.text)


def _normalised(text: str) -> str:
    """Text with typographic quotes and dashes made plain and runs of space made one, for comparing."""
    text = unicodedata.normalize("NFC", text)
    for fancy, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("—", "-"), ("–", "-")):
        text = text.replace(fancy, plain)
    return re.sub(r"\s+", " ", text).lower()


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
    for needle in ("pull request", "Zug", "13 vessels", "evening of Wednesday 19 May",  # the seed article's corrections
                   "December 1991", "December 2025", "five fact sheets", "every source", "Claim by claim",
                   "Copies are credited to the original", "Every link was seen", "Primakov", "Gershkovich", "Butina"):
        assert needle in text, needle


def test_the_site_names_its_span(content):
    assert content.config.title == "US–Russia Relations, 1991–2025"
    assert "1991" in content.config.description and "2025" in content.config.description


def test_every_topic_has_its_own_colour_readable_in_both_schemes(content):
    css = THEME_CSS.read_text(encoding="utf-8")
    backgrounds = re.findall(r"--background: (#[0-9a-f]{6})", css)
    assert len(backgrounds) == 2  # light and dark
    colours = {topic.id: topic.colour for topic in content.topics.values()}
    assert len(colours) >= 18 and None not in colours.values(), colours
    assert len(set(colours.values())) == len(colours), "two topics share a colour"
    surfaces = re.findall(r"--(?:surface|band): (#[0-9a-f]{6})", css)
    assert len(surfaces) >= 4  # light and dark (and print)
    for topic_id, colour in colours.items():
        for background in backgrounds:
            assert _contrast(colour, background) >= 4, (topic_id, colour, background)
        for surface in surfaces:  # as tests/test_overview.py asks of the palette (WCAG 1.4.11)
            assert _contrast(colour, surface) >= 3, (topic_id, colour, surface)
    # All share one luminance (4:1 against both backgrounds leaves little room), so they differ in
    # hue and chroma: no two closer than the closest pair of the first twelve (OKLab distance 0.034).
    closest = min((_oklab_distance(colours[a], colours[b]), a, b) for a in colours for b in colours if a < b)
    assert closest[0] >= 0.034, closest


def _linear(colour: str) -> list[float]:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    return [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        red, green, blue = _linear(colour)
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _oklab_distance(first: str, second: str) -> float:
    def oklab(colour: str) -> tuple[float, float, float]:
        red, green, blue = _linear(colour)
        cone = [(0.4122214708 * red + 0.5363325363 * green + 0.0514459929 * blue) ** (1 / 3),
                (0.2119034982 * red + 0.6806995451 * green + 0.1073969566 * blue) ** (1 / 3),
                (0.0883024619 * red + 0.2817188376 * green + 0.6299787005 * blue) ** (1 / 3)]
        return (0.2104542553 * cone[0] + 0.7936177850 * cone[1] - 0.0040720468 * cone[2],
                1.9779984951 * cone[0] - 2.4285922050 * cone[1] + 0.4505937099 * cone[2],
                0.0259040371 * cone[0] + 0.7827717662 * cone[1] - 0.8086757660 * cone[2])
    return sum((a - b) ** 2 for a, b in zip(oklab(first), oklab(second))) ** 0.5


def test_repository_site_has_no_broken_link_under_a_sub_path(run_timeline, tmp_path, content):
    from htmlsite import broken_internal_links

    out = tmp_path / "site"
    result = run_timeline(REPO_ROOT, "build", "--out", str(out), "--base-url", "https://example.github.io/us-russia/")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Built {len(content.events)} events, ")
    assert broken_internal_links(out, served_at="/us-russia/") == []


def test_repository_content_passes_a_strict_check(run_timeline):
    result = run_timeline(REPO_ROOT, "check", "--strict")
    assert result.exit_code == 0, result.stderr
    assert "0 broken link(s), 0 warning(s)" in result.stdout
