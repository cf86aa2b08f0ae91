"""The site model and its pages: stages 3 (model), 4 (plan) and 5 (render).

In: the validated `Content` from `generator.content`. Out: the immutable `Timeline` (`model.py`,
with `threads.py` for each thread's events in order and each event's place in its threads),
the tuple of `Page`s to write (`pages.py`, with `sections.py` and `paging.py`), and each page's HTML
bytes (`render.py`, through the theme's Jinja templates; `entries.py`, `overview.py` and
`structured_data.py` make the parts templates show; `media.py` resizes the events' pictures, whose
renditions the pages show, keeping them in `file_cache.py`, whose share cards a CLI build links:
`stored_file.py`). `urls.py` is the one place that decides where a page lives and how one page links to
another. Imports only from `generator.content`.
"""
