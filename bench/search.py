"""Pagefind on a built site: one index over every page (as before shards) against the sharded index.

    python bench/search.py [--ns 1000,10000] [--peers DIR]

For each N: a corpus (synthetic, or the peers' corpus converted with --peers), one `timeline build`,
then on the built site, each timed as a whole process with its peak resident memory (the largest
single process, Pagefind's own included): `one` runs Pagefind once on the whole site; `shards`
indexes it in shards with an empty cache; `edit` changes one event page's title and indexes again
with the cache (one shard re-indexed, the others copied).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARDED = ("import sys; from pathlib import Path; from generator.formats.search_index import index_for_search; "
           "index_for_search(Path(sys.argv[1]), Path(sys.argv[2]))")


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of a command and what it waited for."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()[-2000:]}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def bench_size(site: Path) -> dict[str, tuple[float, float]]:
    out, cache = site / "site", site / "search-cache"
    subprocess.run([sys.executable, "-m", "generator", "build", "--source", str(site)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
    figures = {}
    shutil.rmtree(out / "pagefind")
    figures["one"] = timed([sys.executable, "-m", "pagefind", "--site", str(out), "--keep-index-url", "--silent"])
    shutil.rmtree(out / "pagefind")
    figures["shards"] = timed([sys.executable, "-c", SHARDED, str(out), str(cache)])
    edited = sorted((out / "events").iterdir())[len(list((out / "events").iterdir())) // 2] / "index.html"
    edited.write_bytes(edited.read_bytes().replace(b'<h1 id="event-title">', b'<h1 id="event-title">Edited ', 1))
    shutil.rmtree(out / "pagefind")
    figures["edit"] = timed([sys.executable, "-c", SHARDED, str(out), str(cache)])
    figures["shard count"] = (len(list((out / "pagefind").glob("*/pagefind-entry.json"))), 0)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ns", default="1000,10000", help="event counts, comma- or space-separated")
    parser.add_argument("--peers", type=Path, metavar="DIR", help="DIR/make_corpus.py makes the peers' corpus at each N")
    args = parser.parse_args()
    print("| N | shards | one index s | one index peak MB | sharded s | sharded peak MB | one edit s | one edit peak MB |\n"
          "|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="timeline-search-bench-") as work:
        for count in [int(n) for n in args.ns.replace(",", " ").split()]:
            site = Path(work) / f"site-{count}"
            if args.peers:
                subprocess.run([sys.executable, str(args.peers / "make_corpus.py"), str(count), str(Path(work) / f"peers-{count}")],
                               check=True, stdout=subprocess.DEVNULL)
                corpus.convert_peers(Path(work) / f"peers-{count}", site)
            else:
                corpus.write_synthetic(count, site)
            f = bench_size(site)
            print(f"| {count:,} | {f['shard count'][0]} | " + " | ".join(
                f"{f[kind][0]:.2f} | {f[kind][1]:.0f}" for kind in ("one", "shards", "edit")) + " |", flush=True)
            shutil.rmtree(site)
    return 0


if __name__ == "__main__":
    sys.exit(main())
