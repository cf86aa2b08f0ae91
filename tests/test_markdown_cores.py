"""Event bodies converted in forked workers are the bodies one process converts, and a rebuild converts only the edited one.

The fixture is the shipped timeline's content with a variant of each event whose body ends in one of
the Markdown cases that matter (quotes and dashes, tables, lists, code, raw HTML, citation tokens in
a link's title): over three hundred events.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import markdown
import pytest
import yaml

import generator.content.markup
from generator.build.pipeline import BuildOptions, plan_site
from generator.content.citations import tokenize
from generator.content.errors import ContentErrors
from generator.content.load import load_content
from generator.content.markup import MarkdownRenderer
from generator.content.validate import validate
from generator.content.yamlfile import parse_yaml

REPO_CONTENT = Path(__file__).resolve().parent.parent / "content"

ENDINGS = (
    "He said \"it's over\" -- twice --- and then... nothing.[1] The '90s were 'different'.",
    "| Year | Treaty |\n|:-----|-------:|\n| 1991 | START [1] |\n| 2010 | New START |",
    "3. third\n4. fourth[1]\n\n* a\n* b",
    "Code `[1]` stays code, and so does\n\n    [1] indented\n\n```\n[2]\n```",
    "Raw <script>alert(1)</script> <b>bold</b> <sup class=\"cite\">forged</sup> <a href=\"javascript:x\">x</a>.[1]",
    "See [the text](https://example.org/ \"title [1]\") and \\[1] escaped, [1](not a link).",
    "Emoji 🤝 and שלום and a line  \nbreak; &amp; &copy; <http://example.org> and *em* __strong__.[1]",
)


def _variant(path: Path, number: int) -> str:
    event = yaml.safe_load(path.read_text(encoding="utf-8"))
    event.pop("related", None)  # a variant must not relate to an event that relates back
    event["body"] = (event.get("body") or "A body.").rstrip() + "\n\n" + ENDINGS[number % len(ENDINGS)] + "\n"
    return yaml.safe_dump(event, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def content_dir(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("cores") / "content"
    shutil.copytree(REPO_CONTENT, content)
    for number, path in enumerate(sorted((content / "events").glob("*.yaml"))):
        (content / "events" / f"variant-{number:03d}.yaml").write_text(_variant(path, number), encoding="utf-8")
    return content


def _validate(content_dir: Path, monkeypatch, workers: int, markdown: MarkdownRenderer | None = None):
    monkeypatch.setattr(generator.content.markup, "worker_count", lambda items: workers)
    return validate(load_content(content_dir, parse_yaml), markdown)


@pytest.fixture
def forked(monkeypatch) -> list[int]:
    """The number of bodies each call handed to the workers."""
    calls = []
    real = generator.content.markup.map_in_order

    def counting(job, count, workers):
        calls.append(count)
        return real(job, count, workers)

    monkeypatch.setattr(generator.content.markup, "map_in_order", counting)
    return calls


def test_bodies_converted_in_workers_are_byte_for_byte_those_of_one_process(content_dir, monkeypatch, forked):
    one = _validate(content_dir, monkeypatch, 1)
    assert forked == []
    two = _validate(content_dir, monkeypatch, 2)
    assert forked == [len(list((content_dir / "events").glob("*.yaml")))] and forked[0] > 300
    assert [event.body_html for event in two.events] == [event.body_html for event in one.events]
    assert [event.sources for event in two.events] == [event.sources for event in one.events]  # cited_at, from the HTML
    assert two == one
    variant = next(event for event in two.events if event.id == "variant-001")
    assert "<table>" in variant.body_html and 'href="#source-1"' in variant.body_html


def test_two_events_of_the_same_body_get_the_same_html_and_nothing_converted_ahead_is_held_after(content_dir, monkeypatch, tmp_path):
    """What was converted ahead is let go as each body takes it; a second body of the same text converts again."""
    content = tmp_path / "content"
    shutil.copytree(content_dir, content)
    source = content / "events" / "variant-004.yaml"
    twin = yaml.safe_load(source.read_text(encoding="utf-8"))
    twin["id"] = "variant-twin"
    (content / "events" / "variant-twin.yaml").write_text(yaml.safe_dump(twin, allow_unicode=True, sort_keys=False), encoding="utf-8")
    renderer = MarkdownRenderer()
    two = {event.id: event for event in _validate(content, monkeypatch, 2, renderer).events}
    one = {event.id: event for event in _validate(content, monkeypatch, 1).events}
    assert two["variant-twin"].body_html == two["variant-004"].body_html == one["variant-004"].body_html
    assert renderer._converted_ahead == {} and renderer._tokenized_ahead == {}


def test_bodies_are_converted_ahead_a_few_thousand_at_a_time_with_the_html_of_one_process(content_dir, monkeypatch, forked):
    """A large timeline's bodies go to the workers in batches, each read before the next is converted: never
    every body's text, tokens and HTML held at once (at 100,000 events that was some 340 MB of the peak)."""
    import generator.content.validate_events

    one = _validate(content_dir, monkeypatch, 1)
    monkeypatch.setattr(generator.content.validate_events, "BODIES_AHEAD", 100)
    held = []
    real = MarkdownRenderer.body_to_html

    def body_to_html(renderer, text):
        held.append(len(renderer._converted_ahead))
        return real(renderer, text)

    monkeypatch.setattr(MarkdownRenderer, "body_to_html", body_to_html)
    renderer = MarkdownRenderer()
    batches = _validate(content_dir, monkeypatch, 2, renderer)
    events = len(list((content_dir / "events").glob("*.yaml")))
    assert forked == [100] * (events // 100) + [events % 100] and len(forked) > 3
    assert 50 < max(held) <= 100  # no more than a batch held (events without a body take none)
    assert batches == one
    assert renderer._converted_ahead == {} and renderer._tokenized_ahead == {}


def _edit(path: Path, change) -> None:
    event = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(event)
    path.write_text(yaml.safe_dump(event, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_every_author_error_is_still_reported_at_once_with_its_place(content_dir, monkeypatch, tmp_path):
    broken = tmp_path / "content"
    shutil.copytree(content_dir, broken)
    _edit(broken / "events" / "variant-010.yaml", lambda event: event.update(body="Cites [99].\n\n" + event["body"]))
    _edit(broken / "events" / "variant-020.yaml", lambda event: event.update(body="Cites [1][1].\n\n" + event["body"]))
    _edit(broken / "events" / "variant-030.yaml", lambda event: event.update(body=["a list"]))
    reports = []
    for workers in (1, 2):
        with pytest.raises(ContentErrors) as raised:
            _validate(broken, monkeypatch, workers)
        reports.append([problem.format() for problem in raised.value.problems])
    assert reports[0] == reports[1]
    messages = "\n".join(reports[1])
    source = (broken / "events" / "variant-010.yaml").read_text(encoding="utf-8")
    line = source[:source.index("[99]")].count("\n") + 1
    column = source.index("[99]") - source.rfind("\n", 0, source.index("[99]"))
    assert f"{broken / 'events' / 'variant-010.yaml'}:{line}:{column}: '[99]' cites source 99" in messages
    assert "write '[1, 1]', not '[1][1]'" in messages
    assert f"{broken / 'events' / 'variant-030.yaml'}:" in messages and "'body' must be text" in messages
    for problem in raised.value.problems:
        assert problem.line >= 1 and problem.column >= 1


def test_a_rebuild_after_a_build_in_workers_converts_only_the_edited_body(content_dir, monkeypatch, tmp_path):
    """The event store keeps each event with its body's HTML: after one edit only that body is converted, also
    when every other event is read again because a registry changed, and the events are those one process reads."""
    source = tmp_path / "source"
    shutil.copytree(content_dir, source / "content")
    monkeypatch.setattr(generator.content.markup, "worker_count", lambda items: 2)
    first = plan_site(BuildOptions(source, source / "site")).timeline.events
    _edit(source / "content" / "events" / "variant-005.yaml", lambda event: event.update(body="EDITED " + event["body"]))
    with (source / "content" / "topics.yaml").open("a", encoding="utf-8") as topics:  # every event is read again
        topics.write("\na-new-topic:\n  name: A new topic\n  description: A topic no event has yet.\n")
    convert = MarkdownRenderer.convert
    text_pages = [path.read_text(encoding="utf-8") for path in (source / "content" / "pages").glob("*.md")]

    def only_the_edited_body(self, text):  # in a forked worker too: the failure comes back as the build's
        if not text.startswith("EDITED") and not any(text in page for page in text_pages):  # pages are not kept
            raise AssertionError("a body the event store holds was converted again")
        return convert(self, text)

    monkeypatch.setattr(MarkdownRenderer, "convert", only_the_edited_body)
    rebuilt = plan_site(BuildOptions(source, source / "site")).timeline.events
    monkeypatch.setattr(MarkdownRenderer, "convert", convert)
    clean = _validate(source / "content", monkeypatch, 1).events
    assert sorted(rebuilt, key=lambda event: event.id) == sorted(clean, key=lambda event: event.id)
    assert rebuilt != first
    assert next(event for event in rebuilt if event.id == "variant-005").body_html.startswith("<p>EDITED")


def _random_markdown(rng: random.Random) -> str:
    pieces = [*"ab c'\"-.`\\[]()!<>&*_#:;/=@|~\t\n\u00a0\ue000\ue001", "\n\n", "  \n", "--", "---", "...", "[1]",
              "http://example.org", "<b>", "</b>", "&amp;", "&nbsp;", "**", "__", "- ", "1. ", "    ", "```", "'90s",
              "| a | b |\n|---|---|\n", "<!-- c -->", "<x@example.org>", "<https://example.org>", "[a](http://e.org \"t\")"]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, 80)))


def test_passing_over_texts_without_pattern_characters_changes_no_html():
    """The inline passes skip a text that no pattern can match: the HTML is Python-Markdown's own, byte for byte."""
    renderer = MarkdownRenderer()
    assert all(renderer._markdown.treeprocessors[name]._held for name in ("inline", "smarty"))  # the shortcut is on
    stock = markdown.Markdown(extensions=["sane_lists", "tables", "smarty"], output_format="html")
    bodies = [yaml.safe_load(path.read_text(encoding="utf-8")).get("body") or "" for path in sorted((REPO_CONTENT / "events").glob("*.yaml"))]
    pages = [path.read_text(encoding="utf-8") for path in sorted((REPO_CONTENT / "pages").glob("*.md"))]
    rng = random.Random(12)
    texts = [tokenize(body)[0] for body in bodies] + pages + list(ENDINGS) + [_random_markdown(rng) for _ in range(3000)]
    differing = [text for text in texts if renderer._markdown.reset().convert(text) != stock.reset().convert(text)]
    assert differing == []
    assert renderer.to_html(ENDINGS[0]) == "<p>He said “it’s over” – twice — and then… nothing.[1] The ’90s were ‘different’.</p>"
