"""List entries written in Python and overviews drawn once per build are byte for byte what the theme's
templates write for each page alone; a site's own entry templates still draw its entries."""

from __future__ import annotations

from pathlib import Path

import pytest

import generator.site.paging
from generator.build.pipeline import BuildOptions, plan_site
from generator.site.entries import ENTRY_TEMPLATES, EntryCache, _marked_url, draws_theme_entries, entry_html
from generator.site.render import _context, make_environment, render_page
from htmlsite import parse
from sitefixture import write_crowded_year, write_event
from PIL import Image
from test_payloads import PAYLOADS, TITLE, quoted

ODD_EVENTS = {
    "unfinished": """\
        date: 2021-06
        title: A draft with no topic yet
        summary: Still being written.
        draft: true
    """,
    "uncertain": """\
        date: 2020-03-02?/2020-04%
        title: "An uncertain range: Smith & Sons' \\"deal\\" <b>"
        summary: "Quotes ' and \\" and & and < > stay text."
        topics: [sanctions, diplomacy]
        actors: [sergey-lavrov]
        sources:
          - title: A report
            publisher: Reuters
    """,
    "same-month": """\
        date: 2019-07-01/2019-07-04
        title: Four days in July
        summary: A range within one month.
        topics: [arms-control]
        actors: [antony-blinken, sergey-lavrov]
        place: Geneva & Vienna
        sources:
          - title: A report
            publisher: Reuters
    """,
}


def _planned(site: Path):
    return plan_site(BuildOptions(site, site / "site", include_drafts=True))


@pytest.fixture
def odd_site(fixture_site):
    """The fixture site with hostile text in every field an entry shows, odd dates, a draft, a thumbnail."""
    for name, text in ODD_EVENTS.items():
        write_event(fixture_site, name, text)
    write_event(fixture_site, "payload", f"""\
        date: 2021-06-16
        title: {quoted(TITLE)}
        summary: {quoted(PAYLOADS["formula"] + " " + PAYLOADS["closing"])}
        topics: [diplomacy]
        actors: [antony-blinken]
        place: {quoted(PAYLOADS["attribute"])}
        sources:
          - title: A report
            publisher: Reuters
    """)
    write_event(fixture_site, "pictured", """\
        date: 2021-06-17
        title: An event with a thumbnail
        summary: Its entry is the macro's, picture and all.
        topics: [diplomacy]
        media:
          - file: media/picture.png
            alt: A plain orange picture
            credit: Nobody
        sources:
          - title: A report
            publisher: Reuters
    """)
    (fixture_site / "content" / "media").mkdir()
    Image.new("RGB", (40, 30), (200, 100, 0)).save(fixture_site / "content" / "media" / "picture.png")
    write_crowded_year(fixture_site)
    return fixture_site


def test_python_entries_are_what_the_theme_macro_writes_for_every_kind_of_event(odd_site):
    site = _planned(odd_site)
    environment = make_environment(site.folders)
    context = {**_context(site.pages[0], site.timeline), "url": _marked_url}
    macros = environment.get_template("_macros.html").make_module(context)
    events = site.timeline.events
    assert {"unfinished", "uncertain", "same-month", "payload", "reykjavik-meeting"} <= {event.id for event in events}
    assert any(event.draft and not event.topics for event in events)
    tags: dict = {}
    for event in events:
        if event.image:
            continue
        assert entry_html(event, site.timeline, tags) == str(macros.event_entry(event)), event.id


def test_every_page_with_shared_entries_and_overviews_is_the_page_rendered_alone(odd_site, monkeypatch):
    # Lists of four: the topics' later parts are a folder deeper than their first, and share its overview.
    monkeypatch.setattr(generator.site.paging, "LIST_LIMIT", 4)
    site = _planned(odd_site)
    assert any(page.url == "topics/diplomacy/3/" for page in site.pages) and site.timeline.images
    environment = make_environment(site.folders)
    shared = EntryCache(environment)
    for page in site.pages:
        alone = render_page(environment, page, site.timeline, site.folders)
        assert render_page(environment, page, site.timeline, site.folders, shared) == alone, page.url


@pytest.mark.parametrize("name, text, mark", [
    ("_filter_data.html", ' data-own="yes"', 'data-own="yes"'),
    ("_macros.html", None, 'class="event-entry own-entry"'),
])
def test_a_site_that_overrides_an_entry_template_gets_its_own_entries(fixture_site, run_timeline, name, text, mark):
    theme = make_environment(_planned(fixture_site).folders)
    assert draws_theme_entries(theme) and name in ENTRY_TEMPLATES
    own = fixture_site / "templates"
    own.mkdir()
    source = theme.loader.get_source(theme, name)[0]
    (own / name).write_text(text or source.replace('class="event-entry"', 'class="event-entry own-entry"'), encoding="utf-8")
    assert not draws_theme_entries(make_environment(_planned(fixture_site).folders))
    assert run_timeline(fixture_site, "build").exit_code == 0
    for page in ("index.html", "topics/diplomacy/index.html", "years/2021/index.html"):
        entries = parse(fixture_site / "site" / page).select("li[id]")
        assert entries and all(mark in str(entry) for entry in entries if "event-entry" in entry.get("class", [])), page
