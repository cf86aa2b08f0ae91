"""The benchmark's corpus is valid content, the same event whatever the size, and `bench/run.py` runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402


def test_event_i_is_the_same_whatever_the_size(tmp_path):
    corpus.write_synthetic(5, tmp_path / "small")
    corpus.write_synthetic(12, tmp_path / "large")
    for number in range(1, 6):
        name = f"content/events/{corpus.event_id(number)}.yaml"
        assert (tmp_path / "small" / name).read_text() == (tmp_path / "large" / name).read_text()


def test_synthetic_corpus_builds_with_ranges_partial_dates_and_relations(tmp_path, run_timeline):
    corpus.write_synthetic(60, tmp_path)
    texts = [path.read_text() for path in (tmp_path / "content" / "events").glob("*.yaml")]
    dates = [text.split("\n", 1)[0] for text in texts]
    assert any("/" in date for date in dates) and any(len(date) == len("date: 2001-05") for date in dates)
    assert any("related:" in text for text in texts) and any("quotes:" in text for text in texts)
    result = run_timeline(tmp_path, "build")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "site" / "events" / "evt-000060" / "index.html").is_file()


def test_peers_corpus_is_converted_and_kept_in_step(tmp_path, run_timeline):
    peers = tmp_path / "peers"
    peers.joinpath("yaml").mkdir(parents=True)
    (peers / "yaml" / "evt-000001.yaml").write_text(
        'id: evt-000001\ndate: 2001-02-03\ntitle: "A title"\nsummary: "A summary."\ntopics: ["space", "law"]\n'
        'actors: ["Ada Okafor"]\nbody: |\n  Text.\nsources:\n  - title: "Perth Gazette, 2001-02-03"\n'
        '    url: "https://example.org/a"\n')
    site = tmp_path / "site-folder"
    assert corpus.convert_peers(peers, site) == 1
    event = (site / "content" / "events" / "evt-000001.yaml").read_text()
    assert "ada-okafor" in event and 'publisher: "Perth Gazette"' in event
    assert "ada-okafor:" in (site / "content" / "actors.yaml").read_text()
    assert corpus.convert_peers(peers, site) == 0  # nothing changed: nothing converted
    assert run_timeline(site, "build").exit_code == 0
    (peers / "yaml" / "evt-000001.yaml").unlink()
    corpus.convert_peers(peers, site)
    assert not (site / "content" / "events" / "evt-000001.yaml").exists()


def test_bench_runs_and_writes_its_figures(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--ns", "20", "--runs", "1",
                             "--json", str(tmp_path / "results.json"), "--work", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "| 20 |" in result.stdout
    figures = json.loads((tmp_path / "results.json").read_text())["results"][0]
    assert figures["events"] == 20 and figures["pages"] > 20
    assert set(figures["seconds"]) == {"clean", "noop", "edit", "add", "delete"}
    assert all(seconds > 0 for seconds in figures["seconds"].values())
    assert figures["largest_page_bytes"] > 0 and figures["peak_mb"]["clean"] > 0


def test_peer_ratios_show_hugo_with_pagefind_and_each_peak(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for peer, seconds, peak in (("custom", 6.0, 500), ("hugo", 2.0, 400), ("hugo-pagefind", 4.0, 1000)):
        (raw / f"{peer}-1000-clean.txt").write_text(f"A wall s {seconds} {seconds} {seconds}\nA peak MiB {peak} {peak} {peak}\n")
    (raw / "custom-1000-noop-alone.txt").write_text("A wall s 0.2 0.25 0.3\nA peak MiB 30 31 32\n")
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "ratios.py"), str(tmp_path)],
                            capture_output=True, text=True, check=True)
    rows = {line.split(" | ")[1]: line for line in result.stdout.splitlines() if line.startswith("| 1,000")}
    assert rows["clean build s"] == "| 1,000 | clean build s | 6.00 | 2.00 | 4.00 | 3.0 × | 1.5 × |"
    assert rows["no-op, `timeline build` alone s"] == "| 1,000 | no-op, `timeline build` alone s | 0.25 | – | – | – | – |"
    assert rows["peak MiB"] == "| 1,000 | peak MiB | 500 | 400 | 1000 | 1.2 × | 0.5 × |"
    assert rows["one edit s"] == "| 1,000 | one edit s | – | – | – | – | – |"
