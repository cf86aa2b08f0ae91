"""After any sequence of changes, an incremental `timeline build` gives the bytes a clean build gives.

Seeded random edit sequences over the benchmark's synthetic corpus (a few hundred events): event
edits (some keeping the file's size, made within one tick of the last build), additions, deletions,
renames, a rewrite with the same bytes, registry, era, config, page, template and asset changes.
After every step the site built incrementally (its record, its Markdown store, its hard-linked
staging) is compared file by file with a clean build of the same content into a fresh folder.
The search index is left out of both: Pagefind reads the finished pages and is tested on its own.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

import pytest

import generator.site.paging
import generator.site.theme
from conftest import tree_digest, without_search_index
from generator.build.pipeline import NOTHING_CHANGED_NOTE, BuildOptions, build
from generator.site.theme import BUILTIN_THEME

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import corpus  # noqa: E402

EVENTS = 200
# Events far apart in time that only a thread joins: a new title of one reaches the others' pages.
THREAD_MEMBERS = ("evt-000010", "evt-000060", "evt-000120", "evt-000190")
THREADS = f"""\
far-apart:
  title: Far apart
  description: Events a thread joins across the years.
  events: [{", ".join(THREAD_MEMBERS)}]
"""
ABOUT = "---\ntitle: About this timeline\nnav_title: About\ndescription: What it covers.\n---\nA **generated** timeline.\n"


@pytest.fixture
def source(tmp_path, monkeypatch) -> Path:
    without_search_index(monkeypatch)
    corpus.write_synthetic(EVENTS, tmp_path / "source")
    (tmp_path / "source" / "content" / "pages").mkdir()
    (tmp_path / "source" / "content" / "pages" / "about.md").write_text(ABOUT, encoding="utf-8")
    (tmp_path / "source" / "content" / "threads.yaml").write_text(THREADS, encoding="utf-8")
    # A copy of the built-in theme, so that a step can change one of its templates.
    theme = tmp_path / "theme"
    shutil.copytree(BUILTIN_THEME, theme)
    monkeypatch.setattr(generator.site.theme, "BUILTIN_THEME", theme)
    return tmp_path / "source"


def _events(source: Path) -> list[Path]:
    return sorted((source / "content" / "events").glob("*.yaml"))


def _unreferenced(source: Path, rng: random.Random) -> Path:
    """An event no other event relates to: deleting or renaming it leaves the content valid."""
    texts = {path: path.read_text(encoding="utf-8") for path in _events(source)}
    candidates = [path for path in texts if path.stem not in THREAD_MEMBERS
                  and not any(path.stem in text for other, text in texts.items() if other != path)]
    return rng.choice(candidates)


def _replace(path: Path, pattern: str, make) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(pattern, make, text, count=1, flags=re.M), encoding="utf-8")


def _edit_title(source, rng, step):
    _replace(rng.choice(_events(source)), r'^title: "(.*)"$', lambda m: f'title: "{m[1]} (revised {step})"')


def _edit_thread_member(source, rng, step):
    path = source / "content" / "events" / f"{rng.choice(THREAD_MEMBERS)}.yaml"
    _replace(path, r'^title: "(.*)"$', lambda m: f'title: "{m[1]} (thread step {step})"')


def _edit_same_size(source, rng, step):
    # Same size, written at once after the last build: only the bytes tell the change.
    _replace(rng.choice(_events(source)), r'^summary: "(.)', lambda m: f'summary: "{"Q" if m[1] != "Q" else "R"}')


def _add(source, rng, step):
    text = rng.choice(_events(source)).read_text(encoding="utf-8")
    text = re.sub(r'^title: "(.*)"$', f'title: "An added event {step}"', text, count=1, flags=re.M)
    text = re.sub(r"^related:\n(  .*\n)+", "", text, flags=re.M)
    (source / "content" / "events" / f"added-{step}.yaml").write_text(text, encoding="utf-8")


def _delete(source, rng, step):
    _unreferenced(source, rng).unlink()


def _rename(source, rng, step):
    path = _unreferenced(source, rng)
    path.rename(path.with_name(f"renamed-{step}.yaml"))


def _same_bytes(source, rng, step):
    path = rng.choice(_events(source))
    path.write_bytes(path.read_bytes())


def _registry(source, rng, step):
    name = rng.choice(["topics.yaml", "actors.yaml"])
    path = source / "content" / name
    _replace(path, r'^  name: "(.*)"$', lambda m: f'  name: "{m[1]} {step}"')


def _era(source, rng, step):
    path = source / "content" / "eras.yaml"
    if rng.random() < 0.5:
        _replace(path, r"^  name: (.*)$", lambda m: f"  name: {m[1]} {step}")
        return
    # Move the border between two eras one year earlier: the events of that year change era.
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    ends = [index for index, line in enumerate(lines) if line.startswith("  end: ")]
    border = rng.randrange(len(ends) - 1)
    starts = [index for index, line in enumerate(lines) if line.startswith("  start: ")]
    for index, key in ((ends[border], "end"), (starts[border + 1], "start")):
        lines[index] = f"  {key}: {int(lines[index].split(':')[1]) - 1}\n"
    path.write_text("".join(lines), encoding="utf-8")


def _config(source, rng, step):
    _replace(source / "content" / "site.yaml", r"^title: (.*)$", lambda m: f"title: Synthetic Timeline {step}")


def _page(source, rng, step):
    path = source / "content" / "pages" / "about.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\nA paragraph added at step {step}.\n", encoding="utf-8")


def _template(source, rng, step):
    if rng.random() < 0.5:  # the theme's own template: every page that uses it changes
        theme_template = generator.site.theme.BUILTIN_THEME / "_macros.html"
        theme_template.write_text(theme_template.read_text(encoding="utf-8").replace(
            '<p class="event-summary">', f'<p class="event-summary" data-step="{step}">', 1), encoding="utf-8")
        return
    override = source / "templates" / "404.html"  # a template of the site's own, in place of the theme's
    if override.exists() and rng.random() < 0.5:
        override.unlink()
        return
    override.parent.mkdir(exist_ok=True)
    text = (generator.site.theme.BUILTIN_THEME / "404.html").read_text(encoding="utf-8")
    override.write_text(text.replace("</h1>", f" ({step})</h1>", 1), encoding="utf-8")


def _asset(source, rng, step):
    assets = source / "templates" / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    existing = sorted(assets.glob("extra-*.css"))
    if existing and rng.random() < 0.4:
        rng.choice(existing).unlink()
    else:
        (assets / f"extra-{rng.randrange(3)}.css").write_text(f"p {{ margin: {step}px }}\n", encoding="utf-8")


CHANGES = (_edit_title, _edit_thread_member, _edit_same_size, _add, _delete, _rename, _same_bytes, _registry, _era, _config, _page,
           _template, _asset)


# Changes that leave most pages as they were: after these, a build must keep pages rather than render them all.
# (Any other change here reaches every page: the registries, eras, configuration, text pages and theme
# templates are on every page, and so is the number of events, in the footer.)
LOCAL_CHANGES = {_edit_title, _edit_thread_member, _edit_same_size, _asset, _same_bytes}


@pytest.mark.parametrize("list_limit", [None, 30], ids=["lists-whole", "lists-in-parts"])
def test_incremental_builds_equal_clean_builds_after_every_step(source, tmp_path, monkeypatch, list_limit):
    if list_limit:  # the home page summarised, the years, topics and actors listed in parts that share an overview
        monkeypatch.setattr(generator.site.paging, "LIST_LIMIT", list_limit)
    seed = 1  # another seed is another sequence of changes; each one found must pass
    rng = random.Random(seed)
    # Every kind of change, two at a time in a random order, then a rewrite that changes nothing:
    # 17 builds of 200 events, about a minute and a half on two quiet cores.
    order = rng.sample(CHANGES, len(CHANGES))
    steps = [order[start:start + 2] for start in range(0, len(order), 2)] + [[_same_bytes]]
    live = BuildOptions(source, source / "site")
    build(live)
    kept_pages_at = []  # the steps whose build must have kept pages rather than rendering them all
    for step, changes in enumerate(steps, start=1):
        for change in changes:
            change(source, rng, step)
        report = build(live)
        clean = BuildOptions(source, tmp_path / f"clean-{step}" / "site")
        build(clean)
        names = [change.__name__ for change in changes]
        assert tree_digest(live.out_dir) == tree_digest(clean.out_dir), f"step {step}: {names}"
        if names == ["_same_bytes"]:
            assert NOTHING_CHANGED_NOTE in report.notes
        if set(changes) <= LOCAL_CHANGES and names != ["_same_bytes"]:
            kept_pages_at.append(step)
            assert any("pages rendered" in note for note in report.notes), f"step {step}: {names} kept no page"
        shutil.rmtree(clean.out_dir.parent)
    assert kept_pages_at  # the shortcut was taken, and checked against a clean build
