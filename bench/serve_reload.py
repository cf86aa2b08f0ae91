"""Save-to-reload time of `timeline serve`: from saving an event file to its new page being served.

Copies the site's content/ (and templates/, if any) to a temporary folder, starts a real
`timeline serve` on a free port, listens to the reload stream as the event's open page does (naming
itself, so that it is rebuilt first), then edits one event's title again and again. Each run measures: file saved → reload event received → the page
fetched with the new title in it. That is what a browser with the page open waits for.

    python bench/serve_reload.py [--source DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from urllib.parse import quote, urlsplit
from pathlib import Path

import yaml

TIMEOUT_SECONDS = 30


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("."), help="the site's folder, holding content/")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        site = Path(folder)
        for name in ("content", "templates"):
            if (args.source / name).is_dir():
                shutil.copytree(args.source / name, site / name)
        event_file = sorted((site / "content" / "events").glob("*.yaml"))[len(list((site / "content" / "events").glob("*.yaml"))) // 2]
        data = yaml.load(event_file.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        event_id = data.get("id") or event_file.stem
        events = len(list((site / "content" / "events").glob("*.yaml")))
        times, log = run_benchmark(site, event_file, event_id, args.runs)
    print(f"{events} events; edited {event_file.name} {args.runs} times.")
    print(f"save → new page served: median {statistics.median(times) * 1000:.0f} ms, "
          f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
    rebuilds = [line.strip() for line in log if line.startswith("Built in")]
    if rebuilds:
        print(f"server's last rebuild: {rebuilds[-1]}")
    return 0


def run_benchmark(site: Path, event_file: Path, event_id: str, runs: int) -> tuple[list[float], list[str]]:
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0"], cwd=site,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[tuple[float, str]] = queue.Queue()  # each with the time it was read
    log: list[str] = []
    threading.Thread(target=lambda: [lines.put((time.perf_counter(), line)) for line in server.stdout], daemon=True).start()
    try:
        url = re.search(r"Serving (http://\S+)", _wait_for_line(lines, log, "Serving ")).group(1)
        page_path = f"{urlsplit(url).path}events/{event_id}/"  # the stream names its page, as the page's script does
        stream = urllib.request.urlopen(f"{url}__timeline__/events?page={quote(page_path)}", timeout=TIMEOUT_SECONDS)
        stream.readline()
        original = event_file.read_text(encoding="utf-8")
        times = []
        for run in range(runs):
            marker = f"bench{run}x"
            event_file.write_text(_with_title_marker(original, marker), encoding="utf-8")
            saved = time.perf_counter()
            while stream.readline() != b"event: reload\n":
                pass
            with urllib.request.urlopen(f"{url}events/{event_id}/", timeout=TIMEOUT_SECONDS) as response:
                page = response.read().decode("utf-8")
            times.append(time.perf_counter() - saved)
            if marker not in page:
                raise SystemExit(f"run {run}: the served page does not have the edit yet")
            time.sleep(0.2)  # let the editor "think" between saves
        stream.close()
        _wait_for_line(lines, log, "Built in", after=saved)  # the last save's build, finished once the saves stop
        return times, log
    finally:
        server.terminate()
        server.wait(timeout=TIMEOUT_SECONDS)


def _wait_for_line(lines: queue.Queue[tuple[float, str]], log: list[str], text: str, after: float = 0.0) -> str:
    """The next line the server prints with `text` in it (printed after `after`); every line read goes into `log`."""
    while True:
        printed, line = lines.get(timeout=TIMEOUT_SECONDS)
        log.append(line)
        if text in line and printed > after:
            return line


def _with_title_marker(text: str, marker: str) -> str:
    """The file with `marker` added at the end of its (one-line) title, inside any quotes."""
    def add(match: re.Match) -> str:
        value = match.group(2).rstrip()
        if value[:1] in "\"'" and value[-1:] == value[:1]:
            return f"{match.group(1)}{value[:-1]} {marker}{value[-1]}"
        return f"{match.group(1)}{value} {marker}"
    changed, count = re.subn(r"^(title:\s*)(.+)$", add, text, count=1, flags=re.M)
    if not count:
        raise SystemExit("the event file has no one-line title to edit")
    return changed


if __name__ == "__main__":
    raise SystemExit(main())
