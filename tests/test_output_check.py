"""The check that a build with nothing to do makes of its output: every change is seen, whichever process looks.

A forked child checks part of the listing while the parent scans the inputs (build/output_check.py). Each
path of a small output folder is changed in turn, with the work shared in several ways, so that a path
that neither process checks, or an answer one of them does not give, would be found.
"""

from __future__ import annotations

import os
import threading

import pytest

from generator.build.build_record import output_listing
from generator.build.output_check import checking_output

SHARES = [0, 2, 1_000]  # input files the parent expects to scan: the child's share shrinks as this grows


def _output_folder(tmp_path):
    out = tmp_path / "out"
    for folder in ("", "events/one", "events/two", "cards"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    for path in ("index.html", "events/one/index.html", "events/two/index.html", "cards/one.png", "cards/two.png"):
        (out / path).write_text(f"the page at {path}")
    return out


def _changed(out, path):
    """Change `path` as a person might: a file gets longer; a folder gets a stray file."""
    target = out / path
    if target.is_dir():
        (target / "stray.txt").write_text("left here by hand")
    else:
        with target.open("a") as file:
            file.write(" edited")


class _Forks:
    """os.fork, counted, with the children's ids, to show each one was waited for."""

    def __init__(self, monkeypatch):
        self.children = []
        real_fork = os.fork

        def fork():
            child = real_fork()
            if child:
                self.children.append(child)
            return child

        monkeypatch.setattr(os, "fork", fork)

    def all_waited_for(self) -> bool:
        for child in self.children:
            try:
                os.waitpid(child, os.WNOHANG)
            except ChildProcessError:
                continue
            return False
        return True


def _answer(out, listing, inputs_expected):
    with checking_output(out, listing, inputs_expected) as output_as_left:
        return output_as_left()


@pytest.mark.parametrize("inputs_expected", SHARES)
def test_a_change_to_any_file_or_folder_is_seen_however_the_work_is_shared(inputs_expected, tmp_path, monkeypatch):
    forks = _Forks(monkeypatch)
    out = _output_folder(tmp_path)
    listing = output_listing(out)
    assert _answer(out, listing, inputs_expected)
    for path in listing[0]:
        out = _output_folder(tmp_path / path.replace("/", "_") if path else tmp_path / "root")
        listing = output_listing(out)
        _changed(out, path)
        assert not _answer(out, listing, inputs_expected), f"a change to {path or 'the output folder'} went unseen"
    assert forks.children and forks.all_waited_for()


def test_with_other_threads_running_the_parent_checks_it_all_and_sees_the_same(tmp_path, monkeypatch):
    forks = _Forks(monkeypatch)
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        out = _output_folder(tmp_path)
        listing = output_listing(out)
        assert _answer(out, listing, 0)
        _changed(out, "events/two/index.html")
        assert not _answer(out, listing, 0)
    finally:
        release.set()
        waiting.join()
    assert forks.children == []


def test_where_no_process_can_be_forked_the_parent_checks_it_all(tmp_path, monkeypatch):
    def refused():
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    out = _output_folder(tmp_path)
    listing = output_listing(out)
    assert _answer(out, listing, 0)
    _changed(out, listing[0][1])  # in what would have been the child's share
    assert not _answer(out, listing, 0)


@pytest.mark.parametrize("parents_part", ["unchanged", "changed"])
def test_a_check_whose_answer_is_not_needed_leaves_no_process_behind(parents_part, tmp_path, monkeypatch):
    forks = _Forks(monkeypatch)
    out = _output_folder(tmp_path)
    listing = output_listing(out)
    if parents_part == "changed":  # the parent's answer alone settles it: the child is stopped
        _changed(out, listing[0][-1])
        assert not _answer(out, listing, 0)
    else:  # the inputs changed: the output is never asked about
        with checking_output(out, listing, 0):
            pass
    with pytest.raises(RuntimeError), checking_output(out, listing, 0):
        raise RuntimeError("the input scan failed")
    assert len(forks.children) == 2 and forks.all_waited_for()


@pytest.mark.parametrize("listing", [None, [], [["", "a"], [1, 2]], "not a listing", [[1], [2, 3]]])
def test_a_listing_that_is_not_one_is_never_taken_for_the_output(listing, tmp_path):
    out = _output_folder(tmp_path)
    assert not _answer(out, listing, 0)


def test_a_missing_output_folder_is_not_as_it_was_left(tmp_path):
    out = _output_folder(tmp_path)
    listing = output_listing(out)
    assert not _answer(tmp_path / "elsewhere", listing, 0)
