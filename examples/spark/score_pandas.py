#!/usr/bin/env python3
"""Score a JSON Lines corpus on Spark with the stance Python package.

    spark-submit score_pandas.py IN.jsonl OUT [--format parquet|json]
                 [--model DIR|NAME] [--threads 1] [--partitions N]

IN: JSON Lines articles, `{"id": ..., "text": ...}` (the input of `stance
predict --input jsonl`). OUT: Parquet (default) or JSON Lines files, one row
per actor mention with the columns of `stance predict --format csv`, in
its order: model, doc, sentence_index, sentence, actor, actor_id,
actor_kind, mention, mention_kind, start, end, label, p_<label>..., score.

Each Python worker process loads the model once (a module-level cache;
Spark reuses its Python workers between tasks) and scores its partitions'
articles in pandas batches through `mapInPandas`. Spark's tasks are the
parallelism, so each worker scores on one thread (`--threads`). Every
executor needs the package: ship the wheel (see examples/spark/README.md).
"""
import argparse

COLUMNS = ["model", "doc", "sentence_index", "sentence", "actor", "actor_id", "actor_kind", "mention", "mention_kind", "start", "end", "label"]
_MODEL = {}


def model(path=None):
    """The model, loaded once per Python worker process."""
    if path not in _MODEL:
        import stance

        _MODEL[path] = stance.Model.load(path)
    return _MODEL[path]


def schema(labels):
    probs = ", ".join(f"p_{l} double" for l in labels)
    return (
        "model string, doc string, sentence_index long, sentence string, actor string, actor_id string, actor_kind string, "
        f"mention string, mention_kind string, start long, end long, label string, {probs}, score double"
    )


def scorer(model_path=None, threads=1):
    """The function mapInPandas runs on each partition: article batches in,
    mention rows out."""

    def score(batches):
        m = model(model_path)
        columns = COLUMNS + [f"p_{l}" for l in m.labels] + ["score"]
        for pdf in batches:
            yield m.predict_df(pdf, text="text", id="id", threads=threads)[columns]

    return score


def score_corpus(spark, src, out, fmt="parquet", model_path=None, threads=1, partitions=None):
    import stance

    labels = stance.Model.load(model_path).labels  # on the driver: the schema, and an early error
    articles = spark.read.schema("id string, text string").json(src)
    if partitions:
        articles = articles.repartition(partitions)
    rows = articles.mapInPandas(scorer(model_path, threads), schema(labels))
    writer = rows.write.mode("errorifexists")
    (writer.parquet if fmt == "parquet" else writer.json)(out)


def main():
    from pyspark.sql import SparkSession

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--format", choices=["parquet", "json"], default="parquet")
    ap.add_argument("--model")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--partitions", type=int)
    a = ap.parse_args()
    spark = SparkSession.builder.appName("stance").getOrCreate()
    score_corpus(spark, a.src, a.out, a.format, a.model, a.threads, a.partitions)
    spark.stop()


if __name__ == "__main__":
    main()
