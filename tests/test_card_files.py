"""Share cards kept once on disk: a CLI build's card is the file cache's own file, linked into the site (at
10,000 events the cards are 235 MB, which the cache held a second time), whichever way the build comes to
it; a card damaged in the cache is drawn again, never linked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import tree_digest
from test_media import BASE_URL, media_site  # noqa: F401  (media_site is a fixture: a site with a picture)
from test_share_cards import drawn_titles

from generator.site.file_cache import FileCache

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _build(site_folder: Path, run_timeline) -> dict[str, str]:
    result = run_timeline(site_folder, "build", "--base-url", BASE_URL)
    assert result.exit_code == 0, result.stderr
    return tree_digest(site_folder / "site")


def _cards(site_folder: Path) -> list[Path]:
    cards = sorted((site_folder / "site" / "cards").glob("*.png"))
    assert cards
    return cards


def _cache_files(site_folder: Path) -> dict[int, Path]:
    """The file cache's files, by inode."""
    return {path.stat().st_ino: path for path in (site_folder / ".timeline-cache" / "files").rglob("*") if path.is_file()}


def _as_ci_finds_it(site_folder: Path) -> None:
    """What a CI run starts from: the cache restored, no site and no site before it."""
    shutil.rmtree(site_folder / "site")
    shutil.rmtree(site_folder / ".timeline-cache" / "spare-sites", ignore_errors=True)


def test_a_clean_build_s_cards_are_the_cache_s_files_on_disk_once(media_site, run_timeline):  # noqa: F811
    _build(media_site, run_timeline)
    cached = _cache_files(media_site)
    for card in _cards(media_site):
        stored = cached.get(card.stat().st_ino)
        assert stored is not None, f"{card.name} is not the cache's file"
        assert stored.read_bytes() == card.read_bytes() and card.read_bytes().startswith(PNG_SIGNATURE)
    # No second copy of any card in the cache.
    cards = {card.read_bytes() for card in _cards(media_site)}
    assert sum(path.read_bytes() in cards for path in cached.values()) == len(cards)


def test_a_site_rebuilt_from_the_cache_alone_links_every_card_and_draws_none(media_site, run_timeline, monkeypatch):  # noqa: F811
    first = _build(media_site, run_timeline)
    _as_ci_finds_it(media_site)
    drawn = drawn_titles(monkeypatch)
    assert _build(media_site, run_timeline) == first
    assert drawn == []
    cached = _cache_files(media_site)
    assert all(card.stat().st_ino in cached for card in _cards(media_site))


@pytest.mark.parametrize("site_kept", [True, False], ids=["the site linking it", "no site"])
def test_a_card_damaged_in_the_cache_is_drawn_again_never_linked(media_site, run_timeline, monkeypatch, site_kept):  # noqa: F811
    first = _build(media_site, run_timeline)
    if not site_kept:
        _as_ci_finds_it(media_site)
    damaged = _cache_files(media_site)[(media_site / "site" / "cards" / "harpa.png").stat().st_ino
                                       if site_kept else _card_entry(media_site, first["cards/harpa.png"]).stat().st_ino]
    with damaged.open("r+b") as file:  # cut short in place: the live site's card, one file with it, is cut too
        file.truncate(damaged.stat().st_size // 2)
    drawn = drawn_titles(monkeypatch)
    assert _build(media_site, run_timeline) == first
    assert drawn == ["Ministers meet at the Harpa concert hall"]
    # The card drawn again is stored in place of the damaged entry (the same name: the same key and bytes), and linked.
    card = media_site / "site" / "cards" / "harpa.png"
    assert damaged.read_bytes() == card.read_bytes() and damaged.stat().st_ino == card.stat().st_ino


def _card_entry(site_folder: Path, digest: str) -> Path:
    """The cache's file holding the card whose bytes hash to `digest` (tree_digest's sha256)."""
    import hashlib

    return next(path for path in _cache_files(site_folder).values() if hashlib.sha256(path.read_bytes()).hexdigest() == digest)


def test_a_card_the_cache_cannot_take_is_written_into_the_site(media_site, run_timeline, monkeypatch):  # noqa: F811
    first = _build(media_site, run_timeline)
    shutil.rmtree(media_site / "site")
    shutil.rmtree(media_site / ".timeline-cache")
    monkeypatch.setattr(FileCache, "put_file", lambda self, key, data: None)
    assert _build(media_site, run_timeline) == first
    assert all(card.stat().st_nlink == 1 for card in _cards(media_site))


def test_a_stored_file_is_found_by_its_key_and_only_while_its_bytes_hash_to_its_name(tmp_path):
    cache = FileCache(tmp_path / "files", "version 1")
    stored = cache.put_file("a card", b"the bytes")
    assert stored is not None and Path(stored.path).read_bytes() == b"the bytes"
    assert cache.file("a card") == stored
    assert cache.file("another card") is None
    assert FileCache(tmp_path / "files", "version 2").file("a card") is None
    Path(stored.path).write_bytes(b"the bytes, altered")
    assert cache.file("a card") is None and not Path(stored.path).exists()
