#!/usr/bin/env python3
"""Compare stance with the scikit-learn peer on the same cross-validation folds.

`stance train --cv K --predictions OOF.csv` writes every example's held-out
prediction with its fold. This script trains the peer of
`../shared/tools/peers.py` for TweetEval (per target: word 1-3-gram and
char_wb 2-5-gram TF-IDF, sublinear TF, logistic regression with C=10) on
the same folds, and gives each system's pooled score and the paired
bootstrap interval of the difference. Use it where a corpus has no test
split to spare, or to see whether a test-set difference is more than noise.

    python3 benches/cv_peer.py OOF.csv [--resamples 2000] [--seed 1]

Needs numpy, scipy and scikit-learn (the venv of ../shared/tools/peers.py).
The score is F_avg (mean F1 of favor and against) when those labels exist,
macro-F1 otherwise, as `stance eval` reports it.
"""
import argparse
import csv
import sys

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression


def f1s(y, p, classes):
    out = []
    for c in classes:
        tp = np.sum((p == c) & (y == c))
        denom = np.sum(p == c) + np.sum(y == c)
        out.append(0.0 if tp == 0 else 2 * tp / denom)
    return out


def score(y, p, labels):
    if "favor" in labels and "against" in labels:
        return float(np.mean(f1s(y, p, [labels.index("favor"), labels.index("against")])))
    return float(np.mean(f1s(y, p, range(len(labels)))))


def peer(texts, train_idx, test_idx, y):
    word = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b|[^\w\s]")
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
    a = [texts[i] for i in train_idx]
    b = [texts[i] for i in test_idx]
    xa = hstack([word.fit_transform(a), char.fit_transform(a)]).tocsr()
    xb = hstack([word.transform(b), char.transform(b)]).tocsr()
    ya = y[train_idx]
    if len(set(ya)) == 1:
        return np.full(len(test_idx), ya[0])
    return LogisticRegression(C=10, max_iter=2000).fit(xa, ya).predict(xb)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("predictions")
    ap.add_argument("--resamples", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with open(args.predictions, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if "fold" not in (reader.fieldnames or []):
            sys.exit(f"{args.predictions}: no fold column; write it with `stance train --cv K --predictions FILE`")
        labels = [c[2:] for c in reader.fieldnames if c.startswith("p_")]
        rows = list(reader)
    y = np.array([labels.index(r["label"]) for r in rows])
    mine = np.array([labels.index(r["predicted"]) for r in rows])
    fold = np.array([int(r["fold"]) for r in rows])
    target = np.array([r["target"] for r in rows])
    texts = [r["text"] for r in rows]
    theirs = np.empty_like(y)
    # The peer trains one model per target, as in peers.py.
    for k in np.unique(fold):
        for t in np.unique(target):
            tr = np.where((fold != k) & (target == t))[0]
            te = np.where((fold == k) & (target == t))[0]
            if len(te):
                theirs[te] = peer(texts, tr, te, y)
    name = "F_avg" if "favor" in labels and "against" in labels else "macro-F1"
    s_mine, s_theirs = score(y, mine, labels), score(y, theirs, labels)
    rng = np.random.default_rng(args.seed)
    diffs = np.empty(args.resamples)
    for i in range(args.resamples):
        j = rng.integers(0, len(y), len(y))
        diffs[i] = score(y[j], mine[j], labels) - score(y[j], theirs[j], labels)
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    print(f"{len(y)} held-out targets in {len(np.unique(fold))} folds")
    print(f"stance {name} {s_mine:.4f}")
    print(f"peer   {name} {s_theirs:.4f}  (per-target word 1-3 + char_wb 2-5 TF-IDF, LR C=10)")
    print(f"stance - peer {s_mine - s_theirs:+.4f}, 95% paired bootstrap [{lo:+.4f}, {hi:+.4f}], stance ahead in {np.mean(diffs > 0):.0%} of {args.resamples} resamples")


if __name__ == "__main__":
    main()
