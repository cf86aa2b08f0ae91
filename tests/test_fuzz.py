"""Property tests: whatever an author or an importer writes, the build either succeeds or reports
located problems. It never crashes with a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build.pipeline import BuildOptions, build
from generator.content.dates import DateSyntaxError, parse_span
from generator.content.errors import ContentErrors
from generator.content.validate_events import EVENT_FIELDS, QUOTE_FIELDS, RELATED_FIELDS, SOURCE_FIELDS
from sitefixture import write_fixture_site

# Derandomized so CI is repeatable; bounded so the suite stays fast.
FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def site_root(tmp_path_factory) -> Path:
    return write_fixture_site(tmp_path_factory.mktemp("fuzz") / "site-root")


def build_with(site_root: Path, name: str, data: bytes) -> None:
    """Build with one extra event file; success or ContentErrors are both fine, anything else is a bug."""
    path = site_root / "content" / "events" / name
    path.write_bytes(data)
    out = site_root / "out"
    try:
        build(BuildOptions(site_root, out))
    except ContentErrors as errors:
        assert errors.problems
        for problem in errors.problems:
            assert problem.line >= 1 and problem.column >= 1, problem
            assert problem.message.strip(), problem
        assert any(problem.path.name == name for problem in errors.problems) or path.stat().st_size == 0
    finally:
        path.unlink()
        shutil.rmtree(out, ignore_errors=True)


scalars = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none(), st.dates().map(str),
                    st.sampled_from(["2021", "2021-05", "2021-05-19/2021-05-20", "2009~", "javascript:x", "diplomacy",
                                     "antony-blinken", "expulsions", "follows", "<script>alert(1)</script>", "{{ x }}"]))
values = st.recursive(scalars, lambda children: st.lists(children, max_size=4) | st.dictionaries(
    st.sampled_from([*SOURCE_FIELDS, *QUOTE_FIELDS, *RELATED_FIELDS, "x"]), children, max_size=4), max_leaves=12)
events = st.dictionaries(st.sampled_from([*EVENT_FIELDS, "titel", "extra"]), values, max_size=len(EVENT_FIELDS))


@FUZZ
@given(event=events)
def test_any_structured_event_builds_or_reports_located_problems(site_root, event):
    build_with(site_root, "fuzzed.yaml", yaml.safe_dump(event, allow_unicode=True).encode("utf-8"))


yaml_alphabet = st.sampled_from(list("abc:-[]{}&*!|>'\"#%@` \n\t,?~0123456789\\\u00e9\u0416\u2028\ufeff\x00\x07"))


@FUZZ
@given(text=st.text(yaml_alphabet, max_size=120))
def test_any_raw_text_builds_or_reports_located_problems(site_root, text):
    build_with(site_root, "raw.yaml", text.encode("utf-8"))


@FUZZ
@given(data=st.binary(max_size=120))
def test_any_bytes_build_or_report_located_problems(site_root, data):
    build_with(site_root, "bytes.yaml", data)


@FUZZ
@given(text=st.from_regex(r"-?\d{1,5}(-\d{1,2}){0,2}[~?%]?(/\d{1,5}(-\d{1,2}){0,2}[~?%]?)?", fullmatch=True))
def test_any_date_string_parses_or_says_why(text):
    try:
        span = parse_span(text)
    except DateSyntaxError as error:
        assert str(error)
        return
    assert span.display()
    assert span.start.first_day <= span.last_day
    assert parse_span(span.edtf) == span
