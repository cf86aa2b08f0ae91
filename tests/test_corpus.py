"""The regression corpus: hostile and broken event files, each with the message it must produce.

Each file in tests/corpus/ starts with `# expect: [LINE:COL: ]REGEX`. Dropped into a good site, it
must fail the build with that message at that place, no traceback, and the old site kept.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import tree_digest
from generator.build.pipeline import BuildOptions, build
from sitefixture import write_fixture_site

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.yaml"))
EXPECT = re.compile(rb"# expect: (?:(\d+):(\d+): )?(.*)")


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 100


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    """One fixture site, built once: each case breaks it, and a failed build must leave it as it was."""
    root = write_fixture_site(tmp_path_factory.mktemp("corpus") / "site-root")
    build(BuildOptions(root, root / "site"))
    return root


@pytest.mark.parametrize("case", CORPUS, ids=[path.stem for path in CORPUS])
def test_corpus_file_is_rejected_with_its_message(case, good_site, run_timeline):
    line, column, pattern = EXPECT.match(case.read_bytes().splitlines()[0]).groups()
    before = tree_digest(good_site / "site")
    copy = good_site / "content" / "events" / case.name
    shutil.copy(case, copy)
    try:
        result = run_timeline(good_site, "build")
    finally:
        copy.unlink()

    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stderr
    prefix = f"content/events/{case.name}:" + (f"{line.decode()}:{column.decode()}: " if line else "")
    located = [text for text in result.stderr.splitlines() if text.startswith(prefix)]
    assert any(re.search(pattern.decode(), text) for text in located), result.stderr
    assert tree_digest(good_site / "site") == before


def test_a_file_over_the_size_limit_is_refused_quickly(fixture_site, run_timeline):
    assert run_timeline(fixture_site, "build").exit_code == 0
    huge = fixture_site / "content" / "events" / "huge.yaml"
    huge.write_bytes(b"title: x\n" + b"# padding\n" * 150_000)
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 1
    assert "content/events/huge.yaml:1:1: file is 1,500,009 bytes; the limit is 1,000,000" in result.stderr
