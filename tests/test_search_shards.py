"""The sharded search index: shards by span of years, and an edit re-indexes only the shard that holds it."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from conftest import failing_pagefind, tree_digest
from generator.build.output import write_site
from generator.build.output_folder import SPARE_DIR
from generator.formats.pagefind_run import SearchIndexError
from generator.formats.search_index import BUNDLE_DIR, IndexedPage, SearchIndex, index_for_search, indexed_page, plan_shards

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title></head><body>
<nav><a href="../../index.html">{nav}</a></nav>
<article data-pagefind-body><h1>{title}</h1><p><time datetime="{date}">{date}</time></p><p>{text}</p></article>
</body></html>"""


def write_pages(site: Path, count: int, nav: str = "Home") -> None:
    """`count` event pages, two a year from 1991, and a page Pagefind must leave out."""
    for number in range(count):
        path = site / "events" / f"event-{number:03}" / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.format(title=f"Event {number}", date=f"{1991 + number // 2}-06-0{1 + number % 2}",
                                    text=f"Words about summit number {number}.", nav=nav), encoding="utf-8")
    (site / "about").mkdir(parents=True, exist_ok=True)
    (site / "about" / "index.html").write_text("<html><body><h1>About</h1></body></html>", encoding="utf-8")


def page(path: str, year: str) -> IndexedPage:
    return IndexedPage(path, year, "digest-" + path)


def test_shards_keep_years_whole_where_they_fit_and_split_a_crowded_year():
    pages = [page(f"a{n}", "1991") for n in range(3)] + [page(f"b{n}", "1992") for n in range(2)] + \
            [page(f"c{n}", "1993") for n in range(7)] + [page("d", "")]
    shards = plan_shards(pages, shard_events=5)
    assert [(shard.name, len(shard.pages)) for shard in shards] == [
        ("undated-1991", 4), ("1992", 2), ("1993", 5), ("1993.2", 2)]
    assert shards[1].pages == ("b0", "b1")


def test_what_pagefind_reads_is_the_marked_element_and_the_page_language():
    html = PAGE.format(title="A", date="2001-02-03", text="x", nav="Home").encode()
    indexed = indexed_page("events/a/index.html", html)
    assert indexed.year == "2001"
    assert indexed_page("events/a/index.html", html.replace(b"Home", b"Elsewhere")) == indexed
    assert indexed_page("events/a/index.html", html.replace(b"<p>x", b"<p>y")).digest != indexed.digest
    assert indexed_page("events/a/index.html", html.replace(b'lang="en"', b'lang="ru"')).digest != indexed.digest
    assert indexed_page("about/index.html", b"<html><body><h1>About</h1></body></html>") is None


def test_an_edit_reindexes_one_shard_and_the_result_equals_a_clean_index(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_pages(site, 40)
    index_for_search(site, cache_dir=cache, shard_events=10)
    shards = json.loads((site / "pagefind" / "shards.json").read_text())
    assert shards == ["1991-1995/", "1996-2000/", "2001-2005/", "2006-2010/"]
    assert [json.loads((site / "pagefind" / name / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"]
            for name in shards] == [10, 10, 10, 10]  # the about page has no data-pagefind-body
    kept_before = {entry.name for entry in cache.iterdir()}
    assert len(kept_before) == 4

    edited = site / "events" / "event-013" / "index.html"
    edited.write_text(edited.read_text().replace("Event 13<", "Event thirteen<"), encoding="utf-8")
    shutil.rmtree(site / "pagefind")
    index_for_search(site, cache_dir=cache, shard_events=10)
    kept_after = {entry.name for entry in cache.iterdir()}
    assert len(kept_after - kept_before) == 1 and len(kept_before - kept_after) == 1

    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("pagefind"))
    index_for_search(clean, cache_dir=tmp_path / "fresh-cache", shard_events=10)
    assert tree_digest(site / "pagefind") == tree_digest(clean / "pagefind")


def test_a_change_outside_the_indexed_text_reindexes_nothing(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_pages(site, 12)
    index_for_search(site, cache_dir=cache, shard_events=10)
    kept_before = {entry.name for entry in cache.iterdir()}
    write_pages(site, 12, nav="Timeline home")
    shutil.rmtree(site / "pagefind")
    index_for_search(site, cache_dir=cache, shard_events=10)
    assert {entry.name for entry in cache.iterdir()} == kept_before


def test_the_in_memory_index_matches_the_one_written_to_disk_and_redoes_only_the_changed_shard(tmp_path):
    site = tmp_path / "site"
    write_pages(site, 30)
    files = {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*.html")}
    search = SearchIndex(shard_events=10)
    in_memory = search.files_for(files)
    index_for_search(site, cache_dir=tmp_path / "cache", shard_events=10)
    on_disk = {path.relative_to(site).as_posix(): path.read_bytes() for path in (site / "pagefind").rglob("*") if path.is_file()}
    assert in_memory == on_disk
    assert search.shards_indexed == 3

    files["events/event-025/index.html"] = files["events/event-025/index.html"].replace(b"Event 25<", b"Event twenty-five<")
    changed = search.files_for(files)
    assert search.shards_indexed == 4
    assert [path for path in changed if changed[path] != in_memory.get(path)] != []
    assert all(changed[path] == in_memory[path] for path in changed if path.startswith("pagefind/1991-1995/"))


def test_a_page_whose_path_a_glob_would_misread_is_indexed_all_the_same(tmp_path):
    site = tmp_path / "site"
    write_pages(site, 12)
    odd = site / "events" / "event-{1,2}[x]" / "index.html"
    odd.parent.mkdir()
    odd.write_bytes((site / "events" / "event-003" / "index.html").read_bytes().replace(b"Event 3<", b"Odd event<"))
    files = {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*.html")}
    index_for_search(site, cache_dir=tmp_path / "cache", shard_events=10)
    on_disk = {path.relative_to(site).as_posix(): path.read_bytes() for path in (site / "pagefind").rglob("*") if path.is_file()}
    assert on_disk == SearchIndex(shard_events=10).files_for(files)
    assert sum(json.loads((site / "pagefind" / name / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"]
               for name in json.loads((site / "pagefind" / "shards.json").read_text())) == 13


@pytest.mark.parametrize("odd_path", [False, True], ids=["pages-by-a-glob", "pages-in-a-folder-of-links"])
def test_pagefind_failing_is_one_clear_error_and_leaves_no_folder_of_its_own(tmp_path, monkeypatch, odd_path):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing_pagefind(tmp_path)))
    site = tmp_path / "site"
    write_pages(site, 12)
    if odd_path:  # a path a glob would misread: Pagefind is run on a folder of links instead
        odd = site / "events" / "event-{1,2}" / "index.html"
        odd.parent.mkdir()
        odd.write_bytes((site / "events" / "event-003" / "index.html").read_bytes())
    with pytest.raises(SearchIndexError, match=r"^pagefind failed \(3\): cannot read the pages$"):
        index_for_search(site, cache_dir=tmp_path / "cache", shard_events=10)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["broken-pagefind", "cache-pages.json", "site"]
    assert [path for path in site.rglob("*") if "shard" in path.name] == []


def test_a_site_without_event_pages_gets_an_empty_list_of_shards(tmp_path):
    site = tmp_path / "site"
    write_pages(site, 0)
    index_for_search(site, cache_dir=tmp_path / "cache")
    assert json.loads((site / "pagefind" / "shards.json").read_text()) == []
    assert [path.name for path in (site / "pagefind").iterdir()] == ["shards.json"]


def _event_pages(count: int, edits: int = 0) -> dict[str, bytes]:
    """The site `write_pages` writes, as write_site takes it, with event 13 edited `edits` times."""
    source = Path(tempfile.mkdtemp(prefix="pages-"))
    write_pages(source, count)
    files = {path.relative_to(source).as_posix(): path.read_bytes() for path in source.rglob("*.html")}
    shutil.rmtree(source)
    if edits:
        files["events/event-013/index.html"] = files["events/event-013/index.html"].replace(
            b"Event 13<", f"Event 13, revised {edits} times<".encode())
    return files


def _build(files: dict[str, bytes], out: Path) -> None:
    write_site(files, out, finish=lambda staging, site_files: index_for_search(staging, site_files, shard_events=10),
               finish_folder=BUNDLE_DIR)


@contextlib.contextmanager
def _bundles_held(bundle: Path) -> Iterator[dict[str, int]]:
    """Each bundle folder, open: its inode cannot be given to a new folder while it is held, so a folder with it is that one."""
    held = {folder.name: os.open(folder, os.O_RDONLY) for folder in bundle.iterdir() if folder.is_dir()}
    try:
        yield held
    finally:
        for descriptor in held.values():
            os.close(descriptor)


def _the_same_folders(held: dict[str, int], bundle: Path) -> set[str]:
    return {name for name, descriptor in held.items()
            if (bundle / name).is_dir() and os.path.samestat(os.fstat(descriptor), (bundle / name).stat())}


def test_a_rebuild_keeps_the_unchanged_bundles_of_the_site_it_stages_in_and_equals_a_clean_build(tmp_path):
    out = tmp_path / "site"
    own = {"pagefind/notes.txt": b"a file of the site's own in pagefind/"}
    _build({**_event_pages(40), **own}, out)
    with _bundles_held(out / "pagefind") as first:
        _build({**_event_pages(40, edits=1), **own}, out)
        _build({**_event_pages(40, edits=2), **own}, out)  # staged in the first site, whose 1996-2000 bundle is stale
        assert _the_same_folders(first, out / "pagefind") == {"1991-1995", "2001-2005", "2006-2010"}
    clean = tmp_path / "clean" / "site"
    _build({**_event_pages(40, edits=2), **own}, clean)
    assert tree_digest(out) == tree_digest(clean)
    assert (out / "pagefind" / "notes.txt").read_bytes() == own["pagefind/notes.txt"]
    assert [path.name for path in tmp_path.iterdir() if ".stale-" in path.name or ".shard-" in path.name] == []


def test_a_bundle_in_the_spare_that_is_not_the_kept_one_is_replaced(tmp_path):
    out = tmp_path / "site"
    _build(_event_pages(40), out)
    _build(_event_pages(40, edits=1), out)
    spare = tmp_path / SPARE_DIR / "site" / "pagefind"
    (spare / "1996-2000" / "planted.txt").write_text("not Pagefind's")
    entry = spare / "2001-2005" / "pagefind-entry.json"
    entry.unlink()
    entry.write_text("{}")
    (spare / "1999-2000").mkdir()  # a shard of some other plan
    (spare / "shards.json").unlink()

    _build(_event_pages(40, edits=2), out)
    clean = tmp_path / "clean" / "site"
    _build(_event_pages(40, edits=2), clean)
    assert tree_digest(out) == tree_digest(clean)
    assert sorted(path.name for path in (out / "pagefind").iterdir()) == [
        "1991-1995", "1996-2000", "2001-2005", "2006-2010", "shards.json"]


def test_without_the_cache_every_bundle_of_the_spare_is_made_anew(tmp_path):
    out = tmp_path / "site"
    _build(_event_pages(40), out)
    with _bundles_held(out / "pagefind") as first:
        _build(_event_pages(40, edits=1), out)
        shutil.rmtree(tmp_path / ".timeline-cache" / "search")
        _build(_event_pages(40, edits=2), out)
        assert _the_same_folders(first, out / "pagefind") == set()
    clean = tmp_path / "clean" / "site"
    _build(_event_pages(40, edits=2), clean)
    assert tree_digest(out) == tree_digest(clean)
