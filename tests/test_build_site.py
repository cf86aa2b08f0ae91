"""What a reader sees in a built fixture site."""

from __future__ import annotations

from conftest import tree_digest
from htmlsite import broken_internal_links, html_pages, parse
from sitefixture import write_event


def texts(elements) -> list[str]:
    return [" ".join(element.get_text(" ", strip=True).split()) for element in elements]


def test_build_reports_what_it_did(fixture_site, run_timeline):
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 0
    assert result.stdout.startswith("Built 5 events, 22 pages into site in ")
    assert (fixture_site / "site" / "index.html").is_file()


def test_python_dash_m_runs_the_same_cli(fixture_site):
    import subprocess
    import sys
    completed = subprocess.run([sys.executable, "-m", "generator", "build", "--out", "out"], cwd=fixture_site,
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert (fixture_site / "out" / "events" / "expulsions" / "index.html").is_file()


def test_home_groups_events_by_era_year_and_month_in_order(built_site):
    home = parse(built_site / "index.html")
    # Overlapping eras: each stretch is headed by the innermost era, naming the wider one it sits in.
    assert texts(home.select("h2.era-heading")) == [
        "Outside the named eras",
        "Biden administration 20 January 2021 – 20 January 2025",
        "Spring 2021 Biden administration · April 2021 – 19 May 2021",
        "Biden administration 20 January 2021 – 20 January 2025",
    ]
    assert texts(home.select("h3.year-heading")) == ["2009", "2021", "2021", "2021"]
    assert texts(home.select("h4.month-heading")) == ["Month not known", "January 2021", "April 2021", "May 2021", "May 2021"]
    assert [li["id"] for li in home.select("li.event-entry")] == [
        "reset-era", "new-start-extension", "expulsions", "reykjavik-meeting", "arctic-ministerial"]
    entry = home.select_one("#reykjavik-meeting")
    assert entry.select_one("time")["datetime"] == "2021-05-19"
    assert entry.select_one("h5 a")["href"] == "events/reykjavik-meeting/index.html"
    assert texts(entry.select(".tags a")) == ["Diplomacy", "Antony Blinken", "Sergey Lavrov"]


def test_dates_show_their_precision(built_site):
    home = parse(built_site / "index.html")
    assert texts([home.select_one("#reset-era .event-date")]) == ["c. 2009"]
    assert texts([home.select_one("#expulsions .event-date")]) == ["April 2021"]
    assert home.select_one("#expulsions time")["datetime"] == "2021-04"
    extension = home.select_one("#new-start-extension .event-date")
    assert texts([extension]) == ["26 January – 3 February 2021"]
    assert [t["datetime"] for t in extension.select("time")] == ["2021-01-26", "2021-02-03"]


def test_event_page_shows_everything_about_the_event(built_site):
    page = parse(built_site / "events" / "reykjavik-meeting" / "index.html")
    assert texts(page.select("h1")) == ["Blinken and Lavrov meet in Reykjavik"]
    assert page.select_one(".event-meta time")["datetime"] == "2021-05-19"
    assert "Reykjavik, Iceland" in page.select_one(".event-meta").get_text()
    assert page.select_one(".event-body strong").get_text() == "nearly two hours"
    topic_links = page.select(".facets a.tag-topic")
    assert [(a.get_text(), a["href"]) for a in topic_links] == [("Diplomacy", "../../topics/diplomacy/index.html")]
    assert texts(page.select(".facets a.tag-actor")) == ["Antony Blinken", "Sergey Lavrov"]
    quote = page.select_one("figure.quote")
    assert quote.blockquote.get_text(strip=True) == "We seek a predictable, stable relationship with Russia."
    assert "Antony Blinken" in quote.figcaption.get_text()
    assert quote.figcaption.select("a")[-1]["href"] == "#source-1"
    sources = page.select("ol.sources > li")
    assert [li["id"] for li in sources] == ["source-1", "source-2"]
    assert sources[1].a["href"] == "https://www.state.gov/example-readout"
    assert "Associated Press" in sources[0].get_text() and sources[0].a is None


def test_relations_show_on_both_events_with_their_labels(built_site):
    def related(event_id):
        page = parse(built_site / "events" / event_id / "index.html")
        return [(li.select_one(".relation").get_text(), li.a.get_text()) for li in page.select("ul.related li")]

    assert related("reykjavik-meeting") == [
        ("See also", "Expulsions known only to the month"),
        ("Part of", "Arctic Council ministerial meets in Reykjavik"),
    ]
    assert related("arctic-ministerial") == [("Includes", "Blinken and Lavrov meet in Reykjavik")]
    assert ("Followed by", "Expulsions known only to the month") in related("new-start-extension")
    assert ("Follows", "New START is extended for five years") in related("expulsions")


def test_previous_and_next_follow_the_timeline(built_site):
    page = parse(built_site / "events" / "expulsions" / "index.html")
    assert page.select_one("a[rel=prev]")["href"] == "../../events/new-start-extension/index.html"
    assert page.select_one("a[rel=next]")["href"] == "../../events/reykjavik-meeting/index.html"
    first = parse(built_site / "events" / "reset-era" / "index.html")
    assert first.select_one("a[rel=prev]") is None


def test_term_pages_list_their_events(built_site):
    topic = parse(built_site / "topics" / "sanctions" / "index.html")
    assert texts(topic.select("h1")) == ["Sanctions"]
    assert [li["id"] for li in topic.select("li.event-entry")] == ["expulsions"]
    actor = parse(built_site / "actors" / "sergey-lavrov" / "index.html")
    assert "Сергей Лавров" in actor.h1.get_text()
    assert [li["id"] for li in actor.select("li.event-entry")] == ["reykjavik-meeting"]
    year = parse(built_site / "years" / "2021" / "index.html")
    assert len(year.select("li.event-entry")) == 4
    actors = parse(built_site / "actors" / "index.html")
    # An actor no published event names is not listed, and gets no page that nothing would link to.
    assert "US Department of State" not in actors.get_text()
    assert not (built_site / "actors" / "us-department-of-state").exists()
    assert "Сергей Лавров" in actors.get_text()


def test_about_page_is_rendered_from_markdown(built_site):
    about = parse(built_site / "about" / "index.html")
    assert texts(about.select("h1")) == ["About this timeline"]
    assert about.select_one("main strong").get_text() == "five"
    assert about.title.get_text() == "About this timeline · Fixture Timeline"


def test_every_page_has_language_title_description_and_landmarks(built_site):
    pages = html_pages(built_site)
    # 5 events, 3 topics, 2 actors with events, 2 years, 3 term indexes, timeline, about, search, 404, 3 topic embeds
    assert len(pages) == 22
    for path in pages:
        page = parse(path)
        assert page.html["lang"] == "en", path
        assert page.title.get_text().strip(), path
        assert page.select_one("meta[name=description]")["content"].strip(), path
        embed = "embed" in path.relative_to(built_site).parts  # made for an <iframe>: no site header, nav or skip link
        for landmark in ("main", "footer") if embed else ("header", "nav", "main", "footer"):
            assert page.find(landmark) is not None, (path, landmark)
        assert len(page.find_all("h1")) == 1, path
        assert embed or page.select_one("a.skip-link")["href"] == "#main"


def test_internal_links_all_resolve_and_are_relative(built_site):
    assert broken_internal_links(built_site) == []
    for path in html_pages(built_site):
        if path.name == "404.html":
            continue
        for link in parse(path).find_all("a", href=True):
            assert not link["href"].startswith("/"), (path, link["href"])


def test_canonical_links_and_404_use_the_base_url(fixture_site, run_timeline):
    result = run_timeline(fixture_site, "build", "--base-url", "https://example.org/repo")
    assert result.exit_code == 0, result.stderr
    site = fixture_site / "site"
    event = parse(site / "events" / "expulsions" / "index.html")
    assert event.select_one("link[rel=canonical]")["href"] == "https://example.org/repo/events/expulsions/"
    not_found = parse(site / "404.html")
    assert not_found.select_one("link[rel=canonical]") is None
    hrefs = {a.get_text(strip=True): a["href"] for a in not_found.select("main a")}
    assert hrefs["Go to the timeline"] == "/repo/"
    assert hrefs["topic"] == "/repo/topics/"
    assert not_found.select_one("link[rel=stylesheet]")["href"] == "/repo/assets/style.css"
    # Served under /repo/ (as GitHub project pages are), every link on every page resolves.
    assert broken_internal_links(site, served_at="/repo/") == []


def test_without_a_base_url_there_is_no_canonical_link(built_site):
    assert parse(built_site / "index.html").select_one("link[rel=canonical]") is None


def test_drafts_are_left_out_unless_asked_for(fixture_site, run_timeline):
    write_event(fixture_site, "unfinished", """\
        date: 2021-06
        title: An unfinished event
        summary: Still being written.
        topics: [diplomacy]
        draft: true
        related:
          - event: expulsions
            relation: response-to
        sources:
          - title: Notes
            publisher: Reuters
    """)
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 0, result.stderr
    assert "1 draft(s) left out" in result.stdout
    site = fixture_site / "site"
    assert not (site / "events" / "unfinished").exists()
    assert "Prompted" not in (site / "events" / "expulsions" / "index.html").read_text()
    assert broken_internal_links(site) == []

    result = run_timeline(fixture_site, "build", "--drafts")
    assert result.exit_code == 0 and "draft" not in result.stdout
    page = parse(site / "events" / "unfinished" / "index.html")
    assert page.select_one(".draft").get_text() == "Draft"
    assert "Prompted" in (site / "events" / "expulsions" / "index.html").read_text()


def test_two_builds_are_byte_identical(fixture_site, run_timeline, tmp_path):
    assert run_timeline(fixture_site, "build", "--out", str(tmp_path / "one")).exit_code == 0
    assert run_timeline(fixture_site, "build", "--out", str(tmp_path / "two")).exit_code == 0
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_files_that_no_longer_belong_are_removed(fixture_site, built_site, run_timeline):
    (fixture_site / "content" / "events" / "expulsions.yaml").unlink()
    (built_site / "stray.txt").write_text("left by hand")
    assert run_timeline(fixture_site, "build").exit_code == 0
    assert not (built_site / "events" / "expulsions").exists()
    assert not (built_site / "stray.txt").exists()
    assert [p.name for p in fixture_site.iterdir() if p.is_dir() and p.name.startswith(".site")] == []


def test_a_site_template_overrides_the_theme_by_name(fixture_site, run_timeline):
    templates = fixture_site / "templates"
    templates.mkdir()
    (templates / "page.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Custom: {{ text_page.title }}</h1>{% endblock %}')
    assert run_timeline(fixture_site, "build").exit_code == 0
    about = parse(fixture_site / "site" / "about" / "index.html")
    assert about.h1.get_text() == "Custom: About this timeline"
    # Other templates still come from the built-in theme.
    assert parse(fixture_site / "site" / "index.html").select("li.event-entry")
