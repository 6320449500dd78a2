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
   first names it (files in the order `stance predict DIR` reads them,
   paths byte by byte, then lines), come back to the driver, which
   broadcasts them to every executor;
2. every partition is scored with `--groups` a file of those names.
`--batch-groups` skips the first job and groups within each partition.
"""
import argparse
import json
import shlex
import subprocess
import tempfile


def command(stance, model, *extra):
    cmd = [stance, "predict", "--input", "jsonl", "--threads", "1", *extra]
    if model:
        cmd += ["--model", model]
    return cmd


def run(cmd, lines):
    """`lines` through the binary, its output lines back; a failure (a
    malformed line, a missing model) fails the task with the binary's
    message, where `RDD.pipe` would pass its exit status over."""
    with tempfile.TemporaryFile() as inp, tempfile.TemporaryFile() as out:
        for line in lines:
            inp.write(line.encode("utf-8") + b"\n")
        if inp.tell() == 0:
            return  # an empty partition: the binary would refuse empty input
        inp.seek(0)
        r = subprocess.run(cmd, stdin=inp, stdout=out, stderr=subprocess.PIPE)
        if r.returncode != 0:
            raise RuntimeError(f"{shlex.join(cmd)}: {r.stderr.decode('utf-8', 'replace').strip()}")
        out.seek(0)
        for row in out:
            yield row.decode("utf-8").rstrip("\n")


def file_order(df):
    """Each input file's rank in the order `stance predict` reads a folder
    in: paths sorted byte by byte. Spark names files by URI, some
    characters percent-encoded ("a%20b.jsonl"), so both sides are decoded
    (as in score_pandas.py; this recipe needs no other file)."""
    from urllib.parse import unquote

    files = sorted({unquote(f) for f in df.inputFiles()}, key=lambda f: f.encode("utf-8", "surrogateescape"))
    return {f: i for i, f in enumerate(files)}


def name_finder(cmd, files):
    """The function each partition runs in the first job: its lines
    (with their file and position) through `--actor-names`, each actor
    keyed by where the corpus names it (file rank, position, rank in the
    article). The binary names an article without an id by its line on
    standard input, so ids are left out here and that line leads back to
    the article's place."""

    def find(rows):
        from urllib.parse import unquote

        places, lines = [], []
        for r in rows:
            f = unquote(r.file)
            if f not in files:
                raise RuntimeError(f"{f}: not among the input's files {sorted(files)}")
            places.append((files[f], r.pos))
            try:
                art = json.loads(r.value)
                line = json.dumps({"text": art["text"]}, ensure_ascii=False)
            except (ValueError, TypeError, KeyError):
                line = r.value  # the binary refuses it with its own message
            lines.append(line)
        rank = {}
        for out in run(cmd, lines):
            n = json.loads(out)
            at = int(n["doc"].rsplit(":", 1)[1]) - 1
            rank[at] = rank.get(at, -1) + 1
            yield (n["name"], n["kind"], n["fixed"]), (*places[at], rank[at])

    return find


def corpus_names(spark, src, stance="./stance", model=None):
    """The first job: the corpus's distinct actor names as
    `--actor-names` lines, each where the corpus first names it (files
    in the order `stance predict DIR` reads them, then lines), in that
    order."""
    from pyspark.sql import functions as F

    df = spark.read.text(src)
    files = file_order(df)
    placed = df.withColumn("file", F.input_file_name()).withColumn("pos", F.monotonically_increasing_id())
    found = placed.rdd.filter(lambda r: r.value.strip()).mapPartitions(name_finder(command(stance, model, "--actor-names"), files))
    first = found.reduceByKey(min).collect()
    return [json.dumps({"name": n, "kind": k, "fixed": f}, ensure_ascii=False) for (n, k, f), _ in sorted(first, key=lambda x: x[1])]


def scorer(cmd, names=None):
    """The function each partition runs in the second job: its lines
    through the binary, with the corpus's names (a broadcast) as its
    `--groups` file when given."""

    def score(lines):
        if names is None:
            yield from run(cmd, lines)
            return
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".jsonl") as g:
            g.write("".join(n + "\n" for n in names.value))
            g.flush()
            yield from run(cmd + ["--groups", g.name], lines)

    return score


def pipe_corpus(spark, src, out, stance="./stance", model=None, partitions=None, corpus_groups=True):
    sc = spark.sparkContext
    lines = sc.textFile(src).filter(lambda l: l.strip())
    if partitions:
        lines = lines.repartition(partitions)
    cmd = command(stance, model, "--format", "jsonl")
    if not corpus_groups:
        lines.mapPartitions(scorer(cmd)).saveAsTextFile(out)
        return
    # A broadcast rather than SparkContext.addFile: a file added stays
    # registered after the run, and one removed or changed breaks the
    # context's later jobs.
    names = sc.broadcast(corpus_names(spark, src, stance, model))
    try:
        lines.mapPartitions(scorer(cmd, names)).saveAsTextFile(out)
    finally:
        names.destroy()


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
    pipe_corpus(spark, a.src, a.out, a.stance, a.model, a.partitions, not a.batch_groups)
    spark.stop()


if __name__ == "__main__":
    main()
