#!/usr/bin/env python3
"""Build the whole-process benchmark inputs from NewsMTSC (never committed).

usage: make_inputs.py NEWSMTSC_DIR OUT_DIR
writes: train-x20.jsonl (train.jsonl 20 times), articles.jsonl (articles rebuilt from
the sentences: the ids carry source, article and sentence number), articles-x6.jsonl
(those articles 6 times, about 50,000 sentences: long enough that start-up is not part
of the throughput), train-x4.jsonl,
train-x16.jsonl, short.txt (one short article), fasttext-x20.txt (the same mentions in
fastText's input format, as ../shared/tools/peers.py writes them).
"""
import json, os, re, sys
from collections import defaultdict

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
train = open(os.path.join(src, "train.jsonl"), encoding="utf-8").read()
for n in (4, 16, 20):
    with open(os.path.join(out, f"train-x{n}.jsonl"), "w", encoding="utf-8") as f:
        for _ in range(n):
            f.write(train)
arts = defaultdict(list)
for line in train.splitlines():
    r = json.loads(line)
    parts = r["primary_gid"].split("_")
    try:
        key, idx = "_".join(parts[:3]), int(parts[3])
    except (IndexError, ValueError):
        key, idx = r["primary_gid"], 0
    arts[key].append((idx, r["sentence_normalized"]))
rows = []
for k in sorted(arts):
    text = "\n".join(s for _, s in sorted(arts[k]))
    rows.append(json.dumps({"id": k, "text": text}) + "\n")
with open(os.path.join(out, "articles.jsonl"), "w", encoding="utf-8") as f:
    f.writelines(rows)
with open(os.path.join(out, "articles-x6.jsonl"), "w", encoding="utf-8") as f:
    for _ in range(6):
        f.writelines(rows)
first = sorted(arts)[0]
with open(os.path.join(out, "short.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(s for _, s in sorted(arts[first])[:5]) + "\n")
TOK = re.compile(r"\w+|[^\w\s]", re.U)
def ctx(s, a, b, w=6):
    left = TOK.findall(s[:a].lower())[-w:]
    right = TOK.findall(s[b:].lower())[:w]
    return " ".join(["L_" + x for x in left] + ["R_" + x for x in right])
with open(os.path.join(out, "fasttext-x20.txt"), "w", encoding="utf-8") as f:
    lines = []
    for line in train.splitlines():
        r = json.loads(line)
        s = r["sentence_normalized"]
        for t in r["targets"]:
            m = s[:t["from"]] + " TGTX " + s[t["to"]:]
            lines.append(" ".join(TOK.findall(m.lower() + " " + ctx(s, t["from"], t["to"]))))
    for _ in range(20):
        f.write("\n".join(lines) + "\n")
POL = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
with open(os.path.join(out, "fasttext-train.txt"), "w", encoding="utf-8") as f:
    for line in train.splitlines():
        r = json.loads(line)
        s = r["sentence_normalized"]
        for t in r["targets"]:
            m = s[:t["from"]] + " TGTX " + s[t["to"]:]
            f.write(f"__label__{POL[t['polarity']]} " + " ".join(TOK.findall(m.lower() + " " + ctx(s, t["from"], t["to"]))) + "\n")
print(f"{len(arts)} articles")
