#!/usr/bin/env python3
"""Throughput of the Python package against the CLI, same articles, one run.

usage: python benches/python_vs_cli.py [ARTICLES.jsonl] [--repeat N]

Default input: NewsMTSC's training sentences rebuilt into articles
(benches/make_inputs.py, from ../shared/datasets/newsmtsc) and repeated
twice. Both sides use the built-in fast model and all cores; the CLI runs
`stance predict --input jsonl --format jsonl FILE > /dev/null` (start-up
included), Python times `stance.Model.load().predict(texts)` (rows as
Python dicts included) and, with pandas installed, `predict_df` (a
DataFrame included). Runs alternate, best of N each; prints one Markdown
table row per path and the ratio of `predict` to the CLI.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import stance

ROOT = Path(__file__).resolve().parents[1]


def articles_file(work: Path) -> Path:
    shared = ROOT / ".." / "shared" / "datasets" / "newsmtsc"
    subprocess.run([sys.executable, str(ROOT / "benches" / "make_inputs.py"), str(shared), str(work)], check=True, stdout=subprocess.DEVNULL)
    out = work / "articles-x2.jsonl"
    text = (work / "articles.jsonl").read_text(encoding="utf-8")
    out.write_text(text * 2, encoding="utf-8")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("articles", nargs="?")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "stance"))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        path = Path(a.articles) if a.articles else articles_file(Path(work))
        rows = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
        texts = [r["text"] for r in rows]
        sentences = sum(t.count("\n") + 1 for t in texts)
        env = {k: v for k, v in os.environ.items() if k != "STANCE_MODEL"}
        model = stance.Model.load()
        model.predict(texts[:50])  # warm the actor finder and caches
        try:
            import pandas as pd

            df = pd.DataFrame({"id": [str(r["id"]) for r in rows], "text": texts})
        except ImportError:
            df = None
        best = {"cli": float("inf"), "python": float("inf"), "pandas": float("inf")}
        mentions = 0
        for _ in range(a.repeat):
            t = time.perf_counter()
            # Write-only /dev/null: stance takes a read-write one for a closed stdout.
            with open(os.devnull, "wb") as null:
                subprocess.run([a.bin, "predict", "--input", "jsonl", "--format", "jsonl", str(path)], check=True, stdout=null, env=env)
            best["cli"] = min(best["cli"], time.perf_counter() - t)
            t = time.perf_counter()
            mentions = len(model.predict(texts))
            best["python"] = min(best["python"], time.perf_counter() - t)
            if df is not None:
                t = time.perf_counter()
                model.predict_df(df)
                best["pandas"] = min(best["pandas"], time.perf_counter() - t)
    print(f"{len(texts)} articles, {sentences} lines, {mentions} mentions, {os.cpu_count()} cores, best of {a.repeat}")
    print("| path | seconds | articles/s | mentions/s |")
    print("|---|---:|---:|---:|")
    paths = [("cli", "`stance predict --input jsonl` > /dev/null"), ("python", "`Model.load().predict(texts)` (list of dicts)")]
    if df is not None:
        paths.append(("pandas", "`Model.load().predict_df(df)` (DataFrame)"))
    for k, label in paths:
        s = best[k]
        print(f"| {label} | {s:.2f} | {len(texts) / s:,.0f} | {mentions / s:,.0f} |")
    print(f"Python / CLI throughput: {best['cli'] / best['python']:.2f}")


if __name__ == "__main__":
    main()
