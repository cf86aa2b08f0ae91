"""Citations in a real browser: follow a superscript to its source and back, and search for its sentence."""

from __future__ import annotations

import pytest

from browsing import axe_violations, serve
from generator.build.pipeline import BuildOptions, build
from sitefixture import write_event, write_fixture_site
from test_citations import SUMMIT


@pytest.fixture(scope="module")
def cited_url(tmp_path_factory):
    root = write_fixture_site(tmp_path_factory.mktemp("browser-cite") / "fixture")
    write_event(root, "summit", SUMMIT)
    build(BuildOptions(root, root / "site"))
    with serve(root / "site") as url:
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_reader_follows_a_citation_to_its_source_and_back(open_context, cited_url, scheme):
    reader = open_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme).new_page()
    reader.goto(cited_url + "events/summit/index.html")
    assert axe_violations(reader) == []
    reader.get_by_role("link", name="source 3", exact=True).click()
    assert reader.evaluate("location.hash") == "#source-3"
    assert reader.locator("li:target cite").inner_text() == "Ambassadors to return"
    reader.get_by_role("link", name="Back to where source 3 is cited").click()
    assert reader.evaluate("location.hash") == "#cite-3-1"
    assert reader.locator(":target").inner_text() == "[3]"
    reader.goto(cited_url + "events/summit/index.html#source-1")
    reader.get_by_role("link", name="Back to citation 2 of source 1").click()
    assert reader.evaluate("location.hash") == "#cite-1-2"


def test_a_search_excerpt_shows_the_sentence_without_its_citation(open_context, cited_url):
    reader = open_context(viewport={"width": 1280, "height": 900}).new_page()
    reader.goto(cited_url + "search/index.html?q=ambassadors")
    result = reader.locator("#search-results li", has_text="Biden and Putin meet in Geneva")
    result.wait_for()
    text = result.inner_text()
    assert "return to their posts" in text
    assert "[3]" not in text and "[1]" not in text and "↩" not in text
