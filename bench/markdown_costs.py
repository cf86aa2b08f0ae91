"""What each step of converting an event body costs, with Python-Markdown's own inline passes and with ours.

    python bench/markdown_costs.py content/events /tmp/corpus/content/events

For each folder of event files: CPU microseconds a body for each step (the inline patterns, smarty,
the block parser and its two extensions, the nh3 sanitizer, the citations, the rest), the best of
11 rounds, the two renderers in turn each round. CPU time, not wall time: the machine is shared.
"""

from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

import markdown
import yaml

from generator.content import markup

ROUNDS = 11
clock = time.process_time_ns


def bodies(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.glob("*.yaml")):
        body = yaml.safe_load(path.read_text(encoding="utf-8")).get("body")
        if isinstance(body, str) and body.strip():
            found.append(body.strip())
    return found


def stock_renderer() -> markup.MarkdownRenderer:
    """The renderer with Python-Markdown's own inline passes (before they passed over anything)."""
    renderer = markup.MarkdownRenderer()
    renderer._markdown = markdown.Markdown(extensions=["sane_lists", "tables", "smarty"], output_format="html")
    return renderer


def one_round(renderer: markup.MarkdownRenderer, texts: list[str]) -> collections.Counter:
    """Nanoseconds of CPU by step over all `texts`."""
    spent: collections.Counter = collections.Counter()
    md = renderer._markdown

    def timed(step, function):
        def run(*args, **kwargs):
            started = clock()
            result = function(*args, **kwargs)
            spent[step] += clock() - started
            return result
        return run

    md.treeprocessors["inline"].run = timed("inline patterns", md.treeprocessors["inline"].run)
    md.treeprocessors["smarty"].run = timed("smarty", md.treeprocessors["smarty"].run)
    md.parser.parseDocument = timed("block parser", md.parser.parseDocument)
    for name, step in (("table", "tables"), ("olist", "sane_lists"), ("ulist", "sane_lists")):
        processor = md.parser.blockprocessors[name]
        processor.test, processor.run = timed(step, processor.test), timed(step, processor.run)
    clean = markup.nh3.clean
    markup.nh3.clean = timed("nh3 sanitizer", clean)
    renderer.convert = timed("markdown", renderer.convert)
    started = clock()
    for text in texts:
        renderer.body_to_html(text)
    spent["a body"] = clock() - started
    markup.nh3.clean = clean
    spent["citations"] = spent["a body"] - spent["markdown"]
    spent["block parser"] -= spent["tables"] + spent["sane_lists"]
    spent["the rest"] = spent["markdown"] - sum(spent[step] for step in (
        "inline patterns", "smarty", "block parser", "tables", "sane_lists", "nh3 sanitizer"))
    del spent["markdown"]
    return spent


def main() -> int:
    for folder in map(Path, sys.argv[1:]):
        texts = bodies(folder)
        best: list[dict[str, int]] = [{}, {}]
        for _ in range(ROUNDS):
            for kept, make in zip(best, (stock_renderer, markup.MarkdownRenderer)):
                for step, spent in one_round(make(), texts).items():
                    kept[step] = min(kept.get(step, spent), spent)
        print(f"{folder}: {len(texts)} bodies, {sum(map(len, texts)) // len(texts)} characters on average")
        print(f"  {'µs a body':20s} {'before':>8s} {'after':>8s}")
        for step in sorted(best[0], key=lambda step: (step == "a body", -best[0][step])):
            print(f"  {step:20s} {best[0][step] / len(texts) / 1000:8.0f} {best[1][step] / len(texts) / 1000:8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
