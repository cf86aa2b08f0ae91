"""Importers from other timeline tools (TimelineJS today).

In: another tool's file (TimelineJS3 JSON, its Google-Sheet CSV, legacy v2 JSON). Out: event
records written as YAML drafts that the content stage then checks like any other. Exporters are
outputs of a build and live in `generator.formats`.
"""
