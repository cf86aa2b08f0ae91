"""The files written beside the pages, each a plain function of the model.

In: the `Timeline` (and the planned `Page`s). Out: bytes per output path — feeds (`feeds.py`), the
calendar (`calendar_ics.py`), open data (`exports.py`), the sitemap (`sitemap.py`), the TimelineJS
export (`timelinejs_export.py`) — gathered by `outputs.render_outputs`, which joins each event's texts
(kept between builds by a hash of what they show, when the build hands them in); each event's share card
(`share_cards.py`, drawn with Pillow, run by the pipeline since it needs the theme and the pictures); and the search index
(`search_index.py`), which Pagefind makes from the finished pages. A new output format is one module
here and one line in `outputs.py`. Imports from `generator.site` and `generator.content` only.
"""
