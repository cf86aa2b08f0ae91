"""Reading and checking the content: stages 1 (load) and 2 (validate).

In: the files under `content/` (YAML events and registries, Markdown pages). Out: a `Content` value
(`records.py`: `Event`, `Actor`, `Topic`, `Era`, `SiteConfig`, …), immutable, with every body's
Markdown already turned into safe HTML (its citations, `citations.py`, as links to its sources) — or `ContentErrors` (`errors.py`) listing every problem with
its file, line and column. Nothing here knows about pages, URLs or output files; everything else in
the generator may import from here.
"""
