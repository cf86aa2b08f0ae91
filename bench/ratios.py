"""Ours beside Hugo, and Hugo + Pagefind, from one run of bench/peers.sh: medians, peaks and ratios.

    python bench/ratios.py RESULTS_DIR     # RESULTS_DIR/raw/{custom,hugo,hugo-pagefind}-N-MODE.txt from timerun.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# The peers' no-op converts the corpus first (peers.sh); "noop-alone" times `timeline build` by itself, as the
# issue's target (≤ 0.3 s at 10,000 events) reads.
MODES = (("clean", "clean build s"), ("noop", "no-op rebuild s"), ("noop-alone", "no-op, `timeline build` alone s"),
         ("edit1", "one edit s"))
PEERS = ("custom", "hugo", "hugo-pagefind")  # timeline, Hugo, Hugo then Pagefind on Hugo's output (no no-op run)


def median(text: str, row: str) -> float | None:
    match = re.search(r"^A " + re.escape(row) + r"\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", text, re.M)
    return float(match.group(2)) if match else None


def figures(raw: Path, peer: str, n: int, mode: str) -> tuple[float | None, float | None]:
    path = raw / f"{peer}-{n}-{mode}.txt"
    if not path.exists():
        return None, None
    text = path.read_text()
    return median(text, "wall s"), median(text, "peak MiB")


def _show(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def main() -> int:
    raw = Path(sys.argv[1]) / "raw"
    sizes = sorted({int(m.group(1)) for p in raw.glob("custom-*-clean.txt") if (m := re.match(r"custom-(\d+)-", p.name))})
    print("| N | measure | timeline | Hugo | Hugo + Pagefind | timeline / Hugo | timeline / (Hugo + Pagefind) |\n"
          "|---|---|---|---|---|---|---|")
    for n in sizes:
        peaks = {peer: [] for peer in PEERS}
        for mode, label in MODES:
            figures_now = {peer: figures(raw, peer, n, mode) for peer in PEERS}
            for peer, (_, peak) in figures_now.items():
                peaks[peer].append(peak)
            times = [figures_now[peer][0] for peer in PEERS]
            print(f"| {n:,} | {label} | " + " | ".join(_show(value) for value in times) + f" | {_ratio(times[0], times[1])} | "
                  f"{_ratio(times[0], times[2])} |")
        worst = [max((peak for peak in peaks[peer] if peak), default=None) for peer in PEERS]
        print(f"| {n:,} | peak MiB | " + " | ".join(_show(value, 0) for value in worst) + f" | {_ratio(worst[0], worst[1])} | "
              f"{_ratio(worst[0], worst[2])} |")
    return 0


def _ratio(ours: float | None, theirs: float | None) -> str:
    return f"{ours / theirs:.1f} ×" if ours and theirs else "–"


if __name__ == "__main__":
    sys.exit(main())
