#!/usr/bin/env python3
"""Score a JSON Lines corpus on Spark with the stance Python package.

    spark-submit score_pandas.py IN.jsonl OUT [--format parquet|json]
                 [--model DIR|NAME] [--threads 1] [--partitions N]
                 [--batch-groups]

IN: JSON Lines articles, `{"id": ..., "text": ...}` (the input of `stance
predict --input jsonl`). OUT: Parquet (default) or JSON Lines files, one row
per actor mention with the columns of `stance predict --format csv`, in
its order: model, doc, sentence_index, sentence, actor, actor_id,
actor_kind, mention, mention_kind, start, end, label, p_<label>..., score.

Actors are grouped across the whole corpus, as one `stance predict` run
over IN groups them ("Guaido" in one partition and "Juan Guaidó" in
another are one actor, with one actor_id), in two jobs:
1. every partition finds its articles' actors (`Model.find_actors`); the
   distinct names, in corpus order, come back to the driver (memory grows
   with the number of distinct names, not of articles) and are broadcast;
2. every partition scores its articles with the corpus's groups
   (`Model.predict_df(..., groups=...)`).
The rows are those `stance predict` writes for IN. Actor finding is about
half of the fast model's scoring time, so the first job costs about that;
`--batch-groups` skips it and groups actors within each pandas batch only.

Each Python worker process loads the model once (a module-level cache;
Spark reuses its Python workers between tasks) and scores its partitions'
articles in pandas batches through `mapInPandas`. Spark's tasks are the
parallelism, so each worker scores on one thread (`--threads`). Every
executor needs the package: ship the wheel (see examples/spark/README.md).
"""
import argparse

COLUMNS = ["model", "doc", "sentence_index", "sentence", "actor", "actor_id", "actor_kind", "mention", "mention_kind", "start", "end", "label"]
FOUND = "file long, pos long, rank long, name string, kind string, fixed boolean"
_MODEL = {}
_GROUPS = {}


def model(path=None):
    """The model, loaded once per Python worker process."""
    if path not in _MODEL:
        import stance

        _MODEL[path] = stance.Model.load(path)
    return _MODEL[path]


def groups(names):
    """The corpus's actor groups, built once per Python worker process from
    `names`: (a run's token, the broadcast names)."""
    if names is None:
        return None
    token, broadcast = names
    if token not in _GROUPS:
        import stance

        _GROUPS.clear()  # one run's groups at a time
        _GROUPS[token] = stance.ActorGroups(broadcast.value)
    return _GROUPS[token]


def schema(labels):
    probs = ", ".join(f"p_{l} double" for l in labels)
    return (
        "model string, doc string, sentence_index long, sentence string, actor string, actor_id string, actor_kind string, "
        f"mention string, mention_kind string, start long, end long, label string, {probs}, score double"
    )


def texts(pdf):
    """The batch's texts; an article without one is an error, as it is for
    `stance predict` (not the text "None")."""
    missing = pdf["text"].isna()
    if missing.any():
        raise ValueError(f"article {pdf['id'][missing].iloc[0]!r}: no text")
    return pdf["text"].astype(str).tolist()


def file_order(articles):
    """Each input file's rank in the order `stance predict` reads a folder
    in: paths sorted byte by byte. Spark names files by URI, some
    characters percent-encoded ("a%20b.jsonl"), so both sides are decoded."""
    from urllib.parse import unquote

    files = sorted({unquote(f) for f in articles.inputFiles()}, key=lambda f: f.encode("utf-8", "surrogateescape"))
    return {f: i for i, f in enumerate(files)}


def finder(files, model_path=None, threads=1):
    """The function mapInPandas runs on each partition in the first job:
    article batches in (with their place in the corpus: file, pos), each
    article's actors out, one row per actor with its file's rank (from
    `files`, see `file_order`) and its own rank in the article."""

    def find(batches):
        from urllib.parse import unquote

        import pandas as pd

        m = model(model_path)
        for pdf in batches:
            found = m.find_actors(texts(pdf), threads=threads)
            ranks = [files.get(unquote(f), len(files)) for f in pdf["file"].tolist()]
            rows = [
                (f, p, r, name, kind, fixed)
                for f, p, actors in zip(ranks, pdf["pos"].tolist(), found)
                for r, (name, kind, fixed) in enumerate(actors)
            ]
            yield pd.DataFrame(rows, columns=["file", "pos", "rank", "name", "kind", "fixed"])

    return find


def corpus_names(articles, model_path=None, threads=1, partitions=None):
    """The first job: the corpus's distinct actor names, each where the
    corpus first names it, in that order (files by path, then position
    in the file, then rank in the article): the order `stance predict DIR`
    reads a folder of .jsonl files in, and `stance predict FILE...` when
    given the files in that order (give Spark the same files: a folder
    read by Spark includes files of any extension)."""
    from pyspark.sql import functions as F

    files = file_order(articles)
    placed = articles.withColumn("file", F.input_file_name()).withColumn("pos", F.monotonically_increasing_id())
    if partitions:
        placed = placed.repartition(partitions)
    found = placed.mapInPandas(finder(files, model_path, threads), FOUND)
    first = found.groupBy("name", "kind", "fixed").agg(F.min(F.struct("file", "pos", "rank")).alias("first"))
    return [(r["name"], r["kind"], r["fixed"]) for r in first.orderBy("first").collect()]


def scorer(model_path=None, threads=1, names=None):
    """The function mapInPandas runs on each partition: article batches in,
    mention rows out; actors grouped as `names` ((token, broadcast of
    `corpus_names`)) says, else within each batch."""

    def score(batches):
        m = model(model_path)
        g = groups(names)
        columns = COLUMNS + [f"p_{l}" for l in m.labels] + ["score"]
        for pdf in batches:
            yield m.predict_df(pdf, text="text", id="id", threads=threads, groups=g)[columns]

    return score


def score_corpus(spark, src, out, fmt="parquet", model_path=None, threads=1, partitions=None, corpus_groups=True):
    import stance

    labels = stance.Model.load(model_path).labels  # on the driver: the schema, and an early error
    # A malformed line fails the job, as it fails `stance predict`.
    articles = spark.read.schema("id string, text string").option("mode", "FAILFAST").json(src)
    names = None
    if corpus_groups:
        import uuid

        names = (uuid.uuid4().hex, spark.sparkContext.broadcast(corpus_names(articles, model_path, threads, partitions)))
    if partitions:
        articles = articles.repartition(partitions)
    rows = articles.mapInPandas(scorer(model_path, threads, names), schema(labels))
    writer = rows.write.mode("errorifexists")
    try:
        (writer.parquet if fmt == "parquet" else writer.json)(out)
    finally:
        if names:  # the workers' copies, no longer needed
            names[1].destroy()


def main():
    from pyspark.sql import SparkSession

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--format", choices=["parquet", "json"], default="parquet")
    ap.add_argument("--model")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--partitions", type=int)
    ap.add_argument("--batch-groups", action="store_true", help="group actors within each pandas batch, not across the corpus (skips the first job)")
    a = ap.parse_args()
    spark = SparkSession.builder.appName("stance").getOrCreate()
    score_corpus(spark, a.src, a.out, a.format, a.model, a.threads, a.partitions, not a.batch_groups)
    spark.stop()


if __name__ == "__main__":
    main()
