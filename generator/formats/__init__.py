"""The files written beside the pages, each a plain function of the model.

In: the `Timeline` (and the planned `Page`s). Out: bytes per output path — feeds (`feeds.py`), the
calendar (`calendar_ics.py`), open data (`exports.py`), the sitemap (`sitemap.py`), the TimelineJS
export (`timelinejs_export.py`) — gathered by `outputs.render_outputs`; and the search index
(`search_index.py`), which Pagefind makes from the finished pages. A new output format is one module
here and one line in `outputs.py`. Imports from `generator.site` and `generator.content` only.
"""
