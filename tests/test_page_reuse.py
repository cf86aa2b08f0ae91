"""A rebuild from the command line renders only the pages whose content changed, and gives the bytes a clean build gives.

Each page's key (site/page_keys.py) names what it shows; the store (build/page_store.py) remembers
the keys and the files they were written to. A page is kept (its file linked into the new site)
only when its key is unchanged and the live file is the one the last build left.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import tree_digest, without_search_index
from generator.build import page_store
from generator.build.build_record import read_marshalled, write_marshalled
from generator.build.page_store import store_path
from generator.build.pipeline import BuildOptions, build
from generator.site.page_keys import _READS_BEYOND_CONTEXT, TIMELINE_READS
from generator.site.theme import BUILTIN_THEME
from sitefixture import THREADS, write_event, write_fixture_site

RENDERED = re.compile(r"(\d+) of (\d+) pages rendered")


@pytest.fixture
def source(tmp_path, monkeypatch) -> Path:
    # Pagefind is tested on its own; here only the pages matter.
    without_search_index(monkeypatch)
    return write_fixture_site(tmp_path / "fixture", threads=THREADS)


def _rebuild(source: Path) -> tuple[int | None, int]:
    """Build `source` again; (pages rendered, pages) as the build reports them (None rendered: every page)."""
    report = build(BuildOptions(source, source / "site"))
    note = next((found for note in report.notes if (found := RENDERED.search(note))), None)
    return (int(note[1]) if note else None), report.pages


def _same_as_clean(source: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean" / "site"
    build(BuildOptions(source, clean))
    assert tree_digest(source / "site") == tree_digest(clean)
    shutil.rmtree(clean.parent)


def _retitle(source: Path, name: str, title: str) -> None:
    path = source / "content" / "events" / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M), encoding="utf-8")


def _page(source: Path, path: str) -> str:
    return (source / "site" / path).read_text(encoding="utf-8")


def test_a_title_edit_renders_only_the_pages_that_show_it(source, tmp_path):
    build(BuildOptions(source, source / "site"))
    untouched = source / "site" / "events" / "reset-era" / "index.html"
    inode = untouched.stat().st_ino
    _retitle(source, "arctic-ministerial", "Arctic Council ministers meet in Reykjavik (renamed)")
    rendered, pages = _rebuild(source)
    assert rendered is not None and 0 < rendered < pages / 2
    # Where the title shows: its own page, the related event's page, its neighbours, its lists.
    assert "(renamed)" in _page(source, "events/arctic-ministerial/index.html")
    assert "(renamed)" in _page(source, "events/reykjavik-meeting/index.html")
    assert "(renamed)" in _page(source, "index.html")
    # A page that does not show it is the same file as before, not a copy.
    assert untouched.stat().st_ino == inode
    _same_as_clean(source, tmp_path)


def test_a_build_with_nothing_to_do_does_not_repeat_how_many_pages_the_last_one_rendered(source):
    build(BuildOptions(source, source / "site"))
    _retitle(source, "arctic-ministerial", "Arctic Council ministers meet (retitled)")
    assert _rebuild(source)[0] is not None
    report = build(BuildOptions(source, source / "site"))
    assert any("nothing changed since the last build" in note for note in report.notes)
    assert not any(RENDERED.search(note) for note in report.notes), report.notes


def test_adding_or_removing_an_event_renders_only_the_pages_that_show_it(source, tmp_path):
    # No page but the home page counts the events: a new event is not a new site.
    build(BuildOptions(source, source / "site"))
    untouched = source / "site" / "events" / "reset-era" / "index.html"
    inode = untouched.stat().st_ino
    added = source / "content" / "events" / "grain-talks.yaml"
    added.write_text("date: 2022-07-22\ntitle: Grain talks in Istanbul\nsummary: Delegations meet over grain.\n"
                     "topics: [diplomacy]\nsources:\n  - title: A report\n    publisher: Reuters\n", encoding="utf-8")
    rendered, pages = _rebuild(source)
    assert rendered is not None and 0 < rendered < pages / 2
    assert "Grain talks in Istanbul" in _page(source, "events/grain-talks/index.html")
    assert "Grain talks in Istanbul" in _page(source, "index.html")
    assert untouched.stat().st_ino == inode
    _same_as_clean(source, tmp_path)
    added.unlink()
    rendered, pages = _rebuild(source)
    assert rendered is not None and 0 < rendered < pages / 2
    assert not (source / "site" / "events" / "grain-talks").exists()
    assert untouched.stat().st_ino == inode
    _same_as_clean(source, tmp_path)


def test_a_thread_neighbour_s_new_title_reaches_the_event_pages_of_the_thread(tmp_path, monkeypatch):
    without_search_index(monkeypatch)
    # Twelve years apart, neither related nor next to each other in time: only the thread joins them.
    source = write_fixture_site(tmp_path / "fixture", threads=THREADS + """\
far:
  title: Far apart
  description: Two events only a thread joins.
  events: [reset-era, arctic-ministerial]
""")
    build(BuildOptions(source, source / "site"))
    _retitle(source, "arctic-ministerial", "Arctic Council ministers meet (renamed)")
    assert _rebuild(source)[0] is not None
    threads = _page(source, "events/reset-era/index.html").split('class="event-threads"')[1].split("</section>")[0]
    assert "Arctic Council ministers meet (renamed)" in threads
    _same_as_clean(source, tmp_path)


def test_a_hand_edited_page_is_rendered_again(source, tmp_path):
    build(BuildOptions(source, source / "site"))
    page = source / "site" / "events" / "reset-era" / "index.html"
    page.write_text("broken by hand", encoding="utf-8")
    _retitle(source, "arctic-ministerial", "Arctic Council ministers meet (renamed)")
    _rebuild(source)
    assert "broken by hand" not in page.read_text(encoding="utf-8")
    _same_as_clean(source, tmp_path)


@pytest.mark.parametrize("damage", ["not json", json.dumps({"version": "another", "pages": {}}), json.dumps([1, 2])])
def test_a_damaged_or_foreign_store_means_every_page_is_rendered(source, tmp_path, damage):
    build(BuildOptions(source, source / "site"))
    store_path(source / "site").write_text(damage, encoding="utf-8")
    _retitle(source, "arctic-ministerial", "Arctic Council ministers meet (renamed)")
    assert _rebuild(source)[0] is None
    _same_as_clean(source, tmp_path)


def test_a_store_naming_pages_with_wrong_keys_does_not_keep_them(source, tmp_path):
    build(BuildOptions(source, source / "site"))
    path = store_path(source / "site")
    pages = read_marshalled(path, page_store._header())
    assert pages
    write_marshalled(path, page_store._header(), {page: ("0" * 40, *kept[1:]) for page, kept in pages.items()})
    _retitle(source, "arctic-ministerial", "Arctic Council ministers meet (renamed)")
    rendered, pages = _rebuild(source)
    assert rendered is None
    _same_as_clean(source, tmp_path)


def test_pages_made_with_a_template_of_the_site_s_own_are_always_rendered(source, tmp_path):
    override = source / "templates" / "_cite.html"  # included by the event page only
    override.parent.mkdir()
    override.write_text((BUILTIN_THEME / "_cite.html").read_text(encoding="utf-8") + "<p>★ cite with care</p>\n",
                        encoding="utf-8")
    build(BuildOptions(source, source / "site"))
    _retitle(source, "arctic-ministerial", "Arctic Council ministers meet (renamed)")
    rendered, pages = _rebuild(source)
    events = len(list((source / "content" / "events").glob("*.yaml")))
    assert rendered is not None and events <= rendered < pages  # every event page, and what shows the title
    assert "★ cite with care" in _page(source, "events/reset-era/index.html")
    _same_as_clean(source, tmp_path)


def test_a_site_s_own_base_template_means_every_page_built_on_it_is_rendered(source, tmp_path):
    override = source / "templates" / "base.html"
    override.parent.mkdir()
    override.write_text((BUILTIN_THEME / "base.html").read_text(encoding="utf-8").replace("</footer>", "★</footer>", 1),
                        encoding="utf-8")
    build(BuildOptions(source, source / "site"))
    _retitle(source, "arctic-ministerial", "Arctic Council ministers meet (renamed)")
    rendered, pages = _rebuild(source)
    embeds = len(list((source / "site" / "embed").rglob("index.html")))  # made for <iframe>s: not built on base.html
    assert embeds and rendered == pages - embeds + sum(
        "(renamed)" in path.read_text(encoding="utf-8") for path in (source / "site" / "embed").rglob("index.html"))
    assert all("★</footer>" in path.read_text(encoding="utf-8") for path in (source / "site" / "events").rglob("index.html"))
    _same_as_clean(source, tmp_path)


def test_every_part_of_the_timeline_the_theme_reads_is_accounted_for():
    """A template that starts reading something new from `timeline` must be declared in page_keys.py."""
    read = set()
    for template in BUILTIN_THEME.glob("*.html"):
        read |= set(re.findall(r"\btimeline\.([a-z_]+)\b(?!\.html)", template.read_text(encoding="utf-8")))
    assert read - {"html"} <= set(TIMELINE_READS), sorted(read - set(TIMELINE_READS))
    pages_templates = {name for name in (path.name for path in BUILTIN_THEME.glob("*.html")) if not name.startswith("_")}
    assert pages_templates - {"base.html"} <= set(_READS_BEYOND_CONTEXT)


def test_only_an_event_s_own_page_reads_what_lists_do_not_show():
    """Other pages' keys hash an event by SHOWN_IN_LISTS only: no other template may read the rest."""
    for template in BUILTIN_THEME.glob("*.html"):
        if template.name not in ("event.html", "page.html"):  # page.html: a text page's body, not an event's
            assert not re.search(r"\.(body_html|sources|quotes|related)\b", template.read_text(encoding="utf-8")), template.name
    # No template shows where an event was read from: no page's key holds it.
    assert not any("source_path" in template.read_text(encoding="utf-8") for template in BUILTIN_THEME.glob("*.html"))


def test_a_body_edit_renders_the_event_s_own_page_alone(source, tmp_path):
    build(BuildOptions(source, source / "site"))
    path = source / "content" / "events" / "reykjavik-meeting.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("nearly two hours", "almost two hours"), encoding="utf-8")
    assert _rebuild(source)[0] == 1
    assert "almost two hours" in _page(source, "events/reykjavik-meeting/index.html")
    _same_as_clean(source, tmp_path)


def test_a_site_s_unchanged_copy_of_the_theme_keeps_pages(source, tmp_path):
    shutil.copytree(BUILTIN_THEME, source / "templates")  # as a site does before changing a template or two
    build(BuildOptions(source, source / "site"))
    _retitle(source, "arctic-ministerial", "Arctic Council ministers meet (renamed)")
    rendered, pages = _rebuild(source)
    assert rendered is not None and rendered < pages / 2
    _same_as_clean(source, tmp_path)


def _page_keys(source: Path, monkeypatch, walk_every_value: bool, fast_way: tuple[str, Any],
               of_event_pages: bool) -> dict[str, str | None]:
    """The keys of the event pages, or of the other pages; with `walk_every_value`, the module's `fast_way`
    (its name, and the value that turns it off) is off and every key is found by walking its values."""
    from generator.build.pipeline import page_keys, plan_site
    from generator.site import page_keys as keys_module

    with monkeypatch.context() as patch:
        if walk_every_value:
            patch.setattr(keys_module, *fast_way)
        options = BuildOptions(source, source / "site")
        return {path: key for path, key in page_keys(plan_site(options), options).items()
                if path.startswith("events/") == of_event_pages}


def _keys_changed_by_edit(path: Path, old: str, new: str,
                          keys: Callable[[bool], dict[str, str | None]]) -> tuple[dict, dict]:
    """`old` replaced by `new` in `path`: the keys after it, and the pages whose key it changed, each the fast
    way (False) and walking every value (True)."""
    before = {walk: keys(walk) for walk in (False, True)}
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    after = {walk: keys(walk) for walk in (False, True)}
    return after, {walk: {page for page in after[walk] if after[walk][page] != before[walk].get(page)} for walk in (False, True)}


_LONE_EVENT = """\
    date: {date}
    title: {title}
    summary: An event no other names.
    topics: [diplomacy]
    sources:
      - title: A report
        publisher: Associated Press
        date: {date}
"""


@pytest.mark.parametrize("edit", [
    ("reykjavik-meeting", "nearly two hours", "almost two hours"),  # its body: its own page alone
    ("lone-1995", "title: ", "title: Renamed "),  # a title: its neighbours' pages (lone-1992, lone-1996)
    ("lone-1996", "summary: ", "summary: Changed. "),  # what a related event shows (lone-1992, by that way alone)
    ("arctic-ministerial", "title: ", "title: Renamed "),  # its neighbours' and related events', and its thread's
    ("new-start-extension", "summary: ", "summary: Changed. "),  # a summary: what related events show
    ("eras", "name: Spring 2021", "name: Spring of 2021"),  # an era: every page (eras are in what every page shows)
    ("threads", "title: From the treaty", "title: Out of the treaty"),  # a thread: every page
])
def test_an_event_page_s_key_changes_exactly_when_walking_every_value_s_would(source, monkeypatch, edit):
    """PageKeys reads an event page in one pickle (the fast way); it must tell the same pages apart as the walk.

    Lone events, next to each other in time and to nothing else, one related to another, and a thread joining
    two events twelve years apart, so that a neighbour, a related event and a thread's step each reach a page by
    one way only."""
    name, old, new = edit
    (source / "content" / "threads.yaml").write_text(THREADS + """\
far:
  title: Far apart
  description: Two events only a thread joins.
  events: [reset-era, arctic-ministerial]
""", encoding="utf-8")
    for year in (1992, 1995, 1996):
        write_event(source, f"lone-{year}", _LONE_EVENT.format(date=f"{year}-06-01", title=f"Lone event of {year}"))
    path = source / "content" / "events" / "lone-1992.yaml"  # related to an event neither next to it nor in its thread
    path.write_text(path.read_text(encoding="utf-8") + "related:\n  - event: lone-1996\n    relation: follows\n", encoding="utf-8")
    path = source / "content" / (f"{name}.yaml" if name in ("eras", "threads") else f"events/{name}.yaml")
    # No context is an event page's: every key is found by walking its values.
    after, changed = _keys_changed_by_edit(path, old, new, lambda walk: _page_keys(
        source, monkeypatch, walk, ("_EVENT_PAGE_CONTEXT", frozenset()), of_event_pages=True))
    assert changed[False] == changed[True]
    assert changed[False]  # every edit here shows on some event page
    assert after[False] != after[True]  # the fast way was taken


@pytest.mark.parametrize("edit", [
    ("lone-1995", "title: ", "title: Renamed "),  # a title: the lists that show it (its topic's, its year's)
    ("lone-1995", "date: 1995-06-01", "date: 1995-07-01"),  # another month: its month group on those lists
    ("lone-1995", "date: 1995-06-01", "date: 1995"),  # the year alone: "Month not known"
    ("lone-1996", "date: 1996-06-01", "date: 1995-06-01"),  # another year, into a month group with lone-1995
    ("eras", "name: Spring 2021", "name: Spring of 2021"),  # an era: every page
    ("reykjavik-meeting", "nearly two hours", "almost two hours"),  # a body: no list page
])
def test_a_list_page_s_key_changes_exactly_when_walking_every_value_s_would(source, monkeypatch, edit):
    """PageKeys reads a list page's sections (era, years, months, events) in one pickle each; it must tell the
    same pages apart as the walk."""
    name, old, new = edit
    for year in (1995, 1996):
        write_event(source, f"lone-{year}", _LONE_EVENT.format(date=f"{year}-06-01", title=f"Lone event of {year}"))
    path = source / "content" / (f"{name}.yaml" if name == "eras" else f"events/{name}.yaml")
    # No dataclass is read at once: every section is walked value by value.
    after, changed = _keys_changed_by_edit(path, old, new, lambda walk: _page_keys(
        source, monkeypatch, walk, ("_SHOWN_AT_ONCE", {}), of_event_pages=False))
    assert changed[False] == changed[True]
    assert bool(changed[False]) == (name != "reykjavik-meeting")
    assert after[False] != after[True]  # the fast way was taken


def test_the_sections_read_at_once_are_read_whole():
    """A field added to a list page's sections must be added to what PageKeys reads of them at once."""
    from dataclasses import fields

    from generator.site import page_keys as keys_module, sections

    for read in keys_module._SHOWN_AT_ONCE.values():
        for name, names in read.items():
            assert tuple(field.name for field in fields(getattr(sections, name))) == names


def test_a_rebuild_compiles_no_template_but_one_edited_since(source, tmp_path, monkeypatch):
    """The templates' compiled code, and which templates are the theme's alone (page_keys.theme_only_templates,
    which parses them), are kept in .timeline-cache; Jinja compiles again what changed."""
    import jinja2

    compiled: list[str] = []
    parsed: list[str] = []
    compile_template, parse_template = jinja2.Environment.compile, jinja2.Environment.parse

    def counted(environment, source_text, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile_template(environment, source_text, name, filename, raw, defer_init)

    def parse_counted(environment, source_text, name=None, filename=None):
        parsed.append(name)
        return parse_template(environment, source_text, name, filename)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    monkeypatch.setattr(jinja2.Environment, "parse", parse_counted)
    (source / "templates").mkdir()
    theme_page = (BUILTIN_THEME / "page.html").read_text(encoding="utf-8")
    (source / "templates" / "page.html").write_text(theme_page, encoding="utf-8")  # the theme's, unchanged, for now
    build(BuildOptions(source, source / "site"))
    assert "event.html" in compiled and parsed
    compiled.clear()
    parsed.clear()
    _retitle(source, "arctic-ministerial", "Arctic Council ministers meet (renamed)")
    rendered_by_theme = _rebuild(source)[0]
    assert compiled == [] and parsed == []
    (source / "templates" / "page.html").write_text(theme_page.replace("{% block main %}", "{% block main %}<p>Own page</p>", 1),
                                                    encoding="utf-8")
    build(BuildOptions(source, source / "site"))
    assert compiled == ["page.html"]
    _retitle(source, "arctic-ministerial", "Arctic Council ministers meet (renamed again)")
    text_pages = len(list((source / "content" / "pages").glob("*.md")))
    assert rendered_by_theme is not None and _rebuild(source)[0] == rendered_by_theme + text_pages  # made with page.html
    assert "<p>Own page</p>" in _page(source, "about/index.html")
    _same_as_clean(source, tmp_path)


def test_the_page_store_is_the_same_from_the_site_s_listing_or_from_each_file(source):
    """The store takes each page's size and time from the new site's listing (made once for the build record);
    without one (a site that could not be listed) it asks each file: the same store."""
    from generator.build.build_record import output_listing
    from generator.build.page_store import _header, save_kept_pages

    build(BuildOptions(source, source / "site"))
    out = source / "site"
    keys = {path.relative_to(out).as_posix(): f"key of {path.name}" for path in out.rglob("index.html")}
    cards = {"cards/none.png": "a card the site lacks"}
    save_kept_pages(out, output_listing(out), keys, cards)
    from_listing = read_marshalled(store_path(out), _header())
    save_kept_pages(out, None, keys, cards)
    assert read_marshalled(store_path(out), _header()) == from_listing
    assert from_listing.keys() == keys.keys() and len(from_listing) > 5


@pytest.mark.parametrize("edit, other_parts_kept", [
    (("summary: ", "summary: Changed. "), True),  # shown in its own part's list alone
    (("title: ", "title: Renamed "), False),  # every part of the topic draws the topic's overview, which names it
    (("date: 1992-06-01", "date: 1992-06-02"), False),  # the overview places and names it by its date
])
def test_a_long_topic_s_other_parts_are_rendered_again_only_for_what_its_overview_shows(source, tmp_path, monkeypatch,
                                                                                        edit, other_parts_kept):
    import generator.site.paging
    import generator.site.render

    monkeypatch.setattr(generator.site.paging, "LIST_LIMIT", 2)  # the topic's ten events in five parts
    for year in range(1992, 1998):
        write_event(source, f"lone-{year}", _LONE_EVENT.format(date=f"{year}-06-01", title=f"Lone event of {year}"))
    build(BuildOptions(source, source / "site"))
    others = {f"topics/diplomacy/{number}/index.html" for number in range(2, 6)}
    assert all((source / "site" / part).is_file() for part in others)
    before = {part: _page(source, part) for part in others}
    rendered: list[str] = []
    stream_pages = generator.site.render.stream_pages
    monkeypatch.setattr(generator.site.render, "stream_pages", lambda pages, *args, **kwargs: stream_pages(
        rendered.extend(page.output_path for page in pages) or pages, *args, **kwargs))
    path = source / "content" / "events" / "lone-1992.yaml"  # listed in the first part
    path.write_text(path.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    build(BuildOptions(source, source / "site"))
    assert "topics/diplomacy/index.html" in rendered and "events/lone-1992/index.html" in rendered
    assert (others & set(rendered) == set()) if other_parts_kept else (others <= set(rendered))
    assert all((_page(source, part) == text) == other_parts_kept for part, text in before.items())
    _same_as_clean(source, tmp_path)
