#!/usr/bin/env python3
"""Score a JSON Lines corpus on Spark by piping partitions through the
stance binary: for clusters without the Python package.

    spark-submit --files /path/to/stance pipe_binary.py IN.jsonl OUT
                 [--stance ./stance] [--model DIR|NAME] [--partitions N]
                 [--batch-groups]

Each partition's lines go to one `stance predict --input jsonl --format
jsonl --threads 1` process on its executor; OUT gets its output lines as
text files (the CLI's JSON Lines: mention and summary rows). `--files`
puts the binary in every executor's working directory, hence the default
`./stance`; it needs nothing else (the default model is built in).
Articles need an `id`: without one, `doc` would be a line number within
its partition.

Actors are grouped across the whole corpus, as one `stance predict` run
over IN groups them, in two jobs:
1. every partition goes through `stance predict --actor-names` (each
   article's actors as found); the distinct names, each where the corpus
   first names it (Spark's order of the input: files by path, then lines),
   come back to the driver, which writes them to a file shipped to every
   executor (`SparkContext.addFile`);
2. every partition is scored with `--groups` that file.
`--batch-groups` skips the first job and groups within each partition.
"""
import argparse
import json
import os
import shlex
import subprocess
import tempfile


def command(stance, model, *extra):
    cmd = [stance, "predict", "--input", "jsonl", "--threads", "1", *extra]
    if model:
        cmd += ["--model", model]
    return cmd


def corpus_names(lines, stance="./stance", model=None):
    """The first job: the corpus's distinct actor names as
    `--actor-names` lines, each where the corpus first names it, in that
    order."""
    found = lines.pipe(shlex.join(command(stance, model, "--actor-names")))

    def key(line):
        n = json.loads(line)
        return (n["name"], n["kind"], n["fixed"])

    first = found.zipWithIndex().map(lambda x: (key(x[0]), x[1])).reduceByKey(min).collect()
    return [json.dumps({"name": n, "kind": k, "fixed": f}, ensure_ascii=False) for (n, k, f), _ in sorted(first, key=lambda x: x[1])]


def scorer(cmd, groups=None):
    """The function each partition runs in the second job: its lines
    through the binary, with the corpus's groups file when given."""

    def score(lines):
        from pyspark import SparkFiles

        full = cmd + (["--groups", SparkFiles.get(groups)] if groups else [])
        with tempfile.TemporaryFile() as inp, tempfile.TemporaryFile() as out:
            for line in lines:
                inp.write(line.encode("utf-8") + b"\n")
            inp.seek(0)
            r = subprocess.run(full, stdin=inp, stdout=out, stderr=subprocess.PIPE)
            if r.returncode != 0:
                raise RuntimeError(f"{shlex.join(full)}: {r.stderr.decode('utf-8', 'replace').strip()}")
            out.seek(0)
            for row in out:
                yield row.decode("utf-8").rstrip("\n")

    return score


def pipe_corpus(sc, src, out, stance="./stance", model=None, partitions=None, corpus_groups=True):
    lines = sc.textFile(src).filter(lambda l: l.strip())
    groups = None
    if corpus_groups:
        # In the input's order (no repartition before it).
        names = corpus_names(lines, stance, model)
        folder = tempfile.mkdtemp(prefix="stance-groups-")
        path = os.path.join(folder, "groups.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write("".join(n + "\n" for n in names))
        sc.addFile(path)
        groups = "groups.jsonl"
    if partitions:
        lines = lines.repartition(partitions)
    try:
        lines.mapPartitions(scorer(command(stance, model, "--format", "jsonl"), groups)).saveAsTextFile(out)
    finally:
        if groups:  # the driver's copy, written above
            os.remove(path)
            os.rmdir(folder)


def main():
    from pyspark.sql import SparkSession

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--stance", default="./stance")
    ap.add_argument("--model")
    ap.add_argument("--partitions", type=int)
    ap.add_argument("--batch-groups", action="store_true", help="group actors within each partition, not across the corpus (skips the first job)")
    a = ap.parse_args()
    spark = SparkSession.builder.appName("stance-pipe").getOrCreate()
    pipe_corpus(spark.sparkContext, a.src, a.out, a.stance, a.model, a.partitions, not a.batch_groups)
    spark.stop()


if __name__ == "__main__":
    main()
