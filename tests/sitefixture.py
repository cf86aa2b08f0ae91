"""A small fixture site, written into a temporary folder, that tests build and inspect."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

SITE = """\
title: Fixture Timeline
description: A small timeline for tests.
language: en
"""

ACTORS = """\
antony-blinken:
  name: Antony Blinken
  role: US Secretary of State
  country: United States
sergey-lavrov:
  name: Sergey Lavrov
  native_name: Сергей Лавров
  role: Foreign Minister of Russia
  country: Russia
us-department-of-state:
  name: US Department of State
  kind: organisation
  country: United States
"""

TOPICS = """\
diplomacy:
  name: Diplomacy
  description: Meetings, calls and expulsions.
sanctions:
  name: Sanctions
  description: Economic measures.
arms-control:
  name: Arms control
  description: Treaties on nuclear weapons.
"""

ERAS = """\
spring-2021:
  name: Spring 2021
  start: 2021-04
  end: 2021-05-19
biden-administration:
  name: Biden administration
  start: 2021-01-20
  end: 2025-01-20
"""

# One listed thread and one gathered along relations (from the extension, through what follows it).
# Written only when a test asks (write_fixture_site(root, threads=THREADS)), so tests that remove an
# event need not mind the threads.
THREADS = """\
talks:
  title: From the treaty to the talks
  description: The extension of New START, the expulsions that followed, and the ministers' meeting.
  events: [reykjavik-meeting, new-start-extension, expulsions]
treaty:
  title: The treaty and what followed
  description: Everything that follows from the extension of New START.
  from: new-start-extension
  follow: [follows]
"""

EVENTS = {
    "reykjavik-meeting": """\
        date: 2021-05-19
        title: Blinken and Lavrov meet in Reykjavik
        summary: The two ministers held their first face-to-face talks.
        body: |
          The talks ran for **nearly two hours**.
        topics: [diplomacy]
        actors: [antony-blinken, sergey-lavrov]
        place: Reykjavik, Iceland
        quotes:
          - text: We seek a predictable, stable relationship with Russia.
            speaker: antony-blinken
            source: 1
        related:
          - event: arctic-ministerial
            relation: part-of
        sources:
          - title: US and Russian diplomats spar firmly but politely in Iceland
            publisher: Associated Press
            date: 2021-05-20
          - title: Secretary Blinken's meeting with Russian Foreign Minister Lavrov
            publisher: US Department of State
            date: 2021-05-19
            url: https://www.state.gov/example-readout
    """,
    "arctic-ministerial": """\
        date: 2021-05-20
        title: Arctic Council ministerial meets in Reykjavik
        summary: Russia took over the chair of the Arctic Council.
        topics: [diplomacy]
        sources:
          - title: Arctic Council ministerial
            publisher: Government of Iceland
            date: 2021-05-20
    """,
    "new-start-extension": """\
        date: 2021-01-26/2021-02-03
        title: New START is extended for five years
        summary: The two sides agreed to extend the treaty, which entered into force on 3 February.
        topics: [arms-control]
        sources:
          - title: Extension of New START
            publisher: US Department of State
            date: 2021-02-03
    """,
    "reset-era": """\
        date: 2009~
        title: An approximately dated event
        summary: Known only to about the year.
        topics: [diplomacy]
        related:
          - event: new-start-extension
            relation: see-also
        sources:
          - title: A source
            publisher: Reuters
    """,
    "expulsions": """\
        date: 2021-04
        title: Expulsions known only to the month
        summary: A month-precision event.
        topics: [diplomacy, sanctions]
        related:
          - event: reykjavik-meeting
            relation: see-also
          - event: new-start-extension
            relation: follows
        sources:
          - title: A report
            publisher: Reuters
            date: 2021-04
    """,
}

ABOUT = """\
---
title: About this timeline
nav_title: About
description: What the fixture covers.
---
This fixture has **five** events.
"""


def write_fixture_site(root: Path, events: dict[str, str] | None = None, threads: str | None = None) -> Path:
    """Write the fixture site's content into `root` and return `root`."""
    content = root / "content"
    (content / "events").mkdir(parents=True, exist_ok=True)
    (content / "pages").mkdir(exist_ok=True)
    (content / "site.yaml").write_text(SITE, encoding="utf-8")
    (content / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    (content / "topics.yaml").write_text(TOPICS, encoding="utf-8")
    (content / "eras.yaml").write_text(ERAS, encoding="utf-8")
    if threads is not None:
        (content / "threads.yaml").write_text(threads, encoding="utf-8")
    (content / "pages" / "about.md").write_text(ABOUT, encoding="utf-8")
    for name, text in (EVENTS if events is None else events).items():
        write_event(root, name, text)
    return root


def write_event(root: Path, name: str, text: str) -> Path:
    path = root / "content" / "events" / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def write_crowded_year(root: Path, days_apart: int = 11) -> None:
    """Thirty events in 2021, `days_apart` days apart, alternating two topics: a year too full for one column."""
    for number in range(30):
        day = datetime.date(2021, 1, 4) + datetime.timedelta(days=number * days_apart)
        write_event(root, f"busy-{number:02d}", f"""\
            date: {day.isoformat()}
            title: Busy day number {number}
            summary: One of thirty events in 2021.
            topics: [{"diplomacy" if number % 2 else "sanctions"}]
            sources:
              - title: A report
                publisher: Reuters
        """)
