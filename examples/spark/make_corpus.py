#!/usr/bin/env python3
"""A deterministic JSON Lines corpus for trying the Spark recipes: N
articles (default 300) of 4-8 sentences each, drawn in a fixed order from
the repository's own text (datasets/toy/*.csv and
examples/harbour-dispute.txt). No randomness, no downloads.

usage: make_corpus.py OUT.jsonl [N]
"""
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def sentences():
    out = []
    for name in ("train.csv", "test.csv"):
        with open(ROOT / "datasets" / "toy" / name, encoding="utf-8") as f:
            out += [r["text"] for r in csv.DictReader(f)]
    text = (ROOT / "examples" / "harbour-dispute.txt").read_text(encoding="utf-8")
    out += [s for s in re.split(r"(?<=[.!?\"])\s+", text) if s.strip()]
    return out


def main():
    out, n = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 300
    pool = sentences()
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            k = 4 + i % 5
            body = " ".join(pool[(i * 7 + j * 13) % len(pool)] for j in range(k))
            f.write(json.dumps({"id": f"art-{i:05d}", "text": body}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
