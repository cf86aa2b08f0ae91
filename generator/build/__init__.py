"""The build itself: the pipeline, and everything about writing `site/` safely and quickly.

In: `BuildOptions` (source folder, output folder, base URL, drafts). Out: a `BuildReport`, and the
site written — each file as it is rendered into a fresh folder (unchanged files hard-linked from the
old site), swapped in atomically under a lock (`output.py`). `pipeline.py` runs the stages in order;
`build_record.py` lets a build whose inputs are unchanged do nothing (reading only inputs whose
status moved); `content_store.py` keeps the checked events between builds (their bodies' HTML with
them: a kept event read again for a registry's change is not converted again); `outputs_store.py`
keeps the feeds', calendar's and data files' texts, each event's by what it shows; `incremental.py`
re-renders only what an edit touched (for `serve`); `progress.py` shows the stage on a terminal;
`linkcheck.py` follows every internal link of a built site; `collector.py` holds Python's cycle
collector back while a command runs. Imports from `formats`, `site` and `content`.
"""
