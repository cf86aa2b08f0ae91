"""A deterministic synthetic timeline at any size, written as content a real site would have.

    python bench/corpus.py N OUT                # OUT/content/: site, registries, N events
    python bench/corpus.py --peers PEERS OUT    # the peers' corpus (PEERS/yaml/*.yaml) as our content

Event i is the same whatever N is (its text comes from random.Random(i)), so the 1,000-event
corpus is a prefix of the 10,000-event one. Events span 1917–2023 with day, month and year
precision, approximate dates and ranges; bodies are Markdown (emphasis, links, lists, quotes);
each event has topics, actors, sources, sometimes a quote and relations to earlier events.
The addresses are under example.org / example.net, reserved for examples: nothing is real.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from pathlib import Path

FIRST_YEAR, LAST_YEAR = 1917, 2023
TOPICS = ("diplomacy", "arms-control", "sanctions", "trade", "energy", "space", "science", "culture",
          "sport", "espionage", "cyber", "military", "human-rights", "detainees", "elections", "media",
          "arctic", "migration", "health", "finance", "law", "summits", "treaties", "technology")
_FIRST = ("Ada", "Bruno", "Chen", "Dara", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kemi",
          "Luca", "Mira", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq")
_LAST = ("Okafor", "Lindqvist", "Moreau", "Tanaka", "Haddad", "Novak", "Silva", "Kowalski", "Mensah",
         "Ferreira", "Ivanova", "Castillo", "Berg", "Duarte")
PEOPLE = tuple(f"{first} {last}" for last in _LAST for first in _FIRST)  # 280 people
ORGANISATIONS = tuple(f"{place} {kind}" for place in ("Northern", "Eastern", "Western", "Southern", "Central")
                      for kind in ("Ministry", "Council", "Agency", "Commission", "Institute", "Assembly"))
PLACES = ("Lisbon", "Nairobi", "Osaka", "Quito", "Tallinn", "Accra", "Hanoi", "Bergen", "Cusco",
          "Tbilisi", "Perth", "Montreal", "Dakar", "Busan", "Geneva", "Helsinki", "Vienna", "Reykjavik")
VERBS = ("announces", "launches", "rejects", "signs", "unveils", "debates", "halts", "expands",
         "reviews", "funds", "opens", "questions", "suspends", "renews")
NOUNS = ("plan", "treaty", "programme", "study", "reform", "budget", "network", "archive", "mission",
         "charter", "inquiry", "talks", "agreement", "sanctions")
WORDS = """the a of and to in for on with by from at as after before during council committee report
data public private national regional local global new early late final first second major minor
open closed rapid slow steady growth decline review process policy market research network system
project community region city country world industry sector agency court league team school
hospital museum station archive budget vote debate agreement proposal study survey record measure
change increase decrease support opposition result impact effect response question answer evidence
analysis model trend year month week season decade period history future past present moment people
members officials experts leaders citizens students workers observers said noted argued claimed
reported confirmed denied suggested expected hoped announced approved rejected delayed extended
reduced improved expanded significant important unusual familiar careful broad narrow clear
uncertain several many few most some each other further later earlier across between""".split()
RELATIONS = ("follows", "see-also", "part-of", "response-to")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


ACTOR_IDS = tuple(slugify(name) for name in PEOPLE + ORGANISATIONS)


def event_id(number: int) -> str:
    return f"evt-{number:06d}"


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, target_words: int) -> str:
    sentences, count = [], 0
    while count < target_words:
        sentences.append(sentence(rng, 8, 16))
        count += len(sentences[-1].split())
    return " ".join(sentences)


def _date(rng: random.Random) -> str:
    year, month, day = rng.randint(FIRST_YEAR, LAST_YEAR), rng.randint(1, 12), rng.randint(1, 28)
    roll = rng.random()
    if roll < 0.70:
        return f"{year}-{month:02d}-{day:02d}"
    if roll < 0.80:
        return f"{year}-{month:02d}"
    if roll < 0.85:
        return f"{year}~"
    if roll < 0.90:
        return f"{year}-{month:02d}?"
    month = min(month, 8)
    end_month = month + rng.randint(1, 4)
    return f"{year}-{month:02d}-{day:02d}/{year}-{end_month:02d}-{rng.randint(1, 28):02d}"


def make_event(number: int) -> dict:
    """Event `number` (1-based) as the mapping its YAML file holds."""
    rng = random.Random(number)
    identifier = event_id(number)
    topics = rng.sample(TOPICS, rng.randint(1, 3))
    actors = rng.sample(ACTOR_IDS, rng.randint(1, 4))
    place = rng.choice(PLACES)
    name = (PEOPLE + ORGANISATIONS)[ACTOR_IDS.index(actors[0])]
    url = f"https://example.org/{topics[0]}/{identifier}"
    body = [paragraph(rng, rng.randint(50, 80)) + f" See [the report]({url}) for **details**.",
            paragraph(rng, rng.randint(40, 70))]
    if rng.random() < 0.4:
        body.append("\n".join(f"- {sentence(rng, 5, 10)}" for _ in range(rng.randint(2, 4))))
    if rng.random() < 0.5:
        body.append(f"> {sentence(rng, 12, 22)}")
    event = {
        "date": _date(rng),
        "title": f"{name} {rng.choice(VERBS)} {rng.choice(NOUNS)} in {place} ({identifier})",
        "summary": sentence(rng, 14, 26)[:-1] + f" in {place}.",
        "body": "\n\n".join(body) + "\n",
        "topics": topics,
        "actors": actors,
        "place": place,
        "sources": [{"title": f"{place} Gazette report {identifier}", "publisher": f"{place} Gazette", "url": url}],
    }
    if rng.random() < 0.5:
        event["sources"].append({"title": f"Statement {identifier}", "publisher": f"{name} press office",
                                 "url": f"https://example.net/press/{identifier}"})
    if rng.random() < 0.3:
        event["quotes"] = [{"text": sentence(rng, 8, 16), "speaker": actors[0], "source": 1}]
    if number > 1 and rng.random() < 0.4:
        # Only to earlier events: every prefix of the corpus is valid, and no pair relates both ways.
        targets = sorted({rng.randint(1, number - 1) for _ in range(rng.randint(1, 2))})
        event["related"] = [{"event": event_id(target), "relation": rng.choice(RELATIONS)} for target in targets]
    return event


def event_yaml(event: dict) -> str:
    """The event as YAML, one field a line (JSON strings are valid YAML); `summary: "` starts a line."""
    lines = []
    for key, value in event.items():
        if key == "body":
            lines.append("body: |")
            lines.extend(f"  {line}" if line else "" for line in value.rstrip("\n").split("\n"))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key}:")
            for item in value:
                lines.extend(f"  {'- ' if n == 0 else '  '}{k}: {json.dumps(v)}" for n, (k, v) in enumerate(item.items()))
        elif isinstance(value, list):
            lines.append(f"{key}: [{', '.join(value)}]")
        elif key == "date":
            lines.append(f"date: {value}")
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def registries(topic_ids, actor_names: dict[str, str], first_year: int, last_year: int) -> dict[str, str]:
    """site.yaml, topics.yaml, actors.yaml and eras.yaml for the given topics and actors."""
    topics = "".join(f"{t}:\n  name: {json.dumps(t.replace('-', ' ').capitalize())}\n"
                     f"  description: Events about {t.replace('-', ' ')}.\n" for t in sorted(topic_ids))
    actors = "".join(f"{a}:\n  name: {json.dumps(name)}\n  kind: {'organisation' if name in ORGANISATIONS else 'person'}\n"
                     for a, name in sorted(actor_names.items()))
    eras, step = [], max(1, (last_year - first_year + 1) // 6)
    for number, start in enumerate(range(first_year, last_year + 1, step), start=1):
        eras.append(f"era-{number}:\n  name: Era {number}\n  start: {start}\n  end: {min(start + step - 1, last_year)}\n")
    site = ("title: Synthetic Timeline\ndescription: A generated timeline for benchmarks.\nlanguage: en\n"
            "base_url: https://example.org/timeline/\n")
    return {"site.yaml": site, "topics.yaml": topics, "actors.yaml": actors, "eras.yaml": "".join(eras)}


def write_synthetic(count: int, out: Path) -> None:
    content = out / "content"
    (content / "events").mkdir(parents=True, exist_ok=True)
    for number in range(1, count + 1):
        (content / "events" / f"{event_id(number)}.yaml").write_text(event_yaml(make_event(number)), encoding="utf-8")
    names = dict(zip(ACTOR_IDS, PEOPLE + ORGANISATIONS))
    for name, text in registries(TOPICS, names, FIRST_YEAR, LAST_YEAR).items():
        (content / name).write_text(text, encoding="utf-8")


def convert_peers(peers: Path, out: Path) -> int:
    """Bring OUT/content in line with the peers' events (names for actors, sources without publisher).

    Only files newer than their converted copy are read, so this runs before every timed build of
    `make bench-peers` and costs little: its time is in that run's edit figure, beside our build's (two
    listings with their times, 0.1 s at 10,000 events; YAML is loaded only when an event changed).
    Registries only grow (an actor without events gets no page). Returns the number of events converted.
    """
    events_dir = out / "content" / "events"
    events_dir.mkdir(parents=True, exist_ok=True)
    sources, targets = _times(peers / "yaml"), _times(events_dir)
    changed = sorted(name for name, time in sources.items() if targets.get(name, -1) < time)
    stale = [name for name in targets if name not in sources]
    for name in stale:
        (events_dir / name).unlink()
    registry_paths = [out / "content" / name for name in ("actors.yaml", "topics.yaml")]
    if not changed and not stale and all(path.exists() for path in registry_paths):
        return 0
    import yaml

    actors_path, topics_path = registry_paths
    actors = {key: value["name"] for key, value in (yaml.safe_load(actors_path.read_text(encoding="utf-8")) or {}).items()} \
        if actors_path.exists() else {}
    topics = set()
    for name in changed:
        data = yaml.load((peers / "yaml" / name).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        event = {
            "date": str(data["date"]), "title": data["title"], "summary": data["summary"], "body": data["body"],
            "topics": data["topics"], "actors": [slugify(name) for name in data["actors"]],
            "sources": [{"title": s["title"], "publisher": s["title"].split(",")[0], "url": s["url"]} for s in data["sources"]],
        }
        topics.update(data["topics"])
        actors.update({slugify(name): name for name in data["actors"]})
        (events_dir / name).write_text(event_yaml(event), encoding="utf-8")
    if topics_path.exists():
        topics.update(yaml.safe_load(topics_path.read_text(encoding="utf-8")) or {})
    files = registries(topics, actors, 0, -1)
    del files["eras.yaml"]  # the peers' corpus has no eras
    for name, text in files.items():
        path = out / "content" / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return len(changed)


def _times(folder: Path) -> dict[str, int]:
    """Each YAML file's name in `folder`, with its modification time in nanoseconds."""
    with os.scandir(folder) as entries:
        return {entry.name: entry.stat().st_mtime_ns for entry in entries if entry.name.endswith(".yaml") and entry.is_file()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, help="number of synthetic events")
    parser.add_argument("out", type=Path, help="the site folder to write content/ into")
    parser.add_argument("--peers", type=Path, metavar="DIR", help="convert DIR/yaml (../shared/bench/peers corpus) instead")
    args = parser.parse_args()
    if (args.count is None) == (args.peers is None):
        parser.error("give either N or --peers DIR")
    if args.peers:
        convert_peers(args.peers, args.out)
    else:
        write_synthetic(args.count, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
