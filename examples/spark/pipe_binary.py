#!/usr/bin/env python3
"""Score a JSON Lines corpus on Spark by piping partitions through the
stance binary (RDD.pipe): for clusters without the Python package.

    spark-submit --files /path/to/stance pipe_binary.py IN.jsonl OUT [--stance ./stance]

Each partition's lines go to one `stance predict --input jsonl --format
jsonl --threads 1` process on its executor; OUT gets its output lines as
text files (the CLI's JSON Lines: mention and summary rows). `--files`
puts the binary in every executor's working directory, hence the default
`./stance`; it needs nothing else (the default model is built in).
Articles need an `id`: without one, `doc` would be a line number within
its partition.
Actors are grouped within each partition ("Guaido" in one partition and
"Juan Guaido" in another are two actors); score_pandas.py groups them
across the corpus.
"""
import argparse
import shlex


def pipe_corpus(sc, src, out, stance="./stance", model=None, partitions=None):
    cmd = [stance, "predict", "--input", "jsonl", "--format", "jsonl", "--threads", "1"]
    if model:
        cmd += ["--model", model]
    lines = sc.textFile(src)
    if partitions:
        lines = lines.repartition(partitions)
    # pipe() writes each element plus a newline to the process's stdin.
    lines.filter(lambda l: l.strip()).pipe(shlex.join(cmd)).saveAsTextFile(out)


def main():
    from pyspark.sql import SparkSession

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--stance", default="./stance")
    ap.add_argument("--model")
    ap.add_argument("--partitions", type=int)
    a = ap.parse_args()
    spark = SparkSession.builder.appName("stance-pipe").getOrCreate()
    pipe_corpus(spark.sparkContext, a.src, a.out, a.stance, a.model, a.partitions)
    spark.stop()


if __name__ == "__main__":
    main()
