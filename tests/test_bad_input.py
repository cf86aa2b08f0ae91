"""Each kind of author mistake: a located, actionable message, exit status 1, and the old site kept."""

from __future__ import annotations

import re

import pytest

from conftest import tree_digest
from sitefixture import THREADS, write_event

VALID = """\
date: 2021-06-16
title: A summit
summary: Leaders met.
topics: [diplomacy]
sources:
  - title: Readout
    publisher: White House
"""

# (case id, file text, expected line, expected column or None, message pattern)
EVENT_CASES = [
    ("yaml-syntax", VALID.replace("title: A summit", "title: [unclosed"), 3, None, r"YAML syntax error"),
    ("duplicate-key", VALID + "title: Another title\n", 8, 1, r"duplicate key 'title' \(first given on line 2\)"),
    ("unknown-key", VALID.replace("title:", "titel:"), 2, 1, r"unknown field 'titel' in event — did you mean 'title'\?"),
    ("missing-summary", VALID.replace("summary: Leaders met.\n", ""), 1, 1, r"missing the required field 'summary'"),
    ("missing-sources", VALID.split("sources:")[0], 1, 1, r"missing the required field 'sources': cite at least one source"),
    ("empty-sources", VALID.split("sources:")[0] + "sources: []\n", 5, 10, r"'sources' needs at least one source"),
    ("wrong-type", VALID.replace("topics: [diplomacy]", "topics: {diplomacy: yes}"), 4, 9, r"'topics' must be a list"),
    ("unreadable-date", VALID.replace("2021-06-16", "16 June 2021"), 1, 7, r"cannot read date '16 June 2021'"),
    ("impossible-date", VALID.replace("2021-06-16", "2021-02-30"), 1, 7, r"'2021-02-30' is not a real day"),
    ("range-backwards", VALID.replace("2021-06-16", "2021-06-16/2021-06-01"), 1, 7, r"ends before it starts"),
    ("unknown-topic", VALID.replace("[diplomacy]", "[diplomacy, sanction]"), 4, 21, r"unknown topic 'sanction' — did you mean 'sanctions'\?"),
    ("unknown-actor", VALID + "actors: [sergei-lavrov]\n", 8, 10, r"unknown actor 'sergei-lavrov' — did you mean 'sergey-lavrov'\?"),
    ("unknown-related", VALID + "related:\n  - event: expulsion\n    relation: follows\n", 9, 12, r"unknown event 'expulsion' — did you mean 'expulsions'\?"),
    ("unknown-relation", VALID + "related:\n  - event: expulsions\n    relation: caused-by\n", 10, 15, r"unknown relation 'caused-by'.*use one of response-to, follows"),
    ("self-relation", VALID + "related:\n  - event: broken\n    relation: follows\n", 9, 12, r"related to itself"),
    ("duplicate-id", "id: expulsions\n" + VALID, 1, 5, r"id 'expulsions' is used by more than one file \(broken.yaml, expulsions.yaml\)"),
    ("bad-id", "id: Not A Slug\n" + VALID, 1, 5, r"is not a valid id"),
    ("quote-source", VALID + "quotes:\n  - text: Hello.\n    speaker: antony-blinken\n    source: 3\n", 11, 13, r"quote cites source 3, but this event lists 1 source"),
    ("quote-speaker", VALID + "quotes:\n  - text: Hello.\n    speaker: blinken\n    source: 1\n", 10, 14, r"unknown speaker 'blinken'"),
    ("javascript-url", VALID + "    url: javascript:alert(1)\n", 8, 10, r"'url' must be an http:// or https:// address"),
    ("ftp-archive-url", VALID + "    archive_url: ftp://example.org/x\n", 8, 18, r"'archive_url' must be an http:// or https:// address"),
    ("draft-yes", VALID + "draft: yes\n", 8, 8, r"'draft' must be true or false, not 'yes'"),
    ("yaml-alias", VALID.replace("summary: Leaders met.", "summary: &s Leaders met.\nplace: *s"), 3, 10, r"YAML anchors and aliases \(&name, \*name\) are not allowed"),
    ("deep-nesting", VALID + "place: " + "[" * 100 + "]" * 100 + "\n", 8, None, r"nested more than 20 levels deep: flatten the structure"),
    ("not-a-mapping", "- just\n- a list\n", 1, 1, r"event must be a mapping of fields"),
    ("source-missing-publisher", VALID.replace("    publisher: White House\n", ""), 6, 5, r"source 1 is missing the required field 'publisher'"),
]


@pytest.fixture
def good_site(fixture_site, run_timeline):
    """A fixture site that has been built once: the 'last good' output a bad build must keep."""
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 0, result.stderr
    return fixture_site


def assert_rejected(run_timeline, site_root, expected: list[tuple[str, int, int | None, str]]):
    before = tree_digest(site_root / "site")
    result = run_timeline(site_root, "build")
    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].endswith("problem(s) found; the site was not changed.")
    for path, line, column, pattern in expected:
        located = [text for text in lines if text.startswith(f"{path}:{line}:")]
        assert located, f"no message at {path}:{line}: in\n{result.stderr}"
        assert any(re.search(pattern, text) for text in located), result.stderr
        if column is not None:
            assert any(text.startswith(f"{path}:{line}:{column}: ") for text in located), result.stderr
    assert tree_digest(site_root / "site") == before
    return lines


@pytest.mark.parametrize("text, line, column, pattern", [case[1:] for case in EVENT_CASES],
                         ids=[case[0] for case in EVENT_CASES])
def test_bad_event_file(good_site, run_timeline, text, line, column, pattern):
    (good_site / "content" / "events" / "broken.yaml").write_text(text, encoding="utf-8")
    assert_rejected(run_timeline, good_site, [("content/events/broken.yaml", line, column, pattern)])


def test_every_problem_in_every_file_is_reported_at_once(good_site, run_timeline):
    write_event(good_site, "first", VALID.replace("[diplomacy]", "[diplomcy]"))
    write_event(good_site, "second", VALID.replace("2021-06-16", "2021-13-01") + "colour: red\n")
    lines = assert_rejected(run_timeline, good_site, [
        ("content/events/first.yaml", 4, 10, r"did you mean 'diplomacy'"),
        ("content/events/second.yaml", 1, 7, r"no month 13"),
        ("content/events/second.yaml", 8, 1, r"unknown field 'colour'"),
    ])
    assert lines[-1] == "3 problem(s) found; the site was not changed."


def test_a_broken_event_is_not_also_reported_as_unknown_by_its_neighbours(good_site, run_timeline):
    # expulsions.yaml relates to reykjavik-meeting; breaking the latter must not add a second error.
    path = good_site / "content" / "events" / "reykjavik-meeting.yaml"
    path.write_text(path.read_text().replace("date: 2021-05-19", "date: 2021-05-32", 1))
    lines = assert_rejected(run_timeline, good_site, [("content/events/reykjavik-meeting.yaml", 1, 7, r"not a real day")])
    assert len(lines) == 2


def test_an_event_file_that_cannot_be_parsed_is_one_error_not_one_for_every_reference_to_it(good_site, run_timeline):
    # expulsions.yaml relates to reykjavik-meeting and a thread names it: a YAML syntax error in it is
    # the one problem to fix, whether the file declares its id or goes by its name.
    (good_site / "content" / "threads.yaml").write_text(THREADS, encoding="utf-8")
    path = good_site / "content" / "events" / "reykjavik-meeting.yaml"
    path.write_text(path.read_text().replace("title: ", "title: [unclosed ", 1))
    lines = assert_rejected(run_timeline, good_site, [("content/events/reykjavik-meeting.yaml", 3, None, r"YAML syntax error")])
    assert len(lines) == 2
    path.rename(path.with_name("meeting.yaml"))
    path.with_name("meeting.yaml").write_text("id: reykjavik-meeting\n" + path.with_name("meeting.yaml").read_text())
    lines = assert_rejected(run_timeline, good_site, [("content/events/meeting.yaml", 4, None, r"YAML syntax error")])
    assert len(lines) == 2


def test_file_that_is_not_utf8(good_site, run_timeline):
    (good_site / "content" / "events" / "latin1.yaml").write_bytes(VALID.replace("Leaders", "Dirigeants élus").encode("latin-1"))
    assert_rejected(run_timeline, good_site, [("content/events/latin1.yaml", 3, 21, r"not UTF-8 \(byte 53\): save the file as UTF-8")])


def test_utf8_with_bom_and_crlf_line_endings_are_fine(good_site, run_timeline):
    text = VALID.replace("A summit", "Саммит в Женеве").replace("\n", "\r\n")
    (good_site / "content" / "events" / "windows.yaml").write_bytes("\ufeff".encode() + text.encode("utf-8"))
    result = run_timeline(good_site, "build")
    assert result.exit_code == 0, result.stderr
    assert "Саммит в Женеве" in (good_site / "site" / "events" / "windows" / "index.html").read_text(encoding="utf-8")


def test_bad_registry_entries(good_site, run_timeline):
    (good_site / "content" / "topics.yaml").write_text(
        "diplomacy:\n  name: Diplomacy\n  description: Talks.\nsanctions:\n  description: Money.\narms-control:\n  name: Arms\n  descripton: x\n")
    assert_rejected(run_timeline, good_site, [
        ("content/topics.yaml", 5, 3, r"topic 'sanctions' is missing the required field 'name'"),
        ("content/topics.yaml", 8, 3, r"unknown field 'descripton' in topic 'arms-control' — did you mean 'description'\?"),
    ])


def test_bad_era_and_actor(good_site, run_timeline):
    (good_site / "content" / "eras.yaml").write_text("biden:\n  name: Biden\n  start: 2025-01-20\n  end: 2021-01-20\n")
    with open(good_site / "content" / "actors.yaml", "a", encoding="utf-8") as actors:
        actors.write("kremlin:\n  name: Kremlin\n  kind: building\n")
    assert_rejected(run_timeline, good_site, [
        ("content/eras.yaml", 4, 8, r"era 'biden' ends before it starts"),
        ("content/actors.yaml", 16, 9, r"kind must be one of person, organisation, not 'building'"),
    ])


def test_bad_site_config_and_page(good_site, run_timeline):
    (good_site / "content" / "site.yaml").write_text("title: T\nbase_url: example.org\n")
    (good_site / "content" / "pages" / "events.md").write_text("---\ntitle: Clash\n---\nText\n")
    (good_site / "content" / "pages" / "notes.md").write_text("no front matter\n")
    assert_rejected(run_timeline, good_site, [
        ("content/site.yaml", 1, 1, r"site.yaml is missing the required field 'description'"),
        ("content/site.yaml", 2, 11, r"'base_url' must be an http:// or https:// address"),
        ("content/pages/events.md", 1, 1, r"'events' is used by the site itself"),
        ("content/pages/notes.md", 1, 1, r"a page starts with YAML front matter"),
    ])


def test_relation_written_on_both_events(good_site, run_timeline):
    write_event(good_site, "arctic-ministerial", """\
        date: 2021-05-20
        title: Arctic Council ministerial meets in Reykjavik
        summary: Russia took over the chair.
        topics: [diplomacy]
        related:
          - event: reykjavik-meeting
            relation: see-also
        sources:
          - title: Arctic Council ministerial
            publisher: Government of Iceland
    """)
    assert_rejected(run_timeline, good_site, [
        ("content/events/reykjavik-meeting.yaml", 14, 12, r"'arctic-ministerial' already relates to 'reykjavik-meeting'"),
    ])


def test_usage_errors_exit_2(fixture_site, run_timeline, tmp_path):
    assert run_timeline(tmp_path, "build").exit_code == 2
    assert run_timeline(fixture_site, "build", "--base-url", "example.org").exit_code == 2
    assert run_timeline(fixture_site, "frobnicate").exit_code == 2
    assert not (fixture_site / "site").exists()


def test_a_symlink_pointing_outside_content_is_refused(good_site, run_timeline, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text(VALID)
    (good_site / "content" / "events" / "linked.yaml").symlink_to(secret)
    assert_rejected(run_timeline, good_site, [("content/events/linked.yaml", 1, 1, r"links to a file outside content/")])


def test_marks_found_in_the_text_when_a_problem_asks_are_those_recorded_while_parsing():
    """An event file's marks are recorded as it is parsed only for its outline (id, related): the others,
    found in its text when a problem asks, must name the same lines and columns, keys and values alike."""
    from pathlib import Path

    from conftest import REPO_ROOT
    from generator.content.load import OUTLINE_KEYS
    from generator.content.yamlfile import parse_yaml

    files = sorted((REPO_ROOT / "content" / "events").glob("*.yaml"))
    texts = [(path, path.read_text(encoding="utf-8")) for path in files]
    texts += [(Path(f"{case[0]}.yaml"), case[1]) for case in EVENT_CASES]
    compared = 0
    for path, text in texts:
        whole, problem = parse_yaml(path, text)
        if problem:
            continue
        outlined, _ = parse_yaml(path, text, OUTLINE_KEYS)
        assert outlined.data == whole.data
        assert {at[0] for at in outlined.marks[0] if at} <= set(OUTLINE_KEYS)  # the rest was not recorded
        assert outlined.value_marks == whole.value_marks and outlined.key_marks == whole.key_marks
        part = outlined.part(OUTLINE_KEYS)
        assert part.text is None and part.data == {key: whole.data[key] for key in OUTLINE_KEYS if key in whole.data}
        assert all(part.value_marks[at] == whole.value_marks[at] for at in part.value_marks)
        compared += 1
    assert compared > 150


def test_checking_events_without_problems_never_looks_for_their_marks():
    """Finding the marks parses a file again and holds them: only a problem may ask (the memory of 100,000 events)."""
    from conftest import REPO_ROOT
    from generator.content.load import load_content
    from generator.content.validate import validate

    raw = load_content(REPO_ROOT / "content")
    validate(raw)
    assert len(raw.events) > 150
    assert [document.path.name for document in raw.events if "_every_mark" in vars(document)] == []
