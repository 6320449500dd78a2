"""The Spark recipes in local mode on 300 generated articles: their rows
equal `stance predict`'s on the same file."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
pyspark = pytest.importorskip("pyspark")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(os.environ.get("STANCE_BIN", ROOT / "target" / "release" / "stance"))
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402
import pipe_binary  # noqa: E402
import score_pandas  # noqa: E402

KEY = ["doc", "sentence_index", "start"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "articles.jsonl"
    subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(path), "300"], check=True)
    assert sum(1 for _ in open(path, encoding="utf-8")) == 300
    return path


# One person spelled three ways in three articles far apart in the corpus,
# so in different partitions: one actor across the corpus.
GUAIDO = {
    0: "Opposition leader Juan Guaidó called for new elections on Sunday.",
    150: "Guaido said the army would not stop the march.",
    -1: "Juan Guaido accused Nicolas Maduro of rigging the vote.",
}


@pytest.fixture(scope="module")
def linked_corpus(corpus, tmp_path_factory):
    lines = open(corpus, encoding="utf-8").read().splitlines()
    for at, text in GUAIDO.items():
        line = json.dumps({"id": f"guaido-{at}", "text": text}, ensure_ascii=False)
        lines.insert(len(lines) if at < 0 else at, line)
    path = tmp_path_factory.mktemp("linked") / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master("local[2]")
        .appName("stance-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "1g")
        # Workers run this interpreter (with stance, pandas, pyarrow), not the PATH's python3.
        .config("spark.pyspark.python", sys.executable)
        .getOrCreate()
    )
    # The workers unpickle the recipe's functions by module name (under
    # spark-submit the script is __main__ and travels by value).
    s.sparkContext.addPyFile(str(HERE / "score_pandas.py"))
    s.sparkContext.addPyFile(str(HERE / "pipe_binary.py"))
    yield s
    s.stop()


def cli(*args):
    env = {k: v for k, v in os.environ.items() if k != "STANCE_MODEL"}
    r = subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_map_in_pandas_rows_equal_the_clis(spark, linked_corpus, tmp_path):
    out = tmp_path / "scored"
    score_pandas.score_corpus(spark, str(linked_corpus), str(out), "parquet", partitions=6)
    got = pd.read_parquet(out).sort_values(KEY).reset_index(drop=True)
    want = pd.read_csv(io.StringIO(cli("predict", "--input", "jsonl", "--format", "csv", linked_corpus)), keep_default_na=False)
    want = want.sort_values(KEY).reset_index(drop=True)
    assert len(got) == len(want) > 600
    assert list(got.columns) == list(want.columns)
    assert got["doc"].nunique() == 303
    # Actors are grouped across the corpus, not within a partition.
    guaido = got[got["mention"].str.contains("Guaid")]
    assert guaido["doc"].nunique() == 3
    assert set(zip(guaido["actor"], guaido["actor_id"])) == {("Juan Guaidó", "juan-guaido")}
    for c in want.columns:
        if c == "score" or c.startswith("p_"):
            assert [f"{v:.6f}" for v in got[c]] == [f"{v:.6f}" for v in want[c]], c
        else:
            assert got[c].tolist() == want[c].tolist(), c


def spelled_two_ways(tmp_path):
    # Spark names files by URI ("a%20b.jsonl"): "a b" comes before "a!c"
    # byte by byte, as the CLI reads them, but after it once encoded. The
    # first spelling met names the actor.
    folder = tmp_path / "in"
    folder.mkdir()
    first = {"id": "x", "text": "Opposition leader Juan Guaidó called for new elections."}
    later = [{"id": f"y{i}", "text": "Juan Guaido accused Nicolas Maduro of rigging the vote."} for i in range(3)]
    (folder / "a b.jsonl").write_text(json.dumps(first, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "a!c.jsonl").write_text("".join(json.dumps(a) + "\n" for a in later), encoding="utf-8")
    return folder


def test_files_are_read_in_the_order_the_cli_reads_a_folder_in(spark, tmp_path):
    folder = spelled_two_ways(tmp_path)
    out = tmp_path / "scored"
    score_pandas.score_corpus(spark, str(folder / "*.jsonl"), str(out), "parquet", partitions=2)
    got = pd.read_parquet(out).sort_values(KEY).reset_index(drop=True)
    want = pd.read_csv(io.StringIO(cli("predict", "--input", "jsonl", "--format", "csv", folder)), keep_default_na=False)
    want = want.sort_values(KEY).reset_index(drop=True)
    assert set(want[want["mention"].str.contains("Guaid")]["actor"]) == {"Juan Guaidó"}
    assert got.drop(columns=[c for c in got.columns if c == "score" or c.startswith("p_")]).equals(
        want.drop(columns=[c for c in want.columns if c == "score" or c.startswith("p_")])
    )


def test_an_article_without_text_fails_the_job(spark, tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text('{"id": "ok", "text": "Piet Vos spoke."}\n{"id": "empty"}\n', encoding="utf-8")
    with pytest.raises(Exception, match="'empty': no text"):
        score_pandas.score_corpus(spark, str(src), str(tmp_path / "scored"), "parquet")


def piped(out):
    """The lines a pipe_binary run wrote under `out`, sorted."""
    return sorted(l for f in sorted(out.glob("part-*")) for l in f.read_text(encoding="utf-8").splitlines())


def test_pipe_through_the_binary_gives_the_clis_lines(spark, linked_corpus, tmp_path):
    out = tmp_path / "piped"
    pipe_binary.pipe_corpus(spark, str(linked_corpus), str(out), stance=str(BIN), partitions=3)
    got = piped(out)
    want = sorted(cli("predict", "--input", "jsonl", "--format", "jsonl", linked_corpus).splitlines())
    assert len(got) == len(want) > 600
    assert got == want
    # Actors grouped across the corpus, not within a partition.
    guaido = {(r["actor"], r["actor_id"]) for r in map(json.loads, got) if r["type"] == "mention" and "Guaid" in r["mention"]}
    assert guaido == {("Juan Guaidó", "juan-guaido")}
    assert {json.loads(l)["type"] for l in got} == {"mention", "summary"}


def test_pipe_reads_files_in_the_order_the_cli_reads_a_folder_in(spark, tmp_path):
    folder = spelled_two_ways(tmp_path)
    want = sorted(cli("predict", "--input", "jsonl", "--format", "jsonl", folder).splitlines())
    rows = [json.loads(l) for l in want]
    assert {r["actor"] for r in rows if r["type"] == "mention" and "Guaid" in r["mention"]} == {"Juan Guaidó"}
    # Twice in one SparkContext.
    for run in ("one", "two"):
        pipe_binary.pipe_corpus(spark, str(folder / "*.jsonl"), str(tmp_path / run), stance=str(BIN), partitions=2)
        assert piped(tmp_path / run) == want


def test_a_failing_binary_fails_the_pipe(spark, tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text('{"id": "ok", "text": "Piet Vos spoke."}\n{"id": "broken", "text": \n', encoding="utf-8")
    for groups in (True, False):
        with pytest.raises(Exception, match="<stdin>:[12]: invalid article JSON"):
            pipe_binary.pipe_corpus(spark, str(src), str(tmp_path / f"out-{groups}"), stance=str(BIN), corpus_groups=groups)


def test_empty_partitions_and_a_broken_output_leave_the_pipe_working(spark, tmp_path):
    # One line in a file Spark splits in two, and more partitions than
    # lines: partitions with no line start no binary.
    src = tmp_path / "one.jsonl"
    src.write_text('{"id": "a", "text": "Juan Guaido accused Nicolas Maduro of rigging the vote."}\n', encoding="utf-8")
    want = sorted(cli("predict", "--input", "jsonl", "--format", "jsonl", src).splitlines())
    for n, parts in enumerate((None, 8)):
        out = tmp_path / f"out{n}"
        pipe_binary.pipe_corpus(spark, str(src), str(out), stance=str(BIN), partitions=parts)
        assert piped(out) == want
    # A run that fails (its OUT exists) leaves the context usable.
    with pytest.raises(Exception, match="already exists"):
        pipe_binary.pipe_corpus(spark, str(src), str(tmp_path / "out0"), stance=str(BIN))
    pipe_binary.pipe_corpus(spark, str(src), str(tmp_path / "again"), stance=str(BIN), partitions=3)
    assert piped(tmp_path / "again") == want
